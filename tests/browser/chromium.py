"""Headless Chromium (Debian's `chromium`) on a folder served by a local web server: the
page's DOM after its scripts ran, a screenshot, and every request the browser made (the
server's log and Chromium's own net log)."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

BINARY = shutil.which("chromium")
MISSING = "Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it"
QUIET = [  # nothing of Chromium's own calling home, so the net log holds the page's requests
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-default-apps", "--disable-domain-reliability", "--metrics-recording-only",
    "--disable-features=HttpsUpgrades,OptimizationHints,MediaRouter,Translate,"
    "AutofillServerCommunication,NetworkTimeServiceQuerying",
    "--disable-client-side-phishing-detection", "--no-pings", "--virtual-time-budget=5000",
]  # fmt: skip
# What Chromium itself still calls on start whatever the switches (its component updater
# and its Google-account check): made by the browser, never with the page as initiator.
BROWSER_OWN = frozenset({"update.googleapis.com", "accounts.google.com"})
# Nothing leaves the machine: every host name but the test's own resolves to nothing.
HERMETIC = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@dataclass
class Server:
    root: Path
    port: int
    requests: list[str] = field(default_factory=list)  # paths, as the server saw them

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@contextmanager
def serve(root: Path) -> Iterator[Server]:
    """root on http://127.0.0.1:<a free port>/, in a thread, until the block ends."""
    seen: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            seen.append(self.path)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(root, httpd.server_address[1], seen)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


@dataclass(frozen=True)
class NetRequest:
    url: str
    initiator: str  # the origin that asked for it; "not an origin" for the browser's own
    isolation: str  # the network isolation key: the site of the page it belongs to


@dataclass
class Run:
    dom: str
    requests: list[NetRequest]  # every request Chromium's net log shows it starting
    hosts: set[str]  # every host name the net log names (requests, DNS, sockets)


def run(url: str, work: Path, *extra: str, resolve: str = "") -> Run:
    """Open url in a fresh profile (DOM dumped unless a screenshot is asked for); the DOM
    once the page settled (virtual time), and what the net log shows."""
    assert BINARY is not None
    work.mkdir(parents=True, exist_ok=True)
    net_log = work / "net-log.json"
    dump = [] if any(x.startswith("--screenshot") for x in extra) else ["--dump-dom"]
    rules = f"--host-resolver-rules={resolve + ', ' if resolve else ''}{HERMETIC}"
    done = subprocess.run(
        [BINARY, *QUIET, *dump, rules, f"--user-data-dir={work / 'profile'}",
         f"--log-net-log={net_log}", *extra, url],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    requests, hosts = read_net_log(net_log)
    return Run(done.stdout, requests, hosts)


def read_net_log(net_log: Path) -> tuple[list[NetRequest], set[str]]:
    text = net_log.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",")
    if not text.endswith("}"):  # a log Chromium closed early has no end: close it here
        text = text.rstrip(",\n") + "]}"
    log = json.loads(text)
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    requests, hosts = [], set()
    for event in log.get("events", []):
        params = event.get("params") or {}
        for key in ("url", "original_url", "host", "origin", "group_name"):
            value = params.get(key)
            if isinstance(value, str) and value:
                host = urlsplit(value if "//" in value else f"//{value}").hostname
                if host and host != "~notfound":  # the resolver rule itself
                    hosts.add(host)
        if event.get("type") == start and "url" in params:
            requests.append(NetRequest(params["url"], str(params.get("initiator", "")),
                                       str(params.get("network_isolation_key", ""))))  # fmt: skip
    return requests, hosts


class Elements(HTMLParser):
    """The class and text of the elements with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.classes: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.attrs: dict[str, dict[str, str | None]] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        ident = found.get("id")
        if ident:
            self.classes[ident] = found.get("class") or ""
            self.texts.setdefault(ident, "")
            self.attrs[ident] = found
        if tag not in ("meta", "link", "input", "br", "img"):
            self._open.append((tag, ident))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _tag, ident in self._open:
            if ident:
                self.texts[ident] += data


def elements(dom: str) -> Elements:
    parsed = Elements()
    parsed.feed(dom)
    return parsed

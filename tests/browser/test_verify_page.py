"""The published verification page in a real browser: headless Chromium (Debian's
`chromium`) opens the folder served on 127.0.0.1 for a valid, a revoked, a replaced, an
expired, an unknown and a malformed code, and shows the right result; a phone-width
screenshot; the page asks for nothing outside its folder (the server's log and Chromium's
net log); over plain http (no crypto.subtle) the bundled SHA-256 finds the same files."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from app.db import Database
from app.services import verify_publish
from app.verify_site import publish
from tests.app import verify_site_world
from tests.app.verify_site_world import REASON, SiteWorld
from tests.browser import chromium

pytestmark = pytest.mark.skipif(chromium.BINARY is None, reason=chromium.MISSING)

SITE = "/tra-cuu/"
EXPIRED_TODAY = "HETHAN2345"  # published valid; its date passed before the page is viewed
UNKNOWN = "ZZZZ22ZZZZ"
PIPE = "PQPE234567"  # a holder whose name has a "|" in it
FALLBACK_HOST = "tra-cuu.test"  # plain http, not localhost: no crypto.subtle
GREEN = (0x17, 0x80, 0x3D)


@dataclass
class Served:
    world: SiteWorld
    server: chromium.Server
    work: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    base = tmp_path_factory.mktemp("verify-page")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TAPHUAN_DATA_DIR", str(base / "data"))
        db = Database(str(base / "taphuan.db"))
        db.upgrade()
        world = verify_site_world.build(db)
        with db.transaction(readonly=True) as s:
            records = verify_publish.public_records(s)
        db.close()
    yesterday = date.today() - timedelta(days=1)
    valid = next(r for r in records if r.code == world.codes["valid"])
    records.append(replace(valid, code=EXPIRED_TODAY, serial="9999/GCN-SKHCN",
                           expires_on=yesterday, full_name="Đỗ Thị Hết Hạn"))  # fmt: skip
    records.append(replace(valid, code=PIPE, serial="9998/GCN-SKHCN", full_name="Trần | Văn An"))
    root = base / "web"
    root.mkdir()
    publish.publish(root / "tra-cuu", records, verify_publish.vietnam_now())
    shutil.copy(Path(__file__).with_name("harness.html"), root / "harness.html")
    with chromium.serve(root) as server:
        yield Served(world, server, base / "runs")


def look_up(served: Served, name: str, code: str, host: str = "127.0.0.1"):  # type: ignore[no-untyped-def]
    """The page opened with ?ma=code: its result (class, text, all ids), the run, and the
    requests the server saw."""
    first = len(served.server.requests)
    resolve = f"MAP {host} 127.0.0.1" if host != "127.0.0.1" else ""
    run = chromium.run(served.server.url(f"{SITE}?ma={quote(code)}", host), served.work / name,
                       resolve=resolve)  # fmt: skip
    page = chromium.elements(run.dom)
    requests = served.server.requests[first:]
    return page, run, requests


def outside(requests: list[str], run: chromium.Run, port: int, host: str = "127.0.0.1",
            site: str = SITE) -> list[str]:  # fmt: skip
    """What the page asked for outside its folder, and any other host contacted: from the
    server's log, and from Chromium's net log (a request whose initiator or isolation key
    is the page's is the page's; the rest is the browser's own, and may only go to the
    services Chromium calls on start, BROWSER_OWN)."""
    found = [path for path in requests if not path.startswith(site)]
    origin = f"http://{host}:{port}"
    for request in run.requests:
        ours = request.initiator == origin or f"http://{host}" in request.isolation.split()
        allowed = (
            request.url.startswith(origin + site)
            if ours
            else urlsplit(request.url).hostname in chromium.BROWSER_OWN
        )
        if not allowed:
            found.append(request.url)
    assert any(r.url.startswith(origin + site) for r in run.requests)  # the log is read
    found += sorted(run.hosts - {host, "127.0.0.1"} - chromium.BROWSER_OWN)
    return found


CASES = {  # kind: (class, verdict, words the page must show)
    "valid": ("hop-le", "Hợp lệ", ["Nguyễn Thị Thanh Hà", "1986", "còn hiệu lực"]),
    "revoked": ("thu-hoi", "Đã thu hồi", ["Lê Văn An", REASON, "đã bị thu hồi ngày"]),
    "replaced": ("thay-the", "Đã được thay thế", ["Trần Thị Bích Ngọc", "thay bằng giấy"]),
    "expired": ("het-han", "Hết hạn", ["Phạm Văn Bình", "đến hết ngày 08/03/2025"]),
    "year_only": ("hop-le", "Hợp lệ", ["Võ Thị Hoa", "1979"]),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_each_status_shows_its_result(served: Served, kind: str) -> None:
    css, verdict, words = CASES[kind]
    code = served.world.codes[kind]
    page, run, requests = look_up(served, kind, code)
    assert page.classes["ket-qua"] == f"ket-qua {css}"
    assert page.texts["ket-luan"] == verdict
    for word in words:
        assert word in page.texts["ket-qua"], word
    assert served.world.serials[kind] in page.texts["chi-tiet"]
    if kind == "replaced":
        assert served.world.serials["reissued"] in page.texts["chi-tiet"]
    assert page.attrs["cap-nhat"]["data-luc"] in page.texts["cap-nhat"]  # dd/mm/yyyy HH:MM
    assert re.search(r"Dữ liệu công bố lúc \d\d/\d\d/\d{4} \d\d:\d\d", page.texts["cap-nhat"])
    key = hashlib.sha256(code.encode()).hexdigest()
    assert f"{SITE}gcn/{key}.json" in requests
    assert outside(requests, run, served.server.port) == []


def test_a_date_passed_since_publishing_shows_expired(served: Served) -> None:
    page, _run, _requests = look_up(served, "expired-today", EXPIRED_TODAY)
    assert page.classes["ket-qua"] == "ket-qua het-han"
    assert page.texts["ket-luan"] == "Hết hạn"


@pytest.mark.parametrize(
    ("name", "typed", "css", "verdict", "looked_up"),
    [
        ("unknown", UNKNOWN, "khong-thay", "Không tìm thấy", True),
        ("short", "SFHW", "sai-dang", "Mã không đúng dạng", False),
        ("letter-o", "SFHWQCA8QO", "sai-dang", "Mã không đúng dạng", False),
        ("script", "<img src=x onerror=alert(1)>", "sai-dang", "Mã không đúng dạng", False),
        ("empty", "", "sai-dang", "Chưa nhập mã", False),
    ],
)  # fmt: skip
def test_unknown_and_malformed_codes(served: Served, name: str, typed: str, css: str,
                                     verdict: str, looked_up: bool) -> None:  # fmt: skip
    page, run, requests = look_up(served, name, typed)
    assert page.classes["ket-qua"] == f"ket-qua {css}"
    assert page.texts["ket-luan"] == verdict
    if css == "sai-dang" and typed:
        assert (
            "10 ký tự" in page.texts["giai-thich"] and "không có I và O" in page.texts["giai-thich"]
        )
    if css == "khong-thay":
        assert UNKNOWN in page.texts["giai-thich"] and "kiểm tra lại mã" in page.texts["giai-thich"]
    assert any("/gcn/" in r for r in requests) == looked_up
    assert "<img" not in run.dom.split('id="ket-qua"')[1]  # shown as text, never as HTML
    assert outside(requests, run, served.server.port) == []


def test_case_spaces_and_a_scanned_link_are_normalised(served: Served) -> None:
    code = served.world.codes["valid"]
    loose = f"  {code[:5].lower()} {code[5:].lower()} "
    page, _run, _ = look_up(served, "loose", loose)
    assert page.texts["ket-luan"] == "Hợp lệ"
    scanned = f"TAPHUAN|{served.world.serials['revoked']}|{served.world.codes['revoked']}"
    page, _run, _ = look_up(served, "scanned", scanned)
    assert page.texts["ket-luan"] == "Đã thu hồi"


def test_a_typed_code_and_the_bundled_sha256(served: Served) -> None:
    """Typed into the box and submitted (the test page outside the folder types it), and
    sha256.js against Python's hashlib on a few strings."""
    strings = ["", "abc", served.world.codes["valid"], "Tập huấn " * 20]
    code = served.world.codes["revoked"]
    query = "&".join(f"s={quote(s)}" for s in strings) + f"&typed={quote(code.lower())}"
    run = chromium.run(served.server.url(f"/harness.html?{query}"), served.work / "typed")
    page = chromium.elements(run.dom)
    assert page.texts["sha"].split(" ") == [hashlib.sha256(s.encode()).hexdigest() for s in strings]
    assert page.texts["typed-class"] == "ket-qua thu-hoi"
    assert "Đã thu hồi" in page.texts["typed-text"]
    assert page.texts["typed-address"] == f"?ma={code}"  # the address keeps the code


def test_over_plain_http_the_bundled_sha256_finds_the_same_files(served: Served) -> None:
    for kind in ("valid", "revoked"):
        page, run, requests = look_up(
            served, f"http-{kind}", served.world.codes[kind], host=FALLBACK_HOST
        )
        assert page.attrs["trang"]["data-bam"] == "js"  # no crypto.subtle: sha256.js
        assert page.texts["ket-luan"] == CASES[kind][1]
        assert outside(requests, run, served.server.port, FALLBACK_HOST) == []
    page, _run, _ = look_up(served, "https-like", served.world.codes["valid"])
    assert page.attrs["trang"]["data-bam"] == "subtle"  # 127.0.0.1 is a secure context


def test_the_phone_width_screenshot(served: Served) -> None:
    from PIL import Image

    shot = served.work / "dien-thoai-hop-le.png"
    for name, kind in (("dien-thoai-hop-le", "valid"), ("dien-thoai-thu-hoi", "revoked")):
        shot = served.work / f"{name}.png"
        chromium.run(served.server.url(f"{SITE}?ma={served.world.codes[kind]}"),
                     served.work / name, f"--screenshot={shot}", "--window-size=360,800")  # fmt: skip
        image = Image.open(io.BytesIO(shot.read_bytes())).convert("RGB")
        assert image.size == (360, 800)
        colour = GREEN if kind == "valid" else (0xB3, 0x26, 0x1E)
        rows = [y for y in range(800) if image.getpixel((180, y)) == colour]
        assert len(rows) > 40, f"no band of the result's colour in {shot}"  # the verdict
        assert rows[0] < 500  # on the first screen of a phone


def test_the_checks_see_a_request_outside_the_folder_and_the_policy_blocks_other_hosts(
    served: Served,
) -> None:
    """A copy of the page changed to ask for a file beside its folder (same server: the
    policy allows it, the checks report it) and for a picture on another host (the
    Content-Security-Policy blocks it: no request is made)."""
    root = served.server.root
    copy = root / "thu"
    shutil.copytree(root / "tra-cuu", copy)
    (root / "ngoai.css").write_text("body { color: #000; }", encoding="utf-8")
    index = copy / "index.html"
    other = f"http://{FALLBACK_HOST}:{served.server.port}/tra-cuu/favicon.svg"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "</main>", f'</main><link rel="stylesheet" href="../ngoai.css"><img src="{other}">'
    ), encoding="utf-8")  # fmt: skip
    first = len(served.server.requests)
    run = chromium.run(served.server.url(f"/thu/?ma={served.world.codes['valid']}"),
                       served.work / "thu", resolve=f"MAP {FALLBACK_HOST} 127.0.0.1")  # fmt: skip
    requests = served.server.requests[first:]
    assert chromium.elements(run.dom).texts["ket-luan"] == "Hợp lệ"
    assert outside(requests, run, served.server.port, site="/thu/") == [
        "/ngoai.css",
        f"http://127.0.0.1:{served.server.port}/ngoai.css",
    ]
    assert FALLBACK_HOST not in run.hosts  # blocked before any request
    assert not any(FALLBACK_HOST in r.url for r in run.requests)


def _printed(served: Served, code: str, serial: str, name: str) -> str:
    from app.services.certificate_qr import printed_text

    return printed_text(serial, name, "Tập huấn kỹ năng số", date.today(), code)


def test_a_whole_qr_text_is_held_against_the_record(served: Served) -> None:
    """A phone passes the QR's whole text: it must say what the record says (serial, name,
    course, date of issue), else the page says it does not match, never "Hợp lệ" for a
    forged name around a real code. Decomposed Vietnamese marks and a "|" in a name are
    read as printed."""
    import unicodedata

    w = served.world
    genuine = _printed(served, w.codes["valid"], w.serials["valid"], "Nguyễn Thị Thanh Hà")
    page, _run, _ = look_up(served, "qr-genuine", genuine)
    assert page.texts["ket-luan"] == "Hợp lệ", page.texts
    page, _run, _ = look_up(served, "qr-nfd", unicodedata.normalize("NFD", genuine))
    assert page.texts["ket-luan"] == "Hợp lệ", page.texts
    forged = _printed(served, w.codes["valid"], w.serials["valid"], "Nguyễn Văn Giả")
    page, _run, _ = look_up(served, "qr-forged", forged)
    assert page.classes["ket-qua"] == "ket-qua khong-khop"
    assert page.texts["ket-luan"] == "Không khớp với giấy đã cấp"
    other_serial = f"TAPHUAN|{w.serials['revoked']}|{w.codes['valid']}"
    page, _run, _ = look_up(served, "qr-other-serial", other_serial)
    assert page.classes["ket-qua"] == "ket-qua khong-khop"
    pipe = _printed(served, PIPE, "9998/GCN-SKHCN", "Trần | Văn An")
    page, _run, _ = look_up(served, "qr-pipe", pipe)
    assert page.texts["ket-luan"] == "Hợp lệ", page.texts

"""Writing the files of the verification site into a folder (publish.py picks the folder).

- index.html, app.css, app.js, sha256.js, favicon.svg: the page, from resources/verify_site/, with the
  moment of publishing written into index.html;
- gcn/<sha256 of the code>.json: one small file a certificate (records.as_json);
- gcn/index.html: an empty page, so that a web server that lists folders shows it
  instead of the file names;
- MARKER, written last: what tells a previous publish from any other folder.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app import resources
from app.verify_site.records import FORMAT, PublicRecord, as_json, code_key

MARKER = ".taphuan-tra-cuu.json"
DATA = "gcn"
PAGE_FILES = ("index.html", "app.css", "app.js", "sha256.js", "favicon.svg")
EMPTY_PAGE = (
    '<!doctype html>\n<html lang="vi"><head><meta charset="utf-8">'
    "<title>Tra cứu giấy chứng nhận</title></head><body></body></html>\n"
)
STEP = 250  # files between two progress reports

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Written:
    files: int
    size: int  # bytes, all files


def published_text(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y %H:%M}"


def _page(moment: datetime) -> str:
    template = resources.path("verify_site", "index.html").read_text(encoding="utf-8")
    return template.replace("{{PUBLISHED}}", html.escape(published_text(moment))).replace(
        "{{PUBLISHED_ISO}}", html.escape(moment.isoformat(timespec="minutes"))
    )


def write_site(
    folder: Path,
    records: Iterable[PublicRecord],
    moment: datetime,
    total: int,
    progress: Progress | None = None,
) -> Written:
    """Every file of the site into folder (existing and empty); the marker last."""
    files = size = 0

    def put(path: Path, data: bytes) -> None:
        nonlocal files, size
        path.write_bytes(data)
        files += 1
        size += len(data)

    put(folder / "index.html", _page(moment).encode("utf-8"))
    for name in PAGE_FILES[1:]:
        put(folder / name, resources.path("verify_site", name).read_bytes())
    data = folder / DATA
    data.mkdir()
    put(data / "index.html", EMPTY_PAGE.encode("utf-8"))
    seen: set[str] = set()
    for n, record in enumerate(records, start=1):
        key = code_key(record.code)
        if key in seen:  # codes are unique in the register; never one file over another
            raise ValueError(f"two certificates with one verification code ({record.serial})")
        seen.add(key)
        content = json.dumps(as_json(record), ensure_ascii=False, separators=(",", ":"))
        put(data / f"{key}.json", content.encode("utf-8"))
        if progress is not None and (n % STEP == 0 or n == total):
            progress(n, total)
    marker = {
        "taphuan_tra_cuu": FORMAT,
        "published_at": moment.isoformat(timespec="seconds"),
        "certificates": len(seen),
    }
    put(folder / MARKER, json.dumps(marker, ensure_ascii=False).encode("utf-8"))
    return Written(files, size)


def read_marker(folder: Path) -> dict | None:  # type: ignore[type-arg]
    """The marker of a previous publish in folder, None when there is none (or it is not
    one of ours)."""
    try:
        found = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and "taphuan_tra_cuu" in found else None


def read_records(folder: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """The records a previous publish holds, by file name (a file that cannot be read
    counts as absent: it is replaced anyway)."""
    found: dict[str, dict] = {}  # type: ignore[type-arg]
    data = folder / DATA
    if not data.is_dir():
        return found
    for path in data.glob("*.json"):
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(content, dict):
            found[path.stem] = content
    return found

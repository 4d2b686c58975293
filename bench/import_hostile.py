"""Hostile workbooks against the import: time and peak memory to refuse or read them.

    python bench/import_hostile.py [--case bomb|long-cells|sst-bypass|styles|wide|all] [--src DIR]

- bomb: about 6 MB of .xlsx whose shared strings expand to ~380 MB (long, nearly repeated
  strings packing ~60:1, under the old 150:1 and 400 MB limits), 200,000 rows pointing
  at them. Refused from the zip's declared sizes before openpyxl reads a byte.
- long-cells: what passes those checks (40 MB of shared strings, 4,000-character strings
  packing ~14:1), 200,000 rows whose names are those long strings: read, every row an
  error, nothing written.
- sst-bypass (review 13, item 11): 60 MB of shared strings in a part named xl/ss2.xml,
  declared in a [Content_Types].xml padded past 1 MB so that the old check skipped it.
- styles (item 12): an 80 MB xl/styles.xml, which openpyxl parses whole.
- wide (item 12): 6,000 rows holding only cells A and XFD, a 51 KB file that openpyxl
  hands over as rows of 16,384 values.

Each import runs in a child process, on an empty migrated SQLite file, so the peak memory
printed is the import's own. --src runs the child against another checkout (e.g. an
export of main) to compare. A figure, not a test.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

from tests.app import sheets

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from app.db import Database
from app.errors import UserError
from app.services import imports
db = Database(sys.argv[2]); db.upgrade()
started = time.perf_counter()
outcome = ""
try:
    with db.transaction() as s:
        plan = imports.plan(s, Path(sys.argv[1]))
        outcome = f"read: {len(plan.rows):,} rows, {len(plan.bad_rows):,} with errors"
        imports.apply(s, plan, "bench")
        outcome += "; written"
except UserError as exc:
    outcome = "; ".join(p for p in (outcome, exc.message.splitlines()[0]) if p)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mib": peak, "outcome": outcome}))
"""


def long_strings(count: int, noise: int, seed: int = 5) -> object:
    rng = random.Random(seed)
    phrase = "Nguyễn Thị Thanh Hà, Ủy ban nhân dân xã Đại Điền, huyện Thạnh Phú. " * 40
    return (
        phrase + "".join(f"{rng.getrandbits(128):032x}" for _ in range(noise)) for _ in range(count)
    )


def workbook(path: Path, strings: int, noise: int, rows: int) -> Path:
    data = sheets.inline_row(1, ["Họ và tên"]) + "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>{n % strings}</v></c></row>' for n in range(2, rows + 2)
    )
    return sheets.raw_workbook(path, data, shared_strings=long_strings(strings, noise))


CASES = {
    "bomb": (108_000, 1, 200_000),
    "long-cells": (10_300, 12, 200_000),
}
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _rewrite(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """A two-row workbook saved by openpyxl, its parts passed through change(name, data)."""
    import io
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Họ và tên"])
    wb.active.append(["Nguyễn Văn A"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            for name, data in change(info.filename, src.read(info.filename)).items():
                out.writestr(name, data)
    return path


def sst_bypass(path: Path) -> Path:
    def change(name: str, data: bytes) -> dict[str, bytes]:
        if name == "xl/sharedStrings.xml":
            return {}
        if name != "[Content_Types].xml":
            return {name: data}
        text = data.decode().replace('PartName="/xl/sharedStrings.xml"', 'PartName="/xl/ss2.xml"')
        if "/xl/ss2.xml" not in text:
            text = text.replace(
                "</Types>", f'<Override PartName="/xl/ss2.xml" ContentType="{SST_TYPE}"/></Types>'
            )
        parts, size, i = [b"<sst>"], 0, 0
        while size < 60 * 2**20:
            piece = f"<si><t>Nguyễn Văn Thành {i:08d} ấp {i * 7919 % 100000:05d}</t></si>".encode()
            parts.append(piece)
            size, i = size + len(piece), i + 1
        parts.append(b"</sst>")
        return {
            name: text.replace("</Types>", " " * 1_100_000 + "</Types>").encode(),
            "xl/ss2.xml": b"".join(parts),
        }

    return _rewrite(path, change)


def styles(path: Path) -> Path:
    rng = random.Random(1)

    def change(name: str, data: bytes) -> dict[str, bytes]:
        if name != "xl/styles.xml":
            return {name: data}
        formats, size, i = [], 0, 200
        while size < 80 * 2**20:
            piece = f'<numFmt numFmtId="{i}" formatCode="&quot;{rng.getrandbits(64):x}&quot;0"/>'
            formats.append(piece)
            size, i = size + len(piece), i + 1
        block = f'<numFmts count="{len(formats)}">' + "".join(formats) + "</numFmts>"
        text = data.decode().replace("<numFmts", "<numFmtsX").replace("</numFmts>", "</numFmtsX>")
        return {name: text.replace("<fonts", block + "<fonts", 1).encode()}

    return _rewrite(path, change)


def wide(path: Path, rows: int = 6_000) -> Path:
    data = sheets.inline_row(1, ["Họ và tên"]) + "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Nguyễn Văn An</t></is></c>'
        f'<c r="XFD{n}"><v>1</v></c></row>'
        for n in range(2, rows + 2)
    )
    return sheets.raw_workbook(path, data)


BUILT = {"sst-bypass": sst_bypass, "styles": styles, "wide": wide}


def run(case: str, work: Path, src: Path) -> None:
    import zipfile

    built = time.perf_counter()
    path = work / f"{case}.xlsx"
    # Built by another process: a child forked from a parent that held the file's parts
    # would report the parent's memory as its own peak.
    subprocess.run([sys.executable, __file__, "--build", case, str(path)], check=True)
    built = time.perf_counter() - built
    with zipfile.ZipFile(path) as zf:
        info = max(zf.infolist(), key=lambda i: i.file_size)
    db = work / f"{case}.db"
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(db)],
        capture_output=True,
        text=True,
        cwd=src,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    if child.returncode != 0:
        print(child.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"{case}: the child failed")
    result = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"{case}: {path.stat().st_size / 2**20:.1f} MiB file (built in {built:.1f} s)")
    print(
        f"  largest part {info.filename}: {info.file_size / 2**20:.0f} MiB from "
        f"{info.compress_size / 2**20:.1f} MiB ({info.file_size / info.compress_size:.0f}:1)"
    )
    print(f"  import: {result['seconds']:.2f} s, peak memory {result['peak_mib']:.0f} MiB")
    print(f"  outcome: {result['outcome']}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=[*CASES, *BUILT, "all"], default="all")
    parser.add_argument("--src", type=Path, default=ROOT, help="checkout the import runs from")
    parser.add_argument("--build", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        case, path = args.build[0], Path(args.build[1])
        if case in BUILT:
            BUILT[case](path)
        else:
            workbook(path, *CASES[case])
        return 0
    work = Path(tempfile.mkdtemp(prefix="taphuan-hostile-"))
    print(f"source: {args.src}")
    for case in [*CASES, *BUILT] if args.case == "all" else [args.case]:
        run(case, work, args.src.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())

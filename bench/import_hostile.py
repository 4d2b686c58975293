"""Hostile workbooks against the import: time and peak memory to refuse or read them.

    python bench/import_hostile.py [--case bomb|long-cells|all] [--src DIR]

- bomb: about 6 MB of .xlsx whose shared strings expand to ~380 MB (long, nearly repeated
  strings packing ~60:1, under the old 150:1 and 400 MB limits), 200,000 rows pointing
  at them. Refused from the zip's declared sizes before openpyxl reads a byte.
- long-cells: what passes those checks (40 MB of shared strings, 4,000-character strings
  packing ~14:1), 200,000 rows whose names are those long strings: read, every row an
  error, nothing written.

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


def run(case: str, work: Path, src: Path) -> None:
    import zipfile

    strings, noise, rows = CASES[case]
    built = time.perf_counter()
    path = workbook(work / f"{case}.xlsx", strings, noise, rows)
    built = time.perf_counter() - built
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/sharedStrings.xml")
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
        f"  shared strings: {info.file_size / 2**20:.0f} MiB from "
        f"{info.compress_size / 2**20:.1f} MiB ({info.file_size / info.compress_size:.0f}:1)"
    )
    print(f"  import: {result['seconds']:.2f} s, peak memory {result['peak_mib']:.0f} MiB")
    print(f"  outcome: {result['outcome']}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--src", type=Path, default=ROOT, help="checkout the import runs from")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="taphuan-hostile-"))
    print(f"source: {args.src}")
    for case in CASES if args.case == "all" else [args.case]:
        run(case, work, args.src.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Import of a 10,000-row .xlsx into the scale-25 demo, against openpyxl reading it alone.

    python bench/import_people.py [--rows 10000]

Prints rows/s for TapHuan's import (read, check, match against 100,000 people, write,
commit) and for openpyxl's read-only pass over the same file, and the ratio. TapHuan's
time runs from the start of the transaction to the end of its commit (the audit entries
are chained and written, and the file synced, at the commit): what the user waits for.
The floor is the issue's: openpyxl reading the file, which writes nothing. A figure, not
a test.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import demo_database

from app.db import Database, copy_sqlite
from app.services import imports
from tests.app.sheets import people_workbook


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--scale", type=int, default=25)
    args = parser.parse_args()
    base = demo_database(args.scale)
    work = Path(tempfile.mkdtemp(prefix="taphuan-import-"))
    xlsx = work / "hoc-vien.xlsx"
    people_workbook(xlsx, args.rows)
    db_path = work / "import.db"
    copy_sqlite(base, db_path)
    db = Database(str(db_path))

    import openpyxl

    started = time.perf_counter()
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    n = sum(1 for _ in wb.active.iter_rows(values_only=True))
    wb.close()
    raw = time.perf_counter() - started

    started = time.perf_counter()
    with db.transaction() as s:
        plan = imports.plan(s, xlsx)
        planned = time.perf_counter()
        summary = imports.apply(s, plan)
        applied = time.perf_counter()
    total = time.perf_counter() - started  # the commit included
    committed = started + total
    db.close()
    print(
        f"file: {args.rows:,} people, {xlsx.stat().st_size / 1024:.0f} KiB; database: demo scale {args.scale}"
    )
    print(f"openpyxl read-only pass ({n:,} rows):  {raw:6.2f} s  {n / raw:9,.0f} rows/s")
    print(f"TapHuan plan (read, check, match):     {planned - started:6.2f} s")
    print(f"TapHuan write (people, updates):       {applied - planned:6.2f} s")
    print(f"TapHuan commit (audit chain, sync):    {committed - applied:6.2f} s")
    print(
        f"TapHuan import, all of it:             {total:6.2f} s  {args.rows / total:9,.0f} rows/s"
    )
    print(f"ratio TapHuan / openpyxl alone:        {total / raw:6.2f}x")
    print(
        f"inserted {summary.inserted:,}, updated {summary.updated:,}, skipped {summary.skipped:,}, "
        f"errors {summary.errors:,}, folded {summary.folded:,}"
    )
    shutil.rmtree(work)  # a copy of the demo database: 270 MB a run
    return 0


if __name__ == "__main__":
    sys.exit(main())

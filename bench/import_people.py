"""Import of a 10,000-row .xlsx into the scale-25 demo, against openpyxl reading it alone.

    python bench/import_people.py [--rows 10000]

Prints rows/s for TapHuan's import (read, check, match against 100,000 people, write)
and for openpyxl's read-only pass over the same file, and the ratio. A figure, not a test.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from common import demo_database

from app.db import Database, copy_sqlite
from app.services import imports


def make_file(path: Path, rows: int) -> None:
    import openpyxl

    rng = random.Random(7)
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng"]
    middle = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu"]
    given = ["An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Lan", "Nam", "Oanh", "Phúc", "Sơn", "Thảo"]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG KỸ NĂNG SỐ"])
    ws.append([])
    ws.append(
        [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Số CCCD",
            "SĐT",
            "Đơn vị công tác",
            "Chức vụ",
        ]
    )
    for i in range(rows):
        year = rng.randint(1965, 2004)
        female = rng.random() < 0.5
        ws.append(
            [
                i + 1,
                f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)}",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
                "Nữ" if female else "Nam",
                int(
                    f"086{(0 if year < 2000 else 2) + female}{year % 100:02d}{rng.randint(0, 999_999):06d}"
                ),
                int(
                    f"{rng.choice(['90', '91', '93', '94', '96', '97', '98', '86', '88', '39'])}{rng.randint(0, 9_999_999):07d}"
                ),
                "UBND xã",
                "Công chức",
            ]
        )
    wb.save(path)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--scale", type=int, default=25)
    args = parser.parse_args()
    base = demo_database(args.scale)
    work = Path(tempfile.mkdtemp(prefix="taphuan-import-"))
    xlsx = work / "hoc-vien.xlsx"
    make_file(xlsx, args.rows)
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
        summary = imports.apply(s, plan, "bench")
    total = time.perf_counter() - started
    db.close()
    print(
        f"file: {args.rows:,} people, {xlsx.stat().st_size / 1024:.0f} KiB; database: demo scale {args.scale}"
    )
    print(f"openpyxl read-only pass ({n:,} rows):  {raw:6.2f} s  {n / raw:9,.0f} rows/s")
    print(f"TapHuan plan (read, check, match):     {planned - started:6.2f} s")
    print(
        f"TapHuan import, plan + write:          {total:6.2f} s  {args.rows / total:9,.0f} rows/s"
    )
    print(f"ratio TapHuan / openpyxl alone:        {total / raw:6.2f}x")
    print(
        f"inserted {summary.inserted:,}, updated {summary.updated:,}, skipped {summary.skipped:,}, "
        f"errors {summary.errors:,}, folded {summary.folded:,}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

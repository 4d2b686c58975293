"""A sign-in sheet for 500 people: ms, pages and pages a second (with and without the QR
column, with and without the phone column).

python bench/sign_in_sheet.py [--people 500]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from app.documents.attendance_sheet import SignInRow, SignInSheet, render_sign_in_sheet
from app.documents.common import Heading


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=500)
    args = parser.parse_args()
    rows = [
        SignInRow(
            f"Nguyễn Thị Thanh Hương {i}",
            "1986",
            "Hội Liên hiệp Phụ nữ xã Đại Điền",
            "Chi hội trưởng",
            "0903111222",
            f"AB{i:06d}",
        )
        for i in range(args.people)
    ]
    heading = Heading("UBND tỉnh Vĩnh Long", "Sở Khoa học và Công nghệ", "Vĩnh Long")
    render_sign_in_sheet(
        SignInSheet(
            heading,
            "W",
            "W",
            "B1",
            datetime(2026, 3, 2, 7, 30),
            datetime(2026, 3, 2, 11),
            "",
            "",
            "Giám đốc",
            rows[:5],
        ),
        io.BytesIO(),
    )  # warm the fonts
    for qr in (False, True):
        for phones in (False, True):
            data = SignInSheet(
                heading,
                "TH-2026-014",
                "Tập huấn triển khai định danh điện tử VNeID",
                "Buổi 1",
                datetime(2026, 3, 2, 7, 30),
                datetime(2026, 3, 2, 11),
                "Hội trường UBND xã Đại Điền",
                "Phạm Quốc Khánh",
                "Sở Khoa học và Công nghệ tỉnh Vĩnh Long",
                rows,
                5,
                qr,
                show_phones=phones,
                trainer_names=("Phạm Quốc Khánh",),
            )
            out = io.BytesIO()
            started = time.perf_counter()
            pages = render_sign_in_sheet(data, out)
            seconds = time.perf_counter() - started
            print(
                f"{args.people} people, QR {'on ' if qr else 'off'}, phones {'on ' if phones else 'off'}: "
                f"{seconds * 1000:6.0f} ms, {pages} pages, {pages / seconds:5.1f} pages/s, "
                f"{len(out.getvalue()) / 1024:.0f} KiB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

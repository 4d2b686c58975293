"""A sign-in sheet for 500 people: ms, pages and pages a second (with and without the QR
column, with and without the phone column), and the ratio the issue holds the QR column
to: the sheet with QR over the same sheet without (goal ≤ 1.3×), in wall time and in the
process's CPU time (steadier on a shared machine). Each code is encoded once a process
(the first QR run pays for encoding; the second, with phones, reuses the codes).

With --repeat N the four sheets are rendered N times over, in turn, every QR sheet
encoding its codes afresh (the worst case: no code remembered from an earlier sheet), and
the best and the median of each are printed, with the ratios of the bests and of the
medians: one run on a loaded machine can be off by a third.

python bench/sign_in_sheet.py [--people 500] [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from app.documents import qr as qr_codes
from app.documents.attendance_sheet import SignInRow, SignInSheet, render_sign_in_sheet
from app.documents.common import Heading


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=0)
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
    if args.repeat:
        return _repeated(args.people, args.repeat, heading, rows)
    wall: dict[tuple[bool, bool], float] = {}
    cpu: dict[tuple[bool, bool], float] = {}
    for qr in (False, True):
        for phones in (False, True):
            data = _sheet(heading, rows, qr, phones)
            out = io.BytesIO()
            started, cpu_started = time.perf_counter(), time.process_time()
            pages = render_sign_in_sheet(data, out)
            seconds = time.perf_counter() - started
            wall[qr, phones], cpu[qr, phones] = seconds, time.process_time() - cpu_started
            print(
                f"{args.people} people, QR {'on ' if qr else 'off'}, phones {'on ' if phones else 'off'}: "
                f"{seconds * 1000:6.0f} ms, {pages} pages, {pages / seconds:5.1f} pages/s, "
                f"{len(out.getvalue()) / 1024:.0f} KiB, CPU {cpu[qr, phones] * 1000:6.0f} ms"
            )
    for phones in (False, True):
        print(
            f"QR on / QR off, phones {'on ' if phones else 'off'}: "
            f"wall {wall[True, phones] / wall[False, phones]:.2f}×, "
            f"CPU {cpu[True, phones] / cpu[False, phones]:.2f}× (goal ≤ 1.3×)"
        )
    return 0


def _sheet(heading: Heading, rows: list[SignInRow], qr_on: bool, phones: bool) -> SignInSheet:
    return SignInSheet(
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
        qr_on,
        show_phones=phones,
        trainer_names=("Phạm Quốc Khánh",),
    )


def _repeated(people: int, repeat: int, heading: Heading, rows: list[SignInRow]) -> int:
    """The four sheets in turn, repeat times; every QR sheet encodes its codes afresh."""
    wall: dict[tuple[bool, bool], list[float]] = {}
    cpu: dict[tuple[bool, bool], list[float]] = {}
    pages: dict[tuple[bool, bool], int] = {}
    for _ in range(repeat):
        for key in ((False, False), (True, False), (False, True), (True, True)):
            qr_codes.modules.cache_clear()
            qr_codes._mask.cache_clear()
            out = io.BytesIO()
            started, cpu_started = time.perf_counter(), time.process_time()
            pages[key] = render_sign_in_sheet(_sheet(heading, rows, *key), out)
            wall.setdefault(key, []).append(time.perf_counter() - started)
            cpu.setdefault(key, []).append(time.process_time() - cpu_started)
    best = {k: (min(wall[k]), min(cpu[k])) for k in wall}
    middle = {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in wall}
    for (qr_on, phones), (w, c) in best.items():
        mw, mc = middle[qr_on, phones]
        print(
            f"{people} people, QR {'on ' if qr_on else 'off'}, phones {'on ' if phones else 'off'}: "
            f"{pages[qr_on, phones]} pages, best {w * 1000:6.0f} ms (CPU {c * 1000:6.0f} ms), "
            f"median {mw * 1000:6.0f} ms (CPU {mc * 1000:6.0f} ms) of {repeat}"
        )
    for phones in (False, True):
        on, off = (True, phones), (False, phones)
        print(
            f"QR on / QR off, phones {'on ' if phones else 'off'}: "
            f"best wall {best[on][0] / best[off][0]:.2f}×, CPU {best[on][1] / best[off][1]:.2f}×; "
            f"median wall {middle[on][0] / middle[off][0]:.2f}×, "
            f"CPU {middle[on][1] / middle[off][1]:.2f}× (goal ≤ 1.3×)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

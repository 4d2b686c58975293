"""Paint the month view with 2,000 sessions in the month: ms per paint.

    python bench/calendar_paint.py [--sessions 2000]

A real CalendarView (offscreen), 1280×800, rendered into an image 20 times. Also the
week view with the busiest week. A figure, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from app.services.scheduling import SessionRow


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from ui.widgets.calendar_view import CalendarView

    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=2000)
    args = parser.parse_args()
    app = QApplication([])  # noqa: F841 - must live while painting
    rng = random.Random(3)
    items = []
    for i in range(args.sessions):
        day = date(2026, 11, 1) + timedelta(days=rng.randrange(30))
        start = datetime.combine(day, datetime.min.time()) + timedelta(
            hours=rng.choice([7, 8, 13, 14]), minutes=rng.choice([0, 30])
        )
        items.append(
            SessionRow(
                i,
                rng.randrange(400),
                f"TH-2026-{rng.randrange(400):03d}",
                "Khóa",
                None,
                start,
                start + timedelta(hours=3),
                None,
                "Hội trường UBND xã",
                "in_person",
                None,
                (),
                "",
                "",
                None,
                1,
            )
        )
    view = CalendarView()
    view.resize(1280, 800)
    view.anchor = date(2026, 11, 15)
    results = {}
    for mode in ("month", "week"):
        view.mode = mode
        started = time.perf_counter()
        view.set_items(items)
        prepared = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(20):
            started = time.perf_counter()
            view.grab()
            times.append((time.perf_counter() - started) * 1000)
        results[mode] = (prepared, statistics.median(times), max(times))
    print(f"{args.sessions:,} sessions in November 2026, 1280×800:")
    for mode, (prepared, median, worst) in results.items():
        name = "month view" if mode == "month" else "week view "
        print(
            f"  {name}: grouping {prepared:5.1f} ms, paint median {median:5.1f} ms, worst {worst:5.1f} ms"
        )
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())

"""Tổng quan's query on the demo at scale 1 and 25 (100,000 people, a million marks):
ms per refresh (the page runs exactly this in the worker thread on each change).

    python bench/overview.py            # TAPHUAN_BENCH_DIR=/tmp/x keeps the demo files there

Five runs each on the demo's "today" and on the real date; the median and the slowest are
printed, with the database's size. A figure, not a test.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date

from common import demo_database
from sqlalchemy import func, select

from app.db import Database
from app.demo.base import DEMO_TODAY
from app.services import overview
from models import Attendance, Person

RUNS = 5


def main() -> int:
    for scale in (1, 25):
        db = Database(str(demo_database(scale)))
        with db.transaction(readonly=True) as s:
            people = s.scalar(select(func.count()).select_from(Person)) or 0
            marks = s.scalar(select(func.count()).select_from(Attendance)) or 0
        print(f"scale {scale}: {people:,} people, {marks:,} attendance rows")
        for label, today in (("demo today", DEMO_TODAY), ("real today", date.today())):
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                with db.transaction(readonly=True) as s:
                    o = overview.overview(s, today)
                times.append((time.perf_counter() - start) * 1000)
            print(
                f"  {label} {today:%d/%m/%Y}: median {statistics.median(times):.0f} ms, "
                f"slowest {max(times):.0f} ms "
                f"({len(o.this_week_sessions)}+{len(o.next_week_sessions)} sessions, "
                f"{o.unmarked.total} unmarked, {o.uncertified.total} uncertified courses, "
                f"{len(o.short)} short, {o.people_trained.value:,} trained)"
            )
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

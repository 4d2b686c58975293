"""The dashboard's figure queries on the scale-25 demo: ms per query and in total (the
Báo cáo page runs exactly these on each refresh, in the worker thread).

    python bench/report_queries.py

Each query runs five times over the demo's whole period (2022–2026), over 2026 alone, and
for one commune with its old units rolled up; the median is printed, and for the whole
refresh the best and the median of wall-clock and of CPU time (time.process_time: SQLite
runs in this process, so CPU is the steadier figure on a loaded machine). A figure.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date

from common import demo_database
from sqlalchemy import func, select

from app.db import Database
from app.services import reports
from app.services.reports import ReportFilter
from models import Person, Unit, UnitLevel, UnitLineage


def main() -> int:
    db = Database(str(demo_database(25)))
    with db.transaction(readonly=True) as s:
        people = s.scalar(select(func.count()).select_from(Person))
        busiest = s.scalar(  # the new commune with the most old units behind it
            select(UnitLineage.successor_id)
            .join(Unit, Unit.id == UnitLineage.successor_id)
            .where(Unit.level == UnitLevel.COMMUNE)
            .group_by(UnitLineage.successor_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        filters = {
            "cả tỉnh, 2022–2026": ReportFilter(date(2022, 1, 1), date(2026, 12, 31)),
            "cả tỉnh, năm 2026 (the page's default)": ReportFilter(
                date(2026, 1, 1), date(2026, 12, 31), roll_up=True
            ),
            "một xã, gộp đơn vị cũ": ReportFilter(
                date(2022, 1, 1), date(2026, 12, 31), unit_id=busiest, roll_up=True
            ),
        }
        print(f"Dashboard refresh (reports.dashboard, as the Báo cáo page runs it), "
              f"{people:,} people, median of 5 runs:")  # fmt: skip
        labels = {
            "summary": "summary (6 figures × 2 modes)",
            "months": "trainees per month",
            "communes": "trainees by commune",
            "topics": "trainees by topic",
            "courses": "15 latest courses (rates, scores)",
            "coverage": "team coverage by level",
            "course_count": "courses ended in the period (count)",
        }
        for name, f in filters.items():
            runs = []
            for _ in range(5):
                started, cpu = time.perf_counter(), time.process_time()
                d = reports.dashboard(s, f)
                wall = (time.perf_counter() - started) * 1000
                runs.append((wall, (time.process_time() - cpu) * 1000, d.timings))
            print(f"  {name}:")
            for key, label in labels.items():
                ms = statistics.median(t[key] for _, _, t in runs)
                print(f"    {label:<34} {ms:8.1f} ms")
            walls, cpus = [w for w, _, _ in runs], [c for _, c, _ in runs]
            print(f"    {'total, wall clock (best / median)':<34} "
                  f"{min(walls):8.1f} / {statistics.median(walls):.1f} ms")  # fmt: skip
            print(f"    {'total, CPU time (best / median)':<34} "
                  f"{min(cpus):8.1f} / {statistics.median(cpus):.1f} ms")  # fmt: skip
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The province-wide dashboards on a PostgreSQL database (the scale-25 demo): ms per
refresh, median of 5, exactly as the pages run them in their worker thread.

    python -m app --db postgresql+psycopg://postgres@127.0.0.1:54329/pgdesk_d25 demo --scale 25
    python bench/pg_overview.py --url postgresql+psycopg://postgres@127.0.0.1:54329/pgdesk_d25

Tổng quan (overview.overview) on the demo's "today" and the real date, then Báo cáo
(reports.dashboard) over the whole province 2022–2026, over this year and for the
commune with the most old units rolled up. The slowest SQL statements of one Tổng quan
refresh are listed (where the time goes). Reads only. A figure, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from datetime import date

import common  # noqa: F401  (puts the project on sys.path)
from sqlalchemy import event, func, select

from app.db import Database
from app.demo.base import DEMO_TODAY
from app.services import overview, reports
from app.services.reports import ReportFilter
from models import Attendance, Person, Unit, UnitLevel, UnitLineage

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:54329/pgdesk_d25"


def timed(db: Database, runs: int, act) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        with db.transaction(readonly=True) as s:
            act(s)
        out.append((time.perf_counter() - start) * 1000)
    return out


def statements(db: Database, act) -> list[tuple[float, str]]:  # type: ignore[no-untyped-def]
    """ms per SQL statement of one run of act, slowest first."""
    spent: dict[str, float] = defaultdict(float)
    started: list[float] = []

    def before(*_args) -> None:  # type: ignore[no-untyped-def]
        started.append(time.perf_counter())

    def after(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        spent[" ".join(statement.split())[:110]] += (time.perf_counter() - started.pop()) * 1000

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        with db.transaction(readonly=True) as s:
            act(s)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
    return sorted(((ms, sql) for sql, ms in spent.items()), reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sqlite", help="the same demo as a SQLite file, timed in the same run")
    args = parser.parse_args()
    for target in [args.url] + ([args.sqlite] if args.sqlite else []):
        measure(Database(target, must_exist=True), args.runs)
    return 0


def measure(db: Database, runs: int) -> None:
    with db.transaction(readonly=True) as s:
        people = s.scalar(select(func.count()).select_from(Person)) or 0
        marks = s.scalar(select(func.count()).select_from(Attendance)) or 0
        busiest = s.scalar(  # the new commune with the most old units behind it
            select(UnitLineage.successor_id)
            .join(Unit, Unit.id == UnitLineage.successor_id)
            .where(Unit.level == UnitLevel.COMMUNE)
            .group_by(UnitLineage.successor_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        version = (
            "SQLite"
            if db.is_sqlite
            else "PostgreSQL " + s.connection().exec_driver_sql("SHOW server_version").scalar()
        )
    print(
        f"{db.describe()} ({version}): {people:,} people, {marks:,} attendance rows; "
        f"median and slowest of {runs} runs"
    )
    print("Tổng quan (overview.overview):")
    for label, today in (("demo today", DEMO_TODAY), ("real today", date.today())):
        ms = timed(db, runs, lambda s, t=today: overview.overview(s, t))
        print(
            f"  {label} {today:%d/%m/%Y}: median {statistics.median(ms):7.0f} ms, "
            f"slowest {max(ms):7.0f} ms"
        )
    year = date.today().year
    filters = {
        "cả tỉnh, 2022–2026": ReportFilter(date(2022, 1, 1), date(year, 12, 31)),
        f"cả tỉnh, năm {year}": ReportFilter(date(year, 1, 1), date(year, 12, 31), roll_up=True),
        "một xã, gộp đơn vị cũ": ReportFilter(
            date(2022, 1, 1), date(year, 12, 31), unit_id=busiest, roll_up=True
        ),
    }
    print("Báo cáo (reports.dashboard):")
    for label, f in filters.items():
        parts: list[dict[str, float]] = []

        def act(s, f=f, parts=parts):  # type: ignore[no-untyped-def]
            parts.append(getattr(reports.dashboard(s, f), "timings", {}) or {})

        ms = timed(db, runs, act)
        inside = ", ".join(
            f"{k} {statistics.median(p.get(k, 0.0) for p in parts):.0f}" for k in parts[0]
        )
        print(
            f"  {label}: median {statistics.median(ms):7.0f} ms, slowest {max(ms):7.0f} ms"
            + (f"  ({inside})" if inside else "")
        )
    print("Slowest statements of one Tổng quan refresh (real today):")
    for ms, sql in statements(db, lambda s: overview.overview(s, date.today()))[:5]:
        print(f"  {ms:7.0f} ms  {sql}")
    db.close()


if __name__ == "__main__":
    sys.exit(main())

"""The clash check when saving a session, on the scale-25 demo: ms per check.

    python bench/clash_check.py

Runs the check the save runs (trainer, venue, enrolled people in other courses, dates,
holidays, seats) for 200 sessions of busy courses, each against its own time. A figure.
"""

from __future__ import annotations

import statistics
import sys
import time

from common import demo_database, percentile
from sqlalchemy import select

from app.db import Database
from app.services import scheduling
from models import Enrolment, SessionTrainer
from models import Session as CourseSession


def main() -> int:
    db = Database(str(demo_database(25)))
    with db.transaction(readonly=True) as s:
        rows = s.execute(
            select(
                CourseSession.id,
                CourseSession.course_id,
                CourseSession.starts_at,
                CourseSession.ends_at,
                CourseSession.venue_id,
            )
            .where(CourseSession.course_id.in_(select(Enrolment.course_id).distinct()))
            .order_by(CourseSession.id)
            .limit(200)
        ).all()
        timings = []
        for sid, cid, a, b, venue in rows:
            trainers = list(
                s.scalars(select(SessionTrainer.person_id).where(SessionTrainer.session_id == sid))
            )
            started = time.perf_counter()
            scheduling.clashes(s, cid, a, b, venue, trainers, exclude={sid})
            timings.append((time.perf_counter() - started) * 1000)
    db.close()
    print(
        f"clash check for {len(timings)} sessions of the scale-25 demo (12,403 sessions, 228,977 enrolments):"
    )
    print(
        f"median {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The counts of the training facts (TrainingCount, migration 0014) that the province-wide
figures read: kept by every recount, a count fallen to 0 removed, checked and rebuilt with
the facts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from app import facts
from app.db import Database
from app.services import attendance, reports
from app.services.reports import ReportFilter
from models import (
    ALL_TOPICS,
    AttendanceStatus,
    CourseStatus,
    Enrolment,
    SessionMode,
    TrainingCount,
)
from models import Session as CourseSession
from tests.app import world

P = AttendanceStatus.PRESENT


def stored_counts(db: Database) -> set[tuple]:  # type: ignore[type-arg]
    """The counts as stored, after checking them against the facts counted."""
    with db.transaction(readonly=True) as s:
        rows = {tuple(r) for r in s.execute(select(*TrainingCount.__table__.c))}
        assert rows == {tuple(r) for r in s.execute(facts.counts_of(facts.facts_of(facts.marks())))}
        assert facts.differences(s) == 0
    return rows


def test_marks_added_and_cleared_keep_the_counts(db: Database) -> None:
    with db.transaction() as s:
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà", birth_date=date(1980, 1, 1))
        binh = world.person(s, "Trần Văn Bình", birth_date=date(1981, 1, 1))
        e_ha = world.enrol(s, w, ha, [])
        e_binh = world.enrol(s, w, binh, [])
    assert stored_counts(db) == set()

    with db.transaction() as s:
        attendance.mark(s, w.course, w.sessions[0], e_ha, "present")
        attendance.mark(s, w.course, w.sessions[1], e_binh, "late")
    # both first seen in March 2024: one count of 2 per topic row kind
    assert (ALL_TOPICS, 202403, "in_person", 0, 0, 2) in stored_counts(db)

    with db.transaction() as s:  # a later month for Hà: her April row's previous is March
        c = world.course(s, "TH-2024-009", date(2024, 4, 2), date(2024, 4, 2), CourseStatus.OPEN)
        cs = world.session(s, c, datetime(2024, 4, 2, 7, 30))
        s.get_one(CourseSession, cs).mode = SessionMode.ONLINE
        attendance.add_walk_in_from_scan(s, c, ha)
        e = s.scalar(select(Enrolment.id).where(Enrolment.course_id == c))
        attendance.mark(s, c, cs, e, "present")
    counts = stored_counts(db)
    assert (ALL_TOPICS, 202404, "online", 0, 202403, 1) in counts

    with db.transaction() as s:  # every mark cleared: nothing left to count, no zero rows
        attendance.mark(s, w.course, w.sessions[0], e_ha, None)
        attendance.mark(s, w.course, w.sessions[1], e_binh, None)
        attendance.mark(s, c, cs, e, None)
    assert stored_counts(db) == set()


def test_the_province_wide_figures_read_the_counts(db: Database) -> None:
    """Counts changed behind the program's back show in the figures (they are what is read)
    and in `check`; the rebuild mends them."""
    with db.transaction() as s:
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà", birth_date=date(1980, 1, 1))
        world.enrol(s, w, ha, [P])
    march = ReportFilter(date(2024, 3, 1), date(2024, 3, 31))
    with db.transaction(readonly=True) as s:
        assert reports.summary(s, march).total.people_trained == 1
        assert [t.count for t in reports.by_topic(s, march)] == [1]
    with db.transaction() as s:
        s.execute(TrainingCount.__table__.update().values(people=7))
    with db.transaction(readonly=True) as s:
        assert reports.summary(s, march).total.people_trained == 7
        assert [t.count for t in reports.by_topic(s, march)] == [7]
        assert facts.differences(s) == 2 * 2  # two rows, each wrong: stored and counted
    with db.transaction() as s:
        facts.rebuild(s)
    stored_counts(db)
    with db.transaction(readonly=True) as s:
        assert reports.summary(s, march).total.people_trained == 1


def test_a_check_of_a_whole_database_finds_nothing_after_the_upgrade(tmp_path: Path) -> None:
    """The upgrade to 0014 fills the counts from the facts."""
    from sqlalchemy.orm import Session

    db = world.database_at(str(tmp_path / "old.db"), "0012")
    with db.engine.begin() as conn:  # marks written before the facts existed
        s = Session(bind=conn)
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà", birth_date=date(1980, 1, 1))
        world.enrol(s, w, ha, [P, P])
    db.upgrade()
    assert (ALL_TOPICS, 202403, "in_person", 0, 0, 1) in stored_counts(db)
    db.close()

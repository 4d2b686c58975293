"""The previous months of the training facts (prev_month per mode, prev_any across modes)
that let the report count each person once without a DISTINCT; kept right by every
recount, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.db import Database
from app.services import attendance, reports
from app.services.reports import ReportFilter
from models import ALL_TOPICS, CourseStatus, SessionMode, SessionTopic, TrainingFact
from models import Session as CourseSession
from tests.app import world
from tests.app.test_facts import agree


@pytest.fixture
def months(db: Database):  # type: ignore[no-untyped-def]
    """Hà present in January (in person, the topic), March (online) and April (in person,
    the topic) 2025; Bình in March, online and in person."""
    with db.transaction() as s:
        w = world.build(s)
        course = world.course(s, "KNS-2025-01", date(2025, 1, 1), date(2025, 4, 30),
                              status=CourseStatus.OPEN)  # fmt: skip
        sessions = {
            day: world.session(s, course, datetime(2025, month, day, 8))
            for month, day in ((1, 10), (3, 5), (3, 12), (4, 8))
        }
        s.get_one(CourseSession, sessions[5]).mode = SessionMode.ONLINE
        s.add_all(SessionTopic(session_id=sessions[d], topic_id=w.topic) for d in (10, 8))
        ha = world.person(s, "Nguyễn Thị Hà")
        binh = world.person(s, "Trần Văn Bình")
        enr = {p: world.enrolment(s, course, p) for p in (ha, binh)}
    with db.transaction() as s:
        for person, days in ((ha, (10, 5, 8)), (binh, (5, 12))):
            for day in days:
                attendance.mark(s, course, sessions[day], enr[person], "present")
    return db, w, course, sessions, ha, enr


def _prev(db: Database, person: int) -> set[tuple]:  # type: ignore[type-arg]
    tf = TrainingFact
    with db.transaction(readonly=True) as s:
        q = select(tf.month, tf.mode, tf.prev_month, tf.prev_any).where(
            tf.person_id == person, tf.topic_id == ALL_TOPICS
        )
        return {tuple(r) for r in s.execute(q)}


def _trained(db: Database, start: date, end: date) -> int:
    with db.transaction(readonly=True) as s:
        return reports.people_trained_count(s, ReportFilter(start, end))


def test_each_row_knows_the_persons_previous_month(months) -> None:  # type: ignore[no-untyped-def]
    db, _w, _course, _sessions, ha, _enr = months
    agree(db)
    assert _prev(db, ha) == {
        (202501, "in_person", 0, 0),
        (202503, "online", 0, 202501),
        (202504, "in_person", 202501, 202503),
    }


def test_a_person_of_months_1_3_4_is_counted_once(months) -> None:  # type: ignore[no-untyped-def]
    db, w, _course, _sessions, _ha, _enr = months
    assert _trained(db, date(2025, 2, 1), date(2025, 4, 30)) == 2  # Hà once, Bình once
    assert _trained(db, date(2025, 1, 1), date(2025, 1, 31)) == 1
    assert _trained(db, date(2025, 2, 1), date(2025, 2, 28)) == 0
    assert _trained(db, date(2025, 1, 1), date(2025, 12, 31)) == 2
    # Months covered in part: Hà's January day and the whole months after it, once.
    assert _trained(db, date(2025, 1, 5), date(2025, 4, 30)) == 2
    assert _trained(db, date(2025, 1, 5), date(2025, 3, 10)) == 2
    assert _trained(db, date(2025, 1, 11), date(2025, 3, 4)) == 0
    # April after the 8th has no mark: its facts serve for 1–20 April, not for 9–20 April.
    assert _trained(db, date(2025, 2, 1), date(2025, 4, 20)) == 2
    assert _trained(db, date(2025, 4, 1), date(2025, 4, 20)) == 1
    assert _trained(db, date(2025, 4, 9), date(2025, 4, 20)) == 0
    assert _trained(db, date(2025, 3, 6), date(2025, 4, 20)) == 2  # Bình on the 12th
    assert _trained(db, date(2025, 3, 13), date(2025, 4, 20)) == 1
    with db.transaction(readonly=True) as s:
        f = ReportFilter(date(2025, 2, 1), date(2025, 4, 30))
        summary = reports.summary(s, f)
        assert summary.by_mode["in_person"].people_trained == 2  # Hà in April, Bình
        assert summary.by_mode["online"].people_trained == 2
        assert summary.total.people_trained == 2
        whole = ReportFilter(date(2025, 1, 1), date(2025, 4, 30))
        assert [(m.key, m.count) for m in reports.per_month(s, whole)] == [
            ("2025-01", 1), ("2025-02", 0), ("2025-03", 2), ("2025-04", 1),
        ]  # fmt: skip
        assert [(t.key, t.count) for t in reports.by_topic(s, whole)] == [(w.topic, 1)]
        assert [(t.key, t.count) for t in reports.by_topic(s, f)] == [(w.topic, 1)]


def test_the_recount_moves_the_previous_months(months) -> None:  # type: ignore[no-untyped-def]
    db, _w, course, sessions, ha, enr = months
    with db.transaction() as s:  # January's mark cleared: March and April lose their past
        attendance.mark(s, course, sessions[10], enr[ha], None)
    agree(db)
    assert _prev(db, ha) == {(202503, "online", 0, 0), (202504, "in_person", 0, 202503)}
    assert _trained(db, date(2025, 1, 1), date(2025, 1, 31)) == 0
    assert _trained(db, date(2025, 2, 1), date(2025, 4, 30)) == 2
    with db.transaction() as s:  # marked again: as before
        attendance.mark(s, course, sessions[10], enr[ha], "present")
    agree(db)
    assert (202504, "in_person", 202501, 202503) in _prev(db, ha)

"""Two desks marking the same class at the same moment on the shared server (found by
bench/pg_desks.py's reasoning about its locks): whichever loses is told in Vietnamese
that nothing was written, never a database traceback; the winner's marks are stored.

On SQLite the second writer queues behind the first (BEGIN IMMEDIATE) and both save.
On PostgreSQL the second INSERT of the same (session, enrolment) once waited for the first
and then failed with a unique violation (IntegrityError: the crash dialog); now every
writer of a session's marks holds the session's row first, so the second desk waits, then
finds the first desk's mark and updates it, as on SQLite."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select, text

from app import facts
from app.db import Database
from app.errors import UserError
from app.services import attendance
from models import Attendance
from tests.app import world


@pytest.fixture
def klass(db: Database, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        w = world.build(s)
        people = [world.person(s, name) for name in ("Nguyễn Thị Hà", "Trần Văn Bình", "Lê Văn An")]
        enrolments = [world.enrol(s, w, pid, []) for pid in people]
    return db, w, enrolments


def wait_until_blocked(db: Database, other: threading.Thread) -> None:
    """Until the other desk's transaction waits on a lock (PostgreSQL), or a moment."""
    if db.is_sqlite:
        time.sleep(0.5)
        return
    deadline = time.monotonic() + 20
    with db.engine.connect() as conn:
        while time.monotonic() < deadline and other.is_alive():
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
            conn.rollback()
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the second desk never waited on the first")


def other_desk(db: Database, act: Callable) -> tuple[threading.Thread, list[BaseException]]:  # type: ignore[type-arg]
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with db.transaction() as s:
                act(s)
        except BaseException as exc:  # what would reach the window
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, failures


def settle(outcomes: list[BaseException]) -> None:
    """Every failure is a UserError saying in Vietnamese that nothing was written."""
    for exc in outcomes:
        assert isinstance(exc, UserError), f"{type(exc).__name__}: {exc}"
        assert "không ghi gì" in exc.message


def test_two_desks_marking_the_same_person_first_at_once(klass) -> None:  # type: ignore[no-untyped-def]
    db, w, (ha, _binh, _an) = klass
    sid = w.sessions[0]
    mine: list[BaseException] = []
    try:
        with db.transaction() as s:
            attendance.mark(s, w.course, sid, ha, "present")  # the trainer's scan, not saved yet
            thread, theirs = other_desk(
                db, lambda s2: attendance.mark(s2, w.course, sid, ha, "late")
            )  # the office marks her too
            wait_until_blocked(db, thread)
    except BaseException as exc:
        mine.append(exc)
    thread.join(30)
    settle(mine + theirs)
    assert len(mine + theirs) <= 1
    with db.transaction(readonly=True) as s:
        rows = s.scalars(select(Attendance).where(Attendance.session_id == sid)).all()
    assert len(rows) == 1
    assert rows[0].status.value == ("present" if theirs else "late")


def test_two_desks_pressing_all_present_for_one_session(klass) -> None:  # type: ignore[no-untyped-def]
    """ "Cả buổi có mặt" at two desks for the same session: the second waits for the first
    and finds the marks it was about to add already there."""
    db, w, enrolments = klass
    sid = w.sessions[0]
    mine: list[BaseException] = []
    try:
        with db.transaction() as s:
            assert attendance.mark_all_present(s, w.course, sid) == 3
            thread, theirs = other_desk(
                db, lambda s2: attendance.mark_all_present(s2, w.course, sid)
            )
            wait_until_blocked(db, thread)
    except BaseException as exc:
        mine.append(exc)
    thread.join(30)
    settle(mine + theirs)
    assert not mine
    with db.transaction(readonly=True) as s:
        stored = sorted(
            (a.enrolment_id, a.status.value)
            for a in s.scalars(select(Attendance).where(Attendance.session_id == sid))
        )
    assert stored == [(e, "present") for e in sorted(enrolments)]


def test_two_desks_marking_two_sessions_in_opposite_orders(klass) -> None:  # type: ignore[no-untyped-def]
    """Desk 1 marks session 1 then 2, desk 2 session 2 then 1, at the same moment: on
    PostgreSQL each waits for the other and the server gives one of them up. That desk is
    told in Vietnamese that nothing was written (not "DeadlockDetected"); the other's
    marks are stored whole, and the figures still agree with the marks."""
    db, w, (ha, binh, _an) = klass
    if db.is_sqlite:
        pytest.skip("SQLite queues whole write transactions: no two hold a lock at once")
    first, second = w.sessions[0], w.sessions[1]
    mine: list[BaseException] = []

    def theirs_act(s2) -> None:  # type: ignore[no-untyped-def]
        attendance.mark(s2, w.course, second, binh, "present")
        other_ready.set()
        mine_ready.wait(20)
        attendance.mark(s2, w.course, first, binh, "present")

    other_ready, mine_ready = threading.Event(), threading.Event()
    thread, theirs = other_desk(db, theirs_act)
    try:
        with db.transaction() as s:
            attendance.mark(s, w.course, first, ha, "present")
            assert other_ready.wait(20)
            mine_ready.set()
            attendance.mark(s, w.course, second, ha, "late")
    except BaseException as exc:
        mine.append(exc)
    thread.join(30)
    settle(mine + theirs)
    assert len(mine + theirs) == 1  # the server gave exactly one up
    winner = binh if mine else ha
    with db.transaction(readonly=True) as s:
        stored = sorted(
            (a.session_id, a.enrolment_id)
            for a in s.scalars(select(Attendance).where(Attendance.session_id.in_([first, second])))
        )
        assert stored == sorted([(first, winner), (second, winner)])
        assert facts.differences(s) == 0

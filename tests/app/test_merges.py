"""Merging two records of one person, and undoing it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.db import Database
from app.services import merges, people
from models import Attendance, AttendanceStatus, Enrolment, Person, TeamMembership
from tests.app import world

P, L, A, E = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)


def state(s, person_ids: list[int]) -> dict:  # type: ignore[no-untyped-def]
    """Everything a merge may touch, to compare before and after an undo."""
    out = {}
    for pid in person_ids:
        p = s.get_one(Person, pid)
        out[pid] = (
            p.citizen_id,
            p.phone,
            p.archived_at is None,
            p.merged_into_id,
            sorted(
                (e.course_id, e.pre_score, e.post_score)
                for e in s.scalars(select(Enrolment).where(Enrolment.person_id == pid))
            ),
            sorted(
                (a.session_id, a.status.value)
                for a in s.scalars(
                    select(Attendance).join(Enrolment).where(Enrolment.person_id == pid)
                )
            ),
            sorted(
                m.team_id
                for m in s.scalars(select(TeamMembership).where(TeamMembership.person_id == pid))
            ),
        )
    return out


@pytest.fixture
def walk_in(db: Database):  # type: ignore[no-untyped-def]
    """Registered as one record, walked in on day 2 and was typed in again."""
    with db.transaction() as s:
        w = world.build(s)
        kept = world.person(s, "Nguyễn Thị Hà", birth_date=date(1986, 5, 2))
        dropped = world.person(s, "Nguyễn Thị Hà", citizen_id="083186000123", phone="0903111222")
        world.enrol(s, w, kept, [P, A, None], pre=5)
        world.enrol(s, w, dropped, [None, L, P], post=8.5)
        world.member(s, w, dropped)
    return db, w, kept, dropped


def test_merge_moves_history_and_combines_a_double_enrolment(walk_in) -> None:  # type: ignore[no-untyped-def]
    db, w, kept, dropped = walk_in
    with db.transaction(readonly=True) as s:
        before = state(s, [kept, dropped])
    with db.transaction() as s:
        result = merges.merge(s, kept, dropped)
    assert result.kept_name == "Nguyễn Thị Hà"
    with db.transaction(readonly=True) as s:
        k = s.get_one(Person, kept)
        assert (k.citizen_id, k.phone, k.birth_date) == (
            "083186000123",
            "0903111222",
            date(1986, 5, 2),
        )
        marks = state(s, [kept])[kept][5]
        assert marks == [
            (w.sessions[0], "present"),
            (w.sessions[1], "late"),
            (w.sessions[2], "present"),
        ]
        (enrolment,) = s.scalars(select(Enrolment).where(Enrolment.person_id == kept))
        assert (enrolment.pre_score, enrolment.post_score) == (5, 8.5)
        assert state(s, [kept])[kept][6] == [w.team]
        d = s.get_one(Person, dropped)
        assert d.merged_into_id == kept and d.archived_at is not None
        assert people.count(s) == 1  # the dropped record left the lists but not the database
    with db.transaction() as s:
        assert merges.undoable(s) is not None
        merges.undo_last(s)
    with db.transaction(readonly=True) as s:
        assert state(s, [kept, dropped]) == before
        assert merges.undoable(s) is None


def test_only_the_latest_merge_can_be_undone(walk_in) -> None:  # type: ignore[no-untyped-def]
    db, _w, kept, dropped = walk_in
    with db.transaction() as s:
        third = world.person(s, "Nguyễn Thị Hà")
        merges.merge(s, kept, dropped)
        merges.merge(s, kept, third)
        merges.undo_last(s)
    with pytest.raises(merges.MergeRefused) as err, db.transaction() as s:
        merges.undo_last(s)
    assert "chỉ hoàn tác được lần gộp gần nhất" in str(err.value)


def test_undo_refuses_when_data_changed_since_and_changes_nothing(walk_in) -> None:  # type: ignore[no-untyped-def]
    db, _w, kept, dropped = walk_in
    with db.transaction() as s:
        merges.merge(s, kept, dropped)
    with db.transaction() as s:
        s.get_one(Person, kept).phone = "0868000111"
    with db.transaction(readonly=True) as s:
        before = state(s, [kept, dropped])
    with pytest.raises(merges.MergeRefused) as err, db.transaction() as s:
        merges.undo_last(s)
    assert "đã được sửa sau khi gộp" in str(err.value)
    with db.transaction(readonly=True) as s:
        assert state(s, [kept, dropped]) == before


def test_merge_refuses_same_or_already_merged(walk_in) -> None:  # type: ignore[no-untyped-def]
    db, _w, kept, dropped = walk_in
    with pytest.raises(merges.MergeRefused), db.transaction() as s:
        merges.merge(s, kept, kept)
    with db.transaction() as s:
        merges.merge(s, kept, dropped)
    with pytest.raises(merges.MergeRefused) as err, db.transaction() as s:
        merges.merge(s, dropped, kept)
    assert "đã được gộp" in str(err.value)

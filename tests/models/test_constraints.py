"""The schema keeps the record true, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.db import Database
from app.errors import EditConflict
from app.services import audit
from app.vn import names
from models import (
    Attendance,
    AttendanceStatus,
    AuditEntry,
    Certificate,
    Course,
    Enrolment,
    Person,
    Session,
)


def person(full: str, **kw: object) -> Person:
    parts = names.split(full)
    return Person(
        full_name=parts.full,
        family_name=parts.family,
        middle_name=parts.middle,
        given_name=parts.given,
        sort_key=names.sort_key(parts),
        search_key=names.search_key(full),
        **kw,
    )


def course(code: str = "TH-2026-001") -> Course:
    return Course(
        code=code,
        title="Tập huấn kỹ năng số",
        organiser="Sở Khoa học và Công nghệ tỉnh Vĩnh Long",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 6),
    )


@pytest.fixture
def attended(db: Database) -> dict[str, int]:
    """A person with an enrolment, a session and an attendance mark."""
    with db.transaction() as s:
        p, c = person("Nguyễn Thị Thanh Hà", citizen_id="083186000123"), course()
        s.add_all([p, c])
        s.flush()
        sess = Session(
            course_id=c.id,
            starts_at=datetime(2026, 3, 2, 7, 30),
            ends_at=datetime(2026, 3, 2, 11, 0),
        )
        e = Enrolment(course_id=c.id, person_id=p.id, pre_score=4.5)
        s.add_all([sess, e])
        s.flush()
        a = Attendance(session_id=sess.id, enrolment_id=e.id, status=AttendanceStatus.PRESENT)
        s.add(a)
        s.flush()
        return {"person": p.id, "course": c.id, "session": sess.id, "enrolment": e.id}


def test_citizen_id_is_unique(db: Database, attended: dict[str, int]) -> None:
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(person("Trần Văn An", citizen_id="083186000123"))
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 1


@pytest.mark.parametrize("model", [Person, Session, Enrolment, Course])
def test_deleting_a_parent_never_removes_attendance(
    db: Database, attended: dict[str, int], model: type
) -> None:
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.execute(delete(model))
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Attendance)) == 1
        assert s.scalar(select(Enrolment.pre_score)) == 4.5


def test_scores_and_dates_are_checked(db: Database, attended: dict[str, int]) -> None:
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.get_one(Enrolment, attended["enrolment"]).post_score = 101
    with pytest.raises(IntegrityError), db.transaction() as s:
        c = course("TH-2026-002")
        c.end_date = date(2026, 1, 1)
        s.add(c)
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(
            Session(
                course_id=attended["course"],
                starts_at=datetime(2026, 3, 3, 9),
                ends_at=datetime(2026, 3, 3, 8),
            )
        )


def test_one_attendance_per_session_and_enrolment(db: Database, attended: dict[str, int]) -> None:
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(
            Attendance(
                session_id=attended["session"],
                enrolment_id=attended["enrolment"],
                status=AttendanceStatus.ABSENT,
            )
        )


def test_revoked_certificate_needs_a_reason(db: Database, attended: dict[str, int]) -> None:
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(
            Certificate(
                serial="CN-2026-00001",
                verification_code="ABCD1234",
                enrolment_id=attended["enrolment"],
                person_id=attended["person"],
                course_id=attended["course"],
                status="revoked",
                issued_on=date(2026, 3, 6),
                issued_by="admin",
                snapshot={},
            )
        )


def test_concurrent_edit_is_a_conflict_not_a_lost_update(
    db: Database, attended: dict[str, int]
) -> None:
    with db.transaction() as s1:
        first = s1.get_one(Person, attended["person"])
        with db.transaction(readonly=True) as s2:
            stale = s2.get_one(Person, attended["person"])
            s2.expunge(stale)
        first.phone = "0903111222"
    with pytest.raises(EditConflict, match="vừa được người khác lưu"), db.transaction() as s3:
        stale = s3.merge(stale, load=False)
        stale.phone = "0939222333"
    with db.transaction() as s:
        assert s.get_one(Person, attended["person"]).phone == "0903111222"


def test_audit_entry_commits_and_rolls_back_with_the_write(
    db: Database, attended: dict[str, int]
) -> None:
    with db.transaction() as s:
        p = s.get_one(Person, attended["person"])
        before = audit.snapshot(p, ["phone"])
        p.phone = "0903111222"
        audit.record(s, "person.edit", p, before=before, after=audit.snapshot(p, ["phone"]))
    with pytest.raises(RuntimeError), db.transaction() as s:
        p = s.get_one(Person, attended["person"])
        p.phone = "0939222333"
        audit.record(s, "person.edit", p, after={"phone": p.phone})
        raise RuntimeError("the user's action failed midway")
    with db.transaction() as s:
        entries = s.scalars(select(AuditEntry)).all()
        assert [(e.action, e.entity, e.before, e.after) for e in entries] == [
            ("person.edit", "people", {"phone": None}, {"phone": "0903111222"})
        ]
        assert s.get_one(Person, attended["person"]).phone == "0903111222"

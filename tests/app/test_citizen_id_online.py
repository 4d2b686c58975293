"""Online completions match anyone in the register by citizen ID (issue 13, item 5): for a
staff account each number is a lookup, recorded and budgeted like a search; a file of
guesses at one person's hidden digits is refused before anything is shown, and a match
by citizen ID never tells staff whose the number is. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.services import outcomes
from app.services.access import Forbidden
from app.services.citizen_id_lookups import ACTION
from models import AuditEntry, Course, Enrolment, Person
from tests.app import sheets
from tests.app.test_citizen_id_lookups import NAME, STAFF, TARGET, guess, register  # noqa: F401


@pytest.fixture
def online(register: Database) -> tuple[Database, int]:  # noqa: F811
    with register.transaction() as s:
        course = Course(
            code="OT-2026-001", title="Kỹ năng số cơ bản (OneTouch)",
            organiser="Cục Chuyển đổi số quốc gia", start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31), is_online=True, pass_score=5,
        )  # fmt: skip
        s.add(course)
        s.flush()
        return register, course.id


def completions(path: Path, rows: list[list[object]]) -> Path:
    return sheets.simple_workbook(path, ["Họ tên", "Số CCCD", "Ngày hoàn thành", "Điểm"], rows)


def recorded(db: Database) -> list[tuple[int | None, bool, bool]]:
    with db.transaction(readonly=True) as s:
        return [
            (e.entity_id, e.after["khop"], e.after["tinh"])
            for e in s.scalars(select(AuditEntry).where(AuditEntry.action == ACTION))
        ]


def test_guessing_through_online_completions_is_refused_and_on_record(
    online: tuple[Database, int], tmp_path: Path
) -> None:
    db, cid = online
    path = completions(
        tmp_path / "p3.xlsx", [[NAME, guess(mid), "12/05/2026", 9] for mid in range(100)]
    )
    with pytest.raises(Forbidden) as err, db.transaction(readonly=True) as s:
        outcomes.plan_scores(s, cid, path, online=True)
    assert "đã thử quá nhiều số CCCD hôm nay" in str(err.value)
    assert len(recorded(db)) == 100  # every number tested, though nothing was shown
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Enrolment)) == 0


def test_a_completion_matched_by_citizen_id_keeps_the_name_the_file_gave(
    online: tuple[Database, int], tmp_path: Path
) -> None:
    db, cid = online
    path = completions(tmp_path / "ot.xlsx", [["Nguyễn Văn Lạ", TARGET, "12/05/2026", 9]])
    with db.transaction(readonly=True) as s:
        plan = outcomes.plan_scores(s, cid, path, online=True)
        target_id = s.scalar(select(Person.id).where(Person.citizen_id == TARGET))
    assert [(x.name, x.person_id is not None) for x in plan.lines] == [("Nguyễn Văn Lạ", True)]
    assert recorded(db) == [(target_id, True, True)]  # another name: counted
    db.actor = None  # an administrator sees the person matched
    with db.transaction(readonly=True) as s:
        plan = outcomes.plan_scores(s, cid, path, online=True)
    assert [x.name for x in plan.lines] == [NAME]
    db.actor = STAFF
    path = completions(tmp_path / "dung.xlsx", [[NAME, TARGET, "12/05/2026", 9]])
    with db.transaction() as s:  # the right person under their own name: goes through
        plan = outcomes.plan_scores(s, cid, path, online=True)
        assert outcomes.apply_scores(s, cid, plan, online=True) == 1

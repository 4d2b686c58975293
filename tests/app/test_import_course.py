"""Import with a course: the people are enrolled by the rules of `enrol` (closed courses
refused, capacity kept with a waitlist, those who withdrew named), and the output says
how many went where."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.services import enrolment, imports
from models import Course, CourseStatus, Enrolment, EnrolmentStatus, Person
from tests.app import sheets, world
from tests.app.clirun import run

PEOPLE = [
    ["Nguyễn Văn Nam", "1970", "0918000201"],
    ["Lê Thị Nữ", "1985", "0918000202"],
    ["Trần Văn Ba", "1990", "0918000203"],
]


def roster(tmp_path: Path) -> Path:
    return sheets.simple_workbook(tmp_path / "lop.xlsx", ["Họ và tên", "Năm sinh", "SĐT"], PEOPLE)


def statuses(db: Database, course_id: int) -> dict[str, str]:
    with db.transaction(readonly=True) as s:
        return {
            name: status.value
            for name, status in s.execute(
                select(Person.full_name, Enrolment.status)
                .join(Enrolment, Enrolment.person_id == Person.id)
                .where(Enrolment.course_id == course_id)
            )
        }


def people_count(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


@pytest.mark.parametrize(
    ("status", "said"), [(CourseStatus.FINISHED, "đã kết thúc"), (CourseStatus.CANCELLED, "đã hủy")]
)
def test_a_closed_course_is_refused_and_nothing_written(
    db: Database, tmp_path: Path, status: CourseStatus, said: str
) -> None:
    with db.transaction() as s:
        w = world.build(s)
        s.get_one(Course, w.course).status = status
    with pytest.raises(imports.ImportFailed) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, roster(tmp_path)), course_code="TH-2024-001")
    assert str(err.value).startswith(
        f"Khóa học TH-2024-001 {said}: không ghi danh thêm được. Không ghi gì"
    )
    assert people_count(db) == 0
    assert statuses(db, w.course) == {}


def test_past_capacity_people_join_the_waitlist(db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        w = world.build(s)
        s.get_one(Course, w.course).capacity = 2
    with db.transaction() as s:
        summary = imports.apply(s, imports.plan(s, roster(tmp_path)), course_code="TH-2024-001")
    assert statuses(db, w.course) == {
        "Nguyễn Văn Nam": "registered",
        "Lê Thị Nữ": "registered",
        "Trần Văn Ba": "waitlisted",
    }
    assert (
        "Khóa học TH-2024-001: Ghi danh 2 người, 1 người vào danh sách chờ (đã đủ sĩ số)."
        in summary.describe()
    )


def test_those_already_in_and_those_who_withdrew_are_reported(db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        w = world.build(s)
        nam = world.person(s, "Nguyễn Văn Nam", phone="0918000201")
        nu = world.person(s, "Lê Thị Nữ", phone="0918000202")
        enrolment.enrol(s, w.course, [nam, nu])
        withdrawn = s.scalars(select(Enrolment).where(Enrolment.person_id == nu)).one()
        enrolment.withdraw(s, withdrawn.id)
    with db.transaction() as s:
        summary = imports.apply(s, imports.plan(s, roster(tmp_path)), course_code="TH-2024-001")
    assert summary.enrolment is not None
    assert (summary.enrolment.result.registered, summary.enrolment.result.already) == (2, 1)
    assert summary.enrolment.result.rejoined == 1
    assert (
        "Khóa học TH-2024-001: Ghi danh 2 người; 1 người đã có trong lớp, giữ nguyên; trong "
        "đó 1 người đã rút khỏi khóa trước đây, nay được ghi danh lại." in summary.describe()
    )
    assert statuses(db, w.course) == {
        "Nguyễn Văn Nam": EnrolmentStatus.REGISTERED.value,
        "Lê Thị Nữ": EnrolmentStatus.REGISTERED.value,
        "Trần Văn Ba": EnrolmentStatus.REGISTERED.value,
    }


def test_the_cli_refuses_a_finished_course_with_exit_3(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite_db.transaction() as s:
        w = world.build(s)
        s.get_one(Course, w.course).status = CourseStatus.FINISHED
    code, _out, err = run(
        capsys,
        "--db",
        str(sqlite_db.path),
        "import",
        "people",
        str(roster(tmp_path)),
        "--course",
        "TH-2024-001",
    )
    assert code == 3
    assert "Khóa học TH-2024-001 đã kết thúc: không ghi danh thêm được. Không ghi gì" in err
    assert people_count(sqlite_db) == 0

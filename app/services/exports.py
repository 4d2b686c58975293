"""People, team members and course participants, as tables for Excel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import labels
from app.documents.table_export import Column, write_table
from app.errors import InvalidValue, UserError
from app.files import write_atomic
from app.services import access, audit, people, teams
from app.services.people import ATTENDED, PeopleFilter
from app.services.units import unit_labels
from app.vn.ids import mask_citizen_id
from models import Attendance, Course, Enrolment, Person, Team

BATCH = 1_000


def _birth(row: people.PersonRow) -> Any:
    if row.birth_date is None:
        return None
    return row.birth_date.year if row.birth_year_only else row.birth_date


def _cid(value: str | None, unmask: bool) -> str | None:
    return value if unmask else (mask_citizen_id(value) or None)


PEOPLE_COLUMNS = [
    Column("Họ và tên", width=28),
    Column("Ngày sinh", "date", 12),
    Column("Giới tính", width=9),
    Column("Số CCCD", "code", 15),
    Column("Số điện thoại", "code", 14),
    Column("Đơn vị hành chính", width=30),
    Column("Đơn vị công tác", width=28),
    Column("Chức vụ", width=22),
    Column("Tổ CNSCĐ", width=30),
    Column("Số khóa đã học", "number", 10),
]


def _may_export(s: Session, unmask: bool, reason: str | None) -> None:
    """Masked IDs for export rights; full ones for administrators, with a reason."""
    access.require(s, "unmask" if unmask else "export")
    if unmask and not (reason and reason.strip()):
        raise InvalidValue(
            "Hãy ghi lý do xuất đủ số CCCD (ví dụ: đối chiếu hồ sơ theo yêu cầu của Sở)."
        )


def _disclosed(s: Session, action: str, count: int, path: Path, unmask: bool,
               reason: str | None, entity: str = "people", entity_id: int | None = None) -> None:  # fmt: skip
    note = f"{count} dòng vào {path.name}"
    if unmask:
        note += f"; đủ số CCCD, lý do: {reason}"
    audit.disclosed(s, action, note, entity, entity_id)


def people_rows(s: Session, f: PeopleFilter, unmask: bool = False) -> Iterator[list[Any]]:
    """Rows to write; the caller checks the role first (a generator checks too late)."""
    ids = people.ids_matching(s, f)
    for start in range(0, len(ids), BATCH):
        for r in people.rows_for(s, ids[start : start + BATCH]):
            yield [
                r.full_name,
                _birth(r),
                labels.GENDER.get(r.gender or "", ""),
                _cid(r.citizen_id, unmask),
                r.phone,
                r.unit,
                r.workplace,
                r.position,
                r.teams,
                r.courses_attended,
            ]


def export_people(
    s: Session,
    path: Path,
    f: PeopleFilter | None = None,
    unmask: bool = False,
    reason: str | None = None,
) -> int:
    """People matching the filter, in Vietnamese order, to .xlsx or .csv."""
    _may_export(s, unmask, reason)
    count = write_table(
        path, "Học viên", PEOPLE_COLUMNS, people_rows(s, f or PeopleFilter(), unmask)
    )
    _disclosed(s, "export.people", count, path, unmask, reason)
    return count


MEMBER_COLUMNS = [
    Column("Họ và tên", width=28),
    Column("Vai trò", width=12),
    Column("Thành phần", width=22),
    Column("Ngày vào tổ", "date", 12),
    Column("Ngày rời tổ", "date", 12),
    Column("Số điện thoại", "code", 14),
    Column("Số CCCD", "code", 15),
    Column("Đã tập huấn", width=11),
]


def export_team(
    s: Session, team_id: int, path: Path, unmask: bool = False, reason: str | None = None
) -> int:
    """A team's members (including those who left) to .xlsx or .csv."""
    _may_export(s, unmask, reason)
    team = s.get(Team, team_id)
    if team is None:
        raise UserError(f"Không có tổ mã {team_id}.")
    members = teams.members(s, team_id, include_left=True)
    cids = {
        pid: cid
        for pid, cid in s.execute(
            select(Person.id, Person.citizen_id).where(
                Person.id.in_([m.person_id for m in members])
            )
        )
    }
    rows = (
        [
            m.full_name,
            labels.TEAM_ROLE[m.role],
            labels.MEMBER_KIND[m.kind],
            m.joined_on,
            m.left_on,
            m.phone,
            _cid(cids.get(m.person_id), unmask),
            "Có" if m.trained else "Chưa",
        ]
        for m in members
    )
    count = write_table(path, team.name[:31], MEMBER_COLUMNS, rows)
    _disclosed(s, "export.team", count, path, unmask, reason, "teams", team_id)
    return count


COURSE_COLUMNS = [
    Column("Họ và tên", width=28),
    Column("Ngày sinh", "date", 12),
    Column("Giới tính", width=9),
    Column("Số CCCD", "code", 15),
    Column("Số điện thoại", "code", 14),
    Column("Đơn vị hành chính", width=30),
    Column("Đơn vị công tác", width=28),
    Column("Trạng thái", width=16),
    Column("Điểm đầu vào", "number", 11),
    Column("Điểm đầu ra", "number", 11),
    Column("Số buổi có mặt", "number", 11),
]


def export_course(
    s: Session, code: str, path: Path, unmask: bool = False, reason: str | None = None
) -> int:
    """A course's participants, in Vietnamese order, to .xlsx or .csv."""
    _may_export(s, unmask, reason)
    course = s.scalar(select(Course).where(Course.code == code.strip()))
    if course is None:
        raise UserError(f"Không có khóa học mã “{code}”.")
    present = (
        select(func.count())
        .select_from(Attendance)
        .where(Attendance.enrolment_id == Enrolment.id, Attendance.status.in_(ATTENDED))
        .scalar_subquery()
    )
    result = s.execute(
        select(Enrolment, Person, present)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.course_id == course.id)
        .order_by(Person.sort_key, Person.id)
    ).all()
    units = unit_labels(s, {p.unit_id for _, p, _ in result})
    rows = (
        [
            p.full_name,
            (p.birth_date.year if p.birth_year_only else p.birth_date) if p.birth_date else None,
            labels.GENDER.get(p.gender.value if p.gender else "", ""),
            _cid(p.citizen_id, unmask),
            p.phone,
            units.get(p.unit_id, "") if p.unit_id else "",
            p.workplace,
            labels.ENROLMENT_STATUS[e.status.value],
            e.pre_score,
            e.post_score,
            n,
        ]
        for e, p, n in result
    )
    count = write_table(path, course.code, COURSE_COLUMNS, rows)
    _disclosed(s, "export.course", count, path, unmask, reason, "courses", course.id)
    return count


def export_ics(
    s: Session, path: Path, course_code: str | None = None, trainer_id: int | None = None
) -> int:
    """A course's or a trainer's sessions as an .ics file; returns how many."""
    from datetime import date as _date

    from app.documents.ics import IcsEvent, render_ics
    from app.services import scheduling

    if (course_code is None) == (trainer_id is None):
        raise UserError("Hãy chọn một khóa học hoặc một giảng viên để xuất lịch.")
    if path.suffix.lower() != ".ics":
        raise UserError(f"Tệp lịch phải có đuôi .ics (không phải “{path.name}”).")
    if course_code is not None:
        course = s.scalar(select(Course).where(Course.code == course_code.strip()))
        if course is None:
            raise UserError(f"Không có khóa học mã “{course_code}”.")
        sessions = scheduling.course_sessions(s, course.id)
        name = f"{course.code} – {course.title}"
    else:
        assert trainer_id is not None
        access.require_own_schedule(s, trainer_id)  # before the person: no oracle
        trainer = s.get(Person, trainer_id)
        if trainer is None:
            raise UserError(f"Không có giảng viên mã {trainer_id}.")
        sessions = scheduling.between(
            s, _date(2000, 1, 1), _date(2100, 1, 1), trainer_id=trainer_id
        )
        name = f"Lịch giảng: {trainer.full_name}"
    events = [
        IcsEvent(
            uid=f"buoi-{x.id}@taphuan",
            starts_at=x.starts_at,
            ends_at=x.ends_at,
            summary=f"{x.course_code}: {x.title or x.course_title}",
            location=x.venue or ("Trực tuyến" if x.mode == "online" else ""),
            description="\n".join(
                part
                for part in (
                    x.course_title,
                    f"Giảng viên: {x.trainers}" if x.trainers else "",
                    f"Chủ đề: {x.topics}" if x.topics else "",
                )
                if part
            ),
            url=x.online_link or "",
        )
        for x in sessions
    ]
    if not path.parent.is_dir():
        raise UserError(f"Không có thư mục {path.parent}.")
    write_atomic(path, render_ics(events, name))
    return len(events)

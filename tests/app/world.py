"""A small, explicit world for service tests: units, a team, a course with sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.services import person_edit
from app.vn import names
from models import (
    Attendance,
    AttendanceStatus,
    Course,
    Enrolment,
    MemberKind,
    SessionTopic,
    Team,
    TeamMembership,
    TeamRole,
    Topic,
    Unit,
    UnitLevel,
    UnitLineage,
    UnitScheme,
)
from models import (
    Session as CourseSession,
)


@dataclass
class World:
    new_commune: int
    old_commune: int
    hamlet: int
    team: int
    course: int
    sessions: list[int]
    topic: int


def unit(
    s: Session,
    scheme: UnitScheme,
    level: UnitLevel,
    name: str,
    parent: int | None = None,
    code: str | None = None,
) -> int:
    u = Unit(
        scheme=scheme,
        level=level,
        code=code,
        name=name,
        kind=name.split()[0],
        parent_id=parent,
        search_key=names.fold(name),
    )
    s.add(u)
    s.flush()
    return u.id


def build(s: Session) -> World:
    province = unit(s, UnitScheme.Y2025, UnitLevel.PROVINCE, "Tỉnh Vĩnh Long", code="86")
    new_commune = unit(s, UnitScheme.Y2025, UnitLevel.COMMUNE, "Xã Đại Điền", province, "29194")
    old_district = unit(s, UnitScheme.PRE2025, UnitLevel.DISTRICT, "Huyện Thạnh Phú", code="837")
    old_commune = unit(
        s, UnitScheme.PRE2025, UnitLevel.COMMUNE, "Xã Tân Phong", old_district, "29200"
    )
    hamlet = unit(s, UnitScheme.PRE2025, UnitLevel.HAMLET, "Ấp Thạnh Hòa", old_commune)
    s.add(UnitLineage(predecessor_id=old_commune, successor_id=new_commune))
    team = Team(
        name="Tổ công nghệ số cộng đồng xã Tân Phong", level=UnitLevel.COMMUNE, unit_id=old_commune
    )
    course = Course(
        code="TH-2024-001",
        title="Tập huấn kỹ năng số",
        organiser="Sở TT&TT",
        start_date=date(2024, 3, 4),
        end_date=date(2024, 3, 6),
    )
    topic = Topic(code="VNEID", name="Ứng dụng VNeID và định danh điện tử")
    s.add_all([team, course, topic])
    s.flush()
    sessions = []
    for day in (4, 5, 6):
        cs = CourseSession(
            course_id=course.id,
            starts_at=datetime(2024, 3, day, 7, 30),
            ends_at=datetime(2024, 3, day, 11, 0),
        )
        s.add(cs)
        s.flush()
        sessions.append(cs.id)
    s.add(SessionTopic(session_id=sessions[0], topic_id=topic.id))
    s.flush()
    return World(new_commune, old_commune, hamlet, team.id, course.id, sessions, topic.id)


def person(s: Session, full_name: str, **fields: object) -> int:
    form = person_edit.PersonForm(full_name=names.validate(full_name), **fields)  # type: ignore[arg-type]
    return person_edit.create(s, form).id


def enrol(
    s: Session,
    w: World,
    person_id: int,
    marks: list[AttendanceStatus | None],
    pre: float | None = None,
    post: float | None = None,
) -> int:
    e = Enrolment(course_id=w.course, person_id=person_id, pre_score=pre, post_score=post)
    s.add(e)
    s.flush()
    for session_id, mark in zip(w.sessions, marks, strict=False):
        if mark is not None:
            s.add(Attendance(session_id=session_id, enrolment_id=e.id, status=mark))
    s.flush()
    return e.id


def member(s: Session, w: World, person_id: int) -> None:
    s.add(
        TeamMembership(
            team_id=w.team,
            person_id=person_id,
            role=TeamRole.MEMBER,
            kind=MemberKind.YOUTH_UNION,
            joined_on=date(2022, 5, 1),
        )
    )
    s.flush()

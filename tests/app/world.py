"""A small, explicit world for service tests: units, a team, a course with sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from app.db import Database
from app.services import person_edit
from app.vn import names
from models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    CertificateStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    MemberKind,
    SessionTopic,
    SessionTrainer,
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
    team_member(s, w.team, person_id)


def team(s: Session, unit_id: int, level: UnitLevel = UnitLevel.COMMUNE) -> int:
    """A team of its own for the unit (on a database seeded with the official units)."""
    t = Team(name=f"Tổ công nghệ số cộng đồng {unit_id}", level=level, unit_id=unit_id)
    s.add(t)
    s.flush()
    return t.id


def team_member(s: Session, team_id: int, person_id: int) -> None:
    s.add(
        TeamMembership(
            team_id=team_id,
            person_id=person_id,
            role=TeamRole.MEMBER,
            kind=MemberKind.YOUTH_UNION,
            joined_on=date(2022, 5, 1),
        )
    )
    s.flush()


def course(
    s: Session,
    code: str,
    start: date,
    end: date,
    status: CourseStatus = CourseStatus.PLANNED,
    min_enrolment: int | None = None,
) -> int:
    """A course of its own (the world's is in March 2024), on the given dates."""
    c = Course(code=code, title=f"Kỹ năng số {code}", organiser="Sở Khoa học và Công nghệ",
               start_date=start, end_date=end, status=status, min_enrolment=min_enrolment)  # fmt: skip
    s.add(c)
    s.flush()
    return c.id


def session(
    s: Session, course_id: int, starts_at: datetime, hours: float = 3.5, trainer: int | None = None
) -> int:
    """A session of a course, with its trainer if given."""
    cs = CourseSession(course_id=course_id, starts_at=starts_at,
                       ends_at=starts_at + timedelta(hours=hours))  # fmt: skip
    s.add(cs)
    s.flush()
    if trainer is not None:
        s.add(SessionTrainer(session_id=cs.id, person_id=trainer))
        s.flush()
    return cs.id


def enrolment(
    s: Session,
    course_id: int,
    person_id: int,
    status: EnrolmentStatus = EnrolmentStatus.REGISTERED,
    marks: dict[int, AttendanceStatus] | None = None,
) -> int:
    """Person in course with a status, and their marks by session id."""
    e = Enrolment(course_id=course_id, person_id=person_id, status=status)
    s.add(e)
    s.flush()
    for session_id, mark in (marks or {}).items():
        s.add(Attendance(session_id=session_id, enrolment_id=e.id, status=mark))
    s.flush()
    return e.id


def certificate(
    s: Session, enrolment_id: int, issued_on: date, serial: str, revoked: bool = False
) -> int:
    """A certificate row for an enrolment (valid, or revoked with a reason)."""
    e = s.get(Enrolment, enrolment_id)
    assert e is not None
    c = Certificate(
        serial=serial, verification_code=f"V{serial}", enrolment_id=e.id, person_id=e.person_id,
        course_id=e.course_id, issued_on=issued_on, issued_by="test", snapshot={},
        status=CertificateStatus.REVOKED if revoked else CertificateStatus.VALID,
        revoked_reason="Sai tên" if revoked else None,
        revoked_at=datetime.combine(issued_on, datetime.min.time()) if revoked else None,
    )  # fmt: skip
    s.add(c)
    s.flush()
    return c.id


def database_at(path: str, revision: str) -> Database:
    """A database file built by the migrations up to an older revision: where an upgrade
    test starts (its data written with plain sessions, as that revision's program would)."""
    from alembic import command

    from app.schema import alembic_config

    db = Database(path)
    cfg = alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()
    return db

"""Everything about one person: teams, courses, sessions, topics, scores, certificates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.services import access
from app.services.people import ATTENDED, PersonRow, get_person, rows_for
from models import (
    Attendance,
    Certificate,
    Course,
    Enrolment,
    SessionTopic,
    Team,
    TeamMembership,
    Topic,
)
from models import Session as CourseSession
from models.base import utcnow


@dataclass(frozen=True)
class MembershipLine:
    team: str
    role: str
    kind: str
    joined_on: date | None
    left_on: date | None


@dataclass(frozen=True)
class CourseLine:
    code: str
    title: str
    start_date: date
    end_date: date
    enrolment_status: str
    sessions_attended: int
    sessions_held: int
    pre_score: float | None
    post_score: float | None
    score_scale: int


@dataclass(frozen=True)
class CertificateLine:
    serial: str
    course_code: str
    issued_on: date
    status: str


@dataclass(frozen=True)
class PersonDetail:
    row: PersonRow
    memberships: list[MembershipLine] = field(default_factory=list)
    courses: list[CourseLine] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    certificates: list[CertificateLine] = field(default_factory=list)


def detail(s: Session, person_id: int) -> PersonDetail:
    """Teams, courses with sessions attended and scores, topics learned, certificates."""
    access.require(s, "people")
    get_person(s, person_id)
    row = rows_for(s, [person_id])[0]
    memberships = [
        MembershipLine(team.name, m.role.value, m.kind.value, m.joined_on, m.left_on)
        for m, team in s.execute(
            select(TeamMembership, Team)
            .join(Team, Team.id == TeamMembership.team_id)
            .where(TeamMembership.person_id == person_id)
            .order_by(TeamMembership.joined_on)
        )
    ]
    now = utcnow()
    held = (
        select(func.count())
        .select_from(CourseSession)
        .where(CourseSession.course_id == Course.id, CourseSession.starts_at <= now)
        .scalar_subquery()
    )
    present = (
        select(func.count())
        .select_from(Attendance)
        .where(Attendance.enrolment_id == Enrolment.id, Attendance.status.in_(ATTENDED))
        .scalar_subquery()
    )
    courses = [
        CourseLine(
            c.code,
            c.title,
            c.start_date,
            c.end_date,
            e.status.value,
            n_present,
            n_held,
            e.pre_score,
            e.post_score,
            c.score_scale,
        )
        for e, c, n_present, n_held in s.execute(
            select(Enrolment, Course, present, held)
            .join(Course, Course.id == Enrolment.course_id)
            .where(Enrolment.person_id == person_id)
            .order_by(Course.start_date.desc())
        )
    ]
    topics = list(
        s.scalars(
            select(Topic.name)
            .join(SessionTopic, SessionTopic.topic_id == Topic.id)
            .join(Attendance, Attendance.session_id == SessionTopic.session_id)
            .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
            .where(Enrolment.person_id == person_id, Attendance.status.in_(ATTENDED))
            .group_by(Topic.id, Topic.name, Topic.sort_order)
            .order_by(Topic.sort_order)
        )
    )
    course_alias = aliased(Course)
    certificates = [
        CertificateLine(cert.serial, code, cert.issued_on, cert.status.value)
        for cert, code in s.execute(
            select(Certificate, course_alias.code)
            .join(course_alias, course_alias.id == Certificate.course_id)
            .where(Certificate.person_id == person_id)
            .order_by(Certificate.issued_on)
        )
    ]
    return PersonDetail(row, memberships, courses, topics, certificates)

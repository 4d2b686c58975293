"""Counts for the shell's pages and status bar."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Attendance, Certificate, Course, Person, Team, Unit
from models import Session as CourseSession


@dataclass(frozen=True)
class Overview:
    people: int
    teams: int
    units: int
    courses: int
    sessions: int
    attendance: int
    certificates: int


def counts(s: Session) -> Overview:
    """How many of each record the database holds."""

    def n(model: type) -> int:
        return s.scalar(select(func.count()).select_from(model)) or 0

    return Overview(
        people=s.scalar(select(func.count()).where(Person.archived_at.is_(None))) or 0,
        teams=n(Team),
        units=n(Unit),
        courses=n(Course),
        sessions=n(CourseSession),
        attendance=n(Attendance),
        certificates=n(Certificate),
    )

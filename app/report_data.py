"""The report's data: what the report queries (app.services.reports) build and what the
report's documents (app.documents.report, app.documents.charts) draw. Plain frozen
dataclasses, so the documents never import a service, the ORM or SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MODES = ("in_person", "online")


@dataclass(frozen=True)
class ReportFilter:
    start: date
    end: date
    unit_id: int | None = None  # people living or working in this unit or below it
    roll_up: bool = False  # also the old units this one succeeded


@dataclass(frozen=True)
class Figures:
    people_trained: int = 0
    courses: int = 0
    sessions: int = 0
    attendance_rate: float | None = None  # present or late / all marks
    completion_rate: float | None = None  # completed / (completed + not completed)
    certificates: int = 0


@dataclass(frozen=True)
class Summary:
    by_mode: dict[str, Figures]
    total: Figures


@dataclass(frozen=True)
class CountRow:
    key: int | str | None
    label: str
    count: int


@dataclass(frozen=True)
class CoverageRow:
    level: str
    members: int
    trained: int

    @property
    def percent(self) -> float | None:
        return 100 * self.trained / self.members if self.members else None


@dataclass(frozen=True)
class CourseFigures:
    course_id: int
    code: str
    mode: str  # of the sessions counted here
    sessions: int
    present: int  # present or late marks
    marked: int

    @property
    def attendance_rate(self) -> float | None:
        return rate(self.present, self.marked)


def rate(part: int | None, whole: int | None) -> float | None:
    return round(100 * (part or 0) / whole, 1) if whole else None


@dataclass(frozen=True)
class CourseResult:
    """A course that ended in the period: its attendance over all its sessions, its
    completion, and the mean pre/post scores of those who sat both (on a scale of 10)."""

    course_id: int
    code: str
    title: str
    end_date: date
    online: bool
    present: int
    marked: int
    completed: int
    finished: int  # completed + not completed
    pre: float | None
    post: float | None
    scored: int  # people with both scores

    @property
    def attendance_rate(self) -> float | None:
        return rate(self.present, self.marked)

    @property
    def completion_rate(self) -> float | None:
        return rate(self.completed, self.finished)


@dataclass(frozen=True)
class PersonLine:
    person_id: int
    full_name: str
    birth_date: date | None
    unit: str
    sessions: int  # sessions attended (present or late) in the period, of those counted


@dataclass(frozen=True)
class Dashboard:
    filter: ReportFilter
    summary: Summary
    months: list[CountRow]
    communes: list[CountRow]
    topics: list[CountRow]
    courses: list[CourseResult]
    coverage: list[CoverageRow]
    timings: dict[str, float]  # ms per query (bench/report_queries.py prints them)
    course_count: int = 0  # courses ending in the period; `courses` may hold the latest only

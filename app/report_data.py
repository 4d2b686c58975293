"""The report's data: what the report queries (app.services.reports) build and what the
report's documents (app.documents.report, app.documents.charts) draw. Plain frozen
dataclasses, so the documents never import a service, the ORM or SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.vn.units import SCHEME_2025_FROM

MODES = ("in_person", "online")

# Team levels of a period: districts went on 01/07/2025 (Resolution 202/2025/QH15).
LEVELS_PRE2025 = ("province", "district", "commune", "hamlet")
LEVELS_2025 = ("province", "commune", "hamlet")


@dataclass(frozen=True)
class ReportFilter:
    start: date
    end: date
    unit_id: int | None = None  # people living or working in this unit or below it
    roll_up: bool = False  # also the old units this one succeeded


@dataclass(frozen=True)
class PeriodLevels:
    """The team levels a report period counts (those of its last day) and whether the
    period runs across the reform of 01/07/2025."""

    levels: tuple[str, ...]
    straddles: bool
    end: date

    @property
    def note(self) -> str:
        """What the Báo cáo page and the report say under the coverage table."""
        day = f"{SCHEME_2025_FROM:%d/%m/%Y}"
        if self.straddles:
            return (
                f"Kỳ báo cáo có cả trước và sau ngày {day} (bỏ cấp huyện): độ phủ tính theo "
                f"thành viên tổ ngày {self.end:%d/%m/%Y}, gồm cấp tỉnh, xã, ấp; tổ cấp huyện "
                f"(đến {SCHEME_2025_FROM - timedelta(days=1):%d/%m/%Y}) không tính."
            )
        if "district" in self.levels:
            return f"Các cấp trước ngày {day}: tỉnh, huyện, xã, ấp."
        return f"Các cấp từ ngày {day}: tỉnh, xã, ấp (không còn cấp huyện)."

    @property
    def units_heading(self) -> str:
        """The heading of the column of communes: no "thị trấn" once districts are gone."""
        if self.straddles or "district" in self.levels:
            return "Xã, phường, thị trấn"
        return "Xã, phường"


def period_levels(f: ReportFilter) -> PeriodLevels:
    after = f.end >= SCHEME_2025_FROM
    return PeriodLevels(
        LEVELS_2025 if after else LEVELS_PRE2025, f.start < SCHEME_2025_FROM <= f.end, f.end
    )


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

    @property
    def levels(self) -> PeriodLevels:
        """The team levels of the period, and whether it straddles 01/07/2025."""
        return period_levels(self.filter)

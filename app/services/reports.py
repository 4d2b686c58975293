"""What the steering committee asks: how many were trained, where, on what, with what
result. Every figure is one GROUP BY query (SQLite and PostgreSQL alike), never rows
loaded into Python.

"Trained" means present or late at one session or more within the period. Figures that
come from sessions are split by the session's mode; those that come from courses
(completion, certificates) by whether the course is online.

The figures live by job: report_scope (the period's whole months and edges, the people
counted once, the units in scope), report_figures (summary, months, communes, topics,
coverage), report_courses (the courses' results), report_people (who is behind a bar).
This module runs them together for the Báo cáo page and the report file, and keeps the
names the callers import.
"""

from __future__ import annotations

from time import perf_counter

from sqlalchemy.orm import Session

from app.report_data import (
    MODES,
    CountRow,
    CourseFigures,
    CourseResult,
    CoverageRow,
    Dashboard,
    Figures,
    PersonLine,
    ReportFilter,
    Summary,
)
from app.services import access
from app.services.report_courses import course_count, course_results
from app.services.report_figures import (
    by_commune,
    by_topic,
    coverage,
    people_trained_count,
    per_course,
    per_month,
    summary,
)
from app.services.report_people import DIMENSIONS, export_people, people_behind
from app.services.report_scope import PRESENT, month_counts, unit_name, unit_scope

__all__ = [
    "DIMENSIONS",
    "MODES",
    "PRESENT",
    "CountRow",
    "CourseFigures",
    "CourseResult",
    "CoverageRow",
    "Dashboard",
    "Figures",
    "PersonLine",
    "ReportFilter",
    "Summary",
    "by_commune",
    "by_topic",
    "course_count",
    "course_results",
    "coverage",
    "dashboard",
    "export_people",
    "people_behind",
    "people_trained_count",
    "per_course",
    "per_month",
    "summary",
    "unit_name",
    "unit_scope",
]


# -- everything the dashboard and the report show ----------------------------------------


def dashboard(s: Session, f: ReportFilter, course_limit: int | None = 15) -> Dashboard:
    access.require(s, "reports")
    timings: dict[str, float] = {}

    def timed(name: str, fn, *args):  # type: ignore[no-untyped-def]
        started = perf_counter()
        result = fn(*args)
        timings[name] = (perf_counter() - started) * 1000
        return result

    # The marks were once copied into a temporary table first; the figures now read the
    # training facts directly, so that step takes no time (kept for the timings' readers).
    timings["marks"] = 0.0
    # The whole months' people counts are one scan shared by the summary and the months
    # (timed with the summary).
    started = perf_counter()
    whole = month_counts(s, f)
    scanned = (perf_counter() - started) * 1000
    figures = timed("summary", summary, s, f, whole)
    timings["summary"] += scanned
    return Dashboard(
        f,
        figures,
        timed("months", per_month, s, f, whole),
        timed("communes", by_commune, s, f),
        timed("topics", by_topic, s, f),
        timed("courses", course_results, s, f, course_limit),
        timed("coverage", coverage, s, f),
        timings,
        timed("course_count", course_count, s, f),
    )

"""The courses of a period: how many ended in it, and their results (rates, scores)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import (
    case,
    func,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.report_data import (
    CourseResult,
    ReportFilter,
)
from app.services import report_scope as scope
from models import (
    Attendance,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Person,
    SessionFact,
)
from models import Session as CourseSession


def course_count(s: Session, f: ReportFilter) -> int:
    """How many courses course_results would list without a limit."""
    # A seek per course for one enrolment, not every enrolment read; with a unit, the
    # courses of its people's enrolments (found by person).
    anyone: ColumnElement[bool] = (
        select(Enrolment.id).where(Enrolment.course_id == Course.id).exists()
        if f.unit_id is None
        else Course.id.in_(
            select(Enrolment.course_id).where(
                Enrolment.person_id.in_(scope.people_in_scope(select(Person.id), f))
            )
        )
    )
    q = select(func.count(Course.id)).where(
        Course.end_date >= f.start,
        Course.end_date <= f.end,
        Course.status != CourseStatus.CANCELLED,
        anyone,
    )
    return s.scalar(q) or 0


def course_results(s: Session, f: ReportFilter, limit: int | None = None) -> list[CourseResult]:
    """Courses ended in the period (by today), the latest first (the latest `limit` of them); with a
    unit, counting only the people from it. Two GROUP BYs: enrolments, then marks."""
    done = (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)
    both = Enrolment.pre_score.is_not(None) & Enrolment.post_score.is_not(None)
    # Scores summed as whole thousandths (exact in a float up to 2**53): an average of
    # floats depends on the order the rows are read in, which an index rebuild changes.
    pre_k = func.round(Enrolment.pre_score * 1000)
    post_k = func.round(Enrolment.post_score * 1000)
    q = (
        select(
            Course.id,
            Course.code,
            Course.title,
            Course.end_date,
            Course.is_online,
            func.sum(case((Enrolment.status == EnrolmentStatus.COMPLETED, 1), else_=0)),
            func.sum(case((Enrolment.status.in_(done), 1), else_=0)),
            func.sum(case((both, pre_k), else_=None)),
            func.sum(case((both, post_k), else_=None)),
            func.sum(case((both, 1), else_=0)),
            Course.score_scale,
        )
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(
            Course.end_date >= f.start,
            # Ended by today: a course still running or to come in the period has no results
            # yet and would draw empty bars in place of the latest ones.
            Course.end_date <= min(f.end, date.today()),
            Course.status != CourseStatus.CANCELLED,
        )
        .group_by(
            Course.id,
            Course.code,
            Course.title,
            Course.end_date,
            Course.is_online,
            Course.score_scale,
        )
        .order_by(Course.end_date.desc(), Course.code.desc())
    )
    in_scope = scope.people_in_scope(select(Person.id), f) if f.unit_id is not None else None
    if in_scope is not None:
        q = q.where(Enrolment.person_id.in_(in_scope))
    if limit is not None:
        # The latest `limit` courses with someone enrolled first, then their enrolments
        # only: grouping every course of five years to keep 15 took seconds.
        anyone = select(Enrolment.id).where(Enrolment.course_id == Course.id).exists()
        if in_scope is not None:  # the courses of the unit's people, found by person
            anyone = Course.id.in_(
                select(Enrolment.course_id).where(Enrolment.person_id.in_(in_scope))
            )
        latest = (
            select(Course.id)
            .where(
                Course.end_date >= f.start,
                Course.end_date <= min(f.end, date.today()),
                Course.status != CourseStatus.CANCELLED,
                anyone,
            )
            .order_by(Course.end_date.desc(), Course.code.desc())
            .limit(limit)
        )
        q = q.where(Course.id.in_(list(s.scalars(latest))))
    found = s.execute(q).all()
    if not found:
        return []
    marks_q = (
        select(
            CourseSession.course_id,
            func.sum(SessionFact.present),
            func.sum(SessionFact.marked),
        )
        .join(SessionFact, SessionFact.session_id == CourseSession.id)
        .where(CourseSession.course_id.in_([r[0] for r in found]))
        .group_by(CourseSession.course_id)
    )
    if in_scope is not None:
        marks_q = (
            select(
                CourseSession.course_id,
                func.sum(case((Attendance.status.in_(scope.PRESENT), 1), else_=0)),
                func.count(Attendance.id),
            )
            .join(Attendance, Attendance.session_id == CourseSession.id)
            .where(CourseSession.course_id.in_([r[0] for r in found]))
            .group_by(CourseSession.course_id)
        )
        marks_q = marks_q.join(Enrolment, Enrolment.id == Attendance.enrolment_id).where(
            Enrolment.person_id.in_(in_scope)
        )
    marks = {cid: (int(p or 0), int(n or 0)) for cid, p, n in s.execute(marks_q)}
    return [
        CourseResult(
            cid,
            code,
            title,
            end,
            bool(online),
            *marks.get(cid, (0, 0)),
            int(completed or 0),
            int(finished or 0),
            _mean_on_ten(pre, scored, scale),
            _mean_on_ten(post, scored, scale),
            int(scored or 0),
        )
        for cid, code, title, end, online, completed, finished, pre, post, scored, scale in found
    ]


def _mean_on_ten(thousandths: float | None, n: int | None, scale: int) -> float | None:
    """The mean of n scores summed in thousandths, on ten, to two decimals, a half up (as
    Excel's ROUND and a clerk checking it do): the same whatever order the rows came in."""
    if thousandths is None or not n:
        return None
    mean = Decimal(int(thousandths)) * 10 / (Decimal(1000) * n * scale)
    return float(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

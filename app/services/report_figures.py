"""The dashboard's and the report's figures: the summary, the people trained per month,
by commune and by topic, and the team coverage; each a GROUP BY over the training facts
(app.facts) or a few thousand rows, never the marks of whole months."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    and_,
    case,
    distinct,
    func,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.report_data import (
    MODES,
    CountRow,
    CourseFigures,
    CoverageRow,
    Figures,
    ReportFilter,
    Summary,
    period_levels,
    rate,
)
from app.services import report_scope as scope
from models import (
    Attendance,
    Certificate,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Person,
    SessionFact,
    SessionMode,
    Team,
    TeamMembership,
    Topic,
    Unit,
    UnitLevel,
)
from models import Session as CourseSession


def people_trained_count(s: Session, f: ReportFilter) -> int:
    """People present or late at one session or more in the period."""
    return sum(scope.counts(s, scope.once_parts(s, f), "topic_id").values())


def _trained_by_mode(
    s: Session, f: ReportFilter, whole: scope.MonthCounts
) -> tuple[dict[object, int], int]:
    """People trained in the period per session mode, and in all: the whole months from
    scope.month_counts, the days of the months in part from the marks."""
    per_mode: dict[object, int] = {}
    total = 0
    for _month, mode, first_of_mode, first_of_all, _first_of_month in whole:
        per_mode[mode] = per_mode.get(mode, 0) + first_of_mode
        total += first_of_all
    edge_modes = scope.once_parts(s, f, per_mode=True, whole_months=False)
    for mode, n in scope.counts(s, edge_modes, "mode").items():
        per_mode[mode] = per_mode.get(mode, 0) + n
    total += sum(scope.counts(s, scope.once_parts(s, f, whole_months=False), "topic_id").values())
    return per_mode, total


def _mode_key(is_online: ColumnElement[bool]) -> ColumnElement[str]:
    return case((is_online, "online"), else_="in_person")


def per_course(s: Session, f: ReportFilter) -> list[CourseFigures]:
    """Sessions and marks in the period per course and session mode (one GROUP BY): over
    the sessions' counts of marks (SessionFact), or with a unit over its people's marks."""
    if f.unit_id is None:
        return _per_course_counted(s, f)
    q = (
        select(
            Course.id,
            Course.code,
            CourseSession.mode,
            func.count(distinct(CourseSession.id)),
            func.sum(case((Attendance.status.in_(scope.PRESENT), 1), else_=0)),
            func.count(Attendance.id),
        )
        .select_from(CourseSession)
        .join(Course, Course.id == CourseSession.course_id)
        .outerjoin(Attendance, Attendance.session_id == CourseSession.id)
        .where(scope.window(f), Course.status != CourseStatus.CANCELLED)
    )
    # a course counts where its people are from
    q = q.join(Enrolment, Enrolment.id == Attendance.enrolment_id).where(
        Enrolment.person_id.in_(scope.people_in_scope(select(Person.id), f))
    )
    rows = s.execute(q.group_by(Course.id, Course.code, CourseSession.mode).order_by(Course.code))
    return [
        CourseFigures(cid, code, SessionMode(mode).value, n, int(present or 0), marked)
        for cid, code, mode, n, present, marked in rows
    ]


def _per_course_counted(s: Session, f: ReportFilter) -> list[CourseFigures]:
    # The sessions grouped by course and mode first, then a course read per group (a few
    # thousand) rather than per session.
    per = (
        select(
            CourseSession.course_id.label("course_id"),
            CourseSession.mode.label("mode"),
            func.count(CourseSession.id).label("n"),
            func.sum(SessionFact.present).label("present"),
            func.sum(SessionFact.marked).label("marked"),
        )
        .outerjoin(SessionFact, SessionFact.session_id == CourseSession.id)
        .where(scope.window(f))
        .group_by(CourseSession.course_id, CourseSession.mode)
        .subquery()
    )
    q = (
        select(Course.id, Course.code, per.c.mode, per.c.n, per.c.present, per.c.marked)
        .join(per, per.c.course_id == Course.id)
        .where(Course.status != CourseStatus.CANCELLED)
        .order_by(Course.code, per.c.mode)
    )
    return [
        CourseFigures(cid, code, SessionMode(mode).value, n, int(present or 0), int(marked or 0))
        for cid, code, mode, n, present, marked in s.execute(q)
    ]


def summary(s: Session, f: ReportFilter, whole: scope.MonthCounts | None = None) -> Summary:
    """The figures per mode and in all; `whole`: scope.month_counts(s, f) when the caller
    has it already (the dashboard shares it with per_month)."""
    counts: dict[str, dict[str, float | int | None]] = {m: {} for m in (*MODES, "total")}

    def put(name: str, rows: Sequence, total: float | int | None) -> None:  # type: ignore[type-arg]
        for mode, value in rows:
            counts[str(mode.value if hasattr(mode, "value") else mode)][name] = value
        counts["total"][name] = total

    # Each person once per mode, and once in all (one scan of the facts' index).
    if whole is None:
        whole = scope.month_counts(s, f)
    per_mode, trained = _trained_by_mode(s, f, whole)
    put("people_trained", list(per_mode.items()), trained)

    # One pass for sessions and attendance: per course and mode, summed here.
    courses = per_course(s, f)
    for mode in MODES:
        mine = [c for c in courses if c.mode == mode]
        counts[mode] |= {
            "courses": len(mine),
            "sessions": sum(c.sessions for c in mine),
            "attendance_rate": rate(sum(c.present for c in mine), sum(c.marked for c in mine)),
        }
    counts["total"] |= {
        "courses": len({c.course_id for c in courses}),
        "sessions": sum(c.sessions for c in courses),
        "attendance_rate": rate(sum(c.present for c in courses), sum(c.marked for c in courses)),
    }

    # Completion per mode in one pass over the enrolments (the total is their sum: each
    # enrolment is in one course, of one mode); the people only when filtering by unit.
    done = (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)
    # Counted per course and status first, in the index's order (no sort of the
    # enrolments), then the courses' counts summed by mode.
    # With a unit, the enrolments of its people (by person) instead.
    per_course_q = (
        select(Enrolment.course_id, Enrolment.status, func.count().label("n"))
        .where(Enrolment.status.in_(done))
        .group_by(Enrolment.course_id, Enrolment.status)
    )
    if f.unit_id is None:
        ended = select(Course.id).where(Course.end_date >= f.start, Course.end_date <= f.end)
        per_course_q = per_course_q.where(Enrolment.course_id.in_(ended))
    else:
        per_course_q = per_course_q.where(
            Enrolment.person_id.in_(scope.people_in_scope(select(Person.id), f))
        )
    finished = per_course_q.subquery()
    mode = _mode_key(Course.is_online)
    completed = func.sum(
        case((finished.c.status == EnrolmentStatus.COMPLETED, finished.c.n), else_=0)
    )
    rows = s.execute(
        select(mode, completed, func.sum(finished.c.n))
        .join(Course, Course.id == finished.c.course_id)
        .where(Course.end_date >= f.start, Course.end_date <= f.end)
        .group_by(mode)
    ).all()
    total_done = sum(int(r[1] or 0) for r in rows)
    total_finished = sum(int(r[2] or 0) for r in rows)
    put(
        "completion_rate",
        [(r[0], rate(int(r[1] or 0), int(r[2] or 0))) for r in rows],
        rate(total_done, total_finished),
    )

    certs = scope.people_in_scope(
        select(_mode_key(Course.is_online).label("mode"), Certificate.id)
        .join(Course, Course.id == Certificate.course_id)
        .join(Person, Person.id == Certificate.person_id)
        .where(Certificate.issued_on >= f.start, Certificate.issued_on <= f.end),
        f,
    ).subquery()
    put(
        "certificates",
        s.execute(select(certs.c.mode, func.count()).group_by(certs.c.mode)).all(),
        s.scalar(select(func.count()).select_from(certs)),
    )

    def figures(values: dict[str, float | int | None]) -> Figures:
        counted = {"people_trained", "courses", "sessions", "certificates"}
        return Figures(**{k: (v or 0) if k in counted else v for k, v in values.items()})  # type: ignore[arg-type]

    return Summary({mode: figures(counts[mode]) for mode in MODES}, figures(counts["total"]))


def per_month(
    s: Session, f: ReportFilter, whole: scope.MonthCounts | None = None
) -> list[CountRow]:
    """People trained in each month of the period ("03/2026"), months without any as 0:
    in a whole month, its rows of every topic that are the person's first of the month
    (prev_any before it, scope.month_counts; `whole` when the caller has it already); in
    a month covered in part, the people of its marks."""
    _months, edges = scope.split(s, f)
    found: dict[tuple[int, int], int] = {}
    for month, _mode, _first_of_mode, _first_of_all, first_of_month in (
        scope.month_counts(s, f) if whole is None else whole
    ):
        key = divmod(month, 100)
        found[key] = found.get(key, 0) + first_of_month
    if edges:
        e = scope.edge_marks(f, edges, topics=False).subquery()
        q = select(e.c.month, func.count(distinct(e.c.person_id))).group_by(e.c.month)
        found |= {divmod(int(month), 100): n for month, n in s.execute(q)}
    months_shown, (y, m) = [], (f.start.year, f.start.month)
    while (y, m) <= (f.end.year, f.end.month):  # every month of the period, a gap as 0
        months_shown.append(CountRow(f"{y}-{m:02d}", f"{m:02d}/{y}", found.get((y, m), 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months_shown


def by_commune(s: Session, f: ReportFilter) -> list[CountRow]:
    """People trained by their commune (see scope.commune_key): counted per unit of residence
    first (the unit the training facts carry, not the people read), then the few hundred
    units summed up by commune."""
    parts = [p.subquery() for p in scope.once_parts(s, f, units=True)]
    if not parts:  # an empty period
        return []
    each = [select(p.c.unit_id, func.count().label("n")).group_by(p.c.unit_id) for p in parts]
    per_unit = (each[0] if len(each) == 1 else union_all(*each)).subquery()
    commune, on = scope.commune_key(per_unit.c.unit_id, f.roll_up)
    per_commune = (
        select(commune.label("commune_id"), per_unit.c.n)
        .select_from(per_unit)
        .outerjoin(Unit, on)
        .subquery()
    )
    grouped = (
        select(per_commune.c.commune_id.label("unit_id"), func.sum(per_commune.c.n).label("n"))
        .group_by(per_commune.c.commune_id)
        .subquery()
    )
    rows = s.execute(
        select(grouped.c.unit_id, Unit.kind, Unit.name, grouped.c.n)
        .outerjoin(Unit, Unit.id == grouped.c.unit_id)
        .order_by(grouped.c.n.desc(), Unit.name)
    ).all()
    return [CountRow(uid, scope.unit_name(kind, name), int(n)) for uid, kind, name, n in rows]


def by_topic(s: Session, f: ReportFilter) -> list[CountRow]:
    """People trained on each topic (at a session that carried it)."""
    found = scope.topic_counts(s, f)
    names = dict(s.execute(select(Topic.id, Topic.name).where(Topic.id.in_(list(found)))).all())
    rows = sorted(((n, names[tid], tid) for tid, n in found.items()), key=lambda r: (-r[0], r[1]))
    return [CountRow(tid, name, n) for n, name, tid in rows]


def coverage(s: Session, f: ReportFilter) -> list[CoverageRow]:
    """Team members (on the last day of the period) trained within it, by team level:
    the levels of that day (no district after 30/06/2025, report_data.period_levels)."""
    levels = [UnitLevel(x) for x in period_levels(f).levels]
    active = and_(
        (TeamMembership.joined_on.is_(None)) | (TeamMembership.joined_on <= f.end),
        (TeamMembership.left_on.is_(None)) | (TeamMembership.left_on >= f.end),
    )
    # A seek in the facts per team member (a few thousand), not the period's people.
    trained = scope.is_trained(s, f, TeamMembership.person_id)
    q = scope.people_in_scope(
        select(
            Team.level,
            func.count(distinct(TeamMembership.person_id)),
            func.count(
                distinct(
                    case(
                        (trained, TeamMembership.person_id),
                        else_=None,
                    )
                )
            ),
        )
        .join(TeamMembership, TeamMembership.team_id == Team.id)
        .join(Person, Person.id == TeamMembership.person_id)
        .where(active, Team.level.in_(levels)),
        f,
    ).group_by(Team.level)
    found = {level: (n, t) for level, n, t in s.execute(q).all()}
    return [CoverageRow(level.value, *found[level]) for level in levels if level in found]

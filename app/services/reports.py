"""What the steering committee asks: how many were trained, where, on what, with what
result. Every figure is one GROUP BY query (SQLite and PostgreSQL alike), never rows
loaded into Python.

"Trained" means present or late at one session or more within the period. Figures that
come from sessions are split by the session's mode; those that come from courses
(completion, certificates) by whether the course is online.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter

from sqlalchemy import (
    Select,
    and_,
    case,
    distinct,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app import facts
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
    period_levels,
    rate,
)
from app.services import access
from app.services.units import unit_labels
from models import (
    ALL_TOPICS,
    Attendance,
    Certificate,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Person,
    SessionFact,
    SessionMode,
    SessionTopic,
    Team,
    TeamMembership,
    Topic,
    TrainingFact,
    Unit,
    UnitLevel,
    UnitLineage,
)
from models import Session as CourseSession

PRESENT = facts.PRESENT


def _window(f: ReportFilter) -> ColumnElement[bool]:
    return and_(
        CourseSession.starts_at >= datetime.combine(f.start, time.min),
        CourseSession.starts_at <= datetime.combine(f.end, time.max),
    )


def unit_scope(f: ReportFilter) -> Select | None:  # type: ignore[type-arg]
    """The unit and everything below it (a recursive query); with roll_up, the units it
    succeeded and everything below those too."""
    if f.unit_id is None:
        return None
    root = Unit.id == f.unit_id
    if f.roll_up:
        old = select(UnitLineage.predecessor_id).where(UnitLineage.successor_id == f.unit_id)
        root = root | Unit.id.in_(old)
    roots = select(Unit.id).where(root)
    tree = roots.cte(recursive=True)  # anonymous: a query may hold two scopes
    tree = tree.union(select(Unit.id).join(tree, Unit.parent_id == tree.c.id))
    return select(tree.c.id)


def _people_in_scope(q: Select, f: ReportFilter) -> Select:  # type: ignore[type-arg]
    scope = unit_scope(f)
    return q if scope is None else q.where(Person.unit_id.in_(scope))


def _trained_rows(f: ReportFilter) -> Select:  # type: ignore[type-arg]
    """(person, session, mode, start) for every present/late mark in the period."""
    q = (
        select(
            Enrolment.person_id.label("person_id"),
            CourseSession.id.label("session_id"),
            CourseSession.mode.label("mode"),
            CourseSession.starts_at.label("starts_at"),
        )
        .select_from(Attendance)
        .join(CourseSession, CourseSession.id == Attendance.session_id)
        .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
        .where(_window(f), Attendance.status.in_(PRESENT))
    )
    if f.unit_id is None:  # a million marks: no join to the people unless filtering by unit
        return q
    return q.where(Enrolment.person_id.in_(_people_in_scope(select(Person.id), f)))


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _marked(s: Session, a: datetime, b: datetime) -> bool:
    """Whether anyone was present or late at a session starting in [a, b)."""
    q = (
        select(Attendance.id)
        .join(CourseSession, CourseSession.id == Attendance.session_id)
        .where(
            CourseSession.starts_at >= a,
            CourseSession.starts_at < b,
            Attendance.status.in_(PRESENT),
        )
    )
    return bool(s.scalar(q.exists().select()))


def _split(
    s: Session, f: ReportFilter
) -> tuple[tuple[int, int] | None, list[tuple[datetime, datetime]]]:
    """The months the period covers whole (first, and the first after them, as year * 100 +
    month), or None; and the spans of days it covers of the months at its ends. A month
    the period covers in part counts as whole when it has no mark (present or late) on
    the days outside the period (this month's days to come, most often)."""
    whole_from = f.start if f.start.day == 1 else _next_month(f.start)
    whole_to = _month_start(f.end + timedelta(days=1))  # first day after the whole months
    lo = datetime.combine(f.start, time.min)
    hi = datetime.combine(f.end + timedelta(days=1), time.min)
    if f.start.day != 1 and not _marked(s, datetime.combine(_month_start(f.start), time.min), lo):
        whole_from = _month_start(f.start)
    if whole_to <= f.end and not _marked(s, hi, datetime.combine(_next_month(f.end), time.min)):
        whole_to = _next_month(f.end)
    if whole_from >= whole_to:
        return None, [(lo, hi)] if lo < hi else []
    months = (whole_from.year * 100 + whole_from.month, whole_to.year * 100 + whole_to.month)
    edges = [
        (a, b)
        for a, b in (
            (lo, datetime.combine(whole_from, time.min)),
            (datetime.combine(whole_to, time.min), hi),
        )
        if a < b
    ]
    return months, edges


def _edge_marks(f: ReportFilter, edges: list[tuple[datetime, datetime]], topics: bool) -> Select:  # type: ignore[type-arg]
    """(person_id, month, mode, session_id, topic_id) of the marks in these spans of days:
    topic_id ALL_TOPICS, or with `topics` a row per topic of the session."""
    q = facts.marks().where(
        or_(*(and_(CourseSession.starts_at >= a, CourseSession.starts_at < b) for a, b in edges))
    )
    if topics:
        q = q.add_columns(SessionTopic.topic_id.label("topic_id")).join(
            SessionTopic, SessionTopic.session_id == Attendance.session_id
        )
    else:
        q = q.add_columns(literal(ALL_TOPICS).label("topic_id"))
    if f.unit_id is not None:
        q = q.where(Enrolment.person_id.in_(_people_in_scope(select(Person.id), f)))
    return q


def _once_parts(
    s: Session, f: ReportFilter, *, per_mode: bool = False, topics: bool = False
) -> list[Select]:  # type: ignore[type-arg]
    """(person_id, mode, topic_id, month): each person trained in the period once (with per_mode,
    once per session mode), in the rows of every topic (ALL_TOPICS) or, with `topics`, once
    per topic. Without per_mode, mode is that of one of the person's rows; month is the
    first the person is counted in.

    The months the period covers whole are read from the training facts (app.facts): a
    person's first row in them is the one whose previous month (prev_month per mode,
    prev_any across modes) is before them, so no DISTINCT is needed. The days of a month
    it covers in part (its first or last) are read from the marks, counting the people
    with no row in the whole months, so any period counts exactly what the marks say."""
    tf = TrainingFact
    months, edges = _split(s, f)
    # each topic's range of months in the index, not a scan of every topic's rows
    kind = tf.topic_id.in_(select(Topic.id)) if topics else tf.topic_id == ALL_TOPICS
    parts: list[Select] = []  # type: ignore[type-arg]
    if months is not None:
        prev = tf.prev_month if per_mode else tf.prev_any
        whole = select(tf.person_id, tf.mode, tf.topic_id, tf.month).where(
            kind, tf.month >= months[0], tf.month < months[1], prev < months[0]
        )
        if f.unit_id is not None:
            whole = whole.where(tf.person_id.in_(_people_in_scope(select(Person.id), f)))
        parts.append(whole)
    if edges:
        e = _edge_marks(f, edges, topics).subquery()
        keys = [e.c.person_id, e.c.topic_id] + ([e.c.mode] if per_mode else [])
        mode = e.c.mode if per_mode else func.min(e.c.mode)
        first = func.min(e.c.month).label("month")
        q = select(e.c.person_id, mode.label("mode"), e.c.topic_id, first).group_by(*keys)
        if months is not None:  # counted in the whole months already
            seen = select(tf.person_id).where(
                tf.person_id == e.c.person_id,
                tf.topic_id == e.c.topic_id,
                tf.month >= months[0],
                tf.month < months[1],
            )
            if per_mode:
                seen = seen.where(tf.mode == e.c.mode)
            q = q.where(~seen.exists())
        parts.append(q)
    return parts  # disjoint: what they count adds up


def _once(s: Session, f: ReportFilter, *, per_mode: bool = False, topics: bool = False) -> Select:  # type: ignore[type-arg]
    """The rows of _once_parts in one select."""
    parts = _once_parts(s, f, per_mode=per_mode, topics=topics)
    if not parts:  # an empty period
        tf = TrainingFact
        return select(tf.person_id, tf.mode, tf.topic_id, tf.month).where(false())
    return parts[0] if len(parts) == 1 else union_all(*parts)  # type: ignore[return-value]


def _counts(s: Session, parts: list[Select], key: str) -> dict[object, int]:  # type: ignore[type-arg]
    """How many rows of the parts there are per value of column `key`: each part grouped
    on its own by key and month (the facts index's order: no sort, no union to
    materialise), added up here."""
    found: dict[object, int] = {}
    for part in parts:
        q = part.subquery()
        grouped = select(q.c[key], func.count()).group_by(q.c[key], q.c.month)
        for value, n in s.execute(grouped):
            found[value] = found.get(value, 0) + n
    return found


def people_trained_count(s: Session, f: ReportFilter) -> int:
    """People present or late at one session or more in the period."""
    return sum(_counts(s, _once_parts(s, f), "topic_id").values())


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
            func.sum(case((Attendance.status.in_(PRESENT), 1), else_=0)),
            func.count(Attendance.id),
        )
        .select_from(CourseSession)
        .join(Course, Course.id == CourseSession.course_id)
        .outerjoin(Attendance, Attendance.session_id == CourseSession.id)
        .where(_window(f), Course.status != CourseStatus.CANCELLED)
    )
    # a course counts where its people are from
    q = q.join(Enrolment, Enrolment.id == Attendance.enrolment_id).where(
        Enrolment.person_id.in_(_people_in_scope(select(Person.id), f))
    )
    rows = s.execute(q.group_by(Course.id, Course.code, CourseSession.mode).order_by(Course.code))
    return [
        CourseFigures(cid, code, SessionMode(mode).value, n, int(present or 0), marked)
        for cid, code, mode, n, present, marked in rows
    ]


def _per_course_counted(s: Session, f: ReportFilter) -> list[CourseFigures]:
    q = (
        select(
            Course.id,
            Course.code,
            CourseSession.mode,
            func.count(CourseSession.id),
            func.sum(SessionFact.present),
            func.sum(SessionFact.marked),
        )
        .select_from(CourseSession)
        .join(Course, Course.id == CourseSession.course_id)
        .outerjoin(SessionFact, SessionFact.session_id == CourseSession.id)
        .where(_window(f), Course.status != CourseStatus.CANCELLED)
        .group_by(Course.id, Course.code, CourseSession.mode)
        .order_by(Course.code, CourseSession.mode)
    )
    return [
        CourseFigures(cid, code, SessionMode(mode).value, n, int(present or 0), int(marked or 0))
        for cid, code, mode, n, present, marked in s.execute(q)
    ]


def summary(s: Session, f: ReportFilter) -> Summary:
    counts: dict[str, dict[str, float | int | None]] = {m: {} for m in (*MODES, "total")}

    def put(name: str, rows: Sequence, total: float | int | None) -> None:  # type: ignore[type-arg]
        for mode, value in rows:
            counts[str(mode.value if hasattr(mode, "value") else mode)][name] = value
        counts["total"][name] = total

    # Each person once per mode, then once in all (two scans of the facts' index).
    per_mode = _counts(s, _once_parts(s, f, per_mode=True), "mode")
    put("people_trained", list(per_mode.items()), people_trained_count(s, f))

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
            Enrolment.person_id.in_(_people_in_scope(select(Person.id), f))
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

    certs = _people_in_scope(
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


def per_month(s: Session, f: ReportFilter) -> list[CountRow]:
    """People trained in each month of the period ("03/2026"), months without any as 0:
    in a whole month, its rows of every topic that are the person's first of the month
    (prev_any before it); in a month covered in part, the people of its marks."""
    tf = TrainingFact
    months, edges = _split(s, f)
    found: dict[tuple[int, int], int] = {}
    if months is not None:
        q = (
            select(tf.month, func.count())
            .where(
                tf.topic_id == ALL_TOPICS,
                tf.month >= months[0],
                tf.month < months[1],
                tf.prev_any < tf.month,
            )
            .group_by(tf.month)
        )
        if f.unit_id is not None:
            q = q.where(tf.person_id.in_(_people_in_scope(select(Person.id), f)))
        found |= {divmod(int(month), 100): n for month, n in s.execute(q)}
    if edges:
        e = _edge_marks(f, edges, topics=False).subquery()
        q = select(e.c.month, func.count(distinct(e.c.person_id))).group_by(e.c.month)
        found |= {divmod(int(month), 100): n for month, n in s.execute(q)}
    months_shown, (y, m) = [], (f.start.year, f.start.month)
    while (y, m) <= (f.end.year, f.end.month):  # every month of the period, a gap as 0
        months_shown.append(CountRow(f"{y}-{m:02d}", f"{m:02d}/{y}", found.get((y, m), 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months_shown


def _commune_key(unit_id: ColumnElement, roll_up: bool) -> tuple[ColumnElement, ColumnElement]:  # type: ignore[type-arg]
    """The commune a unit counts for (a hamlet for its commune; with roll_up, an old commune
    for its successor, the first when split), as a column over `unit_id` outer-joined to
    Unit; and that join's condition."""
    commune = case((Unit.level == UnitLevel.HAMLET, Unit.parent_id), else_=Unit.id)
    if roll_up:
        successor = (
            select(func.min(UnitLineage.successor_id))
            .where(UnitLineage.predecessor_id == commune)
            .scalar_subquery()
        )
        commune = func.coalesce(successor, commune)
    return commune, Unit.id == unit_id


def _is_trained(s: Session, f: ReportFilter, person_id: ColumnElement[int]) -> ColumnElement[bool]:
    """Whether this person was trained in the period: a seek in the facts by person for
    the whole months, the people of the marks for the days of the months in part."""
    tf = TrainingFact
    months, edges = _split(s, f)
    found: list[ColumnElement[bool]] = []
    if months is not None:
        rows = select(tf.person_id).where(
            tf.person_id == person_id,
            tf.month >= months[0],
            tf.month < months[1],
            tf.topic_id == ALL_TOPICS,
        )
        found.append(rows.exists())
    if edges:
        e = _edge_marks(f, edges, topics=False).subquery()
        found.append(person_id.in_(select(e.c.person_id)))
    return or_(*found) if found else false()


def _trained_ids(s: Session, f: ReportFilter) -> Select:  # type: ignore[type-arg]
    """The ids of the people trained in the period, each once."""
    return select(_once(s, f).subquery().c.person_id)


def _trained_communes(s: Session, f: ReportFilter) -> Select:  # type: ignore[type-arg]
    """(person_id, commune_id) for each person trained in the period (see _commune_key)."""
    commune, on = _commune_key(Person.unit_id, f.roll_up)
    # people.id IN (...): the ids sorted once, the people read in their order
    return (
        select(Person.id.label("person_id"), commune.label("commune_id"))
        .outerjoin(Unit, on)
        .where(Person.id.in_(_trained_ids(s, f)))
    )


def by_commune(s: Session, f: ReportFilter) -> list[CountRow]:
    """People trained by their commune (see _commune_key): counted per unit of residence
    first, then the few hundred units summed up by commune."""
    per_unit = (
        select(Person.unit_id.label("unit_id"), func.count().label("n"))
        .where(Person.id.in_(_trained_ids(s, f)))
        .group_by(Person.unit_id)
        .subquery()
    )
    commune, on = _commune_key(per_unit.c.unit_id, f.roll_up)
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
    return [CountRow(uid, unit_name(kind, name), int(n)) for uid, kind, name, n in rows]


def unit_name(kind: str | None, name: str | None) -> str:
    if not name:
        return "Chưa rõ đơn vị"
    return name if not kind or name.startswith(kind) else f"{kind} {name}"


def by_topic(s: Session, f: ReportFilter) -> list[CountRow]:
    """People trained on each topic (at a session that carried it)."""
    found = _counts(s, _once_parts(s, f, topics=True), "topic_id")
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
    trained = _is_trained(s, f, TeamMembership.person_id)
    q = _people_in_scope(
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


def course_count(s: Session, f: ReportFilter) -> int:
    """How many courses course_results would list without a limit."""
    q = (
        select(func.count(distinct(Course.id)))
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(
            Course.end_date >= f.start,
            Course.end_date <= f.end,
            Course.status != CourseStatus.CANCELLED,
        )
    )
    if f.unit_id is not None:
        q = q.where(Enrolment.person_id.in_(_people_in_scope(select(Person.id), f)))
    return s.scalar(q) or 0


def course_results(s: Session, f: ReportFilter, limit: int | None = None) -> list[CourseResult]:
    """Courses ended in the period (by today), the latest first (the latest `limit` of them); with a
    unit, counting only the people from it. Two GROUP BYs: enrolments, then marks."""
    done = (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)
    both = Enrolment.pre_score.is_not(None) & Enrolment.post_score.is_not(None)
    on_ten = 10.0 / Course.score_scale
    q = (
        select(
            Course.id,
            Course.code,
            Course.title,
            Course.end_date,
            Course.is_online,
            func.sum(case((Enrolment.status == EnrolmentStatus.COMPLETED, 1), else_=0)),
            func.sum(case((Enrolment.status.in_(done), 1), else_=0)),
            func.avg(case((both, Enrolment.pre_score * on_ten), else_=None)),
            func.avg(case((both, Enrolment.post_score * on_ten), else_=None)),
            func.sum(case((both, 1), else_=0)),
        )
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(
            Course.end_date >= f.start,
            # Ended by today: a course still running or to come in the period has no results
            # yet and would draw empty bars in place of the latest ones.
            Course.end_date <= min(f.end, date.today()),
            Course.status != CourseStatus.CANCELLED,
        )
        .group_by(Course.id, Course.code, Course.title, Course.end_date, Course.is_online)
        .order_by(Course.end_date.desc(), Course.code.desc())
    )
    in_scope = _people_in_scope(select(Person.id), f) if f.unit_id is not None else None
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
                func.sum(case((Attendance.status.in_(PRESENT), 1), else_=0)),
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
            None if pre is None else round(float(pre), 2),
            None if post is None else round(float(post), 2),
            int(scored or 0),
        )
        for cid, code, title, end, online, completed, finished, pre, post, scored in found
    ]


# -- what lies behind a bar ------------------------------------------------------------

DIMENSIONS = ("month", "commune", "topic", "level", "course")


def people_behind(
    s: Session, f: ReportFilter, dimension: str, keys: Sequence[int | str], limit: int = 5000
) -> tuple[int, list[PersonLine]]:
    """The people counted in a chart's bar: trained in a month ("2024-03"), from communes
    (ids, as by_commune groups them), on topics (ids), team members at a level trained
    in the period ("commune"), or trained at a course (ids). Returns how many there are
    and the first `limit` of them by name."""
    access.require(s, "reports")
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    t = _trained_rows(f)
    if dimension == "month":
        starts = []
        for key in keys:
            year, month = (int(x) for x in str(key).split("-"))
            first = date(year, month, 1)
            after = date(year + month // 12, month % 12 + 1, 1)
            starts.append(
                (CourseSession.starts_at >= datetime.combine(first, time.min))
                & (CourseSession.starts_at < datetime.combine(after, time.min))
            )
        t = t.where(or_(*starts))
    elif dimension == "commune":
        communes = _trained_communes(s, f).subquery()
        t = t.where(
            Enrolment.person_id.in_(
                select(communes.c.person_id).where(communes.c.commune_id.in_(list(keys)))
            )
        )
    elif dimension == "topic":
        t = t.where(
            CourseSession.id.in_(
                select(SessionTopic.session_id).where(SessionTopic.topic_id.in_(list(keys)))
            )
        )
    elif dimension == "course":
        t = t.where(CourseSession.course_id.in_(list(keys)))
    else:
        active = and_(
            (TeamMembership.joined_on.is_(None)) | (TeamMembership.joined_on <= f.end),
            (TeamMembership.left_on.is_(None)) | (TeamMembership.left_on >= f.end),
        )
        t = t.where(
            Enrolment.person_id.in_(
                select(TeamMembership.person_id)
                .join(Team, Team.id == TeamMembership.team_id)
                .where(active, Team.level.in_([UnitLevel(k) for k in keys]))
            )
        )
    counted = t.subquery()
    per_person = (
        select(counted.c.person_id, func.count(distinct(counted.c.session_id)).label("n"))
        .group_by(counted.c.person_id)
        .subquery()
    )
    total = s.scalar(select(func.count()).select_from(per_person)) or 0
    rows = s.execute(
        select(Person.id, Person.full_name, Person.birth_date, Person.unit_id, per_person.c.n)
        .join(per_person, per_person.c.person_id == Person.id)
        .order_by(Person.sort_key, Person.id)
        .limit(limit)
    ).all()
    labels = unit_labels(s, {r[3] for r in rows if r[3] is not None})
    return total, [
        PersonLine(pid, name, birth, labels.get(uid, "") if uid else "", n)
        for pid, name, birth, uid, n in rows
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
    return Dashboard(
        f,
        timed("summary", summary, s, f),
        timed("months", per_month, s, f),
        timed("communes", by_commune, s, f),
        timed("topics", by_topic, s, f),
        timed("courses", course_results, s, f, course_limit),
        timed("coverage", coverage, s, f),
        timings,
        timed("course_count", course_count, s, f),
    )


def export_people(s: Session, title: str, lines: list[PersonLine], path: Path) -> int:
    """The people behind a bar to .xlsx or .csv; the export is recorded."""
    from app.documents.table_export import Column, write_table
    from app.services import audit

    access.require(s, "export")
    columns = [
        Column("Họ và tên", width=28),
        Column("Ngày sinh", "date", 12),
        Column("Nơi ở / công tác", width=40),
        Column("Số buổi có mặt", "number", 12),
    ]
    rows = [[x.full_name, x.birth_date, x.unit, x.sessions] for x in lines]
    count = write_table(path, title[:31], columns, rows)
    audit.disclosed(s, "export.report_people", f"{title}: {count} người vào {path.name}")
    return count

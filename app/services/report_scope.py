"""The report's counting blocks: the period split into whole months (read from the
training facts, app.facts) and the days of the months it covers in part (read from the
marks), the people counted once in it, and the units a filter takes in."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    case,
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
    ReportFilter,
)
from models import (
    ALL_TOPICS,
    Attendance,
    Enrolment,
    Person,
    SessionTopic,
    Topic,
    TrainingCount,
    TrainingFact,
    Unit,
    UnitLevel,
    UnitLineage,
)
from models import Session as CourseSession

PRESENT = facts.PRESENT


def window(f: ReportFilter) -> ColumnElement[bool]:
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


def people_in_scope(q: Select, f: ReportFilter) -> Select:  # type: ignore[type-arg]
    scope = unit_scope(f)
    return q if scope is None else q.where(Person.unit_id.in_(scope))


def trained_rows(f: ReportFilter) -> Select:  # type: ignore[type-arg]
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
        .where(window(f), Attendance.status.in_(PRESENT))
    )
    if f.unit_id is None:  # a million marks: no join to the people unless filtering by unit
        return q
    return q.where(Enrolment.person_id.in_(people_in_scope(select(Person.id), f)))


def month_start(d: date) -> date:
    return d.replace(day=1)


def next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def marked(s: Session, a: datetime, b: datetime) -> bool:
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


def split(
    s: Session, f: ReportFilter
) -> tuple[tuple[int, int] | None, list[tuple[datetime, datetime]]]:
    """The months the period covers whole (first, and the first after them, as year * 100 +
    month), or None; and the spans of days it covers of the months at its ends. A month
    the period covers in part counts as whole when it has no mark (present or late) on
    the days outside the period (this month's days to come, most often)."""
    whole_from = f.start if f.start.day == 1 else next_month(f.start)
    whole_to = month_start(f.end + timedelta(days=1))  # first day after the whole months
    lo = datetime.combine(f.start, time.min)
    hi = datetime.combine(f.end + timedelta(days=1), time.min)
    if f.start.day != 1 and not marked(s, datetime.combine(month_start(f.start), time.min), lo):
        whole_from = month_start(f.start)
    if whole_to <= f.end and not marked(s, hi, datetime.combine(next_month(f.end), time.min)):
        whole_to = next_month(f.end)
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


def edge_marks(f: ReportFilter, edges: list[tuple[datetime, datetime]], topics: bool) -> Select:  # type: ignore[type-arg]
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
        q = q.where(Enrolment.person_id.in_(people_in_scope(select(Person.id), f)))
    return q


# (month, mode, first of the mode in the period, first of all in the period, first of the
# month) of the whole months: how many rows of every topic are a person's first in each sense.
MonthCounts = list[tuple[int, str, int, int, int]]


def month_counts(s: Session, f: ReportFilter) -> MonthCounts:
    """The whole months' people counts in one scan, shared by the summary (people per mode
    and in all) and the people per month: a person's first row of a mode in the period has
    prev_month before it, of any mode prev_any, and their first of a month prev_any before
    that month. Province-wide from the counts of the facts (TrainingCount, some thousands
    of rows); for a unit from its people's facts."""
    months, _edges = split(s, f)
    if months is None:
        return []
    t = TrainingFact if f.unit_id is not None else TrainingCount
    rows: Any = literal(1) if t is TrainingFact else TrainingCount.people

    def first(before: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((before, rows), else_=0))

    q = (
        select(
            t.month,
            t.mode,
            first(t.prev_month < months[0]),
            first(t.prev_any < months[0]),
            first(t.prev_any < t.month),
        )
        .where(t.topic_id == ALL_TOPICS, t.month >= months[0], t.month < months[1])
        .group_by(t.month, t.mode)  # the index's order: no sort
    )
    return [
        (int(m), str(mode), int(a or 0), int(b or 0), int(c or 0))
        for m, mode, a, b, c in s.execute(facts_in_scope(q, f))
    ]


def topic_counts(s: Session, f: ReportFilter) -> dict[object, int]:
    """People trained on each topic: the whole months province-wide from TrainingCount,
    else as once_parts counts them."""
    months, _edges = split(s, f)
    if f.unit_id is not None or months is None:
        return counts(s, once_parts(s, f, topics=True), "topic_id")
    tc = TrainingCount
    q = (
        select(tc.topic_id, func.sum(tc.people))
        .where(
            tc.topic_id.in_(select(Topic.id)),
            tc.month >= months[0],
            tc.month < months[1],
            tc.prev_any < months[0],
        )
        .group_by(tc.topic_id)
    )
    found: dict[object, int] = {topic: int(n) for topic, n in s.execute(q) if n}
    edges = once_parts(s, f, topics=True, whole_months=False)
    for topic, n in counts(s, edges, "topic_id").items():
        found[topic] = found.get(topic, 0) + n
    return found


def facts_in_scope(q: Select, f: ReportFilter) -> Select:  # type: ignore[type-arg]
    """Training facts of the people of the filter's unit: found by person (a seek in the
    facts' primary key per person of the unit, a few thousand), not by the unit the rows
    carry (a scan of the period's rows)."""
    if f.unit_id is None:
        return q
    return q.where(TrainingFact.person_id.in_(people_in_scope(select(Person.id), f)))


def once_parts(
    s: Session,
    f: ReportFilter,
    *,
    per_mode: bool = False,
    topics: bool = False,
    units: bool = False,
    whole_months: bool = True,
) -> list[Select]:  # type: ignore[type-arg]
    """(person_id, mode, topic_id, month): each person trained in the period once (with per_mode,
    once per session mode), in the rows of every topic (ALL_TOPICS) or, with `topics`, once
    per topic. Without per_mode, mode is that of one of the person's rows; month is the
    first the person is counted in. With `units`, the person's unit too (unit_id); without
    `whole_months`, the part of the days of the months in part alone.

    The months the period covers whole are read from the training facts (app.facts): a
    person's first row in them is the one whose previous month (prev_month per mode,
    prev_any across modes) is before them, so no DISTINCT is needed. The days of a month
    it covers in part (its first or last) are read from the marks, counting the people
    with no row in the whole months, so any period counts exactly what the marks say."""
    tf = TrainingFact
    months, edges = split(s, f)
    # each topic's range of months in the index, not a scan of every topic's rows
    kind = tf.topic_id.in_(select(Topic.id)) if topics else tf.topic_id == ALL_TOPICS
    parts: list[Select] = []  # type: ignore[type-arg]
    if months is not None and whole_months:
        prev = tf.prev_month if per_mode else tf.prev_any
        whole = select(tf.person_id, tf.mode, tf.topic_id, tf.month).where(
            kind, tf.month >= months[0], tf.month < months[1], prev < months[0]
        )
        if units:
            whole = whole.add_columns(tf.unit_id)
        parts.append(facts_in_scope(whole, f))
    if edges:
        e = edge_marks(f, edges, topics).subquery()
        keys = [e.c.person_id, e.c.topic_id] + ([e.c.mode] if per_mode else [])
        mode = e.c.mode if per_mode else func.min(e.c.mode)
        first = func.min(e.c.month).label("month")
        q = select(e.c.person_id, mode.label("mode"), e.c.topic_id, first).group_by(*keys)
        if units:
            unit = select(Person.unit_id).where(Person.id == e.c.person_id).scalar_subquery()
            q = q.add_columns(unit.label("unit_id"))
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


def once(s: Session, f: ReportFilter, *, per_mode: bool = False, topics: bool = False) -> Select:  # type: ignore[type-arg]
    """The rows of once_parts in one select."""
    parts = once_parts(s, f, per_mode=per_mode, topics=topics)
    if not parts:  # an empty period
        tf = TrainingFact
        return select(tf.person_id, tf.mode, tf.topic_id, tf.month).where(false())
    return parts[0] if len(parts) == 1 else union_all(*parts)  # type: ignore[return-value]


def counts(s: Session, parts: list[Select], key: str) -> dict[object, int]:  # type: ignore[type-arg]
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


def commune_key(unit_id: ColumnElement, roll_up: bool) -> tuple[ColumnElement, ColumnElement]:  # type: ignore[type-arg]
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


def is_trained(s: Session, f: ReportFilter, person_id: ColumnElement[int]) -> ColumnElement[bool]:
    """Whether this person was trained in the period: a seek in the facts by person for
    the whole months, the people of the marks for the days of the months in part."""
    tf = TrainingFact
    months, edges = split(s, f)
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
        e = edge_marks(f, edges, topics=False).subquery()
        found.append(person_id.in_(select(e.c.person_id)))
    return or_(*found) if found else false()


def trained_ids(s: Session, f: ReportFilter) -> Select:  # type: ignore[type-arg]
    """The ids of the people trained in the period, each once."""
    return select(once(s, f).subquery().c.person_id)


def trained_communes(s: Session, f: ReportFilter) -> Select:  # type: ignore[type-arg]
    """(person_id, commune_id) for each person trained in the period (see commune_key)."""
    commune, on = commune_key(Person.unit_id, f.roll_up)
    # people.id IN (...): the ids sorted once, the people read in their order
    return (
        select(Person.id.label("person_id"), commune.label("commune_id"))
        .outerjoin(Unit, on)
        .where(Person.id.in_(trained_ids(s, f)))
    )


def unit_name(kind: str | None, name: str | None) -> str:
    if not name:
        return "Chưa rõ đơn vị"
    return name if not kind or name.startswith(kind) else f"{kind} {name}"

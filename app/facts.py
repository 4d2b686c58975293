"""The training facts (models.TrainingFact): who attended how many sessions in each month,
by session mode and topic, so the dashboard and the report count people over one narrow
indexed table (at scale 25: 290,000 person-month rows for five years, against a million
marks joined to their sessions and enrolments); each row carries the month of the
person's previous row of its mode and topic (prev_month) and of its topic in any mode
(prev_any), so a count of the people of months A..B is a count of the rows there whose
previous month is before A, read from one index without a DISTINCT; and the session facts (models.SessionFact):
each session's marks and how many were present, for the attendance rates.

They are kept in the same transaction as every write that changes them. A session's
`before_flush` notes the people whose marks change (an attendance row added, changed or
removed; an enrolment moved to another person or removed; a session's date, mode or
topics changed; a session removed; a person's unit changed), and its `before_commit` recomputes those people's rows
from the marks (refresh; refresh_sessions for the sessions whose marks changed). Writers
that change those tables with bulk statements say whom they touched with note_people /
note_sessions; the demo and `taphuan check --rebuild-facts` rebuild both tables. On
PostgreSQL the people's (and sessions') rows are locked (FOR NO KEY UPDATE) before their
facts are recomputed, so two desks marking the same person at once end with the facts of
both marks; no kill test is needed, as the facts commit or roll back with the marks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    case,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from models import (
    ALL_TOPICS,
    Attendance,
    AttendanceStatus,
    Enrolment,
    Person,
    SessionFact,
    SessionTopic,
    TrainingCount,
    TrainingFact,
)
from models import Session as CourseSession

PRESENT = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
COLUMNS = [
    "person_id", "month", "mode", "topic_id", "sessions", "prev_month", "prev_any", "unit_id",
]  # fmt: skip
CHUNK = 500  # people per statement (SQLite's bound parameters, PostgreSQL's plans)
_PENDING = "training_facts_people"
_PENDING_SESSIONS = "session_facts_sessions"
SESSION_COLUMNS = ["session_id", "present", "marked"]
COUNT_KEYS = ["topic_id", "month", "mode", "prev_month", "prev_any"]
COUNT_COLUMNS = [*COUNT_KEYS, "people"]


def month_of(column: ColumnElement) -> ColumnElement[int]:  # type: ignore[type-arg]
    """year * 100 + month of a datetime column, on SQLite and PostgreSQL alike."""
    return cast(func.extract("year", column) * 100 + func.extract("month", column), Integer)


def marks(people: Iterable[int] | None = None) -> Select:  # type: ignore[type-arg]
    """(person_id, month, mode, session_id, starts_at) of every present or late mark."""
    q = (
        select(
            Enrolment.person_id.label("person_id"),
            month_of(CourseSession.starts_at).label("month"),
            CourseSession.mode.label("mode"),
            Attendance.session_id.label("session_id"),
            CourseSession.starts_at.label("starts_at"),
        )
        .select_from(Attendance)
        .join(CourseSession, CourseSession.id == Attendance.session_id)
        .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
        .where(Attendance.status.in_(PRESENT))
    )
    if people is not None:
        q = q.where(Enrolment.person_id.in_(sorted(people)))
    return q


def facts_of(rows: Select) -> Select:  # type: ignore[type-arg]
    """The fact rows of some marks (a marks() select, perhaps narrowed): per person, month
    and mode a row of every topic (ALL_TOPICS) and a row per topic of the sessions; each
    with the month of the person's previous row of its mode and topic (prev_month) and of
    its topic in (month, mode) order (prev_any), 0 for none; and the person's unit. The
    marks must hold all of a person's marks (all or none), as the previous rows are
    counted among them."""
    m = rows.subquery()
    any_topic = select(
        m.c.person_id, m.c.month, m.c.mode, literal(ALL_TOPICS).label("topic_id"),
        func.count().label("sessions"),
    ).group_by(m.c.person_id, m.c.month, m.c.mode)  # fmt: skip
    per_topic = (
        select(
            m.c.person_id,
            m.c.month,
            m.c.mode,
            SessionTopic.topic_id,
            func.count().label("sessions"),
        )
        .join(SessionTopic, SessionTopic.session_id == m.c.session_id)
        .group_by(m.c.person_id, m.c.month, m.c.mode, SessionTopic.topic_id)
    )
    u = any_topic.union_all(per_topic).subquery()
    prev_month = func.lag(u.c.month).over(
        partition_by=(u.c.person_id, u.c.mode, u.c.topic_id), order_by=u.c.month
    )
    prev_any = func.lag(u.c.month).over(
        partition_by=(u.c.person_id, u.c.topic_id), order_by=(u.c.month, u.c.mode)
    )
    unit = select(Person.unit_id).where(Person.id == u.c.person_id).scalar_subquery()
    return select(
        u.c.person_id, u.c.month, u.c.mode, u.c.topic_id, u.c.sessions,
        func.coalesce(prev_month, 0).label("prev_month"),
        func.coalesce(prev_any, 0).label("prev_any"),
        unit.label("unit_id"),
    )  # fmt: skip


def session_counts(session_ids: Iterable[int] | None = None) -> Select:  # type: ignore[type-arg]
    """(session_id, present, marked) of every session with marks (or of these sessions)."""
    q = select(
        Attendance.session_id,
        func.sum(case((Attendance.status.in_(PRESENT), 1), else_=0)),
        func.count(),
    ).group_by(Attendance.session_id)
    if session_ids is not None:
        q = q.where(Attendance.session_id.in_(sorted(session_ids)))
    return q


def _hold(s: Session, key: Any, ids: list[int]) -> None:
    """Lock these rows, in id order (FOR NO KEY UPDATE on PostgreSQL: marks and other
    foreign keys may still point at them); SQLite queues whole write transactions and
    compiles no lock clause."""
    s.execute(select(key).where(key.in_(ids)).order_by(key).with_for_update(key_share=True))


def refresh_sessions(s: Session, session_ids: Iterable[int]) -> None:
    """Recount the marks of these sessions (SessionFact). On PostgreSQL two desks marking
    one session at once wait for each other on the session's row."""
    ids = sorted(set(session_ids))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        _hold(s, CourseSession.id, chunk)
        s.execute(delete(SessionFact).where(SessionFact.session_id.in_(chunk)))
        s.execute(insert(SessionFact).from_select(SESSION_COLUMNS, session_counts(chunk)))


def refresh(s: Session, people: Iterable[int]) -> None:
    """Recompute the facts of these people from their marks (set-based, CHUNK at a time),
    and add to the counts (TrainingCount) what that changed."""
    ids = sorted(set(people))
    change: Counter[tuple[Any, ...]] = Counter()
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        _hold(s, Person.id, chunk)  # one recount at a time per person: the later sees both
        change.subtract(_counted(s, chunk))
        s.execute(delete(TrainingFact).where(TrainingFact.person_id.in_(chunk)))
        s.execute(insert(TrainingFact).from_select(COLUMNS, facts_of(marks(chunk))))
        change.update(_counted(s, chunk))
    _add_counts(s, change)


def _counted(s: Session, people: list[int]) -> Counter[tuple[Any, ...]]:
    """These people's facts counted by the keys of TrainingCount."""
    keys = [TrainingFact.__table__.c[c] for c in COUNT_KEYS]
    q = select(*keys, func.count()).where(TrainingFact.person_id.in_(people)).group_by(*keys)
    return Counter({tuple(row[:-1]): row[-1] for row in s.execute(q)})


def _add_counts(s: Session, change: Counter[tuple[Any, ...]]) -> None:
    """Add these changes to the counts, in key order (PostgreSQL: two desks adding to one
    count wait for each other's row, always in the same order, so never deadlock); a count
    that falls to 0 is removed."""
    rows = [
        dict(zip(COUNT_KEYS, key, strict=True), people=n) for key, n in sorted(change.items()) if n
    ]
    if not rows:
        return
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    q = upsert(TrainingCount)
    q = q.on_conflict_do_update(
        index_elements=COUNT_KEYS, set_={"people": TrainingCount.people + q.excluded.people}
    )
    s.execute(q, rows)
    fallen = [tuple(r[k] for k in COUNT_KEYS) for r in rows if r["people"] < 0]
    keys = tuple_(*(TrainingCount.__table__.c[c] for c in COUNT_KEYS))
    for i in range(0, len(fallen), CHUNK):
        s.execute(
            delete(TrainingCount).where(TrainingCount.people <= 0, keys.in_(fallen[i : i + CHUNK]))
        )


def counts_of(facts: Select) -> Select:  # type: ignore[type-arg]
    """TrainingCount's rows from some facts (a select of TrainingFact's columns)."""
    f = facts.subquery()
    keys = [f.c[c] for c in COUNT_KEYS]
    return select(*keys, func.count().label("people")).group_by(*keys)


def rebuild(s: Session) -> int:
    """Recompute every fact from the marks (demo, upgrade, `check --rebuild-facts`)."""
    s.info.pop(_PENDING, None)
    s.info.pop(_PENDING_SESSIONS, None)
    s.execute(delete(TrainingFact))
    s.execute(insert(TrainingFact).from_select(COLUMNS, facts_of(marks())))
    s.execute(delete(TrainingCount))
    s.execute(insert(TrainingCount).from_select(COUNT_COLUMNS, counts_of(_stored_facts())))
    s.execute(delete(SessionFact))
    s.execute(insert(SessionFact).from_select(SESSION_COLUMNS, session_counts()))
    return s.scalar(select(func.count()).select_from(TrainingFact)) or 0


def _stored_facts() -> Select:  # type: ignore[type-arg]
    return select(*(TrainingFact.__table__.c[c] for c in COLUMNS))


def differences(s: Session) -> int:
    """How many fact rows differ from a recount of the marks (missing, extra or wrong): the
    stored rows and the recount in one pass each, grouped by every column; a row found on
    one side only is a difference. When the facts agree with the marks, the counts
    (TrainingCount) are compared with the facts counted."""
    stored_s = select(*(SessionFact.__table__.c[c] for c in SESSION_COLUMNS))
    found = _one_sided(s, _stored_facts(), facts_of(marks()))
    found += _one_sided(s, stored_s, session_counts())
    if found:
        return found
    stored_c = select(*(TrainingCount.__table__.c[c] for c in COUNT_COLUMNS))
    return _one_sided(s, stored_c, counts_of(_stored_facts()))


def _one_sided(s: Session, stored: Select, counted: Select) -> int:  # type: ignore[type-arg]
    """How many rows are in one of the two selects only (neither holds a row twice)."""
    a, b = stored.subquery(), counted.subquery()  # SQLite: no compound in a compound
    both = union_all(
        select(*a.c, literal(1).label("side")), select(*b.c, literal(2).label("side"))
    ).subquery()
    keys = [c for c in both.c if c.name != "side"]
    lone = select(*keys).group_by(*keys).having(func.sum(both.c.side) != 3)
    return s.scalar(select(func.count()).select_from(lone.subquery())) or 0


# -- keeping them in step with every write ----------------------------------------------


def note_people(s: Session, people: Iterable[int]) -> None:
    """These people's facts are recomputed before the transaction commits."""
    s.info.setdefault(_PENDING, set()).update(p for p in people if p is not None)


def note_sessions(s: Session, session_ids: Iterable[int]) -> None:
    """The people marked at these sessions (as the database holds them now): call it before
    a bulk statement moves or removes the sessions or their topics."""
    ids = sorted({i for i in session_ids if i is not None})
    for i in range(0, len(ids), CHUNK):
        q = (
            select(Enrolment.person_id)
            .join(Attendance, Attendance.enrolment_id == Enrolment.id)
            .where(Attendance.session_id.in_(ids[i : i + CHUNK]))
        )
        with s.no_autoflush:
            note_people(s, s.scalars(q.distinct()))


def _changed(obj: object, *names: str) -> list[object]:
    """The old and new values of the attributes among `names` that changed."""
    state = inspect(obj)
    values: list[object] = []
    for name in names:
        history = state.attrs[name].history
        if history.has_changes():
            values += [*history.deleted, *history.added]
    return values


@event.listens_for(Session, "before_flush")
def _note_changes(s: Session, _context: object, _instances: object) -> None:
    enrolments: set[int] = set()
    sessions: set[int] = set()
    people: set[int] = set()
    marked: set[int] = s.info.setdefault(_PENDING_SESSIONS, set())  # their counts change
    for obj in s.new:
        if isinstance(obj, Attendance):
            enrolments.add(obj.enrolment_id)
            marked.add(obj.session_id)
        elif isinstance(obj, SessionTopic):
            sessions.add(obj.session_id)
    for obj in s.dirty:
        if isinstance(obj, Attendance):
            if _changed(obj, "status", "session_id", "enrolment_id"):
                enrolments.update([obj.enrolment_id, *_changed(obj, "enrolment_id")])  # type: ignore[list-item]
                marked.update([obj.session_id, *_changed(obj, "session_id")])  # type: ignore[list-item]
        elif isinstance(obj, Enrolment):
            people.update(_changed(obj, "person_id"))  # type: ignore[arg-type]
        elif isinstance(obj, Person) and _changed(obj, "unit_id"):
            people.add(obj.id)  # the unit its rows carry
        elif isinstance(obj, CourseSession) and _changed(obj, "starts_at", "mode"):
            sessions.add(obj.id)
    for obj in s.deleted:
        if isinstance(obj, Attendance):
            enrolments.add(obj.enrolment_id)
            marked.add(obj.session_id)
        elif isinstance(obj, Enrolment):
            people.add(obj.person_id)
        elif isinstance(obj, CourseSession | SessionTopic):
            sessions.add(obj.id if isinstance(obj, CourseSession) else obj.session_id)
    enrolments.discard(None)  # type: ignore[arg-type]
    if enrolments:
        ids = sorted(enrolments)
        with s.no_autoflush:
            for i in range(0, len(ids), CHUNK):
                q = select(Enrolment.person_id).where(Enrolment.id.in_(ids[i : i + CHUNK]))
                people.update(s.scalars(q))
    if people:
        note_people(s, people)
    if sessions:
        note_sessions(s, sessions)


@event.listens_for(Session, "before_commit")
def _refresh_noted(s: Session) -> None:
    s.flush()  # the last changes noted too (a no-op when nothing is pending)
    people = s.info.pop(_PENDING, set())
    if people:
        refresh(s, people)
    marked = s.info.pop(_PENDING_SESSIONS, set()) - {None}
    if marked:
        refresh_sessions(s, marked)


@event.listens_for(Session, "after_rollback")
def _forget_noted(s: Session) -> None:
    s.info.pop(_PENDING, None)
    s.info.pop(_PENDING_SESSIONS, None)

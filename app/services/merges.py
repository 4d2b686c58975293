"""Merge two records of one person, and undo the latest merge.

Nothing is deleted: what moves is written down value by value (table, row, column,
before, after), the dropped record stays, archived and pointing at the kept one, and the
undo walks the list backwards. A merge can be undone until the next merge.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Enum, select, update
from sqlalchemy.orm import Session

from app import commands
from app.errors import UserError
from app.services import access, audit
from app.services.people import get_person
from models import (
    Attendance,
    AttendanceStatus,
    Base,
    Certificate,
    CertificateStatus,
    Course,
    Enrolment,
    Person,
    PersonMerge,
    SessionTrainer,
    TeamMembership,
    User,
)
from models.base import utcnow

# Which mark wins when both records were marked for the same session.
_RANK = {
    AttendanceStatus.PRESENT: 0,
    AttendanceStatus.LATE: 1,
    AttendanceStatus.EXCUSED: 2,
    AttendanceStatus.ABSENT: 3,
}
_MODELS: dict[str, type[Base]] = {
    m.__tablename__: m
    for m in (Person, Enrolment, Attendance, Certificate, TeamMembership, User)  # type: ignore[misc]
}
_FILLED_FROM_DROPPED = (
    "birth_date",
    "birth_year_only",
    "gender",
    "phone",
    "email",
    "unit_id",
    "workplace",
    "position",
)


class MergeRefused(UserError):
    pass


@dataclass(frozen=True)
class MergeResult:
    merge_id: int
    kept_id: int
    kept_name: str
    dropped_id: int
    changes: int


class _Moves:
    def __init__(self, s: Session) -> None:
        self.s = s
        self.items: list[list[Any]] = []

    def set(self, row: Base, column: str, value: Any) -> None:
        old = getattr(row, column)
        if old == value:
            return
        table = row.__tablename__  # type: ignore[attr-defined]
        self.items.append([table, row.id, column, _json(old), _json(value)])  # type: ignore[attr-defined]
        setattr(row, column, value)


def _json(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _python(model: type[Base], column: str, value: Any) -> Any:
    if value is None:
        return None
    col_type = model.__table__.c[column].type  # type: ignore[attr-defined]
    if isinstance(col_type, Enum) and col_type.enum_class is not None:
        return col_type.enum_class(value)
    if isinstance(col_type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(col_type, Date):
        return date.fromisoformat(value)
    return value


def _refuse_two_in_force(s: Session, keep: Person, drop: Person) -> None:
    """One person holds at most one certificate in force for a course. When both records
    do (a walk-in issued twice), the merge waits for someone who may revoke to choose
    which paper stands: it never revokes or replaces a certificate by itself."""
    in_force: dict[int, dict[int, str]] = {}  # course -> person -> serial
    for course_id, person_id, serial in s.execute(
        select(Certificate.course_id, Enrolment.person_id, Certificate.serial)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .where(
            Enrolment.person_id.in_([keep.id, drop.id]),
            Certificate.status == CertificateStatus.VALID,
            Certificate.replaced_at.is_(None),
        )
        .order_by(Certificate.id)
    ):
        in_force.setdefault(course_id, {})[person_id] = serial
    both = [(c, held) for c, held in in_force.items() if len(held) == 2]
    if not both:
        return
    codes = dict(
        s.execute(select(Course.id, Course.code).where(Course.id.in_([c for c, _ in both]))).all()
    )
    which = "; ".join(
        f"khóa {codes[c]}: số {held[keep.id]} (hồ sơ “{keep.full_name}”, mã {keep.id}) và số "
        f"{held[drop.id]} (hồ sơ “{drop.full_name}”, mã {drop.id})"
        for c, held in both
    )
    raise MergeRefused(
        "Không gộp được: cả hai hồ sơ đều có giấy chứng nhận còn hiệu lực cho cùng một khóa — "
        f"{which}. Một người chỉ giữ một giấy cho một khóa: hãy thu hồi giấy cấp thừa trước "
        "(trang Chứng nhận → Thu hồi…, hoặc "
        f"“{commands.command(s, 'certificates revoke SỐ_HIỆU --reason LÝ_DO')}”), rồi gộp lại."
    )


def kept_person(s: Session, person_id: int) -> int:
    """The person a record was merged into, followed to the end (a person kept once may
    be merged into another later); the person itself when never merged."""
    seen = {person_id}
    while (
        into := s.scalar(select(Person.merged_into_id).where(Person.id == person_id))
    ) is not None:
        if into in seen:  # never made by merge(); a hand-edited database is not followed round
            break
        seen.add(into)
        person_id = into
    return person_id


def merge(s: Session, keep_id: int, drop_id: int) -> MergeResult:
    """Move everything of `drop_id` onto `keep_id`; the dropped record is archived."""
    access.require(s, "people")
    if keep_id == drop_id:
        raise MergeRefused("Hãy chọn hai hồ sơ khác nhau để gộp.")
    keep, drop = get_person(s, keep_id), get_person(s, drop_id)
    for p in (keep, drop):
        if p.merged_into_id is not None:
            raise MergeRefused(f"Hồ sơ “{p.full_name}” (mã {p.id}) đã được gộp vào hồ sơ khác.")
    _refuse_two_in_force(s, keep, drop)
    moves = _Moves(s)

    keep_enrolments = {
        e.course_id: e for e in s.scalars(select(Enrolment).where(Enrolment.person_id == keep.id))
    }
    for e in list(s.scalars(select(Enrolment).where(Enrolment.person_id == drop.id))):
        into = keep_enrolments.get(e.course_id)
        if into is None:
            moves.set(e, "person_id", keep.id)
            continue
        # Both were enrolled in the course (a walk-in registered twice): combine the marks.
        kept_marks = {
            a.session_id: a
            for a in s.scalars(select(Attendance).where(Attendance.enrolment_id == into.id))
        }
        for a in list(s.scalars(select(Attendance).where(Attendance.enrolment_id == e.id))):
            mine = kept_marks.get(a.session_id)
            if mine is None:
                moves.set(a, "enrolment_id", into.id)
            elif _RANK[a.status] < _RANK[mine.status]:
                moves.set(mine, "status", a.status)
                moves.set(mine, "check_in_at", a.check_in_at)
        for score in ("pre_score", "post_score"):
            if getattr(into, score) is None and getattr(e, score) is not None:
                moves.set(into, score, getattr(e, score))
        for cert in list(s.scalars(select(Certificate).where(Certificate.enrolment_id == e.id))):
            moves.set(cert, "enrolment_id", into.id)
    for cert in list(s.scalars(select(Certificate).where(Certificate.person_id == drop.id))):
        moves.set(cert, "person_id", keep.id)

    active_teams = {
        m.team_id
        for m in s.scalars(
            select(TeamMembership).where(
                TeamMembership.person_id == keep.id, TeamMembership.left_on.is_(None)
            )
        )
    }
    for m in list(s.scalars(select(TeamMembership).where(TeamMembership.person_id == drop.id))):
        if not (m.left_on is None and m.team_id in active_teams):
            moves.set(m, "person_id", keep.id)
    for u in list(s.scalars(select(User).where(User.person_id == drop.id))):
        moves.set(u, "person_id", keep.id)
    kept_sessions = set(
        s.scalars(select(SessionTrainer.session_id).where(SessionTrainer.person_id == keep.id))
    )
    for session_id in list(
        s.scalars(select(SessionTrainer.session_id).where(SessionTrainer.person_id == drop.id))
    ):
        if session_id not in kept_sessions:
            s.execute(
                update(SessionTrainer)
                .where(SessionTrainer.session_id == session_id, SessionTrainer.person_id == drop.id)
                .values(person_id=keep.id)
            )
            moves.items.append(["session_trainers", session_id, "person_id", drop.id, keep.id])

    for column in _FILLED_FROM_DROPPED:
        if getattr(keep, column) in (None, "", False) and getattr(drop, column) not in (None, ""):
            moves.set(keep, column, getattr(drop, column))
    if keep.citizen_id is None and drop.citizen_id is not None:
        value = drop.citizen_id
        moves.set(drop, "citizen_id", None)  # unique: free it before the kept record takes it
        s.flush()
        moves.set(keep, "citizen_id", value)
    if drop.archived_at is None:
        moves.set(drop, "archived_at", utcnow())
    moves.set(drop, "merged_into_id", keep.id)
    s.flush()
    record = PersonMerge(user=audit.who(s), kept_id=keep.id, dropped_id=drop.id, moves=moves.items)
    s.add(record)
    s.flush()
    audit.record(
        s,
        "person.merge",
        keep,
        before={"dropped_id": drop.id},
        after={"merge_id": record.id, "changes": len(moves.items)},
    )
    return MergeResult(record.id, keep.id, keep.full_name, drop.id, len(moves.items))


def last_merge(s: Session) -> PersonMerge | None:
    return s.scalars(select(PersonMerge).order_by(PersonMerge.id.desc()).limit(1)).first()


@dataclass(frozen=True)
class UndoInfo:
    merge_id: int
    kept_name: str
    dropped_name: str
    at: datetime


def undoable(s: Session) -> UndoInfo | None:
    """The merge that can still be undone (the latest, if not undone yet)."""
    last = last_merge(s)
    if last is None or last.undone_at is not None:
        return None
    kept, dropped = s.get_one(Person, last.kept_id), s.get_one(Person, last.dropped_id)
    return UndoInfo(last.id, kept.full_name, dropped.full_name, last.at)


def undo_last(s: Session) -> MergeResult:
    """Put back everything the latest merge moved, if nothing has changed it since."""
    access.require(s, "people")
    last = last_merge(s)
    if last is None or last.undone_at is not None:
        raise MergeRefused("Không có lần gộp nào để hoàn tác (chỉ hoàn tác được lần gộp gần nhất).")
    for table, row_id, column, old, new in reversed(last.moves):
        if table == "session_trainers":
            s.execute(
                update(SessionTrainer)
                .where(SessionTrainer.session_id == row_id, SessionTrainer.person_id == new)
                .values(person_id=old)
            )
            continue
        model = _MODELS[table]
        row = s.get(model, row_id)
        current = _json(getattr(row, column)) if row is not None else None
        if row is None or current != new:
            raise MergeRefused(
                "Không hoàn tác được: dữ liệu đã được sửa sau khi gộp "
                f"({table}, mã {row_id}, trường {column})."
            )
        setattr(row, column, _python(model, column, old))
        if table == "people":
            s.flush()  # citizen ID is unique: hand it back one step at a time
    last.undone_at = utcnow()
    kept = s.get_one(Person, last.kept_id)
    audit.record(
        s,
        "person.merge_undo",
        kept,
        before={"merge_id": last.id},
        after={"dropped_id": last.dropped_id},
    )
    s.flush()
    return MergeResult(last.id, kept.id, kept.full_name, last.dropped_id, len(last.moves))

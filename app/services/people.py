"""People: the filtered, sorted, paged list behind the Học viên table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from app.errors import InvalidValue, UserError
from app.services import access, citizen_id_lookups
from app.services.units import unit_labels, unit_scope
from app.vn import dates, names
from app.vn.ids import mask_citizen_id
from models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    MemberKind,
    Person,
    SessionTopic,
    Team,
    TeamMembership,
    Unit,
)

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
CITIZEN_ID_LENGTH, SHOWN_DIGITS = 12, 4  # a masked citizen ID shows its last four digits
SORTS = (
    "name",
    "birth_date",
    "gender",
    "citizen_id",
    "phone",
    "unit",
    "workplace",
    "position",
    "teams",
    "courses",
)


class PersonNotFound(UserError):
    def __init__(self, person_id: int) -> None:
        super().__init__(f"Không tìm thấy học viên mã {person_id}.")


@dataclass(frozen=True)
class PeopleFilter:
    search: str = ""
    unit_id: int | None = None
    team_id: int | None = None
    course_id: int | None = None
    topic_id: int | None = None
    trained: bool | None = None  # True: attended at least one session; False: never
    member_kind: str | None = None  # e.g. "hamlet_head": an active team member of that kind
    not_topic_id: int | None = None  # has not yet learned this topic
    include_archived: bool = False
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class PersonRow:
    id: int
    full_name: str
    birth_date: date | None
    birth_year_only: bool
    gender: str | None
    citizen_id: str | None
    phone: str | None
    unit: str
    workplace: str | None
    position: str | None
    teams: str
    courses_attended: int
    archived: bool

    @property
    def birth_text(self) -> str:
        if self.birth_date is None:
            return ""
        return (
            str(self.birth_date.year)
            if self.birth_year_only
            else dates.format_date(self.birth_date)
        )


# -- listing ---------------------------------------------------------------------


MAX_SEARCH_WORDS, MAX_SEARCH_CHARS = 20, 200  # a name, a phone, a CCCD: far below these


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _digits(s: Session, digits: str):  # type: ignore[no-untyped-def]
    """Digits typed in the search: a phone anywhere; a citizen ID anywhere for an
    administrator, but for anyone else only the whole 12 digits (a lookup, recorded and
    within a daily budget) or exactly the last four (which the list shows them), so no
    run of searches reveals the masked digits."""
    pattern = f"%{digits}%"
    if digits.startswith("84") and len(digits) > 9:
        pattern = f"%{digits[2:]}%"
    if access.can(access.current(s), "unmask"):
        return or_(Person.phone.like(pattern), Person.citizen_id.like(pattern))
    if len(digits) == CITIZEN_ID_LENGTH:  # a lookup: counted and recorded (citizen_id_lookups)
        citizen_id_lookups.look_up(s, digits, citizen_id_lookups.SEARCH)
        return or_(Person.phone.like(pattern), Person.citizen_id == digits)
    if len(digits) == SHOWN_DIGITS:
        return or_(Person.phone.like(pattern), Person.citizen_id.like(f"%{digits}"))
    return Person.phone.like(pattern)


def _where(s: Session, f: PeopleFilter) -> list:  # type: ignore[type-arg]
    conds: list = []  # type: ignore[type-arg]
    if not f.include_archived:
        conds.append(Person.archived_at.is_(None))
    words = names.fold(f.search).split()
    if len(words) > MAX_SEARCH_WORDS or len(f.search) > MAX_SEARCH_CHARS:
        raise InvalidValue(
            f"Chữ tìm kiếm dài quá ({len(words)} từ, {len(f.search)} ký tự): hãy tìm bằng "
            f"tên, số điện thoại hoặc CCCD, tối đa {MAX_SEARCH_WORDS} từ và {MAX_SEARCH_CHARS} ký tự."
        )
    padded = literal(" ") + Person.search_key + literal(" ")
    for i, word in enumerate(words):
        digits = re.sub(r"\D", "", word)
        if digits and len(digits) == len(re.sub(r"[\s.\-+()]", "", word)):
            conds.append(_digits(s, digits))
        elif i < len(words) - 1:
            # Whole words before the last; the last is still being typed, so a prefix.
            conds.append(padded.like(f"% {_escape_like(word)} %", escape="\\"))
        else:
            conds.append(padded.like(f"% {_escape_like(word)}%", escape="\\"))
    if f.unit_id is not None:
        conds.append(Person.unit_id.in_(sorted(unit_scope(s, f.unit_id))))
    if f.team_id is not None:
        conds.append(
            exists().where(
                TeamMembership.person_id == Person.id, TeamMembership.team_id == f.team_id
            )
        )
    if f.course_id is not None:
        conds.append(
            exists().where(Enrolment.person_id == Person.id, Enrolment.course_id == f.course_id)
        )
    attended = (
        select(Attendance.id)
        .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
        .where(Enrolment.person_id == Person.id, Attendance.status.in_(ATTENDED))
    )
    if f.topic_id is not None:
        conds.append(
            attended.join(SessionTopic, SessionTopic.session_id == Attendance.session_id)
            .where(SessionTopic.topic_id == f.topic_id)
            .exists()
        )
    if f.not_topic_id is not None:
        conds.append(
            ~attended.join(SessionTopic, SessionTopic.session_id == Attendance.session_id)
            .where(SessionTopic.topic_id == f.not_topic_id)
            .exists()
        )
    if f.member_kind is not None:
        conds.append(
            exists().where(
                TeamMembership.person_id == Person.id,
                TeamMembership.kind == MemberKind(f.member_kind),
                TeamMembership.left_on.is_(None),
            )
        )
    if f.trained is True:
        conds.append(attended.exists())
    elif f.trained is False:
        conds.append(~attended.exists())
    return conds


def count(s: Session, f: PeopleFilter | None = None) -> int:
    """How many people match the filter."""
    access.require(s, "people")
    f = f or PeopleFilter()
    return s.scalar(select(func.count()).select_from(Person).where(*_where(s, f))) or 0


def _courses_attended_subquery():  # type: ignore[no-untyped-def]
    return (
        select(Enrolment.person_id, func.count(func.distinct(Enrolment.course_id)).label("n"))
        .join(Attendance, Attendance.enrolment_id == Enrolment.id)
        .where(Attendance.status.in_(ATTENDED))
        .group_by(Enrolment.person_id)
        .subquery()
    )


def _ordered(s: Session, f: PeopleFilter) -> Select:  # type: ignore[type-arg]
    q = select(Person.id).where(*_where(s, f))
    key = f.sort if f.sort in SORTS else "name"
    if key == "unit":
        q = q.outerjoin(Unit, Unit.id == Person.unit_id)
        col = Unit.search_key
    elif key == "teams":
        first_team = (
            select(TeamMembership.person_id, func.min(Team.name).label("t"))
            .join(Team, Team.id == TeamMembership.team_id)
            .where(TeamMembership.left_on.is_(None))
            .group_by(TeamMembership.person_id)
            .subquery()
        )
        q = q.outerjoin(first_team, first_team.c.person_id == Person.id)
        col = first_team.c.t
    elif key == "courses":
        sub = _courses_attended_subquery()
        q = q.outerjoin(sub, sub.c.person_id == Person.id)
        col = func.coalesce(sub.c.n, 0)
    elif key == "name":
        col = Person.sort_key
        if any(ch.isdigit() for ch in f.search):
            # Phone/CCCD digits match few rows: read them, then sort, rather than walk the
            # name index over every row (SQLite prefers the index for ORDER BY otherwise).
            col = Person.sort_key + literal("")
    elif key == "citizen_id" and not access.can(access.current(s), "unmask"):
        # By the four digits shown: the order of the masked ones would be an oracle too.
        col = func.substr(Person.citizen_id, CITIZEN_ID_LENGTH - SHOWN_DIGITS + 1, SHOWN_DIGITS)
    else:
        col = getattr(Person, key)
    direction = col.desc() if f.descending else col.asc()
    tie = Person.sort_key.desc() if f.descending else Person.sort_key.asc()
    if key == "name":
        exact = names.fold(f.search)
        if exact and not f.descending:  # the very name typed comes first
            return q.order_by(case((Person.search_key == exact, 0), else_=1), direction, Person.id)
        return q.order_by(direction, Person.id)
    # NULLs last whichever way, as a clerk expects blank cells at the bottom.
    return q.order_by(col.is_(None), direction, tie, Person.id)


def page(
    s: Session, f: PeopleFilter | None = None, offset: int = 0, limit: int = 200
) -> list[PersonRow]:
    """One page of matching people, sorted in SQL."""
    access.require(s, "people")
    f = f or PeopleFilter()
    person_ids = list(s.scalars(_ordered(s, f).offset(offset).limit(limit)))
    return rows_for(s, person_ids)


def ids_matching(s: Session, f: PeopleFilter, limit: int | None = None) -> list[int]:
    """Every matching id in order: what the table holds and exports walk."""
    access.require(s, "people")
    q = _ordered(s, f)
    if limit is not None:
        q = q.limit(limit)
    # Core execution: plain ints, without the ORM's per-row work (100,000 ids in ~50 ms).
    return list(s.connection().execute(q).scalars())


def rows_for(s: Session, person_ids: list[int]) -> list[PersonRow]:
    """Table rows for these ids, in this order (ids no longer there are left out); the
    citizen ID masked unless the account may see it in full."""
    full_ids = access.can(access.require(s, "people"), "unmask")
    if not person_ids:
        return []
    people = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_(person_ids)))}
    person_ids = [pid for pid in person_ids if pid in people]
    labels = unit_labels(s, {p.unit_id for p in people.values() if p.unit_id})
    teams: dict[int, list[str]] = {}
    for pid, name in s.execute(
        select(TeamMembership.person_id, Team.name)
        .join(Team, Team.id == TeamMembership.team_id)
        .where(TeamMembership.person_id.in_(person_ids), TeamMembership.left_on.is_(None))
        .order_by(Team.name)
    ):
        teams.setdefault(pid, []).append(name.removeprefix("Tổ công nghệ số cộng đồng "))
    attended = dict(
        s.execute(
            select(Enrolment.person_id, func.count(func.distinct(Enrolment.course_id)))
            .join(Attendance, Attendance.enrolment_id == Enrolment.id)
            .where(Enrolment.person_id.in_(person_ids), Attendance.status.in_(ATTENDED))
            .group_by(Enrolment.person_id)
        ).all()
    )
    out = []
    for pid in person_ids:
        p = people[pid]
        out.append(
            PersonRow(
                id=p.id,
                full_name=p.full_name,
                birth_date=p.birth_date,
                birth_year_only=p.birth_year_only,
                gender=p.gender.value if p.gender else None,
                citizen_id=p.citizen_id if full_ids else (mask_citizen_id(p.citizen_id) or None),
                phone=p.phone,
                unit=labels.get(p.unit_id, "") if p.unit_id else "",
                workplace=p.workplace,
                position=p.position,
                teams="; ".join(teams.get(pid, [])),
                courses_attended=int(attended.get(pid, 0)),
                archived=p.archived_at is not None,
            )
        )
    return out


def get_person(s: Session, person_id: int) -> Person:
    """The ORM row, for services only; raises PersonNotFound."""
    access.require(s, "people")
    person = s.get(Person, person_id)
    if person is None:
        raise PersonNotFound(person_id)
    return person


def record_unmask(s: Session, reason: str) -> None:
    """An administrator shows citizen IDs in full: allowed with a reason, and audited."""
    from app.services import audit

    access.require(s, "unmask")
    if not reason.strip():
        raise InvalidValue("Hãy ghi lý do xem đủ số CCCD.")
    audit.record(s, "person.unmask", entity="people", note=reason.strip())

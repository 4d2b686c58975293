"""Community digital technology teams and their members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.errors import InvalidValue, UserError
from app.services import access, audit
from app.services.people import ATTENDED, get_person
from app.services.units import unit_labels
from app.vn import names
from models import (
    Attendance,
    Enrolment,
    MemberKind,
    Person,
    Team,
    TeamMembership,
    TeamRole,
    Unit,
    UnitLevel,
)

_MEMBER_FIELDS = ["role", "kind", "joined_on", "left_on"]


@dataclass(frozen=True)
class TeamNode:
    id: int
    name: str
    level: str
    unit_id: int
    unit: str
    parent_id: int | None
    established_on: date | None
    members: int
    trained: int


@dataclass(frozen=True)
class MemberRow:
    membership_id: int
    person_id: int
    full_name: str
    phone: str | None
    role: str
    kind: str
    joined_on: date | None
    left_on: date | None
    trained: bool
    version: int


@dataclass(frozen=True)
class MembershipForm:
    role: str = TeamRole.MEMBER.value
    kind: str = MemberKind.OTHER.value
    joined_on: date | None = None
    left_on: date | None = None


def _trained_flag():  # type: ignore[no-untyped-def]
    return (
        select(Attendance.id)
        .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
        .where(Enrolment.person_id == TeamMembership.person_id, Attendance.status.in_(ATTENDED))
        .exists()
    )


def tree(s: Session, include_dissolved: bool = False) -> list[TeamNode]:
    """The teams with their active member count and how many of them attended training.

    A team whose members all left (a district team after 30/06/2025, a commune team
    re-formed under the new commune) is shown only when asked; a new team without members
    yet is shown."""
    access.require(s, "teams")
    ever = set(s.scalars(select(TeamMembership.team_id).distinct()))
    counts = {
        team_id: (n, int(trained or 0))
        for team_id, n, trained in s.execute(
            select(
                TeamMembership.team_id,
                func.count(),
                func.sum(case((_trained_flag(), 1), else_=0)),
            )
            .where(TeamMembership.left_on.is_(None))
            .group_by(TeamMembership.team_id)
        )
    }
    teams = [
        t
        for t in s.scalars(select(Team))
        if include_dissolved or t.id in counts or t.id not in ever
    ]
    labels = unit_labels(s, {t.unit_id for t in teams})
    level_order = {lv: i for i, lv in enumerate(UnitLevel)}
    teams.sort(key=lambda t: (level_order[t.level], names.fold(labels.get(t.unit_id, t.name))))
    return [
        TeamNode(
            t.id,
            t.name,
            t.level.value,
            t.unit_id,
            labels.get(t.unit_id, ""),
            t.parent_id,
            t.established_on,
            *counts.get(t.id, (0, 0)),
        )
        for t in teams
    ]


def members(s: Session, team_id: int, include_left: bool = False) -> list[MemberRow]:
    """A team's members in Vietnamese name order (those who left only when asked)."""
    access.require(s, "teams")
    q = (
        select(TeamMembership, Person, _trained_flag())
        .join(Person, Person.id == TeamMembership.person_id)
        .where(TeamMembership.team_id == team_id)
    )
    if not include_left:
        q = q.where(TeamMembership.left_on.is_(None))
    rows = s.execute(q.order_by(Person.sort_key, Person.id))
    return [
        MemberRow(
            m.id,
            p.id,
            p.full_name,
            p.phone,
            m.role.value,
            m.kind.value,
            m.joined_on,
            m.left_on,
            bool(trained),
            m.version,
        )
        for m, p, trained in rows
    ]


def _check(form: MembershipForm) -> None:
    if form.role not in {r.value for r in TeamRole}:
        raise InvalidValue("Vai trò trong tổ không hợp lệ.")
    if form.kind not in {k.value for k in MemberKind}:
        raise InvalidValue("Thành phần không hợp lệ.")
    if form.joined_on and form.left_on and form.left_on < form.joined_on:
        raise InvalidValue("Ngày rời tổ phải sau ngày vào tổ.")


def add_member(s: Session, team_id: int, person_id: int, form: MembershipForm) -> MemberRow:
    """Add a person to a team; refuses someone who is already an active member."""
    access.require(s, "teams")
    _check(form)
    team = s.get(Team, team_id)
    if team is None:
        raise UserError(f"Không tìm thấy tổ mã {team_id}.")
    person = get_person(s, person_id)
    already = s.scalar(
        select(TeamMembership.id).where(
            TeamMembership.team_id == team_id,
            TeamMembership.person_id == person_id,
            TeamMembership.left_on.is_(None),
        )
    )
    if already is not None:
        raise InvalidValue(f"“{person.full_name}” đã là thành viên của {team.name}.")
    m = TeamMembership(
        team_id=team_id,
        person_id=person_id,
        role=TeamRole(form.role),
        kind=MemberKind(form.kind),
        joined_on=form.joined_on,
        left_on=form.left_on,
    )
    s.add(m)
    s.flush()
    audit.record(
        s,
        "team.add_member",
        m,
        after=audit.snapshot(m, ["team_id", "person_id", *_MEMBER_FIELDS]),
    )
    return _member_row(s, m.id)


def update_member(s: Session, membership_id: int, form: MembershipForm, version: int) -> MemberRow:
    """Change role, kind or dates of a membership edited on the given version."""
    access.require(s, "teams")
    _check(form)
    m = s.get(TeamMembership, membership_id)
    if m is None:
        raise UserError("Không tìm thấy thành viên này trong tổ.")
    if m.version != version:
        raise UserError("Thành viên này vừa được người khác sửa; hãy mở lại rồi sửa tiếp.")
    before = audit.snapshot(m, _MEMBER_FIELDS)
    m.role, m.kind = TeamRole(form.role), MemberKind(form.kind)
    m.joined_on, m.left_on = form.joined_on, form.left_on
    s.flush()
    old, new = audit.changes(before, audit.snapshot(m, _MEMBER_FIELDS))
    if new:
        audit.record(s, "team.update_member", m, before=old, after=new)
    return _member_row(s, m.id)


def remove_member(s: Session, membership_id: int) -> None:
    """Delete a membership entered by mistake (someone who left gets a leave date instead)."""
    access.require(s, "teams")
    m = s.get(TeamMembership, membership_id)
    if m is None:
        raise UserError("Không tìm thấy thành viên này trong tổ.")
    audit.record(
        s,
        "team.remove_member",
        m,
        before=audit.snapshot(m, ["team_id", "person_id", *_MEMBER_FIELDS]),
    )
    s.delete(m)
    s.flush()


def _member_row(s: Session, membership_id: int) -> MemberRow:
    m = s.get_one(TeamMembership, membership_id)
    return next(r for r in members(s, m.team_id, include_left=True) if r.membership_id == m.id)


def create_team(
    s: Session,
    name: str,
    unit_id: int,
    parent_id: int | None = None,
    established_on: date | None = None,
) -> TeamNode:
    """A new team at a unit; its level is the unit's level."""
    access.require(s, "teams")
    unit = s.get(Unit, unit_id)
    if unit is None:
        raise InvalidValue("Hãy chọn đơn vị hành chính của tổ.")
    clean = names.nfc(" ".join(name.split())) or f"Tổ công nghệ số cộng đồng {unit.name}"
    if s.scalar(select(Team.id).where(Team.unit_id == unit_id, Team.name == clean)):
        raise InvalidValue(f"{unit.name} đã có “{clean}”.")
    team = Team(
        name=clean,
        level=unit.level,
        unit_id=unit_id,
        parent_id=parent_id,
        established_on=established_on,
    )
    s.add(team)
    s.flush()
    audit.record(s, "team.create", team, after={"name": clean, "unit_id": unit_id})
    return next(t for t in tree(s, include_dissolved=True) if t.id == team.id)

"""What a certificate says of its holder, worded on the day of issue: "Ông"/"Bà", the unit
with its commune/ward and province, the grade from the course's bands. Kept in the
certificate's snapshot, so a later edit of the person, team or course changes nothing
printed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.vn import names
from models import Course, Gender, Person, Team, TeamMembership, Unit, UnitLevel

SALUTATION = {Gender.MALE: "Ông", Gender.FEMALE: "Bà"}
# The most specific team first: a hamlet team member is named by the hamlet's team.
_DEPTH = {UnitLevel.HAMLET: 0, UnitLevel.COMMUNE: 1, UnitLevel.DISTRICT: 2, UnitLevel.PROVINCE: 3}
GRADES = ("Giỏi", "Khá", "Đạt")
CHUNK = 500  # ids in one IN (…): well under SQLite's and PostgreSQL's limits


def salutation(gender: Gender | str | None) -> str:
    """ "Ông" or "Bà"; nothing when the gender is not recorded."""
    return SALUTATION.get(Gender(gender), "") if gender else ""


def grade(course: Course, score: float | None) -> str | None:
    """Giỏi / Khá / Đạt from the final score and the course's bands; None without bands or
    without a score."""
    if score is None or course.grade_excellent is None or course.grade_good is None:
        return None
    if score >= course.grade_excellent:
        return GRADES[0]
    return GRADES[1] if score >= course.grade_good else GRADES[2]


def _in_sentence(unit: Unit) -> str:
    """ "Xã Đại Điền" -> "xã Đại Điền": a unit's kind is lower case after a comma."""
    kind = unit.kind or ""
    if kind and unit.name.startswith(kind):
        return kind.lower() + unit.name[len(kind) :]
    return unit.name


def _with_parents(s: Session, first: str, unit_id: int | None) -> str:
    """first, then the unit and the units above it that first does not already name:
    "Tổ công nghệ số cộng đồng ấp Phú Hòa, xã Đại Điền, tỉnh Vĩnh Long"."""
    parts = [first] if first else []
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        unit = s.get(Unit, unit_id)
        if unit is None:
            break
        if names.fold(unit.name) not in names.fold(", ".join(parts)):
            label = _in_sentence(unit)
            parts.append(label if parts else label[:1].upper() + label[1:])
        unit_id = unit.parent_id
    return ", ".join(parts)


def _teams_on(s: Session, person_ids: list[int], on: date) -> dict[int, Team]:
    """Each person's most local team on that day (one query a few hundred people)."""
    found: dict[int, list[Team]] = {}
    for start in range(0, len(person_ids), CHUNK):
        for pid, team in s.execute(
            select(TeamMembership.person_id, Team)
            .join(Team, TeamMembership.team_id == Team.id)
            .where(
                TeamMembership.person_id.in_(person_ids[start : start + CHUNK]),
                or_(TeamMembership.joined_on.is_(None), TeamMembership.joined_on <= on),
                or_(TeamMembership.left_on.is_(None), TeamMembership.left_on >= on),
            )
            .order_by(Team.id)
        ):
            found.setdefault(pid, []).append(team)
    return {pid: min(teams, key=lambda t: _depth(t.level)) for pid, teams in found.items()}


def _depth(level: UnitLevel | str) -> int:
    return _DEPTH.get(UnitLevel(level), 9)


def unit_line(s: Session, p: Person, on: date) -> str:
    """Where the holder works on the day of issue: their team then (the most local one),
    with its commune/ward and province; else their own unit so placed; else the
    workplace they gave."""
    return unit_lines(s, [p], on)[p.id]


def unit_lines(s: Session, people: list[Person], on: date) -> dict[int, str]:
    """unit_line of many people at once, by person id."""
    teams = _teams_on(s, [p.id for p in people], on)
    return {p.id: _unit_line(s, p, teams.get(p.id)) for p in people}


def _unit_line(s: Session, p: Person, team: Team | None) -> str:
    if team is not None:
        return _with_parents(s, team.name, team.unit_id)
    if p.unit_id is not None:
        return _with_parents(s, "", p.unit_id)
    return p.workplace or ""

"""The people behind a bar of the dashboard, and their export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import (
    and_,
    distinct,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from app.report_data import (
    PersonLine,
    ReportFilter,
)
from app.services import access
from app.services import report_scope as scope
from app.services.units import unit_labels
from models import (
    Enrolment,
    Person,
    SessionTopic,
    Team,
    TeamMembership,
    UnitLevel,
)
from models import Session as CourseSession

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
    t = scope.trained_rows(f)
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
        communes = scope.trained_communes(s, f).subquery()
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

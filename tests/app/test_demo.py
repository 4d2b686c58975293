"""Demo data: deterministic, realistic, consistent with the schema on both engines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.db import Database
from app.demo import generate
from app.demo.base import DEMO_TODAY
from app.services import settings
from app.vn import ids, names
from app.vn.units import SCHEME_2025_FROM
from models import (
    Attendance,
    Certificate,
    Course,
    Person,
    Team,
    TeamMembership,
    Unit,
    UnitLevel,
    UnitLineage,
    UnitScheme,
)
from models import Session as CourseSession


def test_demo_fills_a_living_database(db: Database) -> None:
    summary = generate.fill(db, scale=1, seed=2022, today=DEMO_TODAY)
    assert 3_800 <= summary.counts["people"] <= 4_300
    assert summary.counts["attendance"] > 30_000
    with db.transaction(readonly=True) as s:

        def levels(before: bool) -> dict[UnitLevel, int]:
            when = Team.established_on < SCHEME_2025_FROM
            q = select(Team.level, func.count()).where(when if before else ~when)
            return dict(s.execute(q.group_by(Team.level)).all())

        assert levels(before=True) == {
            UnitLevel.DISTRICT: 9,
            UnitLevel.COMMUNE: 129,
            UnitLevel.HAMLET: 427,
        }
        # From 01/07/2025: no district teams; the commune teams merged as their communes did.
        after = levels(before=False)
        assert set(after) == {UnitLevel.COMMUNE, UnitLevel.HAMLET}
        assert after[UnitLevel.HAMLET] == 427 and 30 <= after[UnitLevel.COMMUNE] < 129
        official = dict(
            s.execute(
                select(Unit.level, func.count())
                .where(Unit.scheme == UnitScheme.Y2025)
                .group_by(Unit.level)
            ).all()
        )
        hamlets = official.pop(UnitLevel.HAMLET)  # each old ấp, khu phố under its new commune
        assert official == {UnitLevel.PROVINCE: 34, UnitLevel.COMMUNE: 3321}
        old_hamlets = s.scalar(
            select(func.count()).where(
                Unit.scheme == UnitScheme.PRE2025, Unit.level == UnitLevel.HAMLET
            )
        )
        assert hamlets == old_hamlets
        # Old communes lead to their 2025 successors; Đại Điền kept its name.
        dai_dien_old = s.scalar(
            select(Unit.id).where(Unit.scheme == UnitScheme.PRE2025, Unit.name == "Xã Đại Điền")
        )
        successor = s.scalar(
            select(Unit.name)
            .join(UnitLineage, UnitLineage.successor_id == Unit.id)
            .where(UnitLineage.predecessor_id == dai_dien_old)
        )
        assert successor == "Xã Đại Điền"
        # Serials stay unique across the years: the demo's pattern carries the year.
        assert settings.get(s, "serial_pattern") == "{seq:04d}/{year}/GCN-SKHCN"
        for p in s.scalars(select(Person).limit(300)):
            assert names.normalise(p.full_name) == p.full_name
            assert p.sort_key == names.sort_key(names.split(p.full_name))
            if p.citizen_id:
                assert ids.normalise_citizen_id(p.citizen_id) == p.citizen_id
            if p.phone:
                assert ids.phone(p.phone) == p.phone
        # New rows after the bulk load get fresh ids (PostgreSQL sequences moved on).
        p = Person(full_name="Cù Thanh Sơn", given_name="Sơn", sort_key="x", search_key="cu")
    with db.transaction() as s:
        s.add(p)
    with db.transaction(readonly=True) as s:
        assert (
            s.scalar(select(func.count()).select_from(Attendance)) == summary.counts["attendance"]
        )


def test_demo_is_deterministic(tmp_path: Path) -> None:
    """Same seed and same today, same data (a certificate's verification code excepted:
    it is a secret, drawn by the certificate service)."""

    def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
        db = Database(str(path))
        db.upgrade()
        generate.fill(db, scale=1, seed=5, today=date(2026, 3, 2))
        queries = {
            "people": select(Person.full_name, Person.citizen_id, Person.unit_id, Person.workplace),
            "teams": select(Team.name, Team.unit_id, Team.parent_id, Team.established_on),
            "members": select(
                TeamMembership.team_id, TeamMembership.person_id, TeamMembership.left_on
            ),
            "courses": select(Course.code, Course.title, Course.status, Course.start_date),
            "sessions": select(CourseSession.course_id, CourseSession.starts_at),
            "certificates": select(
                Certificate.serial, Certificate.issued_on, Certificate.person_id
            ),
        }
        with db.transaction(readonly=True) as s:
            found = {
                k: [
                    tuple(r)
                    for r in s.execute(q.order_by(q.selected_columns[0], *q.selected_columns[1:]))
                ]
                for k, q in queries.items()
            }
        db.close()
        return found

    a, b = rows(tmp_path / "a.db"), rows(tmp_path / "b.db")
    assert a["certificates"] and a["courses"]
    assert a == b

"""Demo data: deterministic, realistic, consistent with the schema on both engines."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.db import Database
from app.demo import generate
from app.services import settings
from app.vn import ids, names
from models import Attendance, Person, Team, Unit, UnitLevel, UnitLineage, UnitScheme


def test_demo_fills_a_living_database(db: Database) -> None:
    summary = generate.fill(db, scale=1, seed=2022)
    assert 3_800 <= summary.counts["people"] <= 4_300
    assert summary.counts["attendance"] > 30_000
    with db.transaction(readonly=True) as s:
        levels = dict(s.execute(select(Team.level, func.count()).group_by(Team.level)).all())
        assert levels == {
            UnitLevel.DISTRICT: 9,
            UnitLevel.COMMUNE: 129,
            UnitLevel.HAMLET: 427,
        }
        official = dict(
            s.execute(
                select(Unit.level, func.count())
                .where(Unit.scheme == UnitScheme.Y2025)
                .group_by(Unit.level)
            ).all()
        )
        assert official == {UnitLevel.PROVINCE: 34, UnitLevel.COMMUNE: 3321}
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
    def people(path: Path) -> list[tuple[str, str | None]]:
        db = Database(str(path))
        db.upgrade()
        generate.fill(db, scale=1, seed=5)
        with db.transaction(readonly=True) as s:
            rows = s.execute(select(Person.full_name, Person.citizen_id).order_by(Person.id))
            result = [tuple(r) for r in rows]
        db.close()
        return result  # type: ignore[return-value]

    assert people(tmp_path / "a.db") == people(tmp_path / "b.db")

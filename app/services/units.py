"""Administrative units: seeding the official list and reading the tree."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.vn import names
from app.vn.units import SCHEME_2025_FROM, official_units
from models import Unit, UnitLevel, UnitScheme


@dataclass(frozen=True)
class SeedResult:
    provinces: int
    communes: int
    added: int


def seed_official(s: Session) -> SeedResult:
    """Add the current official units that are not there yet; running it twice adds nothing."""
    existing = {
        (level, code): uid
        for level, code, uid in s.execute(
            select(Unit.level, Unit.code, Unit.id).where(Unit.scheme == UnitScheme.Y2025)
        )
    }
    records = list(official_units())
    added = 0
    for level, wanted in ((UnitLevel.PROVINCE, True), (UnitLevel.COMMUNE, False)):
        rows = []
        for u in records:
            if (u.parent_code is None) != wanted or (level, u.code) in existing:
                continue
            parent_id = existing.get((UnitLevel.PROVINCE, u.parent_code)) if u.parent_code else None
            rows.append(
                {
                    "scheme": UnitScheme.Y2025,
                    "level": level,
                    "code": u.code,
                    "name": u.name,
                    "kind": u.kind,
                    "parent_id": parent_id,
                    "valid_from": SCHEME_2025_FROM,
                    "search_key": names.fold(u.name),
                }
            )
        if rows:
            s.execute(insert(Unit), rows)
            added += len(rows)
            existing.update(
                {
                    (lv, code): uid
                    for lv, code, uid in s.execute(
                        select(Unit.level, Unit.code, Unit.id).where(
                            Unit.scheme == UnitScheme.Y2025, Unit.level == level
                        )
                    )
                }
            )
    counts = dict(
        s.execute(
            select(Unit.level, func.count())
            .where(Unit.scheme == UnitScheme.Y2025)
            .group_by(Unit.level)
        ).all()
    )
    return SeedResult(counts.get(UnitLevel.PROVINCE, 0), counts.get(UnitLevel.COMMUNE, 0), added)

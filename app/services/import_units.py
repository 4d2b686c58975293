"""Import: the Xã/phường and Ấp/khu phố columns of a row turned into a unit."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import import_memo as memo
from app.services.import_columns import FIELD_LABELS
from app.services.import_rows import Issue, PlannedRow
from models import Setting, Unit, UnitLevel


def resolve_units(s: Session, rows: list[PlannedRow]) -> None:
    """Xã/phường and ấp/khu phố columns -> a unit, preferring the department's province."""
    wanted = {r.values.get("commune") for r in rows if r.values.get("commune")}
    if not wanted:
        return
    communes: dict[str, list[Unit]] = {}
    for u in s.scalars(select(Unit).where(Unit.level == UnitLevel.COMMUNE)):
        communes.setdefault(_bare_key(u.name), []).append(u)
    home = _home_province(s)
    for r in rows:
        commune_name = r.values.pop("commune", None)
        hamlet_name = r.values.pop("hamlet", None)
        if not commune_name:
            continue
        options = communes.get(_bare_key(commune_name), [])
        if len(options) > 1 and home is not None:
            options = [u for u in options if _province_of(s, u) in home] or options
        if len(options) != 1:
            why = "không có trong danh mục" if not options else "trùng tên ở nhiều tỉnh"
            r.issues.append(
                Issue(
                    r.row,
                    FIELD_LABELS["commune"],
                    commune_name,
                    f"đơn vị {why}; chưa gán đơn vị cho người này.",
                    error=False,
                )
            )
            continue
        unit = options[0]
        r.values["unit_id"] = unit.id
        if hamlet_name:
            hamlet = s.scalar(
                select(Unit.id).where(
                    Unit.parent_id == unit.id,
                    Unit.level == UnitLevel.HAMLET,
                    Unit.search_key.like(f"%{_bare_key(hamlet_name)}"),
                )
            )
            if hamlet is not None:
                r.values["unit_id"] = hamlet
            else:
                r.issues.append(
                    Issue(
                        r.row,
                        FIELD_LABELS["hamlet"],
                        hamlet_name,
                        f"chưa có trong danh mục của {unit.name}; đã gán vào {unit.name}.",
                        error=False,
                    )
                )


_KIND_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu|ap|khu pho|thon|khom|to dan pho)\s+")


def _bare_key(name: str) -> str:
    return _KIND_PREFIX.sub("", memo.fold(name))


def _home_province(s: Session) -> set[int] | None:
    setting = s.get(Setting, "home_province_codes")
    codes = setting.value if setting else None
    if not codes:
        return None
    return set(
        s.scalars(select(Unit.id).where(Unit.level == UnitLevel.PROVINCE, Unit.code.in_(codes)))
    )


def _province_of(s: Session, unit: Unit) -> int | None:
    current: Unit | None = unit
    while current is not None and current.level != UnitLevel.PROVINCE:
        current = s.get(Unit, current.parent_id) if current.parent_id else None
    return current.id if current else None

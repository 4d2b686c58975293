"""Short lists for pickers and filters: (id, label) pairs, in the order people expect."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.units import unit_labels
from app.vn import names
from models import Course, Team, Topic, Unit, UnitLevel, UnitScheme

Choice = tuple[int, str]


def teams(s: Session) -> list[Choice]:
    rows = list(s.execute(select(Team.id, Team.name)))
    return sorted(((tid, name) for tid, name in rows), key=lambda r: names.fold(r[1]))


def courses(s: Session) -> list[Choice]:
    rows = s.execute(
        select(Course.id, Course.code, Course.title).order_by(Course.start_date.desc())
    )
    return [(cid, f"{code} – {title}") for cid, code, title in rows]


def topics(s: Session) -> list[Choice]:
    return [
        (tid, name)
        for tid, name in s.execute(select(Topic.id, Topic.name).order_by(Topic.sort_order))
    ]


def units_for_people(s: Session, province_codes: list[str] | None = None) -> list[Choice]:
    """Communes and hamlets (old and new) and historical districts, labelled for a picker.

    With province codes, 2025 communes are limited to those provinces (the whole country
    has 3,321 of them); pre-2025 units and hamlets are always listed.
    """
    q = select(Unit.id).where(Unit.level != UnitLevel.PROVINCE)
    if province_codes:
        provinces = select(Unit.id).where(
            Unit.level == UnitLevel.PROVINCE, Unit.code.in_(province_codes)
        )
        q = q.where(
            (Unit.scheme == UnitScheme.PRE2025)
            | (Unit.level == UnitLevel.HAMLET)
            | Unit.parent_id.in_(provinces)
        )
    ids = set(s.scalars(q))
    labels = unit_labels(s, set(ids))
    schemes = (
        dict(s.execute(select(Unit.id, Unit.scheme).where(Unit.id.in_(ids))).all())
        if len(ids) < 30000
        else {}
    )
    out = []
    for uid, label in labels.items():
        old = schemes.get(uid) == UnitScheme.PRE2025
        out.append(
            (
                uid,
                f"{label} (trước 2025)"
                if old and "Ấp" not in label and "Khu phố" not in label
                else label,
            )
        )
    return sorted(out, key=lambda r: names.fold(r[1]))


def home_provinces(s: Session) -> list[str]:
    from models import Setting

    setting = s.get(Setting, "home_province_codes")
    return list(setting.value) if setting and setting.value else []


def report_areas(s: Session, province_codes: list[str] | None = None) -> list[Choice]:
    """Areas a report can cover: provinces, then 2025 communes and wards (of the home
    provinces, when set), then the pre-2025 districts and communes, each group by name."""
    level_order = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}
    q = select(Unit.id, Unit.kind, Unit.name, Unit.level, Unit.scheme, Unit.code).where(
        Unit.level != UnitLevel.HAMLET
    )
    rows = list(s.execute(q))
    if province_codes:
        home = {uid for uid, _k, _n, level, _s, code in rows
                if level == UnitLevel.PROVINCE and code in province_codes}  # fmt: skip
        parents = dict(
            s.execute(select(Unit.id, Unit.parent_id).where(Unit.level != UnitLevel.HAMLET)).all()
        )
        rows = [
            r for r in rows
            if r.scheme == UnitScheme.PRE2025 or r.id in home or parents.get(r.id) in home
        ]  # fmt: skip

    def label(kind: str, name: str, level: UnitLevel, scheme: UnitScheme) -> str:
        text = name if name.startswith(kind) else f"{kind} {name}"
        return f"{text} (trước 2025)" if scheme == UnitScheme.PRE2025 else text

    def order(r) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
        old = r.scheme == UnitScheme.PRE2025
        return (int(old), level_order.get(r.level, 3), names.fold(r.name))

    return [(r.id, label(r.kind, r.name, r.level, r.scheme)) for r in sorted(rows, key=order)]

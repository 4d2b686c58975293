"""Administrative units: seeding the official list and reading the tree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, aliased

from app.errors import InvalidValue
from app.services import access, audit
from app.vn import names
from app.vn.units import PRE2025_UNTIL, SCHEME_2025_FROM, official_units
from models import Unit, UnitLevel, UnitLineage, UnitScheme


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


# -- reading the tree ------------------------------------------------------------


@dataclass(frozen=True)
class UnitNode:
    id: int
    scheme: str
    level: str
    code: str | None
    name: str
    kind: str
    parent_id: int | None
    valid_to: date | None
    children: int
    successors: tuple[str, ...] = ()


def _tree(s: Session) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    children: dict[int, list[int]] = {}
    for uid, parent in s.execute(select(Unit.id, Unit.parent_id)):
        if parent is not None:
            children.setdefault(parent, []).append(uid)
    predecessors: dict[int, list[int]] = {}
    for old, new in s.execute(select(UnitLineage.predecessor_id, UnitLineage.successor_id)):
        predecessors.setdefault(new, []).append(old)
    return children, predecessors


def unit_scope(s: Session, unit_id: int) -> set[int]:
    """A unit, everything below it, and the old units that became it (and below them).

    So a filter on "Xã Đại Điền" (2025) finds people recorded at the pre-2025 commune
    and its hamlets, and a filter on a historical district finds its communes' people.
    """
    children, predecessors = _tree(s)
    scope: set[int] = set()
    todo = [unit_id]
    while todo:
        uid = todo.pop()
        if uid in scope:
            continue
        scope.add(uid)
        todo.extend(children.get(uid, []))
        todo.extend(predecessors.get(uid, []))
    return scope


def unit_labels(s: Session, unit_ids: set[int | None]) -> dict[int, str]:
    """ "Ấp 1, Xã Đại Điền" for a hamlet; the name alone for anything else."""
    wanted = {u for u in unit_ids if u is not None}
    if not wanted:
        return {}
    parent = aliased(Unit)
    rows = s.execute(
        select(Unit.id, Unit.name, Unit.level, parent.name)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .where(Unit.id.in_(wanted))
    )
    return {
        uid: f"{name}, {parent_name}" if level == UnitLevel.HAMLET and parent_name else name
        for uid, name, level, parent_name in rows
    }


def successors_now(s: Session, unit_id: int) -> list[int]:
    """Roll an old unit up to the 2025 units that took it over (itself if it is current)."""
    unit = s.get(Unit, unit_id)
    if unit is None:
        return []
    if unit.scheme == UnitScheme.Y2025:
        return [unit.id]
    if unit.level == UnitLevel.HAMLET and unit.parent_id is not None:
        return successors_now(s, unit.parent_id)
    found: list[int] = []
    for succ in s.scalars(
        select(UnitLineage.successor_id).where(UnitLineage.predecessor_id == unit_id)
    ):
        for current in successors_now(s, succ):
            if current not in found:
                found.append(current)
    return found


def children_of(s: Session, parent_id: int | None, scheme: str | None = None) -> list[UnitNode]:
    """One level of the tree (top level when parent_id is None), by name."""
    child = aliased(Unit)
    n_children = (
        select(func.count()).select_from(child).where(child.parent_id == Unit.id).scalar_subquery()
    )
    q = select(Unit, n_children).where(
        Unit.parent_id == parent_id if parent_id is not None else Unit.parent_id.is_(None)
    )
    if scheme is not None:
        q = q.where(Unit.scheme == UnitScheme(scheme))
    nodes = []
    for unit, n in s.execute(q.order_by(Unit.search_key)):
        succ = tuple(
            s.scalars(
                select(Unit.name)
                .join(UnitLineage, UnitLineage.successor_id == Unit.id)
                .where(UnitLineage.predecessor_id == unit.id)
            )
        )
        nodes.append(
            UnitNode(
                unit.id,
                unit.scheme.value,
                unit.level.value,
                unit.code,
                unit.name,
                unit.kind,
                unit.parent_id,
                unit.valid_to,
                n,
                succ,
            )
        )
    return nodes


def search(
    s: Session, text: str, limit: int = 30, scheme: str | None = None
) -> list[tuple[int, str]]:
    """Units whose name contains the text (diacritics ignored): (id, label)."""
    words = names.fold(text).split()
    if not words:
        return []
    q = select(Unit.id).where(*[Unit.search_key.like(f"%{w}%") for w in words])
    if scheme is not None:
        q = q.where(Unit.scheme == UnitScheme(scheme))
    found = list(s.scalars(q.order_by(Unit.level, Unit.search_key).limit(limit)))
    labels = unit_labels(s, set(found))
    return [(uid, labels[uid]) for uid in found]


_HAMLET_KINDS = ("Ấp", "Khu phố", "Thôn", "Tổ dân phố", "Khóm", "Buôn", "Bản")


def add_hamlet(s: Session, commune_id: int, name: str) -> UnitNode:
    """Add an ấp / khu phố under a commune or ward (old or new)."""
    access.require(s, "teams")
    commune = s.get(Unit, commune_id)
    if commune is None or commune.level != UnitLevel.COMMUNE:
        raise InvalidValue("Ấp/khu phố phải thuộc một xã, phường.")
    clean = names.nfc(" ".join(name.split()))
    if not clean:
        raise InvalidValue("Tên ấp/khu phố không được để trống.")
    kind = next(
        (k for k in _HAMLET_KINDS if names.fold(clean).startswith(names.fold(k) + " ")), None
    )
    if kind is None:
        kind, clean = "Ấp", f"Ấp {clean}"
    else:
        clean = kind + clean[len(kind) :]  # "khu phố 3" -> "Khu phố 3"
    dup = s.scalar(
        select(Unit.id).where(Unit.parent_id == commune_id, Unit.search_key == names.fold(clean))
    )
    if dup is not None:
        raise InvalidValue(f"{commune.name} đã có “{clean}”.")
    unit = Unit(
        scheme=commune.scheme,
        level=UnitLevel.HAMLET,
        code=None,
        name=clean,
        kind=kind,
        parent_id=commune_id,
        search_key=names.fold(clean),
    )
    s.add(unit)
    s.flush()
    audit.record(s, "unit.create", unit, after={"name": clean, "parent_id": commune_id})
    return children_of_one(s, unit.id)


def add_historical(
    s: Session,
    level: str,
    name: str,
    kind: str,
    parent_id: int | None,
    successor_ids: list[int],
    code: str | None = None,
) -> UnitNode:
    """Enter a pre-2025 district or commune, valid until 30/06/2025, with its successors."""
    access.require(s, "teams")
    if level not in (UnitLevel.DISTRICT.value, UnitLevel.COMMUNE.value, UnitLevel.PROVINCE.value):
        raise InvalidValue("Đơn vị cũ phải là tỉnh, huyện hoặc xã.")
    clean = names.nfc(" ".join(name.split()))
    if not clean:
        raise InvalidValue("Tên đơn vị không được để trống.")
    if code and s.scalar(
        select(Unit.id).where(
            Unit.scheme == UnitScheme.PRE2025, Unit.level == UnitLevel(level), Unit.code == code
        )
    ):
        raise InvalidValue(f"Mã {code} đã dùng cho một đơn vị cũ cùng cấp.")
    unit = Unit(
        scheme=UnitScheme.PRE2025,
        level=UnitLevel(level),
        code=code or None,
        name=clean,
        kind=kind,
        parent_id=parent_id,
        valid_to=PRE2025_UNTIL,
        search_key=names.fold(clean),
    )
    s.add(unit)
    s.flush()
    for succ in successor_ids:
        target = s.get(Unit, succ)
        if target is None or target.scheme != UnitScheme.Y2025:
            raise InvalidValue(
                "Đơn vị kế thừa phải là đơn vị hành chính hiện hành (từ 01/07/2025)."
            )
        s.add(UnitLineage(predecessor_id=unit.id, successor_id=succ))
    s.flush()
    audit.record(s, "unit.create", unit, after={"name": clean, "successors": successor_ids})
    return children_of_one(s, unit.id)


def children_of_one(s: Session, unit_id: int) -> UnitNode:
    unit = s.get_one(Unit, unit_id)
    return next(n for n in children_of(s, unit.parent_id) if n.id == unit_id)

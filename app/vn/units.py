"""Official administrative units from vietnam-provinces, as plain records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

# The two-level system (province, commune/ward) took effect on this date.
SCHEME_2025_FROM = date(2025, 7, 1)
PRE2025_UNTIL = date(2025, 6, 30)

_KINDS = {
    "tỉnh": "Tỉnh",
    "thành phố trung ương": "Thành phố",
    "xã": "Xã",
    "phường": "Phường",
    "đặc khu": "Đặc khu",
}


@dataclass(frozen=True)
class OfficialUnit:
    code: str
    name: str
    kind: str
    parent_code: str | None  # province code for a commune


def display_name(kind: str, name: str) -> str:
    """ "Vĩnh Long" -> "Tỉnh Vĩnh Long"; names that already carry their kind stay as they are."""
    return name if name.lower().startswith(kind.lower()) else f"{kind} {name}"


def official_units() -> Iterator[OfficialUnit]:
    """34 provinces and cities, then 3,321 communes, wards and special zones."""
    from vietnam_provinces import Province, Ward  # a large module: load only when seeding

    for p in Province.iter_all():
        kind = _KINDS[p.division_type.value]
        yield OfficialUnit(f"{p.code.value:02d}", display_name(kind, p.name), kind, None)
    for w in Ward.iter_all():
        kind = _KINDS[w.division_type.value]
        yield OfficialUnit(
            f"{w.code.value:05d}", display_name(kind, w.name), kind, f"{w.province_code.value:02d}"
        )

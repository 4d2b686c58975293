"""This year's targets (set in Cài đặt, shown on Tổng quan): whole numbers, shares in
per cent of the team members of a level. Kept as settings; empty means no target (0 is
refused: a target of nothing is no target, and Tổng quan would show none)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.errors import InvalidValue

PEOPLE = "target_people_trained"
CERTIFICATES = "target_certificates"
# The team levels of the period after 1 July 2025, each with its share target.
SHARES = {
    "province": "target_share_province",
    "commune": "target_share_commune",
    "hamlet": "target_share_hamlet",
}
KEYS = (PEOPLE, *SHARES.values(), CERTIFICATES)
MAX_COUNT = 10_000_000
_WHOLE = re.compile(r"^\d+$|^\d{1,3}(\.\d{3})+$")  # 1500 or 1.500 (the Vietnamese way)


@dataclass(frozen=True)
class Targets:
    people_trained: int | None
    certificates: int | None
    shares: dict[str, int | None]  # team level -> per cent


def check(key: str, label: str, text: str) -> str:
    """The value to store for a target: digits only, or "" for none; else InvalidValue
    naming the setting and what to write."""
    value = text.replace(" ", "").replace("\u00a0", "")
    share = key in SHARES.values()
    if share:
        value = value.removesuffix("%")
    if not value:
        return ""
    if not _WHOLE.match(value):
        what = "một số nguyên từ 1 đến 100 (phần trăm)" if share else "một số nguyên, ví dụ 1.500"
        raise InvalidValue(f"{label}: ghi {what}, không phải “{text.strip()}”; để trống nếu "
                           "không đặt chỉ tiêu.")  # fmt: skip
    number = int(value.replace(".", ""))
    if number == 0:
        raise InvalidValue(f"{label}: chỉ tiêu phải lớn hơn 0; để trống nếu không đặt chỉ tiêu.")
    if share and number > 100:
        raise InvalidValue(f"{label}: tỷ lệ phải từ 1 đến 100 %, không phải {number} %.")
    if number > MAX_COUNT:
        raise InvalidValue(f"{label}: {text.strip()} lớn quá (tối đa 10.000.000).")
    return str(number)


def read(stored: Callable[[str], str]) -> Targets:
    """The targets set (None where not set), from stored(key): the settings' values. A 0
    stored before it was refused counts as not set."""

    def value(key: str) -> int | None:
        text = stored(key)
        return int(text) if text.isdigit() and int(text) > 0 else None

    return Targets(
        value(PEOPLE), value(CERTIFICATES), {level: value(k) for level, k in SHARES.items()}
    )

"""Citizen identity numbers (CCCD) and phone numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.errors import DoubtfulValue, InvalidValue

# Province codes of the 12-digit citizen ID (Thông tư 07/2016/TT-BCA): the 63 provinces
# before the 2025 merger. IDs keep the code they were issued with.
CITIZEN_ID_PROVINCES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)

# Current mobile prefixes (after the 2018 switch from 11 to 10 digits).
MOBILE_PREFIXES = frozenset(
    [
        *("032", "033", "034", "035", "036", "037", "038", "039"),  # Viettel
        *("052", "055", "056", "058", "059"),  # Vietnamobile, Reddi, Gmobile
        *("070", "076", "077", "078", "079"),  # MobiFone
        *("081", "082", "083", "084", "085", "086", "087", "088", "089"),
        *("090", "091", "092", "093", "094", "096", "097", "098", "099"),
    ]
)

_SEPARATORS = re.compile(r"[\s.\-()/]")


@dataclass(frozen=True)
class CitizenIdInfo:
    number: str
    province_code: str
    male: bool
    birth_year: int


def _digits_of(value: object) -> str:
    if isinstance(value, bool):
        raise InvalidValue("Giá trị không phải là số.")
    if isinstance(value, float):
        if not value.is_integer():
            raise InvalidValue(f"“{value}” không phải là một dãy số.")
        value = int(value)
    return _SEPARATORS.sub("", str(value).strip())


def citizen_id(value: object) -> CitizenIdInfo:
    """A 12-digit CCCD, with the leading zeros Excel drops restored; raises InvalidValue."""
    digits = _digits_of(value)
    if not digits:
        raise InvalidValue("Số CCCD trống.")
    if not digits.isdigit():
        raise InvalidValue(f"Số CCCD “{value}” chỉ được gồm chữ số.")
    if len(digits) in (10, 11):
        digits = digits.zfill(12)  # Excel stored it as a number: "001..." loses two zeros
    if len(digits) == 9:  # the old identity card, replaced by the 12-digit CCCD
        raise DoubtfulValue(
            f"“{value}” có 9 chữ số: đó là số chứng minh nhân dân (CMND) cũ, không phải số "
            "CCCD 12 chữ số."
        )
    if len(digits) != 12:
        raise InvalidValue(f"Số CCCD “{value}” phải có 12 chữ số (đang có {len(digits)}).")
    province = digits[:3]
    if province not in CITIZEN_ID_PROVINCES:
        raise DoubtfulValue(f"Số CCCD “{digits}” có mã tỉnh {province} không tồn tại.")
    century_gender = int(digits[3])
    if century_gender > 3:
        raise DoubtfulValue(
            f"Số CCCD “{digits}”: chữ số thứ 4 (thế kỷ và giới tính) phải từ 0 đến 3."
        )
    year = (1900 if century_gender < 2 else 2000) + int(digits[4:6])
    return CitizenIdInfo(digits, province, century_gender % 2 == 0, year)


def normalise_citizen_id(value: object) -> str:
    return citizen_id(value).number


def phone(value: object) -> str:
    """A phone number as 0xxxxxxxxx (mobile) or 02xxxxxxxxx (landline); raises InvalidValue."""
    raw = _digits_of(value)
    if not raw:
        raise InvalidValue("Số điện thoại trống.")
    digits = raw[1:] if raw.startswith("+") else raw
    if not digits.isdigit():
        raise InvalidValue(f"Số điện thoại “{value}” chỉ được gồm chữ số.")
    if raw.startswith("+") and not digits.startswith("84"):
        raise InvalidValue(f"Số điện thoại “{value}” không phải số Việt Nam (+84).")
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits  # Excel dropped the leading zero
    if len(digits) == 10 and digits[:3] in MOBILE_PREFIXES:
        return digits
    if len(digits) == 11 and digits.startswith("02"):
        return digits
    if len(digits) == 10 and digits.startswith("0"):
        raise DoubtfulValue(
            f"Số điện thoại “{value}” có đầu số {digits[:3]} chưa cấp cho mạng nào."
        )
    raise InvalidValue(
        f"Số điện thoại “{value}” không hợp lệ: di động có 10 chữ số, cố định 11 chữ số (02...)."
    )


# Between two numbers typed in one cell: a comma, a semicolon, a slash, a line break, a
# dash with spaces around it, or a word ("và", "hoặc"). A dash or dot inside a number
# ("0939.222.333", "0939-222-333") separates nothing.
_PHONE_SEPARATORS = re.compile(r"[,;/\n|]|\s[-–]\s|\s(?:và|hoặc|hay)\s", re.IGNORECASE)


def split_phones(value: object) -> list[str]:
    """The numbers a phone cell holds, as typed: one, or several ("0918000305 -
    0987000305", "0918000305; 0987000305", "0918000305 0987000305")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [str(value)]
    text = str(value).strip()
    pieces = [p.strip() for p in _PHONE_SEPARATORS.split(text) if p and p.strip()]
    if any(len(re.sub(r"\D", "", p)) < 9 for p in pieces):
        pieces = [text]  # "(0270) 3822/111": one number written with a separator
    if len(pieces) == 1 and len(re.sub(r"\D", "", text)) > 12:
        pieces = _numbers_in_groups(text.split()) or pieces
    return pieces or [text]


def _numbers_in_groups(groups: list[str]) -> list[str]:
    """Digit groups separated by spaces, gathered into numbers of 10 or 11 digits."""
    numbers, current = [], ""
    for group in groups:
        current += group
        digits = re.sub(r"\D", "", current)
        if len(digits) >= 11 or (len(digits) == 10 and not digits.startswith("02")):
            numbers.append(current)
            current = ""
        else:
            current += " "
    if current.strip():
        numbers.append(current.strip())
    return numbers if len(numbers) > 1 else []


def mask_citizen_id(number: str | None) -> str:
    """What lists, sheets and exports show by default: the last four digits only, so that
    neither the province of birth nor the birth year can be read ("********0451")."""
    if not number:
        return ""
    return "*" * max(0, len(number) - 4) + number[-4:]

"""Dates as people type them and as Excel stores them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.errors import InvalidValue

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 01/01/1900 (Lotus's phantom 29/02/1900)
_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_YEAR = re.compile(r"^(\d{4})$")
MIN_YEAR = 1900
MAX_YEAR = 2100


@dataclass(frozen=True)
class ParsedDate:
    value: date
    year_only: bool = False


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def parse_date(value: object, today: date | None = None) -> ParsedDate:
    """A date from dd/mm/yyyy, dd-mm-yyyy, d/m/yy, yyyy-mm-dd, a bare year, an Excel
    serial number or a date cell. Raises InvalidValue naming what is wrong."""
    if isinstance(value, datetime):
        return ParsedDate(_in_range(value.date(), str(value)))
    if isinstance(value, date):
        return ParsedDate(_in_range(value, str(value)))
    if isinstance(value, bool):
        raise InvalidValue(f"“{value}” không phải là ngày.")
    if isinstance(value, int | float):
        return _from_number(value)
    text = str(value).strip()
    if not text:
        raise InvalidValue("Ngày trống.")
    if m := _DMY.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            year = _century(year, today or date.today())
        return ParsedDate(_make(year, month, day, text))
    if m := _YMD.match(text):
        return ParsedDate(_make(int(m[1]), int(m[2]), int(m[3]), text))
    if m := _YEAR.match(text):
        return ParsedDate(_make(int(m[1]), 1, 1, text), year_only=True)
    if re.fullmatch(r"\d+([.,]\d+)?", text):
        # A serial typed or saved as text is a number someone meant as something else
        # (a code, a count); a real Excel date cell arrives as a number, not as text.
        raise InvalidValue(
            f"“{text}” là một con số ghi dạng chữ, không phải ngày; hãy ghi ngày theo dạng "
            "ngày/tháng/năm (dd/mm/yyyy) hoặc chỉ năm sinh (yyyy)."
        )
    raise InvalidValue(
        f"“{text}” không phải là ngày; hãy nhập theo dạng ngày/tháng/năm (dd/mm/yyyy)."
    )


def _century(yy: int, today: date) -> int:
    # Two-digit years are birth or course years: never in the future.
    year = 2000 + yy
    return year if year <= today.year else 1900 + yy


def _from_number(number: float) -> ParsedDate:
    if float(number).is_integer() and MIN_YEAR <= number <= MAX_YEAR:
        return ParsedDate(date(int(number), 1, 1), year_only=True)
    if number < 1 or number > 73050:  # 01/01/1900 .. 31/12/2099
        raise InvalidValue(f"Số {number:g} không phải là ngày Excel hợp lệ.")
    return ParsedDate(_in_range(EXCEL_EPOCH + timedelta(days=int(number)), f"{number:g}"))


def _make(year: int, month: int, day: int, text: str) -> date:
    if not 1 <= month <= 12:
        raise InvalidValue(f"Ngày “{text}” không hợp lệ: không có tháng {month}.")
    try:
        value = date(year, month, day)
    except ValueError:
        raise InvalidValue(
            f"Ngày “{text}” không hợp lệ: tháng {month}/{year} không có ngày {day}."
        ) from None
    return _in_range(value, text)


def check_year(value: date, label: str) -> date:
    """A date a course, a session or a report may carry: years 1900–2100, as everywhere."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidValue(
            f"{label} {value.day:02d}/{value.month:02d}/{value.year} nằm ngoài khoảng năm "
            f"{MIN_YEAR}–{MAX_YEAR}."
        )
    return value


def _in_range(value: date, text: str) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidValue(f"Ngày “{text}” nằm ngoài khoảng 1900–2100.")
    return value

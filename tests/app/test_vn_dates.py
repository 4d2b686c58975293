from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InvalidValue
from app.vn.dates import ParsedDate, format_date, parse_date

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/08/1985", ParsedDate(date(1985, 8, 15))),
        ("15-08-1985", ParsedDate(date(1985, 8, 15))),
        ("5/8/85", ParsedDate(date(1985, 8, 5))),
        ("5/8/05", ParsedDate(date(2005, 8, 5))),
        ("1985-08-15", ParsedDate(date(1985, 8, 15))),
        ("1985", ParsedDate(date(1985, 1, 1), year_only=True)),
        (1985, ParsedDate(date(1985, 1, 1), year_only=True)),
        (31274, ParsedDate(date(1985, 8, 15))),
        (31274.0, ParsedDate(date(1985, 8, 15))),
        (datetime(1985, 8, 15, 0, 0), ParsedDate(date(1985, 8, 15))),
        (date(1985, 8, 15), ParsedDate(date(1985, 8, 15))),
    ],
)
def test_parse_date_forms(value: object, expected: ParsedDate) -> None:
    assert parse_date(value, today=TODAY) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("31/02/1990", "tháng 2/1990 không có ngày 31"),
        ("12/13/1990", "không có tháng 13"),
        ("hôm qua", "không phải là ngày"),
        ("01/01/1850", "ngoài khoảng"),
        ("45000", "“45000” là một con số ghi dạng chữ, không phải ngày"),
        ("32874.0", "là một con số ghi dạng chữ"),
        (-5, "không phải là ngày Excel"),
        ("", "trống"),
    ],
)
def test_parse_date_rejects(value: object, fragment: str) -> None:
    with pytest.raises(InvalidValue) as err:
        parse_date(value, today=TODAY)
    assert fragment in str(err.value)


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)))
def test_format_and_parse_round_trip(d: date) -> None:
    assert parse_date(format_date(d)).value == d


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31)))
def test_excel_serial_round_trip(d: date) -> None:
    serial = (d - date(1899, 12, 30)).days
    if not 1900 <= serial <= 2100:  # those read as bare years
        assert parse_date(serial).value == d

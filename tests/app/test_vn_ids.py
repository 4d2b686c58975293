from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import DoubtfulValue, InvalidValue
from app.vn import ids


def test_citizen_id_valid_and_decoded() -> None:
    info = ids.citizen_id("083062000451")
    assert (info.number, info.province_code, info.male, info.birth_year) == (
        "083062000451",
        "083",
        True,
        1962,
    )
    assert ids.citizen_id("083 3 05 000451").birth_year == 2005
    assert ids.citizen_id("083305000451").male is False


def test_citizen_id_restores_leading_zero_lost_in_excel() -> None:
    assert ids.normalise_citizen_id(83062000451) == "083062000451"
    assert ids.normalise_citizen_id(83062000451.0) == "083062000451"
    assert ids.normalise_citizen_id("83062000451") == "083062000451"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("08306200045X", "chỉ được gồm chữ số"),
        ("08306200", "phải có 12 chữ số"),
        ("321456789", "số chứng minh nhân dân (CMND) cũ"),
        ("003062000451", "mã tỉnh 003"),
        ("097062000451", "mã tỉnh 097"),
        ("083562000451", "chữ số thứ 4"),
        ("", "trống"),
    ],
)
def test_citizen_id_rejects(value: str, fragment: str) -> None:
    with pytest.raises(InvalidValue) as err:
        ids.citizen_id(value)
    assert fragment in str(err.value)
    assert "CCCD" in str(err.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+84 903 111 222", "0903111222"),
        ("0939.222.333", "0939222333"),
        (918765432, "0918765432"),
        ("84-868-123-456", "0868123456"),
        ("(0275) 3822 222", "02753822222"),
        (2753822222, "02753822222"),
        ("0327 111 222", "0327111222"),
    ],
)
def test_phone_normalised(value: object, expected: str) -> None:
    assert ids.phone(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("0123456789", "đầu số 012"),
        ("09031112", "không hợp lệ"),
        ("+1 202 555 0100", "không phải số Việt Nam"),
        ("09o3111222", "chỉ được gồm chữ số"),
    ],
)
def test_phone_rejects(value: str, fragment: str) -> None:
    with pytest.raises(InvalidValue) as err:
        ids.phone(value)
    assert fragment in str(err.value)


@given(st.sampled_from(sorted(ids.MOBILE_PREFIXES)), st.integers(0, 9_999_999))
def test_phone_round_trips_every_written_form(prefix: str, rest: int) -> None:
    number = f"{prefix}{rest:07d}"
    for form in (
        number,
        number[1:],
        "+84" + number[1:],
        f"{number[:4]}.{number[4:7]}.{number[7:]}",
    ):
        assert ids.phone(form) == number


@given(
    st.sampled_from(sorted(ids.CITIZEN_ID_PROVINCES)),
    st.integers(0, 3),
    st.integers(0, 99),
    st.integers(0, 999_999),
)
def test_citizen_id_survives_excel_number(province: str, cg: int, yy: int, serial: int) -> None:
    number = f"{province}{cg}{yy:02d}{serial:06d}"
    assert ids.normalise_citizen_id(int(number)) == number


def test_mask() -> None:
    assert ids.mask_citizen_id("083062000451") == "********0451"
    assert ids.mask_citizen_id(None) == ""


@pytest.mark.parametrize(
    ("value", "doubtful"),
    [
        (lambda: ids.citizen_id("003062000451"), True),  # no province 003
        (lambda: ids.citizen_id("083562000451"), True),  # century digit 5: born 2162
        (lambda: ids.phone("0123456789"), True),  # 012 is no network's
        (lambda: ids.citizen_id("321456789"), True),  # the old 9-digit identity card
        (lambda: ids.citizen_id("08306200045X"), False),  # not a number at all
        (lambda: ids.phone("09031112"), False),  # too short to be a phone
    ],
)
def test_well_formed_but_unbelievable_is_doubtful(value, doubtful: bool) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidValue) as err:
        value()
    assert isinstance(err.value, DoubtfulValue) is doubtful


@pytest.mark.parametrize(
    ("cell", "numbers"),
    [
        ("0918000305 - 0987000305", ["0918000305", "0987000305"]),
        ("0918000305; 0987000305", ["0918000305", "0987000305"]),
        ("0918000305 / 0987000305", ["0918000305", "0987000305"]),
        ("0918000305 và 0987000305", ["0918000305", "0987000305"]),
        ("0918 000 305 0987 000 305", ["0918 000 305", "0987 000 305"]),
        ("0939.222.333", ["0939.222.333"]),
        ("0939-222-333", ["0939-222-333"]),
        ("+84 868 123 456", ["+84 868 123 456"]),
        ("(0275) 3822/222", ["(0275) 3822/222"]),
        (903111222, ["903111222"]),
    ],
)
def test_two_phone_numbers_in_one_cell_are_told_apart(cell: object, numbers: list[str]) -> None:
    assert ids.split_phones(cell) == numbers

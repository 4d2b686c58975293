from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InvalidValue
from app.vn import names

SYLLABLES = [
    "an",
    "anh",
    "ba",
    "bình",
    "cúc",
    "dũng",
    "đức",
    "hà",
    "hạ",
    "hả",
    "lan",
    "mai",
    "ngọc",
    "oanh",
    "phương",
    "quý",
    "sơn",
    "thảo",
    "trâm",
    "uyên",
    "ưng",
    "vy",
    "yến",
]
name_words = st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=5)


def key(full: str) -> str:
    return names.sort_key(names.split(full))


def test_normalise_trims_collapses_and_capitalises() -> None:
    assert names.normalise("  cù   thanh sơn ") == "Cù Thanh Sơn"
    assert names.normalise("NGUYỄN THỊ HÀ") == "Nguyễn Thị Hà"


def test_normalise_composes_decomposed_accents() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hà")
    assert names.normalise(decomposed) == "Nguyễn Thị Hà"
    assert unicodedata.is_normalized("NFC", names.normalise(decomposed))


def test_split_simple_and_compound_family_names() -> None:
    assert names.split("Nguyễn Thị Thanh Hà") == names.NameParts(
        "Nguyễn Thị Thanh Hà", "Nguyễn", "Thị Thanh", "Hà"
    )
    assert names.split("Tôn Nữ Minh Châu").family == "Tôn Nữ"
    assert names.split("Âu Dương Phong").family == "Âu Dương"
    assert names.split("Âu Dương").family == "Âu"  # two words: family + given
    assert names.split("Hà") == names.NameParts("Hà", "", "", "Hà")


def test_sort_by_given_then_middle_then_family() -> None:
    people = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", "Nguyễn Văn An", "Võ Hà"]
    ordered = sorted(people, key=key)
    assert ordered == ["Nguyễn Thị An", "Lê Văn An", "Nguyễn Văn An", "Trần Văn Bình", "Võ Hà"]


def test_letters_decide_before_tones() -> None:
    # a < ă < â as letters; tones only break ties between the same letters.
    assert sorted(["Lê Ân", "Lê Ăn", "Lê Án", "Lê An"], key=key) == [
        "Lê An",
        "Lê Án",
        "Lê Ăn",
        "Lê Ân",
    ]
    assert sorted(["Lê Dũng", "Lê Đông", "Lê Duy"], key=key) == ["Lê Dũng", "Lê Duy", "Lê Đông"]


def test_tone_order_none_grave_hook_tilde_acute_dot() -> None:
    tones = ["Lê Ma", "Lê Mà", "Lê Mả", "Lê Mã", "Lê Má", "Lê Mạ"]
    assert sorted(reversed(tones), key=key) == tones


def test_shorter_given_name_sorts_first() -> None:
    assert sorted(["Lê Thanh", "Lê Than", "Lê Tha"], key=key) == ["Lê Tha", "Lê Than", "Lê Thanh"]


def test_search_key_folds_diacritics_and_d() -> None:
    assert names.search_key("Nguyễn Thị Hà") == "nguyen thi ha"
    assert names.search_key("Đặng  Đức") == "dang duc"


@given(name_words)
def test_sort_key_is_case_and_normalisation_blind(words: list[str]) -> None:
    full = " ".join(words)
    assert key(full) == key(full.upper()) == key(unicodedata.normalize("NFD", full))


@given(name_words, name_words)
def test_sort_key_orders_by_given_name_first(a: list[str], b: list[str]) -> None:
    ka, kb = key(" ".join(a)), key(" ".join(b))
    ga, gb = key(a[-1]), key(b[-1])
    if ga != gb:
        assert (ka < kb) == (ga < gb)


@given(name_words)
def test_normalise_is_idempotent(words: list[str]) -> None:
    once = names.normalise(" ".join(words))
    assert names.normalise(once) == once
    assert names.split(once).full == once


@pytest.mark.parametrize("bad", ["", "   ", "Nguyễn Văn 3", "Lê @n"])
def test_validate_rejects_bad_names(bad: str) -> None:
    with pytest.raises(InvalidValue) as err:
        names.validate(bad)
    assert "Họ tên" in str(err.value)


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("Nguyễn\u3164Văn An", "ký tự vô hình U+3164 (HANGUL FILLER) sau “Nguyễn”"),
        ("\u115fLê Hà", "ký tự vô hình U+115F (HANGUL CHOSEONG FILLER) ở đầu"),
        ("Lê Hà\u200b", "ký tự vô hình U+200B (ZERO WIDTH SPACE) sau “Lê Hà”"),
        ("Lê\u00adHà", "ký tự vô hình U+00AD (SOFT HYPHEN) sau “Lê”"),
        ("Lê \u2800Hà", "ký tự vô hình U+2800 (BRAILLE PATTERN BLANK) sau “Lê”"),
        ("Nguyễn Văn \u0410n", "chữ “\u0410” (U+0410 CYRILLIC CAPITAL LETTER A) là chữ Kirin"),
        ("Lê \u0397à", "chữ “\u0397” (U+0397 GREEK CAPITAL LETTER ETA) là chữ Hy Lạp"),
        (
            "\uff2ceê Hà",
            "chữ “\uff2c” (U+FF2C FULLWIDTH LATIN CAPITAL LETTER L) là chữ Latinh toàn độ rộng",
        ),
        ("Lê 王", "chữ “王” (U+738B CJK UNIFIED IDEOGRAPH-738B) không phải chữ Latinh"),
    ],
)
def test_validate_names_the_hidden_or_foreign_character(typed: str, named: str) -> None:
    with pytest.raises(InvalidValue) as err:
        names.validate(typed)
    assert str(err.value).startswith("Họ tên có ")
    assert named in str(err.value)


@pytest.mark.parametrize("name", ["Thạch Thị Sa Rươne", "H'Hen Niê", "Müller Anna", "Lê\nThị Hà"])
def test_validate_keeps_latin_names_and_line_breaks(name: str) -> None:
    assert names.validate(name) == names.normalise(name)

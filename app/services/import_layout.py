"""Which rows under the header are people, and which are something else.

Rosters carry more than people: the header again on each printed page, a row numbering
the columns, group headings ("XÃ PHÚ TÂN", "I. Xã An Thạnh"), day headings ("Ngày 12
tháng 11 năm 2024"), subtotals ("Tổng cộng: 2 người"), template rows numbered in advance
and never filled, and the signatures under the list. None of those is a person; each is
counted in its own category and listed by row and text, so that the user sees where every
row went.

A row that looks like a signature or a subtotal ends the list only when no row below it
looks like a person (a name with a row number, or with a birth date, a gender, a CCCD, a
phone: data the signatures do not have). A row that could be a heading or a person and
cannot be told apart is imported as a person, with a warning naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.errors import InvalidValue
from app.services import import_memo as memo
from app.services.import_columns import HeaderGuess, field_for, heading_key, is_stt
from app.services.import_rows import shown, text
from app.vn import names

NAME_FIELDS = ("full_name", "family_middle", "given_name")
# Fields whose values the signatures and headings under a list never hold.
DATA_FIELDS = frozenset(
    {
        "birth_date",
        "birth_male",
        "birth_female",
        "gender",
        "citizen_id",
        "phone",
        "email",
        "pre_score",
        "post_score",
        "score",
        "completion_date",
    }
)
FOOTER = re.compile(
    r"^(nguoi lap|thu truong|xac nhan|giam doc|truong phong|pho giam doc|tm\b|kt\b|"
    r"\(ky|ky,? ghi ro|ky ten|tong cong|tong so|danh sach (nay|co|tren)|.*ngay\W*\d*\W*thang)"
)
_FOOTER_CHARS = 120  # of each cell, enough for "Đại Điền, ngày 15 tháng 11 năm 2022"
# First words of a group heading, compared with their diacritics: "Tổ 3" is a heading,
# "Tô Văn Lâm" a person. None of them begins a Vietnamese name.
_GROUP_WORDS = (
    "xã",
    "phường",
    "thị trấn",
    "thị xã",
    "ấp",
    "khu phố",
    "khóm",
    "thôn",
    "tổ",
    "huyện",
    "quận",
    "tỉnh",
    "thành phố",
    "đơn vị",
    "nhóm",
    "lớp",
    "đợt",
    "buổi",
    "khối",
    "cụm",
    "phần",
    "danh sách",
    "ủy ban",
    "ubnd",
    "cơ quan",
)
# "I. Xã Phú Tân", "b) Ấp 3", or a group word; not "1. Nguyễn Văn A" (a person whose row
# number was typed into the name: its own check refuses it by name).
_GROUP_START = re.compile(
    r"^(?:[ivxlc]+|[a-z])[.)/:-]\s+|^(?:" + "|".join(map(re.escape, _GROUP_WORDS)) + r")\b"
)
_STT_NUMBER = re.compile(r"^\d{1,6}\.?$")
_GENDERS = frozenset({"nam", "nu", "m", "f", "male", "female", "trai", "gai"})

HEADER, GROUP, FOOTER_ROW = "header", "group", "footer"


@dataclass(frozen=True)
class SkippedRow:
    """A row that is not a person, as the output lists it."""

    row: int
    kind: str  # HEADER, GROUP, FOOTER_ROW
    text: str

    def describe(self) -> str:
        return f"Dòng {self.row}: “{self.text}”"


@dataclass
class SortedRows:
    people: list[tuple[int, list[Any]]] = field(default_factory=list)
    blank: int = 0
    stt_only: list[int] = field(default_factory=list)
    headers: list[SkippedRow] = field(default_factory=list)  # the header again
    groups: list[SkippedRow] = field(default_factory=list)  # headings, subtotals
    footer_row: int | None = None
    footer_rows: int = 0  # from the first signature row to the end, blanks included
    footer: list[SkippedRow] = field(default_factory=list)  # its rows with text
    doubts: dict[int, str] = field(default_factory=dict)  # row -> why it may be a heading


def row_text(values: list[Any]) -> str:
    """The row's text as a message quotes it."""
    return shown(" | ".join(text(v) for v in values if not _empty(v)))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Sheet:
    """The columns that matter to telling rows apart, from the header."""

    def __init__(self, guess: HeaderGuess, merged: list[Any]) -> None:
        self.guess = guess
        self.name_cols = [c for c, f in guess.mapping.items() if f in NAME_FIELDS]
        self.footer_cols = [c for c, f in guess.mapping.items() if f in ("full_name", "given_name")]
        self.data_cols = {c: f for c, f in guess.mapping.items() if f in DATA_FIELDS}
        self.stt_col = next((c for c, h in guess.headings.items() if is_stt(h)), None)
        self.first_col = min(guess.headings, default=0)
        self.wide_merges = {
            r
            for m in merged
            if m.min_row == m.max_row and m.max_col > m.min_col
            for r in range(m.min_row, m.max_row + 1)
        }

    def cells(self, values: list[Any]) -> list[tuple[int, Any]]:
        return [(c, v) for c, v in enumerate(values) if not _empty(v)]

    def stt(self, values: list[Any]) -> str | None:
        """ "number", "label" (I, II, A…) or None, from the STT column."""
        if self.stt_col is None or self.stt_col >= len(values):
            return None
        return _stt_kind(values[self.stt_col])

    def name(self, values: list[Any]) -> str:
        return " ".join(text(values[c]) for c in self.name_cols if c < len(values)).strip()

    def has_data(self, values: list[Any]) -> bool:
        return any(
            c < len(values) and not _empty(values[c]) and _looks_like(f, values[c])
            for c, f in self.data_cols.items()
        )

    def is_stt_only(self, cells: list[tuple[int, Any]]) -> bool:
        if len(cells) != 1:
            return False
        col, value = cells[0]
        if col in self.guess.mapping:
            return False
        return self.stt_col in (None, col) and _stt_kind(value) == "number"

    def is_header(self, cells: list[tuple[int, Any]]) -> bool:
        """The header again (any case, any diacritics, any spelling of the same field),
        or a row numbering the columns: 1, 2, 3… or A, B, C…"""
        if all(self._label(c, v) for c, v in cells):
            return True
        if len(cells) < 3:
            return False
        return all(text(v).upper() in _ordinals(c, self.first_col) for c, v in cells)

    def _label(self, col: int, value: Any) -> bool:
        if not isinstance(value, str):
            return False
        key = heading_key(value)
        heading = self.guess.headings.get(col)
        if heading is not None and heading_key(heading) == key:
            return True
        fld = self.guess.mapping.get(col)
        if fld in ("birth_male", "birth_female"):
            return key in ("nam", "nu") or field_for(value) == "birth_date"
        if fld is not None:
            return field_for(value) == fld
        return col == self.stt_col and is_stt(value)

    def is_footer(self, values: list[Any]) -> bool:
        """The signatures under the list: "Người lập biểu", "TM. UBND XÃ", a date line, a
        total, and nothing (or the same kind of text) in the name column."""
        name_empty = all(c >= len(values) or _empty(values[c]) for c in self.footer_cols)
        if not name_empty and not FOOTER.match(_folded(values[self.footer_cols[0]])):
            return False  # a person's row: decided on one cell, the row's text is not folded
        return bool(FOOTER.match(" ".join(_folded(v) for v in values if not _empty(v))))


def _stt_kind(value: Any) -> str | None:
    if _empty(value):
        return None
    if isinstance(value, bool):
        return "label"
    if isinstance(value, int | float):
        return "number" if float(value).is_integer() else "label"
    value = str(value).strip()
    if _STT_NUMBER.match(value) or value.startswith("="):  # "=ROW()-5" numbers rows too
        return "number"
    return "label"


def _long(value: Any) -> bool:
    """Text longer than a row label ("I", "II.", "a)"): a heading typed in the STT column."""
    return isinstance(value, str) and len(value.strip()) > 6


def _ordinals(col: int, first: int) -> set[str]:
    """How a row numbering the columns names column `col`: 1, (1), A, counted from the
    table's first column or the sheet's."""
    out: set[str] = set()
    for n in (col - first + 1, col + 1):
        if n >= 1:
            out |= {str(n), f"({n})", chr(64 + n) if n <= 26 else ""}
    return out - {""}


def _folded(value: Any) -> str:
    return memo.fold(text(value if not isinstance(value, str) else value[:_FOOTER_CHARS]))


def _looks_like(fld: str, value: Any) -> bool:
    """A value the signatures never hold: a date, a gender, a long number, an address."""
    if fld in ("birth_date", "birth_male", "birth_female", "completion_date"):
        if isinstance(value, datetime | date | int | float) and not isinstance(value, bool):
            return True
        try:
            memo.parse_date(text(value))
        except InvalidValue:
            return False
        return True
    if fld == "gender":
        return memo.fold(text(value)) in _GENDERS
    if fld in ("citizen_id", "phone"):
        raw = text(value)
        return len(re.sub(r"\D", "", raw)) >= 9 and not re.search(r"[^\W\d_]", raw)
    if fld == "email":
        return "@" in text(value)
    return isinstance(value, int | float) or bool(re.fullmatch(r"\d+([.,]\d+)?", text(value)))


def _all_caps(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def sort_rows(
    rows: list[tuple[int, list[Any]]], guess: HeaderGuess, merged: list[Any]
) -> SortedRows:
    """The rows under the header, each in one category (see the module's docstring)."""
    sheet = _Sheet(guess, merged)
    out = SortedRows()
    kinds: list[str] = []  # one a row: blank, stt, header, footerish, group, doubt, person
    named = numbered = capitals = 0
    for _number, values in rows:
        cells = sheet.cells(values)
        name = sheet.name(values)
        if name:
            named += 1
            numbered += sheet.stt(values) == "number"
            capitals += _all_caps(name)
        if not cells:
            kinds.append("blank")
        elif sheet.is_stt_only(cells):
            kinds.append("stt")
        elif sheet.is_header(cells):
            kinds.append("header")
        elif sheet.is_footer(values):
            kinds.append("footerish")
        else:
            kinds.append("")  # decided below, once the sheet's habits are known
    numbered_sheet = sheet.stt_col is not None and numbered * 2 > named
    caps_sheet = capitals * 2 > named
    strong: list[bool] = []
    for i, (number, values) in enumerate(rows):
        name = sheet.name(values)
        stt = sheet.stt(values)
        is_strong = bool(name) and (stt == "number" or sheet.has_data(values))
        strong.append(is_strong and kinds[i] not in ("header", "footerish"))
        if kinds[i]:
            continue
        if stt == "number" or sheet.has_data(values):
            kinds[i] = "person"
            continue
        texts = [(c, v) for c, v in sheet.cells(values) if c != sheet.stt_col or _long(v)]
        if not name:
            kinds[i] = "group" if len(texts) == 1 else "person"
            continue
        lowered = names.nfc(name).lower()
        if (
            (stt == "label" and not _long(values[sheet.stt_col]))  # type: ignore[index]
            or _GROUP_START.match(lowered)
            or (len(texts) == 1 and number in sheet.wide_merges)
        ):
            kinds[i] = "group"
        elif numbered_sheet and stt is None:
            kinds[i] = "doubt"
            out.doubts[number] = (
                "dòng không có số thứ tự (STT) như các dòng khác, có thể là dòng tiêu đề nhóm"
            )
        elif _all_caps(name) and not caps_sheet:
            kinds[i] = "doubt"
            out.doubts[number] = "cả dòng viết in hoa như một dòng tiêu đề nhóm"
        else:
            kinds[i] = "person"
    last_person = max((i for i, s in enumerate(strong) if s), default=-1)
    footer_at = next((i for i, k in enumerate(kinds) if k == "footerish" and i > last_person), None)
    for i, (number, values) in enumerate(rows):
        kind = kinds[i]
        if footer_at is not None and i >= footer_at:
            if i == footer_at:
                out.footer_row, out.footer_rows = number, len(rows) - i
            if kind != "blank":
                out.footer.append(SkippedRow(number, FOOTER_ROW, row_text(values)))
        elif kind == "blank":
            out.blank += 1
        elif kind == "stt":
            out.stt_only.append(number)
        elif kind == "header":
            out.headers.append(SkippedRow(number, HEADER, row_text(values)))
        elif kind in ("group", "footerish"):
            out.groups.append(SkippedRow(number, GROUP, row_text(values)))
        else:
            out.people.append((number, values))
    return out

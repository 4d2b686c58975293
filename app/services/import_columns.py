"""Which column holds what: the headings people really type, and where the header row is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.vn import names

FIELD_LABELS = {
    "full_name": "Họ và tên",
    "family_middle": "Họ và tên đệm",
    "given_name": "Tên",
    "birth_date": "Ngày sinh",
    "birth_male": "Ngày sinh (Nam)",
    "birth_female": "Ngày sinh (Nữ)",
    "gender": "Giới tính",
    "citizen_id": "Số CCCD",
    "phone": "Số điện thoại",
    "email": "Thư điện tử",
    "workplace": "Đơn vị công tác",
    "position": "Chức vụ",
    "hamlet": "Ấp/khu phố",
    "commune": "Xã/phường",
    "note": "Ghi chú",
    "pre_score": "Điểm đầu vào",
    "post_score": "Điểm cuối khóa",
    "score": "Điểm",
    "completion_date": "Ngày hoàn thành",
}

_SYNONYMS = {
    "full_name": [
        "ho va ten",
        "ho ten",
        "hovaten",
        "hoten",
        "ho va ten hoc vien",
        "ho ten hoc vien",
        "ho va ten thanh vien",
        "ho ten thanh vien",
        "ten hoc vien",
        "ho va ten nguoi hoc",
        "ho va ten can bo",
        "ho ten day du",
    ],
    "family_middle": ["ho va ten dem", "ho va chu dem", "ho dem", "ho va dem", "ho"],
    "given_name": ["ten"],
    "birth_date": [
        "ngay sinh",
        "ngay thang nam sinh",
        "ngay/thang/nam sinh",
        "nam sinh",
        "sinh ngay",
        "ngay, thang, nam sinh",
        "ns",
    ],
    "gender": ["gioi tinh", "nam/nu", "nam nu", "phai", "gioi"],
    "citizen_id": [
        "so cccd",
        "cccd",
        "cmnd/cccd",
        "cccd/cmnd",
        "so cmnd/cccd",
        "so cccd/cmnd",
        "so dinh danh",
        "so dinh danh ca nhan",
        "ma dinh danh",
        "cmnd",
        "so cmnd",
        "can cuoc cong dan",
        "so can cuoc",
        "so can cuoc cong dan",
        "cmnd/cccd so",
    ],
    "phone": [
        "sdt",
        "so dt",
        "dien thoai",
        "so dien thoai",
        "dt",
        "dtdd",
        "di dong",
        "so dien thoai lien he",
        "dien thoai lien he",
        "so di dong",
        "sdt lien he",
    ],
    "email": ["email", "e-mail", "thu dien tu", "dia chi email", "gmail"],
    "workplace": [
        "don vi",
        "don vi cong tac",
        "co quan",
        "noi cong tac",
        "co quan cong tac",
        "co quan, don vi",
        "co quan/don vi",
        "don vi/co quan",
        "noi lam viec",
    ],
    "position": ["chuc vu", "chuc danh", "chuc vu/chuc danh", "chuc vu, chuc danh"],
    "hamlet": [
        "ap",
        "khu pho",
        "ap/khu pho",
        "ap, khu pho",
        "ap/khom",
        "thon",
        "to dan pho",
        "ap/thon",
        "khom",
    ],
    "commune": [
        "xa",
        "phuong",
        "xa/phuong",
        "xa, phuong",
        "xa/phuong/thi tran",
        "xa phuong",
        "xa/phuong/dac khu",
        "don vi hanh chinh",
    ],
    "note": ["ghi chu"],
    "pre_score": [
        "diem dau vao",
        "diem truoc",
        "diem kiem tra dau vao",
        "diem truoc khoa hoc",
        "pre-test",
        "diem pre-test",
        "dau vao",
        "diem test dau vao",
    ],
    "post_score": [
        "diem cuoi khoa",
        "diem sau",
        "diem kiem tra cuoi khoa",
        "diem dau ra",
        "diem sau khoa hoc",
        "post-test",
        "diem post-test",
        "dau ra",
        "diem test cuoi khoa",
    ],
    "score": ["diem", "diem so", "diem bai thi", "diem thi", "diem bai kiem tra", "tong diem"],
    "completion_date": [
        "ngay hoan thanh",
        "thoi gian hoan thanh",
        "hoan thanh luc",
        "ngay hoan thanh khoa hoc",
    ],
    "ignore": ["stt", "tt", "so tt", "so thu tu", "ky ten", "chu ky", "ky nhan"],
}
_LOOKUP = {syn: fld for fld, syns in _SYNONYMS.items() for syn in syns}
_GENDER_SUBHEADINGS = {"nam": "birth_male", "nu": "birth_female"}
HEADER_SCAN_ROWS = 30


def heading_key(value: Any) -> str:
    """ "Họ và tên (*)" / "HỌ VÀ TÊN:" / "Ho ten" -> comparable keys."""
    if value is None:
        return ""
    text = names.fold(str(value).replace("\n", " "))
    text = re.sub(r"\(.*?\)", " ", text)  # "(dd/mm/yyyy)", "(*)"
    text = re.sub(r"[.:*]", " ", text)
    return " ".join(text.split())


def _words(key: str) -> list[str]:
    """ "ho, ten" / "ho & ten" / "ho_ten" / "ho va ten" -> ["ho", "ten"]."""
    return [w for w in re.split(r"[\s,&_/\\+;|-]+", key) if w and w not in ("va", "and")]


# Words after "Họ tên" that make it someone else's name: a parent's, a spouse's, a
# guardian's, a contact's, the person who recommended them.
_OTHER_PEOPLE = frozenset({"cha", "me", "bo", "vo", "chong", "giam", "lien", "gioi", "than"})
# Words that make a CCCD or birth heading about something else: the date or place of issue,
# the place of birth, the home town.
_NOT_THE_NUMBER = frozenset({"ngay", "noi", "cap", "han"})
_NOT_THE_DATE = frozenset({"noi", "que", "dia"})


def _by_words(key: str) -> str | None:
    """The headings clerks write beyond the list above, recognised by their words:
    "Họ, tên", "Họ & tên", "Họ và tên đại biểu", "HỌ VÀ TÊN NGƯỜI THAM GIA", "Số CCCD/ĐDCN",
    "Số định danh cá nhân/CCCD", "CCCD số", "Số thẻ CCCD", "Sinh năm"…"""
    w = _words(key)
    if not w:
        return None
    joined = " ".join(w)
    if joined in _LOOKUP:
        return _LOOKUP[joined]
    if w[:2] == ["ho", "ten"] and "dem" not in w and not _OTHER_PEOPLE & set(w[2:]):
        return "full_name"
    ids = {"cccd", "cmnd", "cmt", "ddcn", "dinhdanh"} & set(w) or any(
        pair in joined for pair in ("can cuoc", "dinh danh", "chung minh")
    )
    if ids and not _NOT_THE_NUMBER & set(w):
        return "citizen_id"
    if ({"sdt", "dtdd"} & set(w) or "dien thoai" in joined) and "fax" not in w:
        return "phone"
    if "sinh" in w and {"ngay", "nam", "thang"} & set(w) and not _NOT_THE_DATE & set(w):
        return "birth_date"
    if "gioi" in w and "tinh" in w:
        return "gender"
    if {"email", "mail"} & set(w) or "thu dien tu" in joined:
        return "email"
    return None


def field_for(heading: Any) -> str | None:
    key = heading_key(heading)
    return _LOOKUP.get(key) or _by_words(key)


def is_stt(heading: Any) -> bool:
    """ "STT", "TT", "Số thứ tự": the column numbering the rows."""
    return " ".join(_words(heading_key(heading))) in _STT_KEYS


_STT_KEYS = frozenset({"stt", "tt", "so tt", "so thu tu", "thu tu"})


def field_of_label(label: str) -> str | None:
    """A field by the label the output shows ("Số CCCD") or a heading for it ("CCCD")."""
    key = heading_key(label)
    for fld, shown in FIELD_LABELS.items():
        if heading_key(shown) == key:
            return fld
    found = field_for(label)
    return found if found in FIELD_LABELS else None


def column_index(text: str) -> int | None:
    """ "C" -> 2, "3" -> 2: a column by its letters or its number (1 is A)."""
    text = text.strip().upper()
    if text.isdigit():
        return int(text) - 1 if int(text) >= 1 else None
    if not text or not all("A" <= ch <= "Z" for ch in text) or len(text) > 3:
        return None
    n = 0
    for ch in text:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


@dataclass(frozen=True)
class HeaderGuess:
    row: int  # Excel row number of the (last) header row
    mapping: dict[int, str]  # column index -> field
    headings: dict[int, str]  # column index -> heading text as written


def guess_header(rows: list[tuple[int, list[Any]]]) -> HeaderGuess | None:
    """The row with the most known headings among the first rows, below any titles.

    A second header row under it ("Nam" | "Nữ" under a merged "Năm sinh") is folded in,
    but only when it holds nothing but sub-headings: the first person of a list whose
    gender column reads "Nam" is a person, not a sub-heading.
    """
    best: tuple[int, int] | None = None  # (score, index)
    for i, (_number, values) in enumerate(rows[:HEADER_SCAN_ROWS]):
        fields = [field_for(v) for v in values]
        known = [f for f in fields if f and f != "ignore"]
        has_name = "full_name" in known or {"family_middle", "given_name"} <= set(known)
        score = len(set(known)) + (5 if has_name else 0)
        if known and (best is None or score > best[0]):
            best = (score, i)
    if best is None:
        return None
    index = best[1]
    number, values = rows[index]
    mapping: dict[int, str] = {}
    headings: dict[int, str] = {}
    for col, value in enumerate(values):
        fld = field_for(value)
        if value is not None and str(value).strip():
            headings[col] = " ".join(str(value).split())
        if fld and fld != "ignore" and fld not in mapping.values():
            mapping[col] = fld
    if index + 1 < len(rows):
        below_number, below = rows[index + 1]
        sub = _sub_headings(values, below, mapping)
        if sub:
            birth_col = next((c for c, f in mapping.items() if f == "birth_date"), None)
            base = headings.get(birth_col, "Ngày sinh") if birth_col is not None else ""
            for col, (fld, text) in sub.items():
                if fld in ("birth_male", "birth_female"):
                    mapping[col] = fld  # replaces birth_date at the grouped heading's column
                    headings[col] = f"{base} ({text})"
                elif fld != "ignore" and (fld not in mapping.values() or mapping.get(col) == fld):
                    mapping[col] = fld
                    headings[col] = text
            number = below_number
    return HeaderGuess(number, mapping, headings)


def _sub_headings(
    header: list[Any], below: list[Any], mapping: dict[int, str]
) -> dict[int, tuple[str, str]] | None:
    """The row under the header as sub-headings by column, or None when it is not one.

    Every filled cell must be text that is a heading: "Nam"/"Nữ" only under the grouped
    birth heading (its column and the empty, merged, cells right of it), anything else
    a known heading ("Họ" | "Tên" under "Họ và tên"). A name, an STT number, a date or a
    "Nam" under "Giới tính" make it a row of data.
    """
    span: set[int] = set()
    birth_col = next((c for c, f in mapping.items() if f == "birth_date"), None)
    if birth_col is not None:
        span.add(birth_col)
        col = birth_col + 1
        while col < len(below) and (col >= len(header) or _empty(header[col])):
            span.add(col)
            col += 1
    sub: dict[int, tuple[str, str]] = {}
    for col, value in enumerate(below):
        if _empty(value):
            continue
        if not isinstance(value, str):
            return None
        key, text = heading_key(value), " ".join(value.split())
        if key in _GENDER_SUBHEADINGS and col in span:
            sub[col] = (_GENDER_SUBHEADINGS[key], text)
        elif (fld := field_for(value)) is not None and key not in _GENDER_SUBHEADINGS:
            sub[col] = (fld, text)
        else:
            return None
    return sub or None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())

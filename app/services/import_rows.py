"""One row of an import file: read each mapped cell, check it, keep what can be kept.

Three outcomes for a value. It reads and is believable: kept. It cannot be read (an
impossible date, a citizen ID with a letter in it, a hidden character, a number typed as
text where a date belongs): an error, and the row waits for the file to be fixed. It reads
but cannot be believed (a phone prefix no network has, a citizen ID whose province or
birth year cannot be, a birth date in the future): left out with a warning naming row,
column, value and why, and the person imported without it. In strict mode every warning
is an error. A row without a usable name is always an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.errors import DoubtfulValue, InvalidValue
from app.labels import GENDER
from app.labels import number as vn_number
from app.services import import_memo as memo
from app.services.import_columns import FIELD_LABELS, HeaderGuess
from app.vn import chars, dates, ids, names

MAX_CELL_CHARS = 1_000  # no name, phone or note of a roster comes near; Excel allows 32,767
SHOWN_CHARS = 80  # of a value quoted in a message
LEFT_OUT = "Đã bỏ giá trị này, vẫn nhập người này."
NAME_FIELDS = ("full_name", "family_middle", "given_name")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Issue:
    row: int
    column: str
    value: str
    message: str
    error: bool = True

    def describe(self) -> str:
        where = f"Dòng {self.row}" + (f", cột “{self.column}”" if self.column else "")
        shown = f", giá trị “{self.value}”" if self.value else ""
        return f"{where}{shown}: {self.message}"


@dataclass
class PlannedRow:
    row: int
    values: dict[str, Any]
    issues: list[Issue] = field(default_factory=list)
    match_id: int | None = None
    match_name: str | None = None
    match_reason: str | None = None
    fills: dict[str, Any] = field(default_factory=dict)  # empty fields of the match to fill
    differences: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # stored, file
    folded_rows: list[int] = field(default_factory=list)  # duplicate rows of the file
    # Matched by citizen ID for an account that sees it masked: whose it is stays unsaid
    # (no name, no id, no stored value), so an import is no way to learn a number's holder.
    match_hidden: bool = False

    @property
    def ok(self) -> bool:
        return not any(i.error for i in self.issues)

    def match_text(self) -> str:
        """The person matched, as the account may be told: "Lê An (mã 12, trùng …)"."""
        if self.match_hidden:
            return f"một người đã có trong sổ ({self.match_reason})"
        return f"{self.match_name} (mã {self.match_id}, {self.match_reason})"

    def difference_text(self, label: str, stored: Any, new: Any) -> str:
        if self.match_hidden:
            return f"{label} khác với tệp (tệp ghi “{new}”)"
        return f"{label} đang là “{stored}”, tệp ghi “{new}”"


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return names.nfc(str(value)).strip()


def shown(value: Any) -> str:
    """A value as a message quotes it: never a whole overlong cell."""
    if isinstance(value, str) and len(value) > SHOWN_CHARS:
        return text(value[:SHOWN_CHARS]) + "…"
    return text(value)


def display(fld: str, value: Any) -> str:
    """A stored value as a message shows it: "Nữ", not "female"; 02/05/1986, not ISO."""
    if fld == "gender" and isinstance(value, str):
        return GENDER.get(value, value)
    if hasattr(value, "value") and isinstance(value.value, str):  # an enum
        return GENDER.get(value.value, value.value) if fld == "gender" else value.value
    if isinstance(value, date):
        return dates.format_date(value)
    return shown(value)


def parse_row(
    number: int, values: list[Any], guess: HeaderGuess, strict: bool = False
) -> PlannedRow:
    """The row's values by field, with its issues; `strict` makes every warning an error."""
    planned = PlannedRow(number, {})
    raw: dict[str, Any] = {}
    for col, fld in guess.mapping.items():
        value = values[col] if col < len(values) else None
        if value is not None and not (isinstance(value, str) and not value.strip()):
            raw[fld] = value

    def heading(fld: str) -> str:
        col = next((c for c, f in guess.mapping.items() if f == fld), None)
        return guess.headings.get(col, FIELD_LABELS[fld]) if col is not None else FIELD_LABELS[fld]

    def fail(fld: str, value: Any, message: str) -> None:
        planned.issues.append(Issue(number, heading(fld), shown(value), message))

    def doubt(fld: str, value: Any, message: str) -> None:
        why = message if strict else f"{message} {LEFT_OUT}"
        planned.issues.append(Issue(number, heading(fld), shown(value), why, error=strict))

    refused = _refuse_unreadable_cells(raw, fail)
    values_ = planned.values
    name_field = "full_name" if "full_name" in guess.mapping.values() else "given_name"
    if not refused & set(NAME_FIELDS):
        name = raw.get("full_name")
        if name is None and ("family_middle" in raw or "given_name" in raw):
            name = f"{text(raw.get('family_middle'))} {text(raw.get('given_name'))}"
        try:
            values_["full_name"] = memo.validate(text(name))
        except InvalidValue as exc:
            fail(name_field, name, exc.message)
        else:
            for ch in names.lookalikes(text(name)):
                fixed = names.LOOKALIKES[ch]
                planned.issues.append(
                    Issue(
                        number,
                        heading(name_field),
                        shown(name),
                        f"Họ tên có chữ “{ch}”, {chars.code_point(ch)}, trông như “{fixed}” nhưng "
                        f"không phải chữ tiếng Việt; đã đổi thành “{fixed}” để tìm kiếm và đối "
                        "chiếu được.",
                        error=strict,
                    )
                )

    birth_field = next((f for f in ("birth_date", "birth_male", "birth_female") if f in raw), None)
    if birth_field:
        if birth_field != "birth_date":  # "Năm sinh" over Nam | Nữ: the column says it
            values_["gender"] = "male" if birth_field == "birth_male" else "female"
        try:
            parsed = memo.parse_date(raw[birth_field])
        except InvalidValue as exc:
            fail(birth_field, raw[birth_field], exc.message)
        else:
            if parsed.value > date.today():
                doubt(birth_field, raw[birth_field], "Ngày sinh ở tương lai.")
            else:
                values_["birth_date"] = parsed.value
                values_["birth_year_only"] = parsed.year_only
    if "gender" in raw:
        g = memo.fold(text(raw["gender"]))
        if g in ("nam", "m", "male", "trai"):
            values_["gender"] = "male"
        elif g in ("nu", "f", "female", "gai"):
            values_["gender"] = "female"
        else:
            doubt("gender", raw["gender"], "Giới tính phải là “Nam” hoặc “Nữ”.")
    if "citizen_id" in raw:
        try:
            values_["citizen_id"] = ids.normalise_citizen_id(raw["citizen_id"])
        except DoubtfulValue as exc:
            doubt("citizen_id", raw["citizen_id"], exc.message)
        except InvalidValue as exc:
            fail("citizen_id", raw["citizen_id"], exc.message)
    if "phone" in raw:
        _phone(
            raw["phone"],
            values_,
            fail,
            doubt,
            lambda m: planned.issues.append(
                Issue(number, heading("phone"), shown(raw["phone"]), m, error=strict)
            ),
        )
    if "email" in raw:
        email = text(raw["email"])
        if _EMAIL.fullmatch(email):
            values_["email"] = email
        else:
            doubt("email", email, "Địa chỉ thư điện tử không hợp lệ.")
    for fld in ("workplace", "position", "note", "commune", "hamlet"):
        if fld in raw:
            values_[fld] = " ".join(text(raw[fld]).split())[:200]
    why = _citizen_id_contradiction(values_)
    if why:
        doubt("citizen_id", values_.pop("citizen_id"), why)
    return planned


def _phone(
    value: Any,
    values: dict[str, Any],
    fail: Callable[[str, Any, str], None],
    doubt: Callable[[str, Any, str], None],
    note: Callable[[str], None],
) -> None:
    """One phone number; of two in one cell ("0918000305 - 0987000305"), the first that
    reads, the other named in a warning."""
    pieces = ids.split_phones(value)
    if len(pieces) == 1:
        try:
            values["phone"] = ids.phone(value)
        except DoubtfulValue as exc:
            doubt("phone", value, exc.message)
        except InvalidValue as exc:
            fail("phone", value, exc.message)
        return
    kept, others = None, pieces
    for i, piece in enumerate(pieces):
        try:
            kept = ids.phone(piece)
        except InvalidValue:
            continue
        others = pieces[:i] + pieces[i + 1 :]
        break
    if kept is None:
        fail("phone", value, f"Ô có {len(pieces)} số điện thoại, không số nào hợp lệ.")
        return
    values["phone"] = kept
    note(
        f"Ô có {len(pieces)} số điện thoại; giữ số “{kept}”, bỏ "
        + ", ".join(f"“{p}”" for p in others)
        + " (mỗi người chỉ lưu một số)."
    )


def _refuse_unreadable_cells(
    raw: dict[str, Any], fail: Callable[[str, Any, str], None]
) -> set[str]:
    """Cells no check should even start on: overlong ones (a roster's cells are short; a
    hostile one makes every later step slow) and, outside the name (whose own check says
    more), cells with an invisible character. Returns the fields refused."""
    refused: set[str] = set()
    for fld, value in list(raw.items()):
        if not isinstance(value, str):
            continue
        if len(value) > MAX_CELL_CHARS:
            fail(
                fld,
                value,
                f"ô có {vn_number(len(value))} ký tự, quá dài (tối đa "
                f"{vn_number(MAX_CELL_CHARS)}); hãy kiểm tra lại ô này.",
            )
        elif fld not in NAME_FIELDS and (problem := memo.hidden_character(value)):
            fail(fld, value, f"Ô {problem}; hãy xóa ký tự đó rồi nhập lại.")
        else:
            continue
        refused.add(fld)
        del raw[fld]
    return refused


def _citizen_id_contradiction(values: dict[str, Any]) -> str | None:
    """The birth year a CCCD carries (digits 4-6) against the file's, or against today."""
    number = values.get("citizen_id")
    if not number:
        return None
    info = ids.citizen_id(number)
    born: date | None = values.get("birth_date")
    digit = f"chữ số thứ 4 là {number[3]}"
    if born is not None and info.birth_year != born.year:
        return (
            f"Số CCCD ghi năm sinh {info.birth_year} ({digit}), khác năm sinh {born.year} "
            "trong tệp."
        )
    if born is None and info.birth_year > date.today().year:
        return f"Số CCCD ghi năm sinh {info.birth_year} ({digit}), ở tương lai."
    return None

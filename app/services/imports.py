"""Import people from Excel or CSV: read, check, match, then write all or nothing.

`plan()` reads and checks the file and matches existing people without writing;
`apply()` writes the plan in the caller's transaction. A plan with errors writes nothing
unless the caller chose to skip bad rows. Every row of the sheet is accounted for: the
plan counts titles, blanks and signatures as well as people (`ImportPlan.tally`).

One row's checks are in import_rows, units in import_units, the writing in import_write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import access, citizen_id_lookups
from app.services.import_columns import (
    FIELD_LABELS,
    HEADER_SCAN_ROWS,
    HeaderGuess,
    guess_header,
)
from app.services.import_results import ImportFailed, ImportPlan, ImportSummary, Tally
from app.services.import_rows import Issue, PlannedRow, parse_row, shown, text
from app.services.import_units import resolve_units
from app.services.import_write import apply
from app.spreadsheet import MergedRange, SpreadsheetError, Table, cached_values, open_table
from app.vn import names
from models import Gender, Person

__all__ = [
    "ImportFailed",
    "ImportPlan",
    "ImportSummary",
    "Issue",
    "PlannedRow",
    "SpreadsheetError",
    "Tally",
    "apply",
    "guess",
    "plan",
    "read",
]

PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "citizen_id",
    "phone",
    "email",
    "workplace",
    "position",
    "unit_id",
    "note",
)
_FOOTER = re.compile(
    r"^(nguoi lap|thu truong|xac nhan|giam doc|truong phong|pho giam doc|tm\b|kt\b|"
    r"\(ky|ky,? ghi ro|ky ten|tong cong|tong so|danh sach (nay|co|tren)|.*ngay\W*\d*\W*thang)"
)
_FOOTER_CHARS = 120  # of each cell, enough for "Đại Điền, ngày 15 tháng 11 năm 2022"
Progress = Callable[[int], None]
_parse_row = parse_row  # app.services.outcomes reads score files with the same row checks
_text = text


# -- reading ---------------------------------------------------------------------


def _is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


def read(
    path: Path, sheet: str | None = None, mapping: dict[int, str] | None = None
) -> tuple[Table, HeaderGuess, list[tuple[int, list[Any]]]]:
    """Open the file, find the header, and return the data rows (header and titles removed)."""
    table = open_table(path, sheet)
    head = _head(table)
    guess = guess_header(head)
    if guess is None and mapping is None:
        raise SpreadsheetError(
            f"Không tìm thấy dòng tiêu đề trong “{table.name}”: cần ít nhất cột “Họ và tên”. "
            "Hãy kiểm tra trang tính hoặc chọn cột bằng tay."
        )
    if mapping is not None:
        base = guess or HeaderGuess(head[0][0] if head else 1, {}, {})
        guess = HeaderGuess(base.row, dict(mapping), base.headings)
    assert guess is not None
    fields = set(guess.mapping.values())
    if "full_name" not in fields and not {"family_middle", "given_name"} <= fields:
        raise SpreadsheetError(
            f"Trang “{table.name}” không có cột họ tên (“Họ và tên”, “Họ tên”…); "
            f"các cột tìm thấy: {', '.join(guess.headings.values()) or 'không có'}."
        )
    data = [item for item in head if item[0] > guess.row]

    def rest():  # type: ignore[no-untyped-def]
        yield from data
        yield from table.rows

    return table, guess, list(rest())


def guess(
    path: Path, sheet: str | None = None
) -> tuple[list[str], HeaderGuess | None, list[tuple[int, list[Any]]]]:
    """Sheets, the guessed header and the first rows: enough for the wizard's column page."""
    table = open_table(path, sheet)
    head = _head(table)
    return table.sheets, guess_header(head), head


def _head(table: Table) -> list[tuple[int, list[Any]]]:
    """The first rows, where titles and the header are; the rest stays in the stream."""
    head: list[tuple[int, list[Any]]] = []
    for item in table.rows:
        head.append(item)
        if len(head) >= HEADER_SCAN_ROWS + 10:
            break
    return head


# -- checking --------------------------------------------------------------------


def _footer_text(value: Any) -> str:
    return names.fold(text(value if not isinstance(value, str) else value[:_FOOTER_CHARS]))


def _is_footer(values: list[Any], name_cols: list[int]) -> bool:
    """The signatures under the list: "Người lập biểu", "TM. UBND XÃ", a date line, and
    nothing (or the same kind of text) in the name column."""
    name_empty = all(c >= len(values) or values[c] is None for c in name_cols)
    if not name_empty and not _FOOTER.match(_footer_text(values[name_cols[0]])):
        return False  # a person's row: decided on one cell, the row's text is not folded
    return bool(_FOOTER.match(" ".join(_footer_text(v) for v in values if v is not None)))


def _is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _identities(values: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The keys that say two rows are one person: CCCD, name + birth date, name + phone."""
    keys: list[tuple[Any, ...]] = []
    if values.get("citizen_id"):
        keys.append(("cccd", values["citizen_id"]))
    name = names.search_key(values.get("full_name", ""))
    if values.get("birth_date"):
        keys.append(("birth", name, values["birth_date"]))
    if values.get("phone"):
        keys.append(("phone", name, values["phone"]))
    return keys


def _fold_duplicate(first: PlannedRow, dup: PlannedRow) -> None:
    first.folded_rows.append(dup.row)
    for fld, value in dup.values.items():
        if fld not in first.values:
            first.values[fld] = value
        elif first.values[fld] != value and fld != "birth_year_only":
            first.issues.append(
                Issue(
                    dup.row,
                    FIELD_LABELS.get(fld, fld),
                    shown(value),
                    f"trùng người ở dòng {first.row} nhưng khác giá trị; giữ giá trị của dòng {first.row}.",
                    error=False,
                )
            )


def _merged_issues(merged: list[MergedRange], guess: HeaderGuess) -> dict[int, Issue]:
    """Merged cells in the data area of a mapped column: each covered row is an error."""
    out: dict[int, Issue] = {}
    for m in merged:
        if m.max_row <= guess.row or m.min_row == m.max_row:
            continue
        cols = [c for c in range(m.min_col, m.max_col + 1) if c in guess.mapping]
        if not cols:
            continue
        label = guess.headings.get(cols[0], FIELD_LABELS[guess.mapping[cols[0]]])
        for row in range(max(m.min_row, guess.row + 1), m.max_row + 1):
            out[row] = Issue(
                row,
                label,
                "",
                f"ô gộp (Merge) dòng {m.min_row}–{m.max_row} trong vùng dữ liệu; hãy bỏ gộp ô và "
                "điền giá trị cho từng dòng.",
            )
    return out


def plan(
    s: Session,
    path: Path,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    progress: Progress | None = None,
    *,
    strict: bool = False,
) -> ImportPlan:
    """Read and check the file and match existing people; writes nothing. With `strict`
    every warning (a value left out, a duplicate that differs, an unknown commune) is an
    error."""
    access.require(s, "import")
    table, guess, rows = read(path, sheet, mapping)
    merged = _merged_issues(table.merged, guess)
    name_cols = [c for c, f in guess.mapping.items() if f in ("full_name", "given_name")]
    formulas = {
        (number, col)
        for number, values in rows
        for col in guess.mapping
        if col < len(values) and _is_formula(values[col])
    }
    cached = cached_values(table.path, table.name, formulas) if formulas and table.path else {}
    planned: list[PlannedRow] = []
    seen: dict[tuple[Any, ...], PlannedRow] = {}
    blank = 0
    footer_row, footer_rows = None, 0
    for n, (number, values) in enumerate(rows):
        if progress and n % 1000 == 0:
            progress(n)
        if _is_blank(values):
            blank += 1
            continue
        if _is_footer(values, name_cols):
            footer_row, footer_rows = number, len(rows) - n  # this row and all below it
            break
        row_values = list(values)
        formula_issues = []
        for col in guess.mapping:
            if (number, col) in formulas:
                value = cached.get((number, col))
                if value is None:
                    formula_issues.append(
                        Issue(
                            number,
                            guess.headings.get(col, ""),
                            shown(values[col]),
                            "ô chứa công thức chưa được Excel tính giá trị; hãy mở tệp bằng Excel, lưu lại "
                            "hoặc dán giá trị (Paste Values) rồi nhập.",
                        )
                    )
                row_values[col] = value
        p = parse_row(number, row_values, guess, strict)
        p.issues[:0] = formula_issues
        if number in merged:
            p.issues.insert(0, merged[number])
        keys = _identities(p.values) if p.ok else []
        first = next((seen[k] for k in keys if k in seen), None)
        other_cccd = first is not None and {
            first.values.get("citizen_id"),
            p.values.get("citizen_id"),
        } - {None}
        if first is not None and len(other_cccd or ()) <= 1:
            _fold_duplicate(first, p)
            for k in _identities(first.values):
                seen.setdefault(k, first)
            continue
        for k in keys:
            seen.setdefault(k, p)
        planned.append(p)
    result = ImportPlan(
        path.name,
        table.name,
        guess,
        planned,
        blank,
        footer_row,
        rows_in_sheet=guess.row + len(rows),  # rows are numbered from 1 without gaps
        head_rows=guess.row,
        footer_rows=footer_rows,
        strict=strict,
    )
    resolve_units(s, planned)
    if strict:  # the warnings added since parsing: differing duplicates, unknown units
        for r in planned:
            r.issues = [replace(i, error=True) for i in r.issues]
    _match(s, result)
    return result


# -- matching --------------------------------------------------------------------


def _chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _match(s: Session, plan_: ImportPlan) -> None:
    good = [r for r in plan_.rows if r.ok]
    by_cccd: dict[str, Person] = {}
    cccds = [r.values["citizen_id"] for r in good if r.values.get("citizen_id")]
    for chunk in _chunks(cccds):
        for p in s.scalars(select(Person).where(Person.citizen_id.in_(chunk))):
            by_cccd[p.citizen_id] = p  # type: ignore[index]
    # Staff: every number tested is recorded, guessing is counted (and may be refused).
    hide = citizen_id_lookups.limited(s) is not None
    with_cccd = [r for r in good if r.values.get("citizen_id")]
    citizen_id_lookups.imported(
        s,
        f"nhập tệp {plan_.file}",
        [(r.row, r.values["citizen_id"], r.values["full_name"]) for r in with_cccd],
        by_cccd,
    )
    keys = list({names.search_key(r.values["full_name"]) for r in good})
    by_name: dict[str, list[Person]] = {}
    for chunk in _chunks(keys):
        for p in s.scalars(
            select(Person).where(Person.search_key.in_(chunk), Person.merged_into_id.is_(None))
        ):
            by_name.setdefault(p.search_key, []).append(p)
    for r in good:
        found, reason = None, None
        cccd = r.values.get("citizen_id")
        if cccd and cccd in by_cccd:
            found, reason = by_cccd[cccd], "trùng số CCCD"
        else:
            for p in by_name.get(names.search_key(r.values["full_name"]), []):
                if r.values.get("birth_date") and p.birth_date == r.values["birth_date"]:
                    found, reason = p, "trùng họ tên và ngày sinh"
                    break
                if r.values.get("phone") and p.phone == r.values["phone"]:
                    found, reason = p, "trùng họ tên và số điện thoại"
                    break
            if found is not None and cccd and found.citizen_id and found.citizen_id != cccd:
                found, reason = None, None  # same name and birth, but another citizen ID
        if found is None:
            continue
        r.match_id, r.match_name, r.match_reason = found.id, found.full_name, reason
        r.match_hidden = hide and reason == "trùng số CCCD"
        if r.match_hidden:
            r.match_name = None
        for fld in PERSON_FIELDS:
            if fld not in r.values or fld == "full_name":
                continue
            stored = getattr(found, fld)
            if isinstance(stored, Gender):
                stored = stored.value
            new = r.values[fld]
            if stored in (None, ""):
                r.fills[fld] = new
            elif stored != new:
                r.differences[fld] = (None if r.match_hidden else stored, new)

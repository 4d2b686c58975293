"""Import people from Excel or CSV: read, check, match, then write all or nothing.

`plan()` reads and checks the file and matches existing people without writing;
`apply()` writes the plan in the caller's transaction. A plan with errors writes nothing
unless the caller chose to skip bad rows. Every row of the sheet is accounted for: the
plan counts titles, blanks and signatures as well as people (`ImportPlan.tally`).

One row's checks are in import_rows, units in import_units, the writing in import_write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.services import access
from app.services.import_columns import (
    FIELD_LABELS,
    HEADER_SCAN_ROWS,
    HeaderGuess,
    column_index,
    field_for,
    field_of_label,
    guess_header,
)
from app.services.import_duplicates import fold_duplicates
from app.services.import_layout import sort_rows
from app.services.import_match import match_existing
from app.services.import_results import ImportFailed, ImportPlan, ImportSummary, Tally
from app.services.import_rows import Issue, PlannedRow, parse_row, shown, text
from app.services.import_units import resolve_units
from app.services.import_write import apply
from app.spreadsheet import (
    MAX_COLUMNS,
    MergedRange,
    SpreadsheetError,
    Table,
    cached_values,
    column_letters,
    open_table,
)

__all__ = [
    "ImportFailed",
    "ImportPlan",
    "ImportSummary",
    "Issue",
    "PlannedRow",
    "SpreadsheetError",
    "Tally",
    "apply",
    "column_override",
    "guess",
    "plan",
    "read",
]

Progress = Callable[[int], None]
_parse_row = parse_row  # app.services.outcomes reads score files with the same row checks
_text = text


# -- reading ---------------------------------------------------------------------


def _is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


def column_override(spec: str) -> tuple[str, int]:
    """ "Họ và tên=C" -> ("full_name", 2): a column named by hand (the CLI's --column)."""
    label, sep, col = spec.rpartition("=")
    if not sep:
        raise SpreadsheetError(
            f"“{shown(spec)}” không đúng dạng TÊN_CỘT=CỘT (ví dụ “Họ và tên=C”, “Số CCCD=5”)."
        )
    fld = field_of_label(label)
    if fld is None:
        raise SpreadsheetError(
            f"Không biết thông tin “{shown(label.strip())}”; dùng một trong: "
            + ", ".join(f"“{v}”" for v in FIELD_LABELS.values())
            + "."
        )
    index = column_index(col)
    if index is None or index >= MAX_COLUMNS:
        raise SpreadsheetError(
            f"“{shown(col.strip())}” không phải cột: ghi chữ cái của cột (A, B, … "
            f"{column_letters(MAX_COLUMNS - 1)}) hoặc số thứ tự của cột (1 là cột A)."
        )
    return fld, index


def _with_columns(base: HeaderGuess, columns: dict[str, int]) -> HeaderGuess:
    """The guessed mapping with the columns named by hand put over it."""
    mapping = {
        c: f for c, f in base.mapping.items() if f not in columns and c not in columns.values()
    }
    mapping.update({c: f for f, c in columns.items()})
    return HeaderGuess(base.row, mapping, base.headings)


def _columns_found(guess: HeaderGuess | None) -> str:
    if guess is None or not guess.headings:
        return "không có"
    return ", ".join(f"{column_letters(c)} “{h}”" for c, h in sorted(guess.headings.items()))


def read(
    path: Path,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    columns: dict[str, int] | None = None,
) -> tuple[Table, HeaderGuess, list[tuple[int, list[Any]]]]:
    """Open the file, find the header, and return the data rows (header and titles removed).
    `mapping` replaces the guessed columns (the wizard); `columns` (field -> column, the
    CLI's --column) is put over them."""
    table = open_table(path, sheet)
    head = _head(table)
    guess = guess_header(head)
    if guess is None and mapping is None and not columns:
        hidden = (
            " Tệp còn trang tính ẩn "
            + ", ".join(f"“{n}”" for n in table.hidden_sheets)
            + ": nếu danh sách nằm ở đó, hãy chọn trang đó (dòng lệnh: --sheet TÊN) hoặc bỏ ẩn "
            "trang trong Excel."
            if table.hidden_sheets
            else ""
        )
        raise SpreadsheetError(
            f"Không tìm thấy dòng tiêu đề trong “{table.name}”: cần ít nhất cột “Họ và tên”. "
            "Hãy kiểm tra trang tính hoặc chọn cột bằng tay." + hidden
        )
    if mapping is not None or columns:
        base = guess or HeaderGuess(head[0][0] if head else 1, {}, {})
        guess = HeaderGuess(
            base.row, dict(mapping if mapping is not None else base.mapping), base.headings
        )
        if columns:
            guess = _with_columns(guess, columns)
    assert guess is not None
    fields = set(guess.mapping.values())
    if "full_name" not in fields and not {"family_middle", "given_name"} <= fields:
        raise SpreadsheetError(
            f"Trang “{table.name}” không có cột họ tên (“Họ và tên”, “Họ tên”…); "
            f"các cột tìm thấy: {_columns_found(guess)}. Nếu họ tên nằm ở một cột có tiêu đề "
            'khác, hãy chọn cột bằng tay (dòng lệnh: --column "Họ và tên=C").'
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


def _unused_columns(guess: HeaderGuess, rows: list[tuple[int, list[Any]]]) -> list[tuple[int, str]]:
    """Columns with a heading or with data that no field reads."""
    used = set(guess.mapping)
    filled = {
        c
        for _n, values in rows
        for c, v in enumerate(values)
        if c not in used and v is not None and not (isinstance(v, str) and not v.strip())
    }
    known = {c for c, h in guess.headings.items() if field_for(h) == "ignore"}  # STT, Ký tên
    cols = (set(guess.headings) | filled) - used - known
    return [(c, guess.headings.get(c, "")) for c in sorted(cols)]


def _formula_values(
    table: Table, guess: HeaderGuess, rows: list[tuple[int, list[Any]]]
) -> tuple[set[tuple[int, int]], dict[tuple[int, int], Any]]:
    formulas = {
        (number, col)
        for number, values in rows
        for col in guess.mapping
        if col < len(values) and _is_formula(values[col])
    }
    cached = cached_values(table.path, table.name, formulas) if formulas and table.path else {}
    return formulas, cached


def _person(
    number: int,
    values: list[Any],
    guess: HeaderGuess,
    strict: bool,
    formulas: set[tuple[int, int]],
    cached: dict[tuple[int, int], Any],
) -> PlannedRow:
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
    return p


def plan(
    s: Session,
    path: Path,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    progress: Progress | None = None,
    *,
    strict: bool = False,
    columns: dict[str, int] | None = None,
) -> ImportPlan:
    """Read and check the file and match existing people; writes nothing. With `strict`
    every warning (a value left out, a duplicate that differs, an unknown commune) is an
    error. `columns` names columns by hand over the guessed ones (field -> column)."""
    access.require(s, "import")
    table, guess, rows = read(path, sheet, mapping, columns)
    merged = _merged_issues(table.merged, guess)
    sorted_rows = sort_rows(rows, guess, table.merged)
    formulas, cached = _formula_values(table, guess, sorted_rows.people)
    planned: list[PlannedRow] = []
    for n, (number, values) in enumerate(sorted_rows.people):
        if progress and n % 1000 == 0:
            progress(n)
        p = _person(number, values, guess, strict, formulas, cached)
        if number in merged:
            p.issues.insert(0, merged[number])
        if number in sorted_rows.doubts:
            p.issues.append(
                Issue(
                    number,
                    FIELD_LABELS["full_name"],
                    shown(p.values.get("full_name", "")),
                    f"{sorted_rows.doubts[number]}; đã nhập như một người, hãy kiểm tra lại.",
                    error=strict,
                )
            )
        planned.append(p)
    planned = fold_duplicates(planned)
    result = ImportPlan(
        path.name,
        table.name,
        guess,
        planned,
        sorted_rows.blank,
        sorted_rows.footer_row,
        rows_in_sheet=guess.row + len(rows),  # rows are numbered from 1 without gaps
        head_rows=guess.row + len(sorted_rows.headers),
        footer_rows=sorted_rows.footer_rows,
        strict=strict,
        stt_only=sorted_rows.stt_only,
        headers=sorted_rows.headers,
        groups=sorted_rows.groups,
        footer=sorted_rows.footer,
        hidden_rows=[r for r in table.extras.hidden_rows if r > guess.row],
        hidden_sheets=table.hidden_sheets,
        unused_columns=_unused_columns(guess, sorted_rows.people),
        wide_cells=table.extras.wide_cells,
        first_wide=table.extras.first_wide,
    )
    resolve_units(s, planned)
    match_existing(s, result)
    if strict:  # the warnings added since parsing: duplicates, units, possible matches
        for r in planned:
            r.issues = [replace(i, error=True) for i in r.issues]
    return result

"""Write a table to .xlsx or .csv the way Excel users need it.

Bold frozen header, column widths, dates as dd/mm/yyyy date cells, citizen IDs and phone
numbers as text (no lost zeros), and nothing that Excel would run as a formula.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.errors import UserError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = "text"  # text, code (digits kept as text), date, number, decimal, percent
    width: int = 16


@dataclass(frozen=True)
class Group:
    """A heading row among the rows (the course over its lines): one bold cell."""

    heading: str


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook; caption lines (a title, the period) go above the header."""

    title: str
    columns: list[Column]
    rows: Iterable[list[Any] | Group]
    caption: tuple[str, ...] = ()


def write_table(
    path: Path,
    title: str,
    columns: list[Column],
    rows: Iterable[list[Any] | Group],
    fill_dates: str | None = None,
) -> int:
    """Write rows to path (.xlsx or .csv by its suffix); returns how many were written.

    fill_dates: an RGB colour for date cells in .xlsx (the topic matrix greens them)."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UserError(
            f"Chỉ xuất ra tệp .xlsx hoặc .csv (không phải “{path.suffix or path.name}”)."
        )
    sheet = Sheet(title, columns, rows)
    if suffix == ".csv":
        return _atomic(path, lambda tmp: _csv(tmp, columns, rows))
    return _atomic(path, lambda tmp: _xlsx(tmp, [sheet], fill_dates)[0])


def write_tables(path: Path, sheets: list[Sheet], workbook_title: str = "") -> list[int]:
    """Several tables into one .xlsx, one sheet each; returns the rows written per sheet."""
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"Bảng tính phải là tệp .xlsx (không phải “{path.suffix or path.name}”).")
    counts: list[int] = []

    def write(tmp: Path) -> int:
        counts.extend(_xlsx(tmp, sheets, None, workbook_title))
        return sum(counts)

    _atomic(path, write)
    return counts


def _atomic(path: Path, write: Callable[[Path], int]) -> int:
    """Write through a temporary file beside path, then rename: never half a file."""
    if not path.parent.is_dir():
        raise UserError(f"Không có thư mục {path.parent}.")
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        count = write(tmp)
        tmp.replace(path)
    except PermissionError as exc:
        raise UserError(
            f"Không ghi được {path.name}: tệp đang mở trong Excel hoặc thư mục chỉ cho đọc."
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _safe_text(value: str) -> str:
    """No control characters (NUL and the like: invalid in a workbook, dangerous in a CSV),
    and nothing a spreadsheet would run: = + - @ tab or CR at the start gets a '."""
    value = CONTROL.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return _safe_text(str(value))


def _csv(path: Path, columns: list[Column], rows: Iterable[list[Any] | Group]) -> int:
    count = 0
    # UTF-8 with a BOM: Excel then shows the diacritics instead of mojibake.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.heading for c in columns])
        for row in rows:
            if isinstance(row, Group):
                writer.writerow([_safe_text(row.heading)])
                continue
            writer.writerow([_csv_value(v, c.kind) for v, c in zip(row, columns, strict=True)])
            count += 1
    return count


def _xlsx(
    path: Path, sheets: list[Sheet], fill_dates: str | None, workbook_title: str = ""
) -> list[int]:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    if workbook_title:
        wb.properties.title = workbook_title
    wb.properties.creator = "TapHuan"
    try:
        counts = [_sheet(wb, sheet, fill_dates) for sheet in sheets]
    except BaseException:
        # A row source that fails midway (a refused search, a lost connection) leaves
        # openpyxl's row writers open: close them now, or they print a traceback when
        # they are collected later.
        for ws in wb.worksheets:
            if not ws.closed:
                with contextlib.suppress(Exception):
                    ws.close()
        raise
    wb.save(path)
    return counts


def _sheet(wb: Any, sheet: Sheet, fill_dates: str | None) -> int:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor=fill_dates) if fill_dates else None
    columns = sheet.columns
    # Excel refuses \ / ? * [ ] : in a sheet's name ("Tháng 03/2024").
    name = "".join("-" if ch in "\\/?*[]:" else ch for ch in sheet.title)[:31]
    ws = wb.create_sheet(name or "Danh sách")
    top = len(sheet.caption) + (1 if sheet.caption else 0)  # a blank row after a caption
    ws.freeze_panes = f"A{top + 2}"
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    bold = Font(bold=True)
    for i, line in enumerate(sheet.caption):
        cell = WriteOnlyCell(ws, value=line)
        cell.data_type = "s"
        cell.font = Font(bold=i == 0, size=13 if i == 0 else 11)
        ws.append([cell])
    if sheet.caption:
        ws.append([])
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.heading)
        cell.font = bold
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header.append(cell)
    ws.append(header)
    count = written = 0
    for row in sheet.rows:
        written += 1
        if isinstance(row, Group):
            cell = WriteOnlyCell(ws, value=CONTROL.sub("", row.heading))
            cell.data_type = "s"
            cell.font = bold
            ws.append([cell])
            continue
        cells = []
        for value, col in zip(row, columns, strict=True):
            cell = WriteOnlyCell(ws)
            if value is None:
                pass
            elif isinstance(value, date | datetime):
                cell.value = value
                cell.number_format = (
                    "DD/MM/YYYY HH:MM" if isinstance(value, datetime) else "DD/MM/YYYY"
                )
                if fill is not None:
                    cell.fill = fill
            elif col.kind == "percent" and isinstance(value, int | float):
                cell.value = value / 100
                cell.number_format = "0.0%"
            elif col.kind in ("number", "decimal") and isinstance(value, int | float):
                cell.value = value
                if col.kind == "decimal":  # "number" keeps Excel's General: 7.5 stays 7.5
                    cell.number_format = "0.0"
            else:
                # Strings stay strings: set after the value so "=..." is never a formula.
                cell.value = CONTROL.sub("", str(value))
                cell.data_type = "s"
                if col.kind == "code":
                    cell.number_format = "@"
            cells.append(cell)
        ws.append(cells)
        count += 1
    ws.auto_filter.ref = f"A{top + 1}:{get_column_letter(len(columns))}{top + written + 1}"
    return count

"""Write a table to .xlsx or .csv the way Excel users need it.

Bold frozen header, column widths, dates as dd/mm/yyyy date cells, citizen IDs and phone
numbers as text (no lost zeros), and nothing that Excel would run as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.errors import UserError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = "text"  # text, code (digits kept as text), date, number
    width: int = 16


def write_table(
    path: Path,
    title: str,
    columns: list[Column],
    rows: Iterable[list[Any]],
    fill_dates: str | None = None,
) -> int:
    """Write rows to path (.xlsx or .csv by its suffix); returns how many were written.

    fill_dates: an RGB colour for date cells in .xlsx (the topic matrix greens them)."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UserError(
            f"Chỉ xuất ra tệp .xlsx hoặc .csv (không phải “{path.suffix or path.name}”)."
        )
    if not path.parent.is_dir():
        raise UserError(f"Không có thư mục {path.parent}.")
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        count = (
            _xlsx(tmp, title, columns, rows, fill_dates)
            if suffix == ".xlsx"
            else _csv(tmp, columns, rows)
        )
        tmp.replace(path)
    except PermissionError as exc:
        raise UserError(
            f"Không ghi được {path.name}: tệp đang mở trong Excel hoặc thư mục chỉ cho đọc."
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _safe_text(value: str) -> str:
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


def _csv(path: Path, columns: list[Column], rows: Iterable[list[Any]]) -> int:
    count = 0
    # UTF-8 with a BOM: Excel then shows the diacritics instead of mojibake.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.heading for c in columns])
        for row in rows:
            writer.writerow([_csv_value(v, c.kind) for v, c in zip(row, columns, strict=True)])
            count += 1
    return count


def _xlsx(
    path: Path, title: str, columns: list[Column], rows: Iterable[list[Any]], fill_dates: str | None
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor=fill_dates) if fill_dates else None

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31] or "Danh sách")
    ws.freeze_panes = "A2"
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    bold = Font(bold=True)
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.heading)
        cell.font = bold
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
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
            elif col.kind == "number" and isinstance(value, int | float):
                cell.value = value
            else:
                # Strings stay strings: set after the value so "=..." is never a formula.
                cell.value = str(value)
                cell.data_type = "s"
                if col.kind == "code":
                    cell.number_format = "@"
            cells.append(cell)
        ws.append(cells)
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    wb.save(path)
    return count

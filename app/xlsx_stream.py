"""Stream a worksheet's rows out of an .xlsx in one pass, bounded in width and memory,
and note on the way what else the sheet says about them: merged ranges, hidden rows,
cells far to the right.

openpyxl's read-only worksheet pads every row to its last cell (a cell at XFD makes a
row of 16,384 values) and keeps the attributes of every row; it builds a whole <row>
element before handing it over, however many cells it holds. Here a row keeps at most
MAX_COLUMNS values (cells further right are counted, not kept), a row of more than
MAX_CELLS_IN_ROW cells or MAX_CHARS_IN_ROW characters is refused while it is read, and
every element is dropped from the tree once used. The cells themselves are read by
openpyxl's own worksheet parser (shared strings, dates by number format, formulas), with
defusedxml's parser underneath, as openpyxl does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from defusedxml.ElementTree import iterparse

# openpyxl's worksheet parser is not public API; openpyxl is pinned below 4 in pyproject,
# and the import tests read real workbooks through this module.
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from app import labels
from app.errors import UserError

MAX_COLUMNS = 200  # a roster has a dozen; Excel allows 16,384
MAX_CELLS_IN_ROW = 16_384  # Excel's own limit: only a hand-made file has more
MAX_CHARS_IN_ROW = 2_000_000
_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_MERGE = f"{{{SHEET_MAIN_NS}}}mergeCell"
_TEXT = {f"{{{SHEET_MAIN_NS}}}v", f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}f"}


class RowRefused(UserError):
    """A row no roster has: the message names it."""


class OutOfOrder(Exception):
    """Rows numbered backwards: a damaged or hand-made file."""


@dataclass(frozen=True)
class MergedRange:
    min_row: int
    min_col: int  # 0-based
    max_row: int
    max_col: int


@dataclass
class SheetExtras:
    """What the sheet says about its rows besides their values; filled while streaming,
    complete once the last row has been read."""

    merged: list[MergedRange] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    wide_cells: int = 0  # cells right of MAX_COLUMNS, left out
    first_wide: str = ""  # the first of them, as Excel names it ("XFD2")


class _Cells(WorkSheetParser):
    """openpyxl's parser of one cell, used on rows this module has taken apart."""

    def start_row(self, number: int) -> None:
        self.row_counter, self.col_counter = number, 0


def _row_number(elem: Any, previous: int) -> int:
    text = elem.get("r")
    if not text:
        return previous + 1
    try:
        value = float(text)
    except ValueError:
        raise OutOfOrder(text) from None
    if not value.is_integer() or value <= previous:
        raise OutOfOrder(text)
    return int(value)


def _merged(ref: str) -> MergedRange | None:
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    if None in (min_col, min_row, max_col, max_row):
        return None
    return MergedRange(min_row, min_col - 1, max_row, max_col - 1)  # type: ignore[operator]


def stream_rows(
    ws: Any, extras: SheetExtras, max_col: int = MAX_COLUMNS
) -> Iterator[tuple[int, list[Any]]]:
    """(row number as Excel shows it, values up to max_col) for every row from 1, the
    missing ones as empty lists; `extras` is complete when the stream ends."""
    wb = ws.parent
    with ws._get_source() as src:  # the worksheet part, opened from the package
        cells = _Cells(
            src,
            ws._shared_strings,
            data_only=wb.data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        open_elems: list[Any] = []
        in_row = False
        count = chars = number = 0
        for event, elem in iterparse(src, events=("start", "end")):
            tag = elem.tag
            if event == "start":
                open_elems.append(elem)
                if tag == _ROW:
                    in_row, count, chars = True, 0, 0
                elif tag == _CELL and in_row:
                    count += 1
                    if count > MAX_CELLS_IN_ROW:
                        raise RowRefused(
                            f"Dòng {number + 1} của trang “{ws.title}” có hơn "
                            f"{labels.number(MAX_CELLS_IN_ROW)} ô, nhiều hơn Excel cho phép: tệp "
                            "không do Excel tạo ra hoặc đã hỏng; từ chối để bảo vệ máy."
                        )
                continue
            open_elems.pop()
            parent = open_elems[-1] if open_elems else None
            if tag == _ROW:
                in_row = False
                previous, number = number, _row_number(elem, number)
                for missing in range(previous + 1, number):
                    yield missing, []
                cells.start_row(number)
                if elem.get("hidden") in ("1", "true"):
                    extras.hidden_rows.append(number)
                values: list[Any] = []
                for cell in (cells.parse_cell(c) for c in elem if c.tag == _CELL):
                    col = cell["column"]
                    if col > max_col:
                        if extras.wide_cells == 0:
                            extras.first_wide = f"{get_column_letter(min(col, 16_384))}{number}"
                        extras.wide_cells += 1
                        continue
                    if col > len(values):
                        values.extend([None] * (col - len(values)))
                    values[col - 1] = cell["value"]
                if parent is not None:
                    parent.remove(elem)
                yield number, values
            elif in_row:
                if tag in _TEXT:
                    chars += len(elem.text or "")
                    if chars > MAX_CHARS_IN_ROW:
                        raise RowRefused(
                            f"Dòng {number + 1} của trang “{ws.title}” dài hơn "
                            f"{labels.number(MAX_CHARS_IN_ROW)} ký tự: không phải một dòng danh "
                            "sách; từ chối để bảo vệ máy."
                        )
            else:
                if tag == _MERGE and (found := _merged(elem.get("ref") or "")):
                    extras.merged.append(found)
                if parent is not None:
                    parent.remove(elem)

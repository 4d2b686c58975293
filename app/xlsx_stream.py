"""Stream a worksheet's rows out of an .xlsx in one pass, bounded in width and memory,
and note on the way what else the sheet says about them: merged ranges, hidden rows,
cells far to the right.

openpyxl's read-only worksheet pads every row to its last cell (a cell at XFD makes a
row of 16,384 values), builds an element per cell and a dict per cell. Here the sheet's
XML goes through expat's callbacks (app.xlsx_xml: defusedxml's refusals) and a cell becomes
its value and nothing else. A row keeps at most MAX_COLUMNS values (cells further right
are counted, not kept), a row of more than MAX_CELLS_IN_ROW cells or MAX_CHARS_IN_ROW
characters is refused while it is read. A cell's value is read as openpyxl's worksheet
parser reads it (its `parse_cell`): shared strings, inline strings and their rich text
runs without the phonetic ones, numbers, dates by number format in the workbook's date
system, booleans, errors, formulas (shared ones translated) or, with `data_only`, the
values Excel last calculated for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app import labels
from app.errors import UserError
from app.xlsx_book import Book, SheetRef
from app.xlsx_xml import MAIN, expat_parser

MAX_COLUMNS = 200  # a roster has a dozen; Excel allows 16,384
MAX_CELLS_IN_ROW = 16_384  # Excel's own limit: only a hand-made file has more
MAX_CHARS_IN_ROW = 2_000_000
_CHUNK = 64 * 1024
_ROW, _CELL, _MERGE = f"{MAIN}row", f"{MAIN}c", f"{MAIN}mergeCell"
_V, _F, _T, _IS, _R = f"{MAIN}v", f"{MAIN}f", f"{MAIN}t", f"{MAIN}is", f"{MAIN}r"
_TEXT = frozenset({_V, _T, _F})
_DIGITS = "0123456789"


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


def _row_number(attrs: dict[str, str], previous: int) -> int:
    text = attrs.get("r")
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


class _Columns:
    """A cell's column from its reference, as openpyxl's coordinate_to_tuple finds it."""

    def __init__(self) -> None:
        from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple

        self._by_letters: dict[str, int] = {}
        self._index = column_index_from_string
        self._slow = coordinate_to_tuple

    def __call__(self, ref: str) -> int:
        letters = ref.rstrip(_DIGITS)
        if len(letters) < len(ref) and letters.isascii() and letters.isalpha():
            col = self._by_letters.get(letters)
            if col is None:
                col = self._by_letters[letters] = self._index(letters)
            return col
        return int(self._slow(ref)[1])


class _Values:
    """A cell's value from its type, style, <v> text, formula and inline string."""

    def __init__(self, book: Book) -> None:
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self.strings = book.shared_strings
        self.dates = book.date_formats
        self.durations = book.timedelta_formats
        self.epoch = book.epoch
        self.from_excel = from_excel
        self.from_iso = from_ISO8601
        self.shared_formulae: dict[str | None, Any] = {}

    def value(self, kind: str, style: str | None, text: str | None) -> Any:
        value: Any = text or None
        if value is None:
            return None
        if kind == "n":
            value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
            style_id = int(style) if style else 0
            if style_id in self.dates:
                try:
                    return self.from_excel(value, self.epoch, timedelta=style_id in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return value
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return self.from_iso(value)
        return value

    def formula(self, attrs: dict[str, str], text: str | None, ref: str | None) -> Any:
        from openpyxl.formula.translate import Translator
        from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

        value: Any = "=" + (text if text is not None else "")
        kind = attrs.get("t")
        if kind == "array":
            return ArrayFormula(ref=attrs.get("ref"), text=value)
        if kind == "shared":
            idx = attrs.get("si")
            if idx in self.shared_formulae:
                return self.shared_formulae[idx].translate_formula(ref)
            if value != "=":
                self.shared_formulae[idx] = Translator(value, ref)
            return value
        if kind == "dataTable":
            return DataTableFormula(**attrs)
        return value


def stream_rows(
    book: Book, sheet: SheetRef, extras: SheetExtras, max_col: int = MAX_COLUMNS
) -> Iterator[tuple[int, list[Any]]]:
    """(row number as Excel shows it, values up to max_col) for every row from 1, the
    missing ones as empty lists; `extras` is complete when the stream ends."""
    from openpyxl.utils import get_column_letter

    title = sheet.title
    columns, cells = _Columns(), _Values(book)
    data_only = book.data_only
    out: list[tuple[int, list[Any]]] = []
    path: list[str] = []
    st: dict[str, Any] = {"number": 0, "in_row": False}
    # The cell being read: its attributes, <v> text, formula and inline string parts.
    row: dict[str, Any] = {}
    cell: dict[str, Any] = {}
    capture: list[str] | None = None
    counting = False

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal capture, counting
        parent = path[-1] if path else ""
        path.append(tag)
        if tag == _CELL:
            if not st["in_row"]:
                return
            row["count"] += 1
            if row["count"] > MAX_CELLS_IN_ROW:
                raise RowRefused(
                    f"Dòng {st['number'] + 1} của trang “{title}” có hơn "
                    f"{labels.number(MAX_CELLS_IN_ROW)} ô, nhiều hơn Excel cho phép: tệp "
                    "không do Excel tạo ra hoặc đã hỏng; từ chối để bảo vệ máy."
                )
            if parent != _ROW:
                return
            cell.clear()
            cell["attrs"] = attrs
            return
        if tag == _ROW:
            st["in_row"] = True
            row.clear()
            row.update(attrs=attrs, count=0, chars=0, values=[], col=0)
            return
        if not st["in_row"]:
            if tag == _MERGE and (found := _merged(attrs.get("ref") or "")):
                extras.merged.append(found)
            return
        if tag in _TEXT:
            counting = True
            if not cell:
                return
            if parent == _CELL and tag == _V and "v" not in cell:
                capture = cell["v"] = []
            elif parent == _CELL and tag == _F and "f" not in cell:
                cell["f"] = attrs
                capture = cell["ftext"] = []
            elif tag == _T and "is" in cell:
                grand = path[-3] if len(path) >= 3 else ""
                if parent == _IS and grand == _CELL:
                    capture = cell["plain"] = []
                elif parent == _R and grand == _IS and path[-4:-3] == [_CELL]:
                    capture = []
                    cell["runs"].append(capture)
        elif tag == _IS and parent == _CELL and cell and "is" not in cell:
            cell["is"] = True
            cell["runs"] = []

    def text(tag: str) -> str | None:
        parts = cell.get(tag)
        return None if not parts else "".join(parts)

    def end(tag: str) -> None:
        nonlocal capture, counting
        path.pop()
        if tag in _TEXT:
            counting = False
            capture = None
            return
        if tag == _CELL:
            if st["in_row"] and path and path[-1] == _ROW:
                if cell:
                    end_cell()
                cell.clear()
        elif tag == _ROW and st["in_row"]:
            end_row()

    def end_cell() -> None:
        attrs = cell["attrs"]
        kind = attrs.get("t", "n")
        ref = attrs.get("r")
        if ref:
            col = row["col"] = columns(ref)
        else:
            col = row["col"] = row["col"] + 1
        if not data_only and "f" in cell:
            value = cells.formula(cell["f"], text("ftext"), ref)
        elif kind == "inlineStr":
            value = None
            if "is" in cell:
                plain = text("plain")
                value = ("" if plain is None else plain) + "".join(
                    "".join(run) for run in cell["runs"] if run
                )
        else:
            value = cells.value(kind, attrs.get("s"), text("v"))
        values = row["values"]
        if col > max_col:
            if extras.wide_cells == 0:
                extras.first_wide = f"{get_column_letter(min(col, 16_384))}?"
            extras.wide_cells += 1
            return
        if col > len(values):
            values.extend([None] * (col - len(values)))
        values[col - 1] = value

    def end_row() -> None:
        st["in_row"] = False
        previous = st["number"]
        number = st["number"] = _row_number(row["attrs"], previous)
        if extras.first_wide.endswith("?"):  # the row's number is known only now
            extras.first_wide = extras.first_wide[:-1] + str(number)
        for missing in range(previous + 1, number):
            out.append((missing, []))
        if row["attrs"].get("hidden") in ("1", "true"):
            extras.hidden_rows.append(number)
        out.append((number, row["values"]))

    def data(chunk: str) -> None:
        if counting and st["in_row"]:
            row["chars"] += len(chunk)
            if row["chars"] > MAX_CHARS_IN_ROW:
                raise RowRefused(
                    f"Dòng {st['number'] + 1} của trang “{title}” dài hơn "
                    f"{labels.number(MAX_CHARS_IN_ROW)} ký tự: không phải một dòng danh "
                    "sách; từ chối để bảo vệ máy."
                )
        if capture is not None:
            capture.append(chunk)

    parser = expat_parser(start, end, data)
    with book.open(sheet) as src:
        while True:
            chunk = src.read(_CHUNK)
            try:
                parser.Parse(chunk, not chunk)
            except BaseException:
                yield from out  # the rows read whole before what is wrong
                raise
            if out:
                yield from out
                out.clear()
            if not chunk:
                break

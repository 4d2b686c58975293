"""The workbook around the sheet that is read: its sheets (names, hidden or not), shared
strings, which styles are dates, and its date system (1900 or 1904).

openpyxl reads the workbook, its relationships, properties, theme and styles as it does for
load_workbook(read_only=True), so what a sheet is called, which one is hidden and which
number formats are dates stay exactly as before. Two of its steps are left out: a read-only
worksheet parses its whole sheet once just to look for a <dimension> tag that is often
absent (here the tag is looked for in the sheet's first bytes, before <sheetData>), and the
shared strings are read by a plain expat parser instead of an object per string.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from app.xlsx_xml import MAIN, expat_parser

HIDDEN_STATES = ("hidden", "veryHidden")
_SI, _T, _R, _RPH = f"{MAIN}si", f"{MAIN}t", f"{MAIN}r", f"{MAIN}rPh"
_DIMENSION, _SHEET_DATA = f"{MAIN}dimension", f"{MAIN}sheetData"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class SheetRef:
    title: str
    state: str
    part: str | None  # the worksheet's part in the package; None for a chart sheet

    @property
    def hidden(self) -> bool:
        return self.state in HIDDEN_STATES


@dataclass
class Book:
    archive: zipfile.ZipFile
    sheets: list[SheetRef]
    shared_strings: list[str]
    epoch: datetime
    date_formats: set[int] = field(default_factory=set)
    timedelta_formats: set[int] = field(default_factory=set)
    data_only: bool = False
    declared: dict[str, int | None] = field(default_factory=dict)  # title -> last row declared

    @property
    def sheetnames(self) -> list[str]:
        return [s.title for s in self.sheets]

    @property
    def worksheets(self) -> list[SheetRef]:
        return [s for s in self.sheets if s.part is not None]

    def sheet(self, title: str) -> SheetRef:
        return next(s for s in self.sheets if s.title == title)

    def open(self, sheet: SheetRef) -> IO[bytes]:
        assert sheet.part is not None
        return self.archive.open(sheet.part)

    def close(self) -> None:
        self.archive.close()


def open_book(path: Any, data_only: bool = False) -> Book:
    """The workbook's sheets and what reading a cell needs; raises what openpyxl raises
    for a broken package."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import SHARED_STRINGS

    reader = ExcelReader(path, read_only=True, keep_links=False, data_only=data_only)
    try:
        reader.read_manifest()
        strings: list[str] = []
        ct = reader.package.find(SHARED_STRINGS)
        if ct is not None:
            with reader.archive.open(ct.PartName[1:]) as src:
                strings = read_shared_strings(src)
        reader.read_workbook()
        reader.read_properties()
        reader.read_custom()
        reader.read_theme()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [
            SheetRef(sheet.name, sheet.state, None if "chartsheet" in rel.Type else rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files
        ]
    except BaseException:
        reader.archive.close()
        raise
    wb = reader.wb
    return Book(
        reader.archive,
        sheets,
        strings,
        wb.epoch,
        set(wb._date_formats),
        set(wb._timedelta_formats),
        data_only,
    )


def read_shared_strings(src: IO[bytes]) -> list[str]:
    """Each <si>'s text as openpyxl reads it: the plain <t>, then the runs' <t>; phonetic
    runs (<rPh>, the furigana of a Japanese Excel) are not text of the cell."""
    strings: list[str] = []
    path: list[str] = []
    plain: list[str | None] = [None]
    runs: list[str] = []
    capture: list[str] | None = None

    def start(tag: str, _attrs: dict[str, str]) -> None:
        nonlocal capture
        parent = path[-1] if path else ""
        path.append(tag)
        if tag == _SI:
            plain[0] = None
            runs.clear()
        elif tag == _T and (parent == _SI or (parent == _R and path[-3:-2] == [_SI])):
            capture = []

    def end(tag: str) -> None:
        nonlocal capture
        path.pop()
        if tag == _T and capture is not None:
            text = "".join(capture) if capture else None
            capture = None
            if path and path[-1] == _SI:
                plain[0] = text
            elif text is not None:
                runs.append(text)
        elif tag == _SI:
            head = plain[0]
            strings.append(("" if head is None else head) + "".join(runs))

    def data(text: str) -> None:
        if capture is not None:
            capture.append(text)

    parser = expat_parser(start, end, data)
    while chunk := src.read(_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return [s.replace("x005F_", "") for s in strings]


def declared_rows(book: Book, sheet: SheetRef) -> int | None:
    """The last row the <dimension> tag declares, read from the sheet's first bytes; None
    when the sheet has none (it comes before <sheetData> or not at all)."""
    found: list[dict[str, str]] = []

    class _Stop(Exception):
        pass

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == _DIMENSION:
            found.append(attrs)
            raise _Stop
        if tag == _SHEET_DATA:
            raise _Stop

    parser = expat_parser(start, lambda _tag: None, None)
    with book.open(sheet) as src:
        try:
            while chunk := src.read(_CHUNK):
                parser.Parse(chunk, False)
        except _Stop:
            pass
    if not found:
        return None
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import Element

    return SheetDimension.from_tree(Element("dimension", found[0])).boundaries[3]  # type: ignore[no-any-return]

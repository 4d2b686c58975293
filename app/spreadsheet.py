"""Read the spreadsheets people really send: .xlsx and .csv, safely and streaming.

Checks before reading: what the file really is (a renamed file, an old .xls, a
password-protected workbook), how big each part of the package unpacks to for what it is
(app.xlsx_parts: a zip bomb is refused before a byte is inflated), how many rows it
declares. Rows are streamed, never loaded whole, and bounded in width (app.xlsx_stream).
Without a sheet named, the first visible sheet is read: a hidden one holds lookup lists.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from app import logs, xlsx_parts
from app.errors import UserError
from app.xlsx_book import Book, SheetRef, declared_rows, open_book
from app.xlsx_stream import (
    MAX_COLUMNS,
    MergedRange,
    OutOfOrder,
    RowRefused,
    SheetExtras,
    stream_rows,
)

__all__ = ["MAX_COLUMNS", "MergedRange", "SheetExtras", "SpreadsheetError", "Table"]

MAX_ROWS = 200_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# What a damaged package raises while its XML is read: a cut or malformed XML part
# (expat's ExpatError, ElementTree's and lxml's SyntaxErrors, defusedxml's refusals ValueErrors),
# a bad deflate stream, a lost member, rows numbered backwards.
_BROKEN = (
    SyntaxError,
    ExpatError,
    ValueError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    OSError,
    OutOfOrder,
)


class SpreadsheetError(UserError):
    """The file cannot be read as a table; the message says why and what to do."""


@dataclass(frozen=True)
class SheetInfo:
    name: str
    hidden: bool = False


@dataclass
class Table:
    """A sheet's rows as (row number as Excel shows it, [values]) and what sits on it.
    `extras` (merged ranges, hidden rows, cells too far right) is complete once `rows`
    has been read to the end."""

    name: str
    kind: str  # "xlsx" / "csv"
    rows: Iterator[tuple[int, list[Any]]]
    sheets: list[str] = field(default_factory=list)
    extras: SheetExtras = field(default_factory=SheetExtras)
    encoding: str | None = None
    declared_rows: int | None = None
    path: Path | None = None
    hidden_sheets: list[str] = field(default_factory=list)

    @property
    def merged(self) -> list[MergedRange]:
        return self.extras.merged


def _kind(path: Path) -> str:
    if not path.is_file():
        raise SpreadsheetError(f"Không tìm thấy tệp {path}.")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head == OLE2_MAGIC:
        data = path.read_bytes() if path.stat().st_size < 64 * 1024 * 1024 else b""
        if _ENCRYPTED in data:
            return "encrypted"
        return "xls"
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return "not-excel"
    return "text"


def open_table(path: Path, sheet: str | None = None) -> Table:
    """Open an .xlsx or .csv for streaming; raises SpreadsheetError with a Vietnamese reason."""
    kind = _kind(path)
    if kind == "encrypted":
        raise SpreadsheetError(
            f"Tệp {path.name} được đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu (Tệp › Thông tin "
            "› Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi nhập."
        )
    if kind == "xls":
        raise SpreadsheetError(
            f"Tệp {path.name} là định dạng Excel 97–2003 (.xls). Hãy mở bằng Excel và chọn "
            "Lưu thành › Sổ làm việc Excel (.xlsx), rồi nhập tệp .xlsx."
        )
    if kind == "not-excel":
        raise SpreadsheetError(
            f"Tệp {path.name} không phải là bảng tính Excel dù có đuôi {path.suffix}; "
            "có thể tệp bị đổi tên hoặc hỏng. Hãy mở bằng Excel và lưu lại dạng .xlsx."
        )
    if kind == "zip":
        return _open_xlsx(path, sheet)
    return _open_csv(path)


# -- xlsx ------------------------------------------------------------------------


def _check_zip(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(
            f"Tệp {path.name} bị hỏng, không đọc được (không phải tệp nén .xlsx hợp lệ)."
        ) from exc
    names = [i.filename for i in infos]
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError(
            f"Tệp {path.name} là tệp nén nhưng không phải bảng tính Excel (.xlsx)."
        )
    try:
        xlsx_parts.check(path, infos)
    except xlsx_parts.PackageRefused as exc:
        raise SpreadsheetError(exc.message) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise _damaged(path, "khi kiểm tra các phần của tệp") from exc
    return names


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook (a CSV has one, named after the file)."""
    return [s.name for s in sheets(path)]


def sheets(path: Path) -> list[SheetInfo]:
    """The sheets of a workbook and whether Excel hides them (a CSV has one sheet)."""
    if _kind(path) != "zip":
        return [SheetInfo(path.stem)]
    _check_zip(path)
    wb = _load(path)
    try:
        return [SheetInfo(ws.title, ws.hidden) for ws in wb.worksheets]
    finally:
        wb.close()


def _load(path: Path, data_only: bool = False) -> Book:
    try:
        wb = open_book(path, data_only=data_only)
    except Exception as exc:  # a broken package fails in many kinds of ways
        _log_refused(path, exc)
        raise SpreadsheetError(_unreadable(path)) from exc
    try:  # each sheet's head, as openpyxl's load did: a hostile DTD is refused at first look
        for ws in wb.worksheets:
            wb.declared[ws.title] = declared_rows(wb, ws)
        return wb
    except Exception as exc:
        wb.close()
        _log_refused(path, exc)
        raise SpreadsheetError(_unreadable(path)) from exc


def _log_refused(path: Path, exc: BaseException) -> None:
    """Why the workbook was refused, in the parser's English, for IT: into the log file
    only, never onto the screen (the user reads the Vietnamese message alone)."""
    logs.log_exception(f"workbook refused: {path.name}", exc)


def _unreadable(path: Path) -> str:
    return (
        f"Không đọc được bảng tính {path.name}: tệp bị hỏng hoặc có phần không đúng định "
        "dạng Excel. Hãy mở bằng Excel, lưu lại dạng .xlsx (hoặc chép dữ liệu sang một sổ "
        "làm việc mới) rồi nhập lại."
    )


def _pick(wb: Book, path: Path, sheet: str | None) -> tuple[SheetRef, list[str]]:
    """The sheet asked for, else the first visible one; and the hidden sheets."""
    hidden = [ws.title for ws in wb.worksheets if ws.hidden]
    ws: SheetRef | None
    if sheet is None:
        visible = [ws for ws in wb.worksheets if not ws.hidden]
        ws = (visible or wb.worksheets or [None])[0]
    elif sheet in wb.sheetnames:
        ws = wb.sheet(sheet)
    else:
        raise SpreadsheetError(
            f"Không có trang tính “{sheet}” trong {path.name}; các trang: {', '.join(wb.sheetnames)}."
        )
    if ws is None or ws.part is None:  # no sheet, or a chart sheet
        raise SpreadsheetError(f"Tệp {path.name} không có trang tính dữ liệu.")
    return ws, [h for h in hidden if h != ws.title]


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    _check_zip(path)
    wb = _load(path)
    ws, hidden = _pick(wb, path, sheet)
    declared = wb.declared[ws.title]  # from the <dimension> tag: cheap, may be absent
    if declared is not None and declared > MAX_ROWS:
        wb.close()
        raise SpreadsheetError(
            f"Trang “{ws.title}” có {declared:,} dòng, quá giới hạn {MAX_ROWS:,} dòng một lần nhập; "
            "hãy chia thành nhiều tệp.".replace(",", ".")
        )
    extras = SheetExtras()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        # Every row there is, from row 1, whatever <dimension> says: some programs declare
        # "A1:A2" whatever the sheet holds. The stream has its own limit.
        number = 0
        try:
            for number, values in stream_rows(wb, ws, extras):
                if number > MAX_ROWS + 50:
                    raise SpreadsheetError(
                        f"Trang “{ws.title}” dài quá {MAX_ROWS:,} dòng; hãy chia thành nhiều "
                        "tệp.".replace(",", ".")
                    )
                yield number, values
        except RowRefused as exc:
            raise SpreadsheetError(exc.message) from exc
        except _BROKEN as exc:
            raise _damaged(path, f"sau dòng {number}") from exc
        finally:
            wb.close()

    return Table(ws.title, "xlsx", rows(), wb.sheetnames, extras, None, declared, path, hidden)


def cached_values(
    path: Path, sheet: str, cells: set[tuple[int, int]]
) -> dict[tuple[int, int], Any]:
    """The values Excel last calculated for formula cells (row number, 0-based column)."""
    if not cells:
        return {}
    wb = _load(path, data_only=True)
    ws = wb.sheet(sheet)
    wanted_rows = {r for r, _ in cells}
    last = max(wanted_rows)
    found: dict[tuple[int, int], Any] = {}
    try:
        for number, values in stream_rows(wb, ws, SheetExtras(), max(c for _, c in cells) + 1):
            if number in wanted_rows:
                for col, value in enumerate(values):
                    if (number, col) in cells:
                        found[(number, col)] = value
            if number >= last:
                break
    except _BROKEN as exc:
        raise _damaged(path, "khi đọc giá trị công thức") from exc
    finally:
        wb.close()
    return found


def _damaged(path: Path, where: str) -> SpreadsheetError:
    return SpreadsheetError(
        f"Tệp {path.name} bị hỏng ({where}), không đọc tiếp được. Hãy mở bằng Excel, lưu lại "
        "dạng .xlsx rồi nhập lại."
    )


# -- csv -------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise SpreadsheetError(
                    "Tệp CSV có dấu hiệu bảng mã Unicode nhưng nội dung không đọc được; hãy lưu "
                    "lại dạng CSV UTF-8 trong Excel."
                ) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Older Vietnamese Excel saves CSV in Windows-1258, whose tones are combining marks.
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258")), "cp1258"
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            "Không nhận ra bảng mã của tệp CSV; hãy lưu lại dạng CSV UTF-8 trong Excel."
        ) from exc


def _open_csv(path: Path) -> Table:
    size = path.stat().st_size
    if size > 200 * 1024 * 1024:
        raise SpreadsheetError(f"Tệp {path.name} quá lớn ({size // 1_048_576} MB); hãy chia nhỏ.")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetError(f"Tệp {path.name} không phải bảng tính Excel hay tệp CSV.")
    text, encoding = _decode(raw)
    sample = text[:20_000]
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    extras = SheetExtras()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 0
        try:
            for number, values in enumerate(reader, start=1):
                if number > MAX_ROWS + 50:
                    raise SpreadsheetError(
                        f"Tệp dài quá {MAX_ROWS:,} dòng; hãy chia thành nhiều tệp.".replace(
                            ",", "."
                        )
                    )
                kept = [v if v.strip() else None for v in values[:MAX_COLUMNS]]
                far = [i for i, v in enumerate(values[MAX_COLUMNS:], MAX_COLUMNS) if v.strip()]
                if far:
                    if not extras.wide_cells:
                        extras.first_wide = f"{column_letters(far[0])}{number}"
                    extras.wide_cells += len(far)
                yield number, kept
        except csv.Error as exc:  # a field past the csv module's 128 KB limit, a stray NUL
            raise SpreadsheetError(
                f"Tệp {path.name} không đọc được ở dòng {number + 1} ({exc}); hãy mở bằng Excel "
                "và lưu lại dạng CSV UTF-8."
            ) from exc

    return Table(path.stem, "csv", rows(), [path.stem], extras, encoding, None, path)


def column_letters(col: int) -> str:
    """0 -> "A", 199 -> "GR": a column as Excel names it."""
    out, col = "", col + 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out

"""Read the spreadsheets people really send: .xlsx and .csv, safely and streaming.

Checks before reading: what the file really is (a renamed file, an old .xls, a
password-protected workbook), how big it unpacks to (a zip bomb is refused before a byte
is inflated), how big the parts are that openpyxl holds whole in memory (the shared
strings: every text cell of the workbook), how many rows it declares. Rows are streamed,
never loaded whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from app.errors import UserError

MAX_ROWS = 200_000
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 150  # inflated / compressed, for members over 10 MB
# openpyxl reads the shared strings whole, even in read-only mode: about 4 bytes of memory
# and 20 µs for each byte of XML of short strings. A rich 200,000-row list (names, citizen
# IDs, phones, e-mails, dates as text) has 26 MB of them, packed about 5 to 1: unique
# strings pack badly. Long strings repeated with small changes pack 50 to 1 or better.
MAX_SHARED_STRINGS = 48 * 1024 * 1024
MAX_SHARED_STRINGS_RATIO = 30  # for tables over 4 MB
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
# What a damaged package raises while its XML is read: a cut or malformed XML part
# (ElementTree's and lxml's errors are SyntaxErrors), a bad deflate stream, a lost member.
_BROKEN = (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError)


class SpreadsheetError(UserError):
    """The file cannot be read as a table; the message says why and what to do."""


@dataclass(frozen=True)
class MergedRange:
    min_row: int
    min_col: int  # 0-based
    max_row: int
    max_col: int


@dataclass
class Table:
    """A sheet's rows as (row number as Excel shows it, [values]) and what sits on it."""

    name: str
    kind: str  # "xlsx" / "csv"
    rows: Iterator[tuple[int, list[Any]]]
    sheets: list[str] = field(default_factory=list)
    merged: list[MergedRange] = field(default_factory=list)
    encoding: str | None = None
    declared_rows: int | None = None
    path: Path | None = None


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
    total = sum(i.file_size for i in infos)
    for info in infos:
        if info.file_size > 10 * 1024 * 1024 and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise SpreadsheetError(
                f"Tệp {path.name} bung ra lớn bất thường ({info.file_size // 1_048_576} MB từ "
                f"{max(info.compress_size, 1) // 1024} KB): từ chối để bảo vệ máy."
            )
    if total > MAX_UNZIPPED_BYTES:
        raise SpreadsheetError(
            f"Tệp {path.name} quá lớn ({total // 1_048_576} MB khi giải nén); hãy chia nhỏ danh sách."
        )
    _check_shared_strings(path, infos)
    return names


def _shared_strings_parts(path: Path, infos: list[zipfile.ZipInfo]) -> set[str]:
    """The parts openpyxl would read as the shared strings table: those the package's
    content types declare so (where openpyxl looks), and any named like one."""
    parts = {i.filename for i in infos if i.filename.lower().endswith("sharedstrings.xml")}
    types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
    if types is None or types.file_size > 1024 * 1024:
        return parts
    from defusedxml.ElementTree import fromstring  # no entity tricks in a hostile file

    with zipfile.ZipFile(path) as zf:
        try:
            root = fromstring(zf.read(types))
        except Exception:  # openpyxl will say what is wrong with the package
            return parts
    for item in root:
        if item.get("ContentType") == SHARED_STRINGS_TYPE and item.get("PartName"):
            parts.add(item.get("PartName", "").lstrip("/"))
    return parts


def _check_shared_strings(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse, from the sizes the zip declares, a text table too big to hold in memory.
    Python's zip reader never inflates a member past its declared size."""
    wanted = _shared_strings_parts(path, infos)
    for info in infos:
        if info.filename not in wanted:
            continue
        size, packed = info.file_size, max(info.compress_size, 1)
        where = f"phần chữ của bảng tính ({info.filename})"
        if size > MAX_SHARED_STRINGS:
            raise SpreadsheetError(
                f"Tệp {path.name}: {where} có {size // 1_048_576} MB khi giải nén, quá "
                f"{MAX_SHARED_STRINGS // 1_048_576} MB mà một danh sách 200.000 dòng cần; từ chối "
                "để bảo vệ máy. Nếu đây là danh sách thật, hãy chia thành nhiều tệp."
            )
        if size > 4 * 1024 * 1024 and size > MAX_SHARED_STRINGS_RATIO * packed:
            raise SpreadsheetError(
                f"Tệp {path.name}: {where} bung ra {size // 1_048_576} MB từ {packed // 1024} KB "
                f"(gấp {size // packed} lần; chữ của một danh sách thật chỉ gấp chừng 5 lần): "
                "từ chối để bảo vệ máy."
            )


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook (a CSV has one, named after the file)."""
    if _kind(path) != "zip":
        return [path.stem]
    _check_zip(path)
    return _load(path).sheetnames


def _load(path: Path, data_only: bool = False):  # type: ignore[no-untyped-def]
    import openpyxl  # a heavy import, only when a workbook is read

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a broken package
        raise SpreadsheetError(f"Không đọc được bảng tính {path.name}: {exc}") from exc


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    _check_zip(path)
    wb = _load(path)
    if sheet is None:
        ws = wb.worksheets[0] if wb.worksheets else None
    elif sheet in wb.sheetnames:
        ws = wb[sheet]
    else:
        raise SpreadsheetError(
            f"Không có trang tính “{sheet}” trong {path.name}; các trang: {', '.join(wb.sheetnames)}."
        )
    if ws is None or not hasattr(ws, "iter_rows"):
        raise SpreadsheetError(f"Tệp {path.name} không có trang tính dữ liệu.")
    declared = ws.max_row  # from the <dimension> tag: cheap, may be absent
    if declared is not None and declared > MAX_ROWS:
        raise SpreadsheetError(
            f"Trang “{ws.title}” có {declared:,} dòng, quá giới hạn {MAX_ROWS:,} dòng một lần nhập; "
            "hãy chia thành nhiều tệp.".replace(",", ".")
        )
    merged = _merged_ranges(path, getattr(ws, "_worksheet_path", None))
    # Read every row there is: read-only openpyxl stops at the declared last row, and some
    # programs declare "A1:A2" whatever the sheet holds. The stream has its own limit.
    ws.reset_dimensions()

    def rows() -> Iterator[tuple[int, list[Any]]]:
        # iter_rows() starts at row 1 whatever <dimension> says (it fills the rows above).
        number = 0
        try:
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS + 50:
                    raise SpreadsheetError(
                        f"Trang “{ws.title}” dài quá {MAX_ROWS:,} dòng; hãy chia thành nhiều "
                        "tệp.".replace(",", ".")
                    )
                yield number, list(values)
        except _BROKEN as exc:
            raise _damaged(path, f"sau dòng {number}") from exc
        finally:
            wb.close()

    return Table(ws.title, "xlsx", rows(), wb.sheetnames, merged, None, declared, path)


def cached_values(
    path: Path, sheet: str, cells: set[tuple[int, int]]
) -> dict[tuple[int, int], Any]:
    """The values Excel last calculated for formula cells (row number, 0-based column)."""
    if not cells:
        return {}
    wb = _load(path, data_only=True)
    ws = wb[sheet]
    ws.reset_dimensions()
    wanted_rows = {r for r, _ in cells}
    last = max(wanted_rows)
    found: dict[tuple[int, int], Any] = {}
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if number in wanted_rows:
            for col, value in enumerate(values):
                if (number, col) in cells:
                    found[(number, col)] = value
        if number >= last:
            break
    wb.close()
    return found


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _merged_ranges(path: Path, sheet_path: str | None) -> list[MergedRange]:
    """<mergeCell ref="A1:H1"/> entries, read by streaming the sheet's XML."""
    if not sheet_path:
        return []
    try:
        return _read_merged(path, sheet_path)
    except _BROKEN as exc:
        raise _damaged(path, "ở phần ô gộp") from exc


def _damaged(path: Path, where: str) -> SpreadsheetError:
    return SpreadsheetError(
        f"Tệp {path.name} bị hỏng ({where}), không đọc tiếp được. Hãy mở bằng Excel, lưu lại "
        "dạng .xlsx rồi nhập lại."
    )


def _read_merged(path: Path, sheet_path: str) -> list[MergedRange]:
    ranges: list[MergedRange] = []
    with zipfile.ZipFile(path) as zf:
        name = sheet_path.lstrip("/")
        if name not in zf.namelist():
            return []
        with zf.open(name) as fh:
            for _event, elem in ElementTree.iterparse(fh, events=("end",)):
                tag = elem.tag.rsplit("}", 1)[-1]
                if tag == "mergeCell":
                    ref = elem.get("ref", "")
                    if ":" in ref:
                        a, b = ref.split(":", 1)
                        ma, mb = _CELL_REF.match(a), _CELL_REF.match(b)
                        if ma and mb:
                            ranges.append(
                                MergedRange(
                                    int(ma[2]), _col_index(ma[1]), int(mb[2]), _col_index(mb[1])
                                )
                            )
                elif tag in ("row", "c", "v", "f", "is", "t"):
                    elem.clear()
    return ranges


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

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, values in enumerate(reader, start=1):
            if number > MAX_ROWS + 50:
                raise SpreadsheetError(
                    f"Tệp dài quá {MAX_ROWS:,} dòng; hãy chia thành nhiều tệp.".replace(",", ".")
                )
            yield number, [v if v.strip() else None for v in values]

    return Table(path.stem, "csv", rows(), [path.stem], [], encoding, None, path)

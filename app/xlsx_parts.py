"""What each part of an .xlsx package is, and how big it may unpack, from the zip's
central directory, before openpyxl reads a byte.

openpyxl streams the worksheets in read-only mode, but reads every other part it uses
whole: the shared strings (every text cell of the workbook), the styles, the workbook,
the theme, the relationships, the properties, chart sheets and their drawings. So each
part gets a bound by what it is, whatever its name says:

- a worksheet may be large (it is streamed): the general bounds (ratio, total);
- the shared strings: MAX_SHARED_STRINGS, packed at most MAX_SHARED_STRINGS_RATIO;
- any other XML part: MAX_XML_PART (a few MB; a real roster's styles.xml is a few KB);
- a binary part (a picture, printer settings): the general bounds.

A worksheet is a part the workbook's relationships name as a worksheet, declared with
the worksheet content type, and named by nothing else; the shared strings are the parts
[Content_Types].xml declares so (where openpyxl looks) and any named like one. The
small parts needed to tell (content types, relationships, workbook) are bounded first,
then parsed with defusedxml. When the package cannot be told apart, every XML part gets
the small bound: being unsure only makes the limits stricter.

Python's zip reader never inflates a member past the size the central directory declares,
so a bound checked here holds while openpyxl reads.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.errors import UserError

MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 150  # inflated / compressed, for members over 10 MB
MAX_MEMBERS = 10_000  # a roster's workbook has a few dozen parts
# openpyxl reads the shared strings whole, even in read-only mode: about 4 bytes of memory
# and 20 µs for each byte of XML of short strings. A rich 200,000-row list (names, citizen
# IDs, phones, e-mails, dates as text) has 26 MB of them, packed about 5 to 1: unique
# strings pack badly. Long strings repeated with small changes pack 50 to 1 or better.
MAX_SHARED_STRINGS = 48 * 1024 * 1024
MAX_SHARED_STRINGS_RATIO = 30  # for tables over 4 MB
# Styles, workbook, theme, relationships, properties: parsed whole, at about 14 bytes of
# memory a byte of XML (an 80 MB styles.xml took 1.1 GB). Real ones are kilobytes; a
# workbook with thousands of cell formats has a styles.xml of a megabyte or two.
MAX_XML_PART = 8 * 1024 * 1024
MAX_XML_PART_RATIO = 100  # for parts over 1 MB
CONTENT_TYPES = "[Content_Types].xml"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKBOOK_TYPES = (
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
WORKSHEET_REL = "/worksheet"
# Parts openpyxl reads by a fixed name, whatever the relationships say.
FIXED_PARTS = frozenset(
    {"xl/styles.xml", "xl/theme/theme1.xml", "docProps/core.xml", "docProps/custom.xml"}
)
_MB = 1_048_576


class PackageRefused(UserError):
    """A part of the workbook would unpack too big to read safely; nothing was read."""


@dataclass(frozen=True)
class Roles:
    sheets: frozenset[str]
    shared_strings: frozenset[str]


def check(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a package any part of which would unpack too big or too far for what it is."""
    if len(infos) > MAX_MEMBERS:
        raise PackageRefused(
            f"Tệp {path.name} có {len(infos)} phần bên trong, quá nhiều với một bảng tính: từ "
            "chối để bảo vệ máy."
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise PackageRefused(
            f"Tệp {path.name} quá lớn ({total // _MB} MB khi giải nén); hãy chia nhỏ danh sách."
        )
    relations = sum(i.file_size for i in infos if i.filename.endswith(".rels"))
    if relations > MAX_XML_PART:  # each is read below; a real workbook's are a few KB
        raise PackageRefused(
            f"Tệp {path.name}: các phần liên kết (.rels) có {relations // _MB} MB khi giải nén, "
            f"quá {MAX_XML_PART // _MB} MB; từ chối để bảo vệ máy."
        )
    with zipfile.ZipFile(path) as zf:
        roles = _roles(path, zf, {i.filename: i for i in infos})
        for info in infos:
            if info.filename in roles.shared_strings:
                _bound(path, info, MAX_SHARED_STRINGS, 4 * _MB, MAX_SHARED_STRINGS_RATIO, True)
            elif info.filename not in roles.sheets and _is_xml(zf, info):
                _bound(path, info, MAX_XML_PART, _MB, MAX_XML_PART_RATIO)
            else:
                _bound(path, info, MAX_UNZIPPED_BYTES, 10 * _MB, MAX_RATIO)


def _bound(
    path: Path,
    info: zipfile.ZipInfo,
    most: int,
    ratio_from: int,
    ratio: int,
    strings: bool = False,
) -> None:
    size, packed = info.file_size, max(info.compress_size, 1)
    where = (
        f"phần chữ của bảng tính ({info.filename})"
        if strings
        else f"phần “{_short(info.filename)}” của bảng tính"
    )
    if size > most and strings:
        raise PackageRefused(
            f"Tệp {path.name}: {where} có {size // _MB} MB khi giải nén, quá {most // _MB} MB "
            "mà một danh sách 200.000 dòng cần; từ chối để bảo vệ máy. Nếu đây là danh sách "
            "thật, hãy chia thành nhiều tệp."
        )
    if size > most:
        raise PackageRefused(
            f"Tệp {path.name}: {where} có {size // _MB} MB khi giải nén, quá {most // _MB} MB "
            "(phần này của một bảng tính thật chỉ vài trăm KB); từ chối để bảo vệ máy. Nếu đây "
            "là danh sách thật, hãy chép dữ liệu sang một sổ làm việc mới trong Excel, lưu lại "
            "rồi nhập."
        )
    if size > ratio_from and size > ratio * packed:
        if strings:
            raise PackageRefused(
                f"Tệp {path.name}: {where} bung ra {size // _MB} MB từ {packed // 1024} KB "
                f"(gấp {size // packed} lần; chữ của một danh sách thật chỉ gấp chừng 5 lần): "
                "từ chối để bảo vệ máy."
            )
        raise PackageRefused(
            f"Tệp {path.name}: {where} bung ra lớn bất thường ({size // _MB} MB từ "
            f"{packed // 1024} KB, gấp {size // packed} lần): từ chối để bảo vệ máy."
        )


def _short(name: str) -> str:
    return name if len(name) <= 60 else name[:57] + "…"


def _is_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """XML by its first bytes (a byte-order mark, spaces, "<"), whatever its name: a part
    too small to matter is not opened."""
    if info.file_size <= min(MAX_XML_PART, _MB) or info.is_dir():
        return False
    try:
        with zf.open(info) as fh:
            head = fh.read(64)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return True  # openpyxl would not read it either; the small bound is the safe one
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            return True
    return head.lstrip(b" \t\r\n").startswith(b"<")


def _roles(path: Path, zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> Roles:
    """The worksheets and the shared strings of the package, read from its small parts."""
    named_strings = {n for n in infos if n.lower().endswith("sharedstrings.xml")}
    types = _parse(path, zf, infos, CONTENT_TYPES)
    if types is None:
        return Roles(frozenset(), frozenset(named_strings))
    overrides = {
        (item.get("PartName") or "").lstrip("/"): item.get("ContentType") or ""
        for item in types
        if item.tag.rsplit("}", 1)[-1] == "Override"
    }
    strings = named_strings | {p for p, t in overrides.items() if t == SHARED_STRINGS_TYPE}
    workbook = next((p for p, t in overrides.items() if t in WORKBOOK_TYPES), "xl/workbook.xml")
    other_targets: set[str] = set()
    sheets: set[str] = set()
    for name in infos:
        if not name.endswith(".rels"):
            continue
        rels = _parse(path, zf, infos, name)
        if rels is None:
            return Roles(frozenset(), frozenset(strings))
        base = posixpath.dirname(posixpath.dirname(name))  # "xl/_rels/x.rels" -> "xl"
        for rel in rels:
            target = _resolve(base, rel.get("Target") or "")
            is_sheet = (rel.get("Type") or "").endswith(WORKSHEET_REL)
            if is_sheet and name == _rels_of(workbook):
                sheets.add(target)
            else:
                other_targets.add(target)
    sheets = {
        p
        for p in sheets - other_targets - strings - FIXED_PARTS - {workbook}
        if overrides.get(p) == WORKSHEET_TYPE
    }
    return Roles(frozenset(sheets), frozenset(strings))


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, target))


def _parse(path: Path, zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], name: str):  # type: ignore[no-untyped-def]
    """A small part parsed with defusedxml, after its own bound; None when absent or broken
    (openpyxl will say what is wrong with the package)."""
    from defusedxml.ElementTree import fromstring

    info = infos.get(name)
    if info is None:
        return None
    _bound(path, info, MAX_XML_PART, _MB, MAX_XML_PART_RATIO)
    try:
        return fromstring(zf.read(info))
    except Exception:  # a damaged or hostile part: the strict bounds apply
        return None

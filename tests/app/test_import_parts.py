"""Hostile workbooks: every part bounded by what it is, whatever its name or the content
types say; rows bounded in width; no entity expansion anywhere. Each refusal is Vietnamese,
names the part, and writes nothing. The limits are lowered here so the files stay small;
bench/import_hostile.py measures the attacker's full-size files."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app import spreadsheet, xlsx_parts
from app.db import Database
from app.services import imports
from app.spreadsheet import SpreadsheetError
from models import Person
from tests.app import sheets

SST_TYPE = xlsx_parts.SHARED_STRINGS_TYPE


def count(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


def refused(db: Database, path: Path, at_first_look: bool = True) -> str:
    with pytest.raises(SpreadsheetError) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    assert count(db) == 0
    if at_first_look:
        with pytest.raises(SpreadsheetError):
            spreadsheet.sheets(path)  # the wizard's first look is refused as early
    return str(err.value)


def rewrite(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """A real workbook with two people, its parts passed through `change(name, data)`,
    which returns the parts to write instead ({} drops the part)."""
    wb = openpyxl.Workbook()
    wb.active.append(["Họ và tên"])
    wb.active.append(["Nguyễn Văn An"])
    wb.active.append(["Lê Thị Bình"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            for name, data in change(info.filename, src.read(info.filename)).items():
                out.writestr(name, data)
    return path


def strings_part(size: int) -> bytes:
    parts = [b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    i, total = 0, 0
    while total < size:
        piece = f"<si><t>Nguyễn Văn Thành {i:08d} ấp {i * 7919 % 100000:05d}</t></si>".encode()
        parts.append(piece)
        total += len(piece)
        i += 1
    parts.append(b"</sst>")
    return b"".join(parts)


@pytest.mark.parametrize(
    ("padding", "fragment"),
    [
        # The declared list padded past 1 MB with spaces: refused for what it is.
        (" " * 1_100_000, "phần “[Content_Types].xml” của bảng tính bung ra lớn bất thường"),
        # Padded with text that does not pack: read, and the strings part it declares bounded.
        ("<!-- {junk} -->", "phần chữ của bảng tính (xl/ss2.xml) có 2 MB khi giải nén, quá 1 MB"),
    ],
    ids=["spaces", "junk"],
)
def test_shared_strings_under_another_name_are_bounded(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, padding: str, fragment: str
) -> None:
    monkeypatch.setattr(xlsx_parts, "MAX_SHARED_STRINGS", 1024 * 1024)
    rng = random.Random(3)
    junk = "".join(f"{rng.getrandbits(64):x}" for _ in range(70_000))

    def change(name: str, data: bytes) -> dict[str, bytes]:
        if name == "[Content_Types].xml":
            text = data.decode().replace(
                "</Types>",
                f'<Override PartName="/xl/ss2.xml" ContentType="{SST_TYPE}"/>'
                + padding.format(junk=junk)
                + "</Types>",
            )
            return {name: text.encode(), "xl/ss2.xml": strings_part(2 * 1024 * 1024)}
        return {name: data}

    message = refused(db, rewrite(tmp_path / "chu.xlsx", change))
    assert fragment in message
    assert "từ chối để bảo vệ máy" in message


@pytest.mark.parametrize(
    "name",
    ["xl/styles.xml", "xl/theme/theme1.xml", "docProps/core.xml", "xl/media/image1.png"],
)
def test_every_other_xml_part_has_a_small_bound_whatever_its_name(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setattr(xlsx_parts, "MAX_XML_PART", 256 * 1024)
    rng = random.Random(1)
    formats = "".join(
        f'<numFmt numFmtId="{i}" formatCode="&quot;{rng.getrandbits(64):x}&quot;0"/>'
        for i in range(200, 200 + 8_000)
    )
    big = f'<?xml version="1.0"?><styleSheet><numFmts>{formats}</numFmts></styleSheet>'.encode()

    def change(part: str, data: bytes) -> dict[str, bytes]:
        if part == name:
            return {part: big}
        if part == "[Content_Types].xml" and name.startswith("xl/media"):
            return {part: data, name: big}
        return {part: data}

    message = refused(db, rewrite(tmp_path / "kieu.xlsx", change))
    assert f"phần “{name}” của bảng tính có 0 MB khi giải nén, quá 0 MB" in message


def test_a_big_worksheet_is_still_read(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheet itself is streamed: it is not held to the small parts' bound."""
    monkeypatch.setattr(xlsx_parts, "MAX_XML_PART", 64 * 1024)
    rows = sheets.inline_row(1, ["Họ và tên", "Ghi chú"]) + "".join(
        sheets.inline_row(n, [f"Người Thứ {chr(65 + n % 26)}{chr(65 + n // 26 % 26)}", f"{n:06d}"])
        for n in range(2, 3_000)
    )
    path = sheets.raw_workbook(tmp_path / "dai.xlsx", rows)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size > 64 * 1024
    with db.transaction(readonly=True) as s:
        plan = imports.plan(s, path)
    assert len(plan.rows) == 2_998 - plan.folded


def test_a_cell_far_to_the_right_does_not_widen_the_rows(db: Database, tmp_path: Path) -> None:
    rows = sheets.inline_row(1, ["Họ và tên"]) + "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Nguyễn Văn An</t></is></c>'
        f'<c r="XFD{n}"><v>1</v></c></row>'
        for n in range(2, 202)
    )
    path = sheets.raw_workbook(tmp_path / "rong.xlsx", rows)
    table = spreadsheet.open_table(path)
    widths = {len(values) for _n, values in table.rows}
    assert widths == {1}
    assert (table.extras.wide_cells, table.extras.first_wide) == (200, "XFD2")
    with db.transaction(readonly=True) as s:
        plan = imports.plan(s, path)
    assert (
        "Bỏ qua 200 ô ở ngoài cột GR (cột thứ 200), ví dụ ô XFD2: danh sách không dùng cột xa "
        "như vậy." in plan.notes()
    )


def test_a_row_with_more_cells_than_excel_allows_is_refused_while_read(
    db: Database, tmp_path: Path
) -> None:
    cells = '<c t="inlineStr"><is><t>x</t></is></c>' * 16_400  # no references: columns run on
    rows = sheets.inline_row(1, ["Họ và tên"]) + f'<row r="2">{cells}</row>'
    message = refused(db, sheets.raw_workbook(tmp_path / "o.xlsx", rows), at_first_look=False)
    assert "Dòng 2 của trang “Sheet1” có hơn 16.384 ô, nhiều hơn Excel cho phép" in message


def test_entities_in_a_worksheet_are_refused_not_expanded(db: Database, tmp_path: Path) -> None:
    """The worksheet, merged cells included, is read by defusedxml's parser only."""
    path = sheets.raw_workbook(tmp_path / "e.xlsx", sheets.inline_row(1, ["Họ và tên"]))
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    dtd = '<!DOCTYPE w [<!ENTITY a "Nguyễn Văn An"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    sheet = sheet.replace("?>", "?>" + dtd, 1).replace(
        "</sheetData>",
        '<row r="2"><c r="A2" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData>'
        '<mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells>',
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    message = refused(db, path)
    assert message.startswith("Không đọc được bảng tính e.xlsx: tệp bị hỏng")
    assert "Unable" not in message  # openpyxl's English stays in the log

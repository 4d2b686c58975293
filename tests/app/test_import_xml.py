"""The sheet's XML as other programs write it, read by app.xlsx_stream's expat callbacks:
cells and rows without references, inline strings, rich text runs and phonetic runs
(which are not text of the cell), shared strings, both date systems, DTDs refused."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from sqlalchemy import func, select

from app import spreadsheet
from app.db import Database
from app.services import imports
from app.spreadsheet import SpreadsheetError
from models import Person
from tests.app import sheets

HEADER = sheets.inline_row(1, ["Họ và tên", "Ngày sinh", "Số điện thoại"])


def people_count(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


def run_plan(db: Database, path: Path) -> imports.ImportPlan:
    with db.transaction(readonly=True) as s:
        return imports.plan(s, path)


def with_part(path: Path, name: str, data: str) -> Path:
    """The package with one part replaced (or added)."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts[name] = data.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, content in parts.items():
            zf.writestr(part, content)
    return path


def test_cells_and_rows_without_references_take_the_next_place(
    db: Database, tmp_path: Path
) -> None:
    rows = (
        "<row><c t='inlineStr'><is><t>Lê Thị Bé</t></is></c>"
        "<c t='inlineStr'><is><t>02/05/1986</t></is></c><c><v>903111222</v></c></row>"
        "<row r='4'><c r='A4' t='inlineStr'><is><t>Võ Hà</t></is></c>"
        "<c r='C4'><v>987000305</v></c></row>"
        "<row><c t='inlineStr'><is><t>Trần Văn Nam</t></is></c><c/>"
        "<c t='str'><v>0918000305</v></c></row>"
    )
    plan = run_plan(db, sheets.raw_workbook(tmp_path / "no-r.xlsx", HEADER + rows))
    got = [
        (r.row, r.values["full_name"], r.values.get("birth_date"), r.values.get("phone"))
        for r in plan.rows
    ]
    assert got == [
        (2, "Lê Thị Bé", date(1986, 5, 2), "0903111222"),
        (4, "Võ Hà", None, "0987000305"),
        (5, "Trần Văn Nam", None, "0918000305"),
    ]
    assert plan.blank_rows == 1  # row 3, absent from the XML, is counted as blank
    assert plan.rows_in_sheet == 5


def test_inline_rich_text_is_read_without_its_phonetic_run(db: Database, tmp_path: Path) -> None:
    rich = (
        "<row r='2'><c r='A2' t='inlineStr'><is><r><rPr><b/></rPr><t xml:space='preserve'>Phạm "
        "</t></r><r><t>Quốc Khánh</t></r><rPh sb='0' eb='1'><t>ファム</t></rPh>"
        "<phoneticPr fontId='1'/></is></c>"
        "<c r='B2' t='inlineStr'><is><t>15/08/1972</t><rPh sb='0' eb='2'><t>1999</t></rPh></is></c>"
        "</row>"
    )
    plan = run_plan(db, sheets.raw_workbook(tmp_path / "rich.xlsx", HEADER + rich))
    (row,) = plan.rows
    assert row.values["full_name"] == "Phạm Quốc Khánh"
    assert row.values["birth_date"] == date(1972, 8, 15)
    assert row.ok, [i.describe() for i in row.issues]


def test_shared_strings_with_runs_and_phonetics(db: Database, tmp_path: Path) -> None:
    rows = "<row r='2'><c r='A2' t='s'><v>0</v></c><c r='B2' t='s'><v>1</v></c></row>"
    path = sheets.raw_workbook(tmp_path / "sst.xlsx", HEADER + rows, shared_strings=["x", "y"])
    with_part(
        path,
        "xl/sharedStrings.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2">'
        "<si><r><t>Đặng </t></r><r><rPr><i/></rPr><t>Thu Thảo</t></r>"
        "<rPh sb='0' eb='1'><t>ダン</t></rPh></si>"
        "<si><t>01/01/1990</t><rPh sb='0' eb='1'><t>x</t></rPh></si></sst>",
    )
    (row,) = run_plan(db, path).rows
    assert row.values["full_name"] == "Đặng Thu Thảo"
    assert row.values["birth_date"] == date(1990, 1, 1)


@pytest.mark.parametrize("epoch", [None, CALENDAR_MAC_1904], ids=["1900", "1904"])
def test_date_cells_read_in_the_workbooks_date_system(
    db: Database, tmp_path: Path, epoch: datetime | None
) -> None:
    wb = openpyxl.Workbook()
    if epoch is not None:
        wb.epoch = epoch
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", "Số CCCD"])
    ws.append(["Lê Văn Tám", datetime(1984, 3, 9), "086084000123"])
    ws["B2"].number_format = "dd/mm/yyyy"
    path = tmp_path / "dates.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        assert (b'date1904="1"' in zf.read("xl/workbook.xml")) == (epoch is not None)
    (row,) = run_plan(db, path).rows
    assert row.values["birth_date"] == date(1984, 3, 9)
    assert row.values["citizen_id"] == "086084000123"  # text keeps its leading zero


def test_entities_in_the_shared_strings_are_refused(db: Database, tmp_path: Path) -> None:
    rows = "<row r='2'><c r='A2' t='s'><v>0</v></c></row>"
    path = sheets.raw_workbook(tmp_path / "e.xlsx", HEADER + rows, shared_strings=["x"])
    with_part(
        path,
        "xl/sharedStrings.xml",
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "Nguyễn Văn An">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>&a;</t></si></sst>",
    )
    with pytest.raises(SpreadsheetError) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    assert str(err.value).startswith("Không đọc được bảng tính e.xlsx: tệp bị hỏng")
    assert people_count(db) == 0
    with pytest.raises(SpreadsheetError):
        spreadsheet.sheets(path)

"""The sheet's XML as other programs write it, read by app.xlsx_stream's expat callbacks:
cells and rows without references, inline strings, rich text runs and phonetic runs
(which are not text of the cell), shared strings, both date systems, DTDs refused."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from sqlalchemy import func, select

from app import logs, spreadsheet
from app.db import Database
from app.services import imports
from app.spreadsheet import SpreadsheetError
from models import Person
from tests.app import sheets

ROOT = Path(__file__).resolve().parents[2]
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


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
)
HOSTILE = {
    "laughs-in-the-sheet": (
        "xl/worksheets/sheet1.xml",
        LAUGHS + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>&lol2;</t></is></c></row>"
        "</sheetData></worksheet>",
    ),
    "external-entity-in-the-strings": (
        "xl/sharedStrings.xml",
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>&x;</t></si></sst>",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_workbook_is_refused_on_stderr_in_vietnamese_only(
    sqlite_db: Database, tmp_path: Path, case: str
) -> None:
    """The command's stderr holds the Vietnamese message alone: no English log line, no
    traceback (the detail goes to the log file in the data folder, for IT)."""
    rows = "<row r='2'><c r='A2' t='s'><v>0</v></c></row>"
    path = sheets.raw_workbook(tmp_path / "lol_sheet.xlsx", HEADER + rows, shared_strings=["x"])
    with_part(path, *HOSTILE[case])
    sqlite_db.close()
    assert sqlite_db.path is not None
    data = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(sqlite_db.path), "import", "people", str(path)],
        cwd=ROOT,
        env={**os.environ, "TAPHUAN_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("Lỗi: Không đọc được bảng tính lol_sheet.xlsx: tệp bị hỏng")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr  # the message alone
    assert "Traceback" not in done.stderr and "openpyxl" not in done.stderr
    assert people_count(sqlite_db) == 0
    logged = (data / "logs" / logs.FILE_NAME).read_text(encoding="utf-8")
    assert "workbook refused: lol_sheet.xlsx" in logged and "Traceback" in logged

"""Importing people from the spreadsheets people really send."""

from __future__ import annotations

import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import spreadsheet
from app.db import Database
from app.services import imports
from app.spreadsheet import SpreadsheetError
from models import AuditEntry, Enrolment, Person
from tests.app import sheets, world


def cp1258_form(text: str) -> str:
    """Windows-1258 has ê ô ơ ư ă â đ as letters but the five tones as combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out, pending = [], []
    for ch in unicodedata.normalize("NFD", text):
        if ch in tones:
            pending.append(ch)
        elif unicodedata.combining(ch):
            out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
        else:
            out.extend(pending)
            pending = []
            out.append(ch)
    return "".join(out + pending)


def people_count(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


def run_plan(db: Database, path: Path, **kw) -> imports.ImportPlan:  # type: ignore[no-untyped-def]
    with db.transaction(readonly=True) as s:
        return imports.plan(s, path, **kw)


def test_messy_workbook_is_read_cleanly(db: Database, tmp_path: Path) -> None:
    plan = run_plan(db, sheets.messy_workbook(tmp_path / "ds.xlsx"))
    assert plan.header.row == 5  # "Năm sinh" over Nam | Nữ folded into one header
    assert plan.footer_row == 12 and plan.blank_rows == 2
    assert [r.row for r in plan.rows] == [6, 7, 9]
    ha, binh, an = (r.values for r in plan.rows)
    assert ha["full_name"] == "Nguyễn Thị Thanh Hà"
    assert (ha["birth_date"], ha["gender"]) == (date(1986, 5, 2), "female")
    assert (ha["citizen_id"], ha["phone"]) == ("083186000123", "0903111222")
    assert (binh["birth_date"], binh["birth_year_only"], binh["gender"]) == (
        date(1979, 1, 1),
        True,
        "male",
    )
    assert (binh["phone"], an["phone"]) == ("0939222333", "0868123456")
    assert an["birth_date"] == date(1990, 1, 1)  # Excel serial 32874
    # Row 10 is row 6 again: folded in, its extra value kept as a warning.
    assert plan.rows[0].folded_rows == [10]
    assert any("trùng người ở dòng 6" in i.message for i in plan.warnings)
    assert plan.errors == []


def test_import_writes_all_with_audit_then_matches_on_reimport(
    db: Database, tmp_path: Path
) -> None:
    path = sheets.messy_workbook(tmp_path / "ds.xlsx")
    with db.transaction() as s:
        summary = imports.apply(s, imports.plan(s, path))
    assert (summary.inserted, summary.updated, summary.folded) == (3, 0, 1)
    with db.transaction(readonly=True) as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "person.import")
            )
            == 3
        )
        ha = s.scalars(select(Person).where(Person.citizen_id == "083186000123")).one()
        assert (ha.full_name, ha.given_name, ha.middle_name) == (
            "Nguyễn Thị Thanh Hà",
            "Hà",
            "Thị Thanh",
        )
    # The second file knows Hà's e-mail and a new position: fill the blank, report the difference.
    second = sheets.simple_workbook(
        tmp_path / "lan2.csv.xlsx",
        ["Họ tên", "Ngày sinh", "Email", "Chức vụ"],
        [["Nguyễn Thị Thanh Hà", "02/05/1986", "ha@vinhlong.gov.vn", "Chủ tịch UBND"]],
    )
    with db.transaction() as s:
        plan = imports.plan(s, second)
        (row,) = plan.rows
        assert (row.match_reason, row.fills) == (
            "trùng họ tên và ngày sinh",
            {"email": "ha@vinhlong.gov.vn"},
        )
        assert row.differences == {"position": ("Phó Chủ tịch", "Chủ tịch UBND")}
        summary = imports.apply(s, plan)
    assert (summary.inserted, summary.updated) == (0, 1)
    with db.transaction() as s:
        ha = s.scalars(select(Person).where(Person.citizen_id == "083186000123")).one()
        assert (ha.email, ha.position) == ("ha@vinhlong.gov.vn", "Phó Chủ tịch")
        imports.apply(s, imports.plan(s, second), overwrite=True)
    with db.transaction(readonly=True) as s:
        assert (
            s.scalars(select(Person.position).where(Person.citizen_id == "083186000123")).one()
            == "Chủ tịch UBND"
        )
    assert people_count(db) == 3


def test_import_enrols_in_a_course(db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        w = world.build(s)
    path = sheets.simple_workbook(
        tmp_path / "lop.xlsx",
        ["Họ và tên", "SĐT"],
        [["Cù Thanh Sơn", "0903111222"], ["Lê Hà", "0939222333"]],
    )
    with db.transaction() as s:
        summary = imports.apply(s, imports.plan(s, path), course_code="TH-2024-001")
    assert summary.enrolled == 2
    with db.transaction(readonly=True) as s:
        assert (
            s.scalar(
                select(func.count()).select_from(Enrolment).where(Enrolment.course_id == w.course)
            )
            == 2
        )


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        (
            [["Nguyễn Văn A", "31/02/1990", ""]],
            "Dòng 2, cột “Ngày sinh”, giá trị “31/02/1990”: Ngày",
        ),
        (
            [["Nguyễn Văn A", "", "08306200045X"]],
            "Dòng 2, cột “Số CCCD”, giá trị “08306200045X”: Số CCCD",
        ),
        ([["Nguyễn Văn A", "", ""], ["", "01/01/1990", "083062000451"]], "Dòng 3, cột “Họ và tên”"),
        (
            [["Nguyễn Văn A", "", ""], ["Lê =Hà 2", "", ""]],
            "Dòng 3, cột “Họ và tên”, giá trị “Lê =Hà 2”",
        ),
    ],
)
def test_a_bad_row_writes_nothing(
    db: Database, tmp_path: Path, rows: list[list[str]], fragment: str
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "loi.xlsx", ["Họ và tên", "Ngày sinh", "Số CCCD"], rows
    )
    with pytest.raises(imports.ImportFailed) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    assert fragment in str(err.value)
    assert "Không ghi gì" in str(err.value)
    assert people_count(db) == 0


def test_skip_bad_rows_writes_the_good_ones(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "loi.xlsx",
        ["Họ và tên", "Ngày sinh"],
        [["Nguyễn Văn A", "31/02/1990"], ["Lê Thị Bé", "1/1/1990"]],
    )
    with db.transaction() as s:
        summary = imports.apply(s, imports.plan(s, path), skip_bad_rows=True)
    assert (summary.inserted, summary.errors) == (1, 1)
    assert "Dòng 2" in summary.bad[0].describe()
    assert people_count(db) == 1


def test_merged_cells_inside_the_data_are_an_error(db: Database, tmp_path: Path) -> None:
    import openpyxl

    path = sheets.simple_workbook(
        tmp_path / "gop.xlsx",
        ["Họ và tên", "Đơn vị công tác"],
        [["Nguyễn Văn A", "UBND xã"], ["Lê Thị Bé", None], ["Võ Hà", "VNPT"]],
    )
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("B2:B3")
    wb.save(path)
    plan = run_plan(db, path)
    assert [i.describe() for i in plan.errors][:1] == [
        "Dòng 2, cột “Đơn vị công tác”: ô gộp (Merge) dòng 2–3 trong vùng dữ liệu; hãy bỏ gộp ô và "
        "điền giá trị cho từng dòng."
    ]
    assert len(plan.bad_rows) == 2
    with pytest.raises(imports.ImportFailed), db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    assert people_count(db) == 0


def test_formulas_use_excel_values_or_are_refused(db: Database, tmp_path: Path) -> None:
    header = sheets.inline_row(1, ["Họ và tên", "Số điện thoại"])
    cached = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Lê Thị Bé</t></is></c>'
        '<c r="B2"><f>903111222</f><v>903111222</v></c></row>'
    )
    path = sheets.raw_workbook(tmp_path / "cached.xlsx", header + cached)
    plan = run_plan(db, path)
    assert plan.rows[0].values["phone"] == "0903111222"
    path = sheets.simple_workbook(
        tmp_path / "f.xlsx",
        ["Họ và tên", "Số điện thoại"],
        [["Lê Thị Bé", "=B3"], ["Võ Hà", "0903111222"]],
    )
    with pytest.raises(imports.ImportFailed) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    assert (
        "Dòng 2, cột “Số điện thoại”, giá trị “=B3”: ô chứa công thức chưa được Excel tính"
        in str(err.value)
    )
    assert people_count(db) == 0


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (
            lambda p: p.write_text("Họ và tên;SĐT\nA;1\n", encoding="utf-8"),
            "không phải là bảng tính Excel",
        ),
        (
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
            "Excel 97–2003 (.xls)",
        ),
        (
            lambda p: p.write_bytes(
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                + b"\x00" * 600
                + "EncryptedPackage".encode("utf-16-le")
            ),
            "được đặt mật khẩu",
        ),
        (
            lambda p: zipfile.ZipFile(p, "w").writestr("word/document.xml", "<w/>"),
            "không phải bảng tính Excel (.xlsx)",
        ),
    ],
)
def test_files_that_are_not_workbooks(db: Database, tmp_path: Path, make, fragment: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "danh-sach.xlsx"
    make(path)
    with pytest.raises(SpreadsheetError) as err, db.transaction() as s:
        imports.plan(s, path)
    assert fragment in str(err.value)
    assert people_count(db) == 0


def test_no_name_column(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "x.xlsx", ["STT", "Ngày sinh", "SĐT"], [[1, "1/1/1990", "0903111222"]]
    )
    with pytest.raises(SpreadsheetError) as err:
        run_plan(db, path)
    assert "không có cột họ tên" in str(err.value)
    assert people_count(db) == 0


def test_zip_bomb_is_refused_before_inflating(db: Database, tmp_path: Path) -> None:
    path = sheets.raw_workbook(tmp_path / "bom.xlsx", sheets.inline_row(1, ["Họ và tên"]))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/image1.bin", b"\x00" * (40 * 1024 * 1024))
    with pytest.raises(SpreadsheetError) as err:
        run_plan(db, path)
    assert "bung ra lớn bất thường" in str(err.value)
    assert people_count(db) == 0


def shared_strings_bomb(path: Path, strings: int, noise: int) -> Path:
    """Long, nearly repeated shared strings: each ~3.5 KB of one phrase plus `noise` random
    32-digit groups, so deflate packs them tightly; the sheet points each row at one."""
    import random

    rng = random.Random(5)
    phrase = "Nguyễn Thị Thanh Hà, Ủy ban nhân dân xã Đại Điền, huyện Thạnh Phú. " * 40
    texts = (
        phrase + "".join(f"{rng.getrandbits(128):032x}" for _ in range(noise))
        for _ in range(strings)
    )
    rows = sheets.inline_row(1, ["Họ và tên"]) + "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>{n % strings}</v></c></row>' for n in range(2, 5000)
    )
    return sheets.raw_workbook(path, rows, shared_strings=texts)


@pytest.mark.parametrize(
    ("strings", "noise", "fragment"),
    [
        # 14 MB of text from 190 KB: ratio 76, under the old 150 limit for big members.
        (4000, 1, "phần chữ của bảng tính (xl/sharedStrings.xml) bung ra 13 MB từ 183 KB"),
        # 60 MB of text from a 4 MB file: ratio 14, under the old 400 MB total.
        (16000, 12, "phần chữ của bảng tính (xl/sharedStrings.xml) có 59 MB khi giải nén"),
    ],
    ids=["ratio", "size"],
)
def test_shared_strings_that_expand_far_are_refused_before_reading(
    db: Database, tmp_path: Path, strings: int, noise: int, fragment: str
) -> None:
    path = shared_strings_bomb(tmp_path / "chu.xlsx", strings, noise)
    with pytest.raises(SpreadsheetError) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    assert fragment in str(err.value)
    assert "từ chối để bảo vệ máy" in str(err.value)
    assert people_count(db) == 0
    with pytest.raises(SpreadsheetError):
        spreadsheet.sheet_names(path)  # the wizard's first look is refused as early


def test_a_million_rows_is_refused_up_front(db: Database, tmp_path: Path) -> None:
    rows = sheets.inline_row(1, ["Họ và tên"]) + sheets.inline_row(2, ["Lê Hà"])
    path = sheets.raw_workbook(tmp_path / "trieu.xlsx", rows, dimension="A1:A1000001")
    with pytest.raises(SpreadsheetError) as err:
        run_plan(db, path)
    assert "1.000.001 dòng" in str(err.value)
    assert people_count(db) == 0


def test_long_sheet_without_declared_size_is_streamed_and_stopped(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 100)
    rows = sheets.inline_row(1, ["Họ và tên"]) + "".join(
        sheets.inline_row(n, [f"Người Thứ {chr(65 + n % 26)}"]) for n in range(2, 400)
    )
    path = sheets.raw_workbook(tmp_path / "dai.xlsx", rows)
    with pytest.raises(SpreadsheetError) as err:
        run_plan(db, path)
    assert "dài quá 100 dòng" in str(err.value)
    assert people_count(db) == 0


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("utf-8", ";"), ("utf-16", "\t"), ("cp1258", ",")],
)
def test_csv_in_every_encoding_excel_writes(
    db: Database, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    text = (
        delimiter.join(["Họ và tên", "Ngày sinh", "SĐT"])
        + "\r\n"
        + delimiter.join(["Nguyễn Thị Hà", "02/05/1986", "903111222"])
        + "\r\n"
    )
    if encoding == "cp1258":
        text = cp1258_form(text)
    path = tmp_path / "ds.csv"
    path.write_bytes(text.encode(encoding))
    plan = run_plan(db, path)
    (row,) = plan.rows
    assert row.values["full_name"] == "Nguyễn Thị Hà"
    assert row.values["phone"] == "0903111222"

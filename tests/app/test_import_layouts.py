"""Import: where the header is, which rows are people, and every row of the sheet accounted for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.services import imports
from models import Gender, Person
from tests.app import sheets


def stored(db: Database) -> set[tuple[str, date | None, Gender | None]]:
    with db.transaction(readonly=True) as s:
        return {
            tuple(r)  # type: ignore[misc]
            for r in s.execute(select(Person.full_name, Person.birth_date, Person.gender))
        }


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        (
            ["Họ và tên", "Giới tính", "Ngày sinh"],
            [
                ["Trần Văn Nam", "Nam", "01/02/1980"],
                ["Lê Thị Hà", "Nữ", "03/04/1985"],
                ["Võ Minh Tâm", "Nam", "05/06/1990"],
            ],
        ),
        (
            ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "SĐT"],
            [
                [1, "Trần Văn Nam", "01/02/1980", "Nam", "0903111222"],
                [2, "Lê Thị Hà", "03/04/1985", "Nữ", "0903111223"],
                [3, "Võ Minh Tâm", "05/06/1990", "Nam", "0903111224"],
            ],
        ),
        (
            ["STT", "Họ và tên", "Ngày sinh", "Giới tính"],
            [
                [1, "Lê Thị Hà", "03/04/1985", "Nữ"],
                [2, "Trần Văn Nam", "01/02/1980", "Nam"],
                [3, "Võ Minh Tâm", "05/06/1990", "Nam"],
            ],
        ),
    ],
    ids=["name-gender-birth", "stt-name-birth-gender-phone", "first-is-nu"],
)
def test_a_first_person_whose_gender_is_nam_or_nu_is_not_a_sub_header(
    db: Database, tmp_path: Path, header: list[str], rows: list[list[object]]
) -> None:
    path = sheets.simple_workbook(tmp_path / "ds.xlsx", header, rows)
    with db.transaction(readonly=True) as s:
        plan = imports.plan(s, path)
    assert plan.header.row == 1
    assert plan.header.mapping[header.index("Giới tính")] == "gender"
    assert [r.row for r in plan.rows] == [2, 3, 4]
    with db.transaction() as s:
        summary = imports.apply(s, imports.plan(s, path))
    assert summary.inserted == 3
    assert stored(db) == {
        ("Trần Văn Nam", date(1980, 2, 1), Gender.MALE),
        ("Lê Thị Hà", date(1985, 4, 3), Gender.FEMALE),
        ("Võ Minh Tâm", date(1990, 6, 5), Gender.MALE),
    }


def test_a_grouped_birth_heading_still_reads_its_sub_headings(
    sqlite_db: Database, tmp_path: Path
) -> None:
    """ "Năm sinh" over Nam | Nữ with "Họ và tên" merged down over both header rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH HỌC VIÊN"])
    ws.merge_cells("A1:D1")
    ws.append(["STT", "Họ và tên", "Năm sinh", None])
    ws.append([None, None, "Nữ", "Nam"])
    ws.merge_cells("C2:D2")
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.append([1, "Trần Văn Nam", None, "1980"])
    ws.append([2, "Lê Thị Hà", "1985", None])
    path = tmp_path / "nhom.xlsx"
    wb.save(path)
    with sqlite_db.transaction(readonly=True) as s:
        plan = imports.plan(s, path)
    assert plan.header.row == 3
    assert [(r.values["full_name"], r.values["gender"]) for r in plan.rows] == [
        ("Trần Văn Nam", "male"),
        ("Lê Thị Hà", "female"),
    ]


def test_row_numbers_are_excels_when_the_sheet_starts_lower(db: Database, tmp_path: Path) -> None:
    """Excel writes <dimension ref="A3:B5"/> when rows 1-2 are empty: row 3 is still row 3."""
    rows = (
        sheets.inline_row(3, ["Họ và tên", "Ngày sinh"])
        + sheets.inline_row(4, ["Lê Thị Hà", "03/04/1985"])
        + sheets.inline_row(5, ["Võ Minh Tâm", "31/02/1990"])
    )
    path = sheets.raw_workbook(tmp_path / "duoi.xlsx", rows, dimension="A3:B5")
    with db.transaction(readonly=True) as s:
        plan = imports.plan(s, path)
    assert plan.header.row == 3
    assert [r.row for r in plan.rows] == [4, 5]
    assert plan.errors[0].describe().startswith("Dòng 5, cột “Ngày sinh”, giá trị “31/02/1990”")


def test_rows_past_a_stale_dimension_are_read(db: Database, tmp_path: Path) -> None:
    """Some programs write <dimension ref="A1:A2"/> whatever the sheet holds."""
    rows = sheets.inline_row(1, ["Họ và tên"]) + "".join(
        sheets.inline_row(n, [f"Lê Văn {name}"])
        for n, name in enumerate(["An", "Bình", "Châu", "Dũng"], 2)
    )
    path = sheets.raw_workbook(tmp_path / "cu.xlsx", rows, dimension="A1:A2")
    with db.transaction() as s:
        plan = imports.plan(s, path)
        summary = imports.apply(s, plan)
    assert [r.values["full_name"] for r in plan.rows] == [
        "Lê Văn An",
        "Lê Văn Bình",
        "Lê Văn Châu",
        "Lê Văn Dũng",
    ]
    assert (summary.inserted, summary.tally.rows, summary.tally.total) == (4, 5, 5)


def test_every_row_of_the_messy_sheet_is_accounted_for(db: Database, tmp_path: Path) -> None:
    path = sheets.messy_workbook(tmp_path / "ds.xlsx")
    with db.transaction() as s:
        plan = imports.plan(s, path)
        assert (plan.rows_in_sheet, plan.head_rows, plan.blank_rows, plan.footer_rows) == (
            13,
            5,
            2,
            2,
        )
        summary = imports.apply(s, plan)
    tally = summary.tally
    assert tally.rows == 13 == tally.total
    assert dict(tally.parts) == {
        "Dòng tiêu đề": 5,
        "Dòng trống": 2,
        "Dòng chỉ có STT, chưa điền": 0,
        "Dòng nhóm / tổng cộng": 0,
        "Dòng ký tên, cuối bảng": 2,
        "Thêm mới": 3,
        "Cập nhật": 0,
        "Đã có, không đổi": 0,
        "Dòng trùng trong tệp, đã gộp": 1,
        "Dòng lỗi": 0,
    }
    text = summary.describe()
    assert "Trang tính có 13 dòng:" in text
    assert "Cộng: 13 dòng, khớp với trang tính." in text


def test_rows_after_the_signatures_are_counted_not_lost(
    sqlite_db: Database, tmp_path: Path
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "ky.xlsx",
        ["STT", "Họ và tên", "Giới tính"],
        [
            [1, "Trần Văn Nam", "Nam"],
            [None, None, None],
            [None, "Người lập biểu", "Thủ trưởng đơn vị"],
            [None, "(Ký, ghi rõ họ tên)", None],
            [None, None, None],
            [None, "Nguyễn Văn Tư", "Lê Thị Năm"],
        ],
    )
    with sqlite_db.transaction() as s:
        plan = imports.plan(s, path)
        summary = imports.apply(s, plan)
    assert plan.footer_row == 4
    assert (summary.inserted, plan.blank_rows, plan.footer_rows) == (1, 1, 4)
    assert summary.tally.total == summary.tally.rows == 7
    assert stored(sqlite_db) == {("Trần Văn Nam", None, Gender.MALE)}


def test_a_plan_with_errors_adds_up_too(sqlite_db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "loi.xlsx",
        ["Họ và tên", "Ngày sinh"],
        [["Lê Thị Bé", "31/02/1990"], ["Võ Hà", "1/1/1990"], ["Võ Hà", "01/01/1990"]],
    )
    with sqlite_db.transaction(readonly=True) as s:
        plan = imports.plan(s, path)
    tally = plan.tally()
    assert dict(tally.parts) == {
        "Dòng tiêu đề": 1,
        "Dòng trống": 0,
        "Dòng chỉ có STT, chưa điền": 0,
        "Dòng nhóm / tổng cộng": 0,
        "Dòng ký tên, cuối bảng": 0,
        "Người mới": 1,
        "Trùng người đã có": 0,
        "Dòng trùng trong tệp, đã gộp": 1,
        "Dòng lỗi": 1,
    }
    assert tally.total == tally.rows == 4
    with sqlite_db.transaction() as s:
        summary = imports.apply(s, imports.plan(s, path), skip_bad_rows=True)
    assert summary.tally.total == 4
    assert "Dòng lỗi: 1 (đã bỏ qua, không ghi)" in summary.describe()

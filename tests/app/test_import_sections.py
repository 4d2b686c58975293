"""Import: rows between the people that are not people (day and group headings, subtotals,
the header again, template rows with only a number) are listed, and nobody after them is
lost; a hidden sheet is not read by default, hidden rows are read and named."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from app.db import Database
from app.services import imports, outcomes
from app.spreadsheet import SpreadsheetError
from models import Person
from tests.app import sheets, world
from tests.app.clirun import run

HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Số điện thoại",
    "Đơn vị công tác",
]


def names_stored(db: Database) -> set[str]:
    with db.transaction(readonly=True) as s:
        return set(s.scalars(select(Person.full_name)))


def import_all(db: Database, path: Path, **kw: Any) -> tuple[imports.ImportPlan, Any]:
    with db.transaction() as s:
        plan = imports.plan(s, path, **kw)
        return plan, imports.apply(s, plan)


def subtotals(path: Path) -> Path:
    """A roster by commune: a heading and a subtotal per commune, then the signatures."""
    return sheets.simple_workbook(
        path,
        HEADER,
        [
            [None, "XÃ PHÚ TÂN"],
            [1, "Trần Văn Mười", "12/03/1980", "Nam", "083080123456", "0912345678", "UBND xã"],
            [2, "Lê Thị Hoa", "05/06/1992", "Nữ", "083192654321", "0987654321", "Trường TH"],
            [None, None, None, None, "Tổng cộng: 2 người"],
            [None, "XÃ AN THẠNH"],
            [3, "Phạm Văn Sáu", "01/01/1975", "Nam", "083075111222", "0903111222", "Công an xã"],
            [4, "Ngô Thị Bảy", "02/02/1988", "Nữ", "083188333444", "0913333444", "Hội LHPN"],
            [None, None, None, None, "Tổng cộng: 2 người"],
            [],
            [None, None, None, None, "Người lập biểu"],
        ],
    )


def test_people_after_a_subtotal_are_imported_and_the_headings_listed(
    db: Database, tmp_path: Path
) -> None:
    plan, summary = import_all(db, subtotals(tmp_path / "tong.xlsx"))
    assert names_stored(db) == {"Trần Văn Mười", "Lê Thị Hoa", "Phạm Văn Sáu", "Ngô Thị Bảy"}
    assert [r.describe() for r in plan.groups] == [
        "Dòng 2: “XÃ PHÚ TÂN”",
        "Dòng 5: “Tổng cộng: 2 người”",
        "Dòng 6: “XÃ AN THẠNH”",
    ]
    assert plan.footer_row == 9  # the last subtotal, then the signatures
    assert dict(summary.tally.parts)["Dòng nhóm / tổng cộng"] == 3
    assert summary.tally.total == summary.tally.rows == 11
    assert "Dòng nhóm / tổng cộng (không phải người, không nhập):" in plan.notes()


def test_day_headings_between_the_people_lose_nobody(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "ngay.xlsx",
        ["STT", "Họ và tên", "Năm sinh", "Đơn vị công tác"],
        [
            [None, "Ngày 12 tháng 11 năm 2024 (buổi sáng)"],
            [1, "Võ Thị Sáng", 1980, "Ấp 1"],
            [2, "Võ Văn Trưa", 1981, "Ấp 1"],
            [None, "Ngày 13 tháng 11 năm 2024"],
            [3, "Võ Thị Chiều", 1982, "Ấp 2"],
        ],
    )
    plan, summary = import_all(db, path)
    assert names_stored(db) == {"Võ Thị Sáng", "Võ Văn Trưa", "Võ Thị Chiều"}
    assert [(r.row, r.text) for r in plan.groups] == [
        (2, "Ngày 12 tháng 11 năm 2024 (buổi sáng)"),
        (5, "Ngày 13 tháng 11 năm 2024"),
    ]
    assert (summary.inserted, plan.footer_row, plan.footer_rows) == (3, None, 0)
    assert summary.tally.total == summary.tally.rows == 6


def test_signatures_that_end_the_list_still_end_it(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "ky.xlsx",
        ["STT", "Họ và tên", "Năm sinh"],
        [
            [1, "Võ Thị Sáng", 1980],
            [None, "Tổng cộng: 1 người"],
            [None, "Người lập biểu", "Thủ trưởng đơn vị"],
            [],
            [None, "Nguyễn Văn Tư", "Lê Thị Năm"],  # a signer: no number, no data
        ],
    )
    plan, summary = import_all(db, path)
    assert names_stored(db) == {"Võ Thị Sáng"}
    assert (plan.footer_row, plan.footer_rows) == (3, 4)
    assert [r.describe() for r in plan.footer] == [
        "Dòng 3: “Tổng cộng: 1 người”",
        "Dòng 4: “Người lập biểu | Thủ trưởng đơn vị”",
        "Dòng 6: “Nguyễn Văn Tư | Lê Thị Năm”",
    ]
    assert summary.tally.total == summary.tally.rows == 6


@pytest.mark.parametrize(
    ("rows", "expected_groups"),
    [
        (  # Roman numerals in the STT column, the commune in the name column
            [
                ["I", "Xã Phú Tân", None, None, None],
                [1, "Đào Văn Ba", "Tổ viên", "Ấp 3", "0918123005"],
                ["II", "Xã An Thạnh", None, None, None],
                [1, "Đào Văn Bốn", "Tổ viên", "Ấp 4", "0918123006"],
            ],
            [(2, "I | Xã Phú Tân"), (4, "II | Xã An Thạnh")],
        ),
        (  # a heading typed across the table in the first column
            [
                [1, "Đào Văn Ba", "Tổ viên", "Ấp 3", "0918123005"],
                ["DANH SÁCH XÃ AN THẠNH", None, None, None, None],
                [2, "Đào Văn Bốn", "Tổ viên", "Ấp 4", "0918123006"],
            ],
            [(3, "DANH SÁCH XÃ AN THẠNH")],
        ),
    ],
    ids=["roman-numerals", "heading-in-column-a"],
)
def test_group_headings_are_not_people(
    db: Database, tmp_path: Path, rows: list[list[Any]], expected_groups: list[tuple[int, str]]
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "nhom.xlsx", ["STT", "Họ và tên", "Chức vụ", "Đơn vị công tác", "SĐT"], rows
    )
    plan, summary = import_all(db, path)
    assert names_stored(db) == {"Đào Văn Ba", "Đào Văn Bốn"}
    assert [(r.row, r.text) for r in plan.groups] == expected_groups
    assert summary.tally.total == summary.tally.rows == len(rows) + 1


@pytest.mark.parametrize(
    "again",
    [
        ["STT", "Họ và tên", "Chức vụ", "Đơn vị công tác"],
        ["stt", "HỌ VÀ TÊN", "CHỨC VỤ", "ĐƠN VỊ CÔNG TÁC", "SĐT"],
        ["TT", "Ho ten", "Chuc vu"],
        [1, 2, 3, 4, 5],  # the row numbering the columns of an official form
        ["A", "B", "C", "D", "E"],
    ],
    ids=["same", "capitals", "other-spelling", "numbers", "letters"],
)
def test_the_header_repeated_is_a_header_row(
    db: Database, tmp_path: Path, again: list[Any]
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "lap.xlsx",
        ["STT", "Họ và tên", "Chức vụ", "Đơn vị công tác", "SĐT"],
        [
            [1, "Đào Văn Một", "Tổ viên", "Ấp 3", "0918123003"],
            again,
            [2, "Đào Văn Hai", "Tổ viên", "Ấp 4", "0918123004"],
        ],
    )
    plan, summary = import_all(db, path)
    assert names_stored(db) == {"Đào Văn Một", "Đào Văn Hai"}
    assert [r.row for r in plan.headers] == [3]
    assert dict(summary.tally.parts)["Dòng tiêu đề"] == 2
    assert summary.tally.total == summary.tally.rows == 4


def test_template_rows_with_only_a_number_are_counted_not_refused(
    db: Database, tmp_path: Path
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "mau.xlsx",
        ["STT", "Họ và tên", "Năm sinh", "Số điện thoại"],
        [[1, "Hồ Văn Mẫu Một", 1980, "0918555001"], [2, "Hồ Văn Mẫu Hai", 1981, "0918555002"]]
        + [[n] for n in range(3, 11)],
    )
    plan, summary = import_all(db, path)
    assert names_stored(db) == {"Hồ Văn Mẫu Một", "Hồ Văn Mẫu Hai"}
    assert plan.stt_only == list(range(4, 12))
    assert "Dòng chỉ có STT, chưa điền (không nhập): 8 dòng (4–11)." in plan.notes()
    assert dict(summary.tally.parts)["Dòng chỉ có STT, chưa điền"] == 8
    assert summary.tally.total == summary.tally.rows == 11


def test_a_name_only_row_in_a_numbered_list_is_imported_with_a_warning(
    sqlite_db: Database, tmp_path: Path
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "nghi.xlsx",
        ["STT", "Họ và tên", "Năm sinh"],
        [[1, "Võ Thị Sáng", 1980], [None, "Võ Văn Trưa", None], [2, "Võ Thị Chiều", 1982]],
    )
    plan, _summary = import_all(sqlite_db, path)
    assert names_stored(sqlite_db) == {"Võ Thị Sáng", "Võ Văn Trưa", "Võ Thị Chiều"}
    assert [i.describe() for i in plan.warnings] == [
        "Dòng 3, cột “Họ và tên”, giá trị “Võ Văn Trưa”: dòng không có số thứ tự (STT) như "
        "các dòng khác, có thể là dòng tiêu đề nhóm; đã nhập như một người, hãy kiểm tra lại."
    ]


def hidden_first_sheet(path: Path, roster: bool = True) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    if roster:
        ws.append(["STT", "Họ và tên", "Ngày sinh"])
        ws.append([1, "Huỳnh Văn Thật", "03/03/1970"])
    lookup = wb.create_sheet("DM", 0)
    lookup.append(["Họ tên", "Ghi chú"])
    lookup.append(["Nguyễn Văn Mẫu", "dòng mẫu"])
    lookup.sheet_state = "hidden"
    wb.active = 1
    wb.save(path)
    return path


def test_the_first_visible_sheet_is_read_not_a_hidden_one(db: Database, tmp_path: Path) -> None:
    plan, _summary = import_all(db, hidden_first_sheet(tmp_path / "an.xlsx"))
    assert (plan.sheet, plan.hidden_sheets) == ("Danh sách", ["DM"])
    assert names_stored(db) == {"Huỳnh Văn Thật"}
    assert "Trang tính ẩn, không đọc: “DM”." in plan.notes()


def test_a_list_only_on_a_hidden_sheet_is_said_so(db: Database, tmp_path: Path) -> None:
    path = hidden_first_sheet(tmp_path / "an.xlsx", roster=False)
    with pytest.raises(SpreadsheetError) as err, db.transaction() as s:
        imports.plan(s, path)
    assert "Tệp còn trang tính ẩn “DM”: nếu danh sách nằm ở đó, hãy chọn trang đó" in str(err.value)
    assert names_stored(db) == set()


def test_hidden_rows_are_imported_and_named(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "an.xlsx",
        ["STT", "Họ và tên", "Ngày sinh"],
        [
            [1, "Võ Văn Hiện", "03/03/1970"],
            [2, "Võ Văn Ẩn Một", "03/03/1971"],
            [3, "Võ Văn Ẩn Hai", "03/03/1972"],
        ],
    )
    wb = openpyxl.load_workbook(path)
    for r in (3, 4):
        wb.active.row_dimensions[r].hidden = True
    wb.save(path)
    plan, summary = import_all(db, path)
    assert summary.inserted == 3
    assert plan.hidden_rows == [3, 4]
    assert "Dòng đang bị ẩn trong Excel (vẫn nhập như các dòng khác): 2 dòng (3–4)." in plan.notes()


def test_the_cli_lists_the_rows_that_are_not_people(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(
        capsys, "--db", str(sqlite_db.path), "import", "people", str(subtotals(tmp_path / "t.xlsx"))
    )
    assert code == 0
    assert (
        "Dòng nhóm / tổng cộng (không phải người, không nhập):\n"
        "  Dòng 2: “XÃ PHÚ TÂN”\n"
        "  Dòng 5: “Tổng cộng: 2 người”\n"
        "  Dòng 6: “XÃ AN THẠNH”\n"
        "Phần ký tên cuối bảng, từ dòng 9 (không nhập):\n"
        "  Dòng 9: “Tổng cộng: 2 người”\n"
        "  Dòng 11: “Người lập biểu”\n"
    ) in out
    assert "  Dòng nhóm / tổng cộng: 3\n" in out
    assert "  Thêm mới: 4\n" in out
    assert len(names_stored(sqlite_db)) == 4


def test_scores_after_a_day_heading_are_read(db: Database, tmp_path: Path) -> None:
    """The score import sorts its rows by the same rules: nobody after a heading is lost."""
    with db.transaction() as s:
        w = world.build(s)
        for name, born in (("Võ Thị Sáng", date(1980, 2, 3)), ("Võ Văn Trưa", date(1981, 4, 5))):
            world.enrol(s, w, world.person(s, name, birth_date=born), [])
    heading = ["STT", "Họ và tên", "Ngày sinh", "Điểm cuối khóa"]
    path = sheets.simple_workbook(
        tmp_path / "diem.xlsx",
        heading,
        [
            [None, "Ngày 12 tháng 11 năm 2024"],
            [1, "Võ Thị Sáng", "03/02/1980", 8],
            heading,
            [None, "Ngày 13 tháng 11 năm 2024"],
            [2, "Võ Văn Trưa", "05/04/1981", 9],
            [None, "Người lập biểu"],
        ],
    )
    with db.transaction() as s:
        plan = outcomes.plan_scores(s, w.course, path)
        assert plan.unmatched == []
        assert [(line.name, line.post) for line in plan.lines] == [
            ("Võ Thị Sáng", 8),
            ("Võ Văn Trưa", 9),
        ]
        assert plan.notes() == [
            "Không phải người, không nhập: Dòng 2: “Ngày 12 tháng 11 năm 2024”",
            "Không phải người, không nhập: Dòng 4: “STT | Họ và tên | Ngày sinh | Điểm cuối khóa”",
            "Không phải người, không nhập: Dòng 5: “Ngày 13 tháng 11 năm 2024”",
            "Không phải người, không nhập: Dòng 7: “Người lập biểu”",
        ]
        assert outcomes.apply_scores(s, w.course, plan) == 2

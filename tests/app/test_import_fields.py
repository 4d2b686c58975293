"""Import: a doubtful field is left out with a warning; an unreadable one is refused by name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.services import imports
from models import Person
from tests.app import sheets

NEXT_YEAR = date.today().year + 1


def people(db: Database) -> dict[str, tuple[object, ...]]:
    with db.transaction(readonly=True) as s:
        return {
            r.full_name: (r.birth_date, r.citizen_id, r.phone)
            for r in s.execute(
                select(Person.full_name, Person.birth_date, Person.citizen_id, Person.phone)
            )
        }


def count(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


def doubtful_workbook(path: Path) -> Path:
    return sheets.simple_workbook(
        path,
        ["Họ và tên", "Ngày sinh", "Số CCCD", "SĐT"],
        [
            ["Lê Thị Bé", "02/05/1986", None, "0123456789"],
            ["Võ Văn Hà", "1990", "003090000451", "0903111222"],
            ["Trần Văn Bình", "15/08/1985", "083285000451", None],
            ["Phạm Thị Lan", f"01/01/{NEXT_YEAR}", None, "0903111223"],
            ["Nguyễn Văn An", "1985", "083062000451", None],
            ["Đỗ Thị Mai", "1992", "083192000452", None],
        ],
    )


def test_doubtful_fields_are_left_out_and_the_people_imported(db: Database, tmp_path: Path) -> None:
    path = doubtful_workbook(tmp_path / "nghi.xlsx")
    with db.transaction() as s:
        plan = imports.plan(s, path)
        assert plan.errors == []
        warnings = [i.describe() for i in plan.warnings]
        summary = imports.apply(s, plan)
    assert warnings == [
        "Dòng 2, cột “SĐT”, giá trị “0123456789”: Số điện thoại “0123456789” có đầu số 012 "
        "chưa cấp cho mạng nào. Đã bỏ giá trị này, vẫn nhập người này.",
        "Dòng 3, cột “Số CCCD”, giá trị “003090000451”: Số CCCD “003090000451” có mã tỉnh 003 "
        "không tồn tại. Đã bỏ giá trị này, vẫn nhập người này.",
        "Dòng 4, cột “Số CCCD”, giá trị “083285000451”: Số CCCD ghi năm sinh 2085 (chữ số thứ 4 "
        "là 2), khác năm sinh 1985 trong tệp. Đã bỏ giá trị này, vẫn nhập người này.",
        f"Dòng 5, cột “Ngày sinh”, giá trị “01/01/{NEXT_YEAR}”: Ngày sinh ở tương lai. "
        "Đã bỏ giá trị này, vẫn nhập người này.",
        "Dòng 6, cột “Số CCCD”, giá trị “083062000451”: Số CCCD ghi năm sinh 1962 (chữ số thứ 4 "
        "là 0), khác năm sinh 1985 trong tệp. Đã bỏ giá trị này, vẫn nhập người này.",
    ]
    assert summary.inserted == 6
    assert summary.warnings == tuple(plan.warnings)
    assert people(db) == {
        "Lê Thị Bé": (date(1986, 5, 2), None, None),
        "Võ Văn Hà": (date(1990, 1, 1), None, "0903111222"),
        "Trần Văn Bình": (date(1985, 8, 15), None, None),
        "Phạm Thị Lan": (None, None, "0903111223"),
        "Nguyễn Văn An": (date(1985, 1, 1), None, None),
        "Đỗ Thị Mai": (date(1992, 1, 1), "083192000452", None),
    }


def test_strict_makes_every_warning_an_error_and_writes_nothing(
    db: Database, tmp_path: Path
) -> None:
    path = doubtful_workbook(tmp_path / "nghi.xlsx")
    with pytest.raises(imports.ImportFailed) as err, db.transaction() as s:
        plan = imports.plan(s, path, strict=True)
        assert plan.warnings == []
        assert len(plan.bad_rows) == 5
        imports.apply(s, plan)
    assert "Không ghi gì: 5 dòng có lỗi." in str(err.value)
    assert "Dòng 2, cột “SĐT”, giá trị “0123456789”: Số điện thoại" in str(err.value)
    assert count(db) == 0


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("Nguyễn\u3164Văn An", "ký tự vô hình U+3164 (HANGUL FILLER) sau “Nguyễn”"),
        ("\u115fLê Thị Hà", "ký tự vô hình U+115F (HANGUL CHOSEONG FILLER) ở đầu"),
        ("Lê\u200b Thị Hà", "ký tự vô hình U+200B (ZERO WIDTH SPACE) sau “Lê”"),
        ("Lê Thị\u2060Hà", "ký tự vô hình U+2060 (WORD JOINER) sau “Lê Thị”"),
        (
            "Nguyễn Văn \u0410n",
            "chữ “\u0410” (U+0410 CYRILLIC CAPITAL LETTER A) là chữ Kirin, không phải chữ Latinh",
        ),
        (
            "Tr\u0430n Văn Hà",
            "chữ “\u0430” (U+0430 CYRILLIC SMALL LETTER A) là chữ Kirin, không phải chữ Latinh",
        ),
    ],
)
def test_a_name_with_a_hidden_or_foreign_letter_is_refused_by_name(
    db: Database, tmp_path: Path, name: str, fragment: str
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "ten.xlsx", ["Họ và tên", "Ngày sinh"], [["Võ Minh Tâm", "1990"], [name, "1985"]]
    )
    with pytest.raises(imports.ImportFailed) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    message = str(err.value)
    assert "Dòng 3, cột “Họ và tên”" in message
    assert fragment in message
    assert count(db) == 0


def test_a_hidden_character_in_another_column_is_named_too(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "sdt.xlsx", ["Họ và tên", "SĐT"], [["Võ Minh Tâm", "0903\u200b111222"]]
    )
    with pytest.raises(imports.ImportFailed) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    assert "Dòng 2, cột “SĐT”" in str(err.value)
    assert "ký tự vô hình U+200B (ZERO WIDTH SPACE) sau “0903”" in str(err.value)
    assert count(db) == 0


def test_a_number_typed_as_text_in_a_date_column_is_refused(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "so.xlsx", ["Họ và tên", "Ngày sinh"], [["Võ Minh Tâm", "45000"]]
    )
    with pytest.raises(imports.ImportFailed) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    assert (
        "Dòng 2, cột “Ngày sinh”, giá trị “45000”: “45000” là một con số ghi dạng chữ, "
        "không phải ngày" in str(err.value)
    )
    assert count(db) == 0


def test_an_excel_serial_number_cell_is_still_a_date(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "so.xlsx", ["Họ và tên", "Ngày sinh"], [["Võ Minh Tâm", 32874]]
    )
    with db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    assert people(db) == {"Võ Minh Tâm": (date(1990, 1, 1), None, None)}


def test_an_overlong_cell_is_refused_without_copying_it(
    sqlite_db: Database, tmp_path: Path
) -> None:
    long = "Hà" * 10_000
    path = sheets.simple_workbook(
        tmp_path / "dai.xlsx", ["Họ và tên", "Ghi chú"], [[long, "x"], ["Võ Minh Tâm", long]]
    )
    with sqlite_db.transaction(readonly=True) as s:
        plan = imports.plan(s, path)
    first, second = plan.errors
    assert first.describe().startswith("Dòng 2, cột “Họ và tên”, giá trị “HàHà")
    assert "ô có 20.000 ký tự, quá dài (tối đa 1.000)" in first.message
    assert second.row == 3 and second.column == "Ghi chú"
    assert len(first.value) <= 81 and len(second.value) <= 81

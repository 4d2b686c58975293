"""Import: rows are folded into one person only beyond doubt, and a row is matched to a
recorded person only on evidence; anything weaker is said, never silently merged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.services import imports
from models import Gender, Person
from tests.app import sheets, world
from tests.app.clirun import run


def stored(db: Database) -> list[tuple[str, date | None, str | None, str | None]]:
    with db.transaction(readonly=True) as s:
        return sorted(
            (p.full_name, p.birth_date, p.phone, p.workplace) for p in s.scalars(select(Person))
        )


def test_same_name_and_birth_year_stay_two_people_with_a_warning(
    db: Database, tmp_path: Path
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "hung.xlsx",
        ["STT", "Họ và tên", "Năm sinh", "Đơn vị công tác", "Ấp"],
        [
            [1, "Nguyễn Văn Hùng", 1980, "UBND xã", "Ấp Phú Hòa"],
            [2, "Lê Thị Mai", 1985, "UBND xã", "Ấp Phú Hòa"],
            [3, "Nguyễn Văn Hùng", 1980, "Công an xã", "Ấp Tân Lợi"],
            [4, "Trần Văn Tư", 1975, "UBND xã", "Ấp Tân Lợi"],
            [5, "Nguyễn Văn Hùng", 1980, "Công an xã", "Ấp Tân Lợi"],
        ],
    )
    with db.transaction() as s:
        plan = imports.plan(s, path)
        summary = imports.apply(s, plan)
    assert [i.describe() for i in plan.warnings] == [
        "Dòng 4, cột “Họ và tên”, giá trị “Nguyễn Văn Hùng”: có thể trùng với dòng 2 (cùng họ "
        "tên, cùng năm sinh 1980 nhưng khác Ấp/khu phố); đã tính là hai người khác nhau. Nếu là "
        "một người, hãy xóa một dòng (hoặc ghi đủ ngày sinh, số CCCD giống nhau) rồi nhập lại.",
        "Dòng 6, cột “Họ và tên”, giá trị “Nguyễn Văn Hùng”: có thể trùng với dòng 2 (cùng họ "
        "tên, cùng năm sinh 1980 nhưng khác Ấp/khu phố); đã tính là hai người khác nhau. Nếu là "
        "một người, hãy xóa một dòng (hoặc ghi đủ ngày sinh, số CCCD giống nhau) rồi nhập lại.",
    ]
    assert (summary.inserted, summary.folded) == (5, 0)
    assert [name for name, *_ in stored(db)].count("Nguyễn Văn Hùng") == 3


def test_same_name_and_full_birth_date_fold_unless_an_identity_field_differs(
    db: Database, tmp_path: Path
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "ha.xlsx",
        ["Họ và tên", "Ngày sinh", "Số điện thoại", "Chức vụ"],
        [
            ["Nguyễn Thị Hà", "02/05/1986", "0903111222", "Phó Chủ tịch"],
            ["NGUYỄN THỊ HÀ", "02/05/1986", None, "Chủ tịch"],  # the same woman: folded
            ["Nguyễn Thị Hà", "02/05/1986", "0987000111", None],  # another phone: another woman
        ],
    )
    with db.transaction() as s:
        plan = imports.plan(s, path)
        summary = imports.apply(s, plan)
    assert (summary.inserted, summary.folded) == (2, 1)
    assert [i.describe() for i in plan.warnings] == [
        "Dòng 3, cột “Chức vụ”, giá trị “Chủ tịch”: trùng người ở dòng 2 nhưng khác giá trị; "
        "giữ giá trị của dòng 2.",
        "Dòng 4, cột “Họ và tên”, giá trị “Nguyễn Thị Hà”: có thể trùng với dòng 2 (cùng họ "
        "tên, cùng ngày sinh 02/05/1986 nhưng khác Số điện thoại); đã tính là hai người khác "
        "nhau. Nếu là một người, hãy xóa một dòng (hoặc ghi đủ ngày sinh, số CCCD giống nhau) "
        "rồi nhập lại.",
    ]


def test_one_cccd_under_two_names_is_an_error_on_both_rows(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "cccd.xlsx",
        ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại"],
        [
            ["Nguyễn Thị Lan", "10/10/1990", "Nữ", "083190555666", "0911222333"],
            ["Trần Văn Hùng", None, "Nam", "083190555666", "0911222444"],
        ],
    )
    with pytest.raises(imports.ImportFailed) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    message = str(err.value)
    assert "Không ghi gì: 2 dòng có lỗi." in message
    assert (
        "Dòng 2, cột “Số CCCD”, giá trị “083190555666”: cùng số CCCD với dòng 3 (“Trần Văn "
        "Hùng”) nhưng khác họ tên (“Nguyễn Thị Lan”); một trong hai dòng ghi sai, hãy sửa."
    ) in message
    assert "Dòng 3, cột “Số CCCD”, giá trị “083190555666”: cùng số CCCD với dòng 2" in message
    assert stored(db) == []


def test_a_folded_row_that_differs_says_so_in_vietnamese(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "gioi.xlsx",
        ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD"],
        [
            ["Nguyễn Thị Lan", "10/10/1990", "Nữ", "083190555666"],
            ["Nguyễn Thị Lan", "11/10/1990", "Nam", "083190555666"],
        ],
    )
    with db.transaction(readonly=True) as s:
        plan = imports.plan(s, path)
    assert [i.describe() for i in plan.warnings] == [
        "Dòng 3, cột “Ngày sinh”, giá trị “11/10/1990”: trùng người ở dòng 2 nhưng khác giá trị; "
        "giữ giá trị của dòng 2.",
        "Dòng 3, cột “Giới tính”, giá trị “Nam”: trùng người ở dòng 2 nhưng khác giá trị; giữ "
        "giá trị của dòng 2.",
    ]


def test_a_birth_year_never_matches_a_full_birth_date(db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        khanh = world.person(
            s,
            "Phạm Quốc Khánh",
            birth_date=date(1972, 1, 1),
            phone="0903111222",
            workplace="Trường THCS Thạnh Phú",
        )
    path = tmp_path / "khanh.csv"
    path.write_text(
        "Họ và tên,Năm sinh,Số điện thoại,Đơn vị công tác\n"
        "Phạm Quốc Khánh,1972,0918765432,Trường THCS An Hiệp\n",
        encoding="utf-8",
    )
    with db.transaction() as s:
        plan = imports.plan(s, path)
        (row,) = plan.rows
        assert row.match_id is None
        assert [i.describe() for i in plan.warnings] == [
            f"Dòng 2, cột “Họ và tên”, giá trị “Phạm Quốc Khánh”: có thể là người đã có “Phạm "
            f"Quốc Khánh” (mã {khanh}, sinh 01/01/1972); tệp chỉ ghi năm sinh nên không tự coi "
            "là cùng một người: sẽ thêm hồ sơ mới, hồ sơ đã có giữ nguyên. Nếu là một người, hãy "
            "ghi đủ ngày sinh trong tệp, hoặc gộp hai hồ sơ sau khi nhập."
        ]
        summary = imports.apply(s, plan, overwrite=True)
    assert (summary.inserted, summary.updated) == (1, 0)
    assert stored(db) == [
        ("Phạm Quốc Khánh", date(1972, 1, 1), "0903111222", "Trường THCS Thạnh Phú"),
        ("Phạm Quốc Khánh", date(1972, 1, 1), "0918765432", "Trường THCS An Hiệp"),
    ]


def test_a_year_matches_the_same_year_so_a_list_imports_twice_without_duplicates(
    db: Database, tmp_path: Path
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "nam.xlsx",
        ["Họ và tên", "Năm sinh", "SĐT"],
        [["Võ Thị Sáng", 1980, "0903111222"], ["Võ Văn Trưa", 1981, None]],
    )
    for _ in range(2):
        with db.transaction() as s:
            summary = imports.apply(s, imports.plan(s, path))
    assert (summary.inserted, summary.skipped) == (0, 2)
    assert len(stored(db)) == 2


def test_two_recorded_people_fitting_one_row_are_an_error_not_a_guess(
    db: Database, tmp_path: Path
) -> None:
    with db.transaction() as s:
        for _ in range(2):
            world.person(s, "Lê Văn An", birth_date=date(1990, 1, 2))
    path = sheets.simple_workbook(
        tmp_path / "an.xlsx",
        ["Họ và tên", "Ngày sinh", "Chức vụ"],
        [["Lê Văn An", "02/01/1990", "Bí thư"]],
    )
    with pytest.raises(imports.ImportFailed) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, path), overwrite=True)
    assert "có 2 người đã có cùng họ tên và ngày sinh: “Lê Văn An” (mã " in str(err.value)
    assert "không biết là ai. Hãy ghi thêm số CCCD hoặc số điện thoại" in str(err.value)
    with db.transaction(readonly=True) as s:
        assert set(s.scalars(select(Person.position))) == {None}


def test_differences_with_a_recorded_person_are_shown_in_vietnamese(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite_db.transaction() as s:
        world.person(
            s,
            "Nguyễn Thị Lan",
            birth_date=date(1990, 10, 10),
            gender="female",
            citizen_id="083190555666",
        )
    path = sheets.simple_workbook(
        tmp_path / "lan.xlsx",
        ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD"],
        [["Nguyễn Thị Lan", "11/10/1990", "Nam", "083190555666"]],
    )
    code, out, _err = run(capsys, "--db", str(sqlite_db.path), "import", "people", str(path))
    assert code == 0
    assert (
        "Ngày sinh đang là “10/10/1990”, tệp ghi “11/10/1990”; Giới tính đang là “Nữ”, tệp ghi "
        "“Nam”"
    ) in out
    with sqlite_db.transaction(readonly=True) as s:
        assert s.scalars(select(Person.gender)).one() == Gender.FEMALE

"""Import: the headings clerks really write are recognised by their words, the columns
not used are named, and a column can be chosen by hand on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.services import imports
from app.spreadsheet import SpreadsheetError
from models import Person
from tests.app import sheets
from tests.app.clirun import run


def people(db: Database) -> set[tuple[str, str | None]]:
    with db.transaction(readonly=True) as s:
        return {(n, c) for n, c in s.execute(select(Person.full_name, Person.citizen_id))}


@pytest.mark.parametrize(
    "heading",
    [
        "Số CCCD/ĐDCN",
        "Số định danh cá nhân/CCCD",
        "CCCD số",
        "Số thẻ CCCD",
        "CMND/CCCD/ĐDCN",
        "Số CMND/CCCD",
    ],
)
def test_citizen_id_headings(db: Database, tmp_path: Path, heading: str) -> None:
    path = sheets.simple_workbook(
        tmp_path / "cccd.xlsx",
        ["STT", "Họ và tên", "Năm sinh", heading],
        [[1, "Lý Văn Thử", 1980, "083080999888"]],
    )
    with db.transaction() as s:
        plan = imports.plan(s, path)
        assert plan.header.mapping[3] == "citizen_id"
        imports.apply(s, plan)
    assert people(db) == {("Lý Văn Thử", "083080999888")}


@pytest.mark.parametrize(
    "heading",
    [
        "Họ, tên",
        "Họ & tên",
        "Họ và tên đại biểu",
        "HỌ VÀ TÊN NGƯỜI THAM GIA",
        "Họ và tên\n(viết in hoa)",
        "Họ_tên",
        "Họ tên học viên",
    ],
)
def test_name_headings(db: Database, tmp_path: Path, heading: str) -> None:
    path = sheets.simple_workbook(
        tmp_path / "ten.xlsx",
        ["STT", heading, "Năm sinh", "Số ĐT"],
        [[1, "Lý Văn Thử", 1980, "0918777666"]],
    )
    with db.transaction() as s:
        imports.apply(s, imports.plan(s, path))
    assert people(db) == {("Lý Văn Thử", None)}


@pytest.mark.parametrize("heading", ["Ngày cấp CCCD", "Nơi cấp CCCD", "Họ tên cha", "Nơi sinh"])
def test_headings_about_something_else_are_not_taken(heading: str) -> None:
    from app.services.import_columns import field_for

    assert field_for(heading) is None


def test_columns_not_used_are_named(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "cot.xlsx",
        ["STT", "Họ và tên", "Năm sinh", "Số CC", None, "Ký nhận"],
        [[1, "Lý Văn Thử", 1980, "083080999888", "x", None]],
    )
    with db.transaction(readonly=True) as s:
        plan = imports.plan(s, path)
    assert "Cột không dùng: D “Số CC”, E (không có tiêu đề)." in plan.notes()


def test_without_a_name_column_the_error_names_each_column_by_letter(
    db: Database, tmp_path: Path
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "x.xlsx", ["STT", "Tên đơn vị, cơ quan", "SĐT"], [[1, "UBND xã", "0903111222"]]
    )
    with pytest.raises(SpreadsheetError) as err, db.transaction(readonly=True) as s:
        imports.plan(s, path)
    assert (
        "các cột tìm thấy: A “STT”, B “Tên đơn vị, cơ quan”, C “SĐT”. Nếu họ tên nằm ở một cột "
        'có tiêu đề khác, hãy chọn cột bằng tay (dòng lệnh: --column "Họ và tên=C").'
    ) in str(err.value)


def test_the_cli_maps_a_column_by_hand(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "tay.xlsx",
        ["STT", "Người tham dự", "Năm sinh", "Số CC"],
        [[1, "Lý Văn Thử", 1980, "083080999888"]],
    )
    code, out, err = run(
        capsys,
        "--db",
        str(sqlite_db.path),
        "import",
        "people",
        str(path),
        "--column",
        "Họ và tên=B",
        "--column",
        "Số CCCD=4",
    )
    assert (code, err) == (0, "")
    assert "  cột B “Người tham dự” → Họ và tên\n" in out
    assert "  cột D “Số CC” → Số CCCD\n" in out
    assert people(sqlite_db) == {("Lý Văn Thử", "083080999888")}


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("Họ và tên", "không đúng dạng TÊN_CỘT=CỘT"),
        ("Quê quán=C", "Không biết thông tin “Quê quán”; dùng một trong: “Họ và tên”"),
        ("Họ và tên=C9", "“C9” không phải cột"),
        ("Họ và tên=0", "“0” không phải cột"),
    ],
)
def test_a_bad_column_choice_is_a_usage_error(
    sqlite_db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    spec: str,
    fragment: str,
) -> None:
    path = sheets.simple_workbook(tmp_path / "a.xlsx", ["Họ và tên"], [["Lý Văn Thử"]])
    code, out, err = run(
        capsys, "--db", str(sqlite_db.path), "import", "people", str(path), "--column", spec
    )
    assert code == 2
    assert fragment in err
    assert people(sqlite_db) == set()


def test_one_field_given_two_columns_is_refused(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sheets.simple_workbook(tmp_path / "a.xlsx", ["Họ và tên", "Tên"], [["Lý Văn Thử", "x"]])
    code, _out, err = run(
        capsys,
        "--db",
        str(sqlite_db.path),
        "import",
        "people",
        str(path),
        "--column",
        "Họ và tên=A",
        "--column",
        "Họ và tên=B",
    )
    assert code == 3
    assert "--column: “Họ và tên” được chỉ định hai lần (cột A và B); hãy giữ một." in err
    assert people(sqlite_db) == set()

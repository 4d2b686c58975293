"""Import: a value that reads but cannot be kept as it is (an old 9-digit CMND, two phones
in one cell, a Latin look-alike letter in a name) does not cost the person: it is left out
or corrected, and the warning names row, column and value."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.services import imports, people
from app.services.people import PeopleFilter
from app.vn import names
from models import Person
from tests.app import sheets


def stored(db: Database) -> dict[str, tuple[str | None, str | None]]:
    with db.transaction(readonly=True) as s:
        return {p.full_name: (p.citizen_id, p.phone) for p in s.scalars(select(Person))}


def test_an_old_cmnd_and_a_second_phone_are_left_out_with_warnings(
    db: Database, tmp_path: Path
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "gt.xlsx",
        ["Họ và tên", "Ngày sinh", "Số CCCD", "Số điện thoại"],
        [
            ["Phan Văn Cmnd", "01/01/1960", "321456789", "0918000304"],
            ["Phan Văn Hai Số", "01/01/1960", None, "0918000305 - 0987000305"],
            ["Phan Văn Ba Số", "01/01/1961", None, "0123456789; 0987000306"],
        ],
    )
    with db.transaction() as s:
        plan = imports.plan(s, path)
        summary = imports.apply(s, plan)
    assert plan.errors == []
    assert [i.describe() for i in plan.warnings] == [
        "Dòng 2, cột “Số CCCD”, giá trị “321456789”: “321456789” có 9 chữ số: đó là số chứng "
        "minh nhân dân (CMND) cũ, không phải số CCCD 12 chữ số. Đã bỏ giá trị này, vẫn nhập "
        "người này.",
        "Dòng 3, cột “Số điện thoại”, giá trị “0918000305 - 0987000305”: Ô có 2 số điện thoại; "
        "giữ số “0918000305”, bỏ “0987000305” (mỗi người chỉ lưu một số).",
        "Dòng 4, cột “Số điện thoại”, giá trị “0123456789; 0987000306”: Ô có 2 số điện thoại; "
        "giữ số “0987000306”, bỏ “0123456789” (mỗi người chỉ lưu một số).",
    ]
    assert summary.inserted == 3
    assert stored(db) == {
        "Phan Văn Cmnd": (None, "0918000304"),
        "Phan Văn Hai Số": (None, "0918000305"),
        "Phan Văn Ba Số": (None, "0987000306"),
    }


def test_strict_refuses_them_and_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = sheets.simple_workbook(
        tmp_path / "gt.xlsx",
        ["Họ và tên", "Số CCCD", "Số điện thoại"],
        [["Phan Văn Cmnd", "321456789", "0918000305 - 0987000305"]],
    )
    with pytest.raises(imports.ImportFailed) as err, db.transaction() as s:
        imports.apply(s, imports.plan(s, path, strict=True))
    assert "Dòng 2, cột “Số CCCD”, giá trị “321456789”" in str(err.value)
    assert "Dòng 2, cột “Số điện thoại”, giá trị “0918000305 - 0987000305”" in str(err.value)
    assert stored(db) == {}


def lookalikes(path: Path) -> Path:
    path.write_text(
        "Họ và tên,Ngày sinh,Số điện thoại\n"
        "\u00d0ặng Văn Nam,10/10/1990,0911222555\n"
        "Nguyễn Th\u0131 Hà,10/10/1991,0911222556\n",
        encoding="utf-8",
    )
    return path


def test_latin_look_alikes_become_vietnamese_letters_with_a_warning(
    db: Database, tmp_path: Path
) -> None:
    with db.transaction() as s:
        plan = imports.plan(s, lookalikes(tmp_path / "b.csv"))
        imports.apply(s, plan)
    assert [i.describe() for i in plan.warnings] == [
        "Dòng 2, cột “Họ và tên”, giá trị “\u00d0ặng Văn Nam”: Họ tên có chữ “\u00d0”, U+00D0 "
        "(LATIN CAPITAL LETTER ETH), trông như “Đ” nhưng không phải chữ tiếng Việt; đã đổi thành "
        "“Đ” để tìm kiếm và đối chiếu được.",
        "Dòng 3, cột “Họ và tên”, giá trị “Nguyễn Th\u0131 Hà”: Họ tên có chữ “\u0131”, U+0131 "
        "(LATIN SMALL LETTER DOTLESS I), trông như “i” nhưng không phải chữ tiếng Việt; đã đổi "
        "thành “i” để tìm kiếm và đối chiếu được.",
    ]
    assert set(stored(db)) == {"Đặng Văn Nam", "Nguyễn Thi Hà"}
    with db.transaction(readonly=True) as s:
        for typed in ("Đặng Văn Nam", "dang van nam", "\u00d0ặng"):
            assert [r.full_name for r in people.page(s, PeopleFilter(search=typed))] == [
                "Đặng Văn Nam"
            ]


def test_the_correct_spelling_imported_later_matches_not_duplicates(
    db: Database, tmp_path: Path
) -> None:
    with db.transaction() as s:
        imports.apply(s, imports.plan(s, lookalikes(tmp_path / "b.csv")))
    again = tmp_path / "c.csv"
    again.write_text(
        "Họ và tên,Ngày sinh,Số điện thoại\nĐặng Văn Nam,10/10/1990,0911222555\n", encoding="utf-8"
    )
    with db.transaction() as s:
        summary = imports.apply(s, imports.plan(s, again))
    assert (summary.inserted, summary.skipped) == (0, 1)
    assert len(stored(db)) == 2


def test_search_folds_look_alikes_like_the_letters_they_stand_for() -> None:
    assert names.fold("\u00d0ặng Th\u0131 \u00f0ào") == names.fold("Đặng Thi đào") == "dang thi dao"
    assert names.validate("\u00f0ặng văn nam") == "Đặng Văn Nam"

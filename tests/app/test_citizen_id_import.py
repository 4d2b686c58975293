"""An import's matching by citizen ID, run by a staff account (issue 13, item 5): a list
of 500 people the register already holds goes through, its matches reported without
saying whose a number is; the oracle of p3_cccd_import_oracle.py (one name, a hundred
guesses at the two hidden digits, as a dry run) is refused before it shows anything, and
every number it tested is on record. On the command line, on SQLite."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.services import users
from app.services.citizen_id_lookups import ACTION
from app.services.users import UserForm
from models import AuditEntry, Person
from tests.app import world
from tests.app.accounts import own_passwords
from tests.app.clirun import run
from tests.app.test_citizen_id_lookups import NAME, TARGET, guess

GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Lan", "Minh", "Nam", "Oanh", "Phúc"]


def known(n: int) -> tuple[str, date, str]:
    """The n-th person the register holds: name, birth date, citizen ID (born 1960–1999)."""
    born = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
    name = (
        f"Nguyễn Văn {GIVEN[n % len(GIVEN)]} {chr(ord('A') + n // 26 % 26)}{chr(ord('A') + n % 26)}"
    )
    return name.replace(" A", " Á"), born, f"0830{born.year % 100:02d}{n:06d}"


@pytest.fixture
def office(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A register of 500 people and Đoàn Đức An; an administrator and a staff account.
    Returns the command's first arguments, as the staff account."""
    with sqlite_db.transaction() as s:
        s.info["actor"] = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1",
                                                   "mat-khau-1")  # fmt: skip
        users.create(s, UserForm("canbo", "Trần Thị Thu Trang", "staff"), "mat-khau-2")
        own_passwords(s, "canbo")
        world.person(s, NAME, citizen_id=TARGET, birth_date=date(2005, 2, 25), gender="male")
        for n in range(500):
            name, born, number = known(n)
            world.person(s, name, citizen_id=number, birth_date=born, gender="male")
    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-2")
    return ["--db", str(sqlite_db.path), "--user", "canbo"]


def sheet(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Họ và tên", "Ngày sinh", "Số CCCD"])
        w.writerows(rows)
    return path


def recorded(db: Database) -> list[tuple[int | None, bool, bool]]:
    with db.transaction(readonly=True) as s:
        return [
            (e.entity_id, e.after["khop"], e.after["tinh"])
            for e in s.scalars(select(AuditEntry).where(AuditEntry.action == ACTION))
        ]


def test_a_list_of_500_known_people_goes_through(
    office: list[str], sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [(n, b.strftime("%d/%m/%Y"), c) for n, b, c in map(known, range(500))]
    path = sheet(tmp_path / "da-co.csv", [(n + " ", b, c) for n, b, c in rows])
    code, out, err = run(capsys, *office, "import", "people", str(path), "--dry-run")
    assert code == 0, err
    assert "Trùng với người đã có (500):" in out
    assert "Dòng 2: một người đã có trong sổ (trùng số CCCD)" in out
    assert "(mã " not in out  # whose a number is stays unsaid to staff
    code, out, err = run(capsys, *office, "import", "people", str(path))
    assert code == 0, err
    looked = recorded(sqlite_db)
    assert len(looked) == 500  # each number once a day, dry run or not
    assert all(matched and not counted for _pid, matched, counted in looked)


def test_the_import_oracle_is_refused_before_it_shows_anything(
    office: list[str], sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """p3_cccd_import_oracle.py: one name, a hundred candidates for the hidden digits."""
    path = sheet(tmp_path / "p3.csv", [(NAME, "25/02/2005", guess(mid)) for mid in range(100)])
    with sqlite_db.transaction(readonly=True) as s:
        people_before = s.scalar(select(func.count()).select_from(Person))
        target_id = s.scalar(select(Person.id).where(Person.citizen_id == TARGET))
    code, out, err = run(capsys, *office, "import", "people", str(path), "--dry-run")
    assert (code, out) == (3, "")
    assert "đã thử quá nhiều số CCCD hôm nay" in err and "hãy nhờ người quản trị" in err
    assert str(target_id) not in err and "Dòng 79" not in err
    looked = recorded(sqlite_db)
    assert len(looked) == 100  # every number the dry run tested is on record
    assert [pid for pid, matched, _ in looked if matched] == [target_id]  # for the administrator
    with sqlite_db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Person)) == people_before
    code, _out, err = run(capsys, *office, "people", "list", "--search", TARGET)
    assert code == 3 and "đã thử quá nhiều số CCCD hôm nay" in err  # the rest of the day
    code, out, _err = run(capsys, *office, "people", "list", "--search", "Đoàn Đức An")
    assert code == 0 and NAME in out  # names still work


def test_many_names_each_guessing_once_are_refused_too(
    office: list[str], sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [(known(n)[0].replace("Nguyễn", "Phạm"), "25/02/2005", guess(mid)) for n, mid in
            zip(range(100), range(100), strict=True)]  # fmt: skip
    path = sheet(tmp_path / "ten-khac.csv", rows)
    code, out, err = run(capsys, *office, "import", "people", str(path), "--dry-run")
    assert (code, out) == (3, "") and "đã thử quá nhiều số CCCD hôm nay" in err

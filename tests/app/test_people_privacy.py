"""A patient staff account cannot read a masked citizen ID out of the people search.

A staff account once recovered a full CCCD in 41 searches, adding one guessed digit at a
time (`people list --search "Tên 9777"`). For anyone but an administrator, a citizen ID
matches only the whole 12 digits or exactly the last four (which the list shows);
other digits match phone numbers only. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from app.db import Database
from app.services import access, people, users
from app.services.people import PeopleFilter
from app.services.users import UserForm
from tests.app import world
from tests.app.accounts import own_passwords
from tests.app.clirun import run

CCCD = "083086019777"  # what the list shows a staff account: ********9777
NAME = "Trương Văn Tên"
STAFF = access.Actor("canbo", "staff", "Trần Thị Thu Trang")


@pytest.fixture
def target(db: Database) -> Database:
    with db.transaction() as s:
        world.person(s, NAME, citizen_id=CCCD)
        world.person(s, "Trương Văn Tên", citizen_id="083086520000", phone="0903019777")
        world.person(s, "Lê Thị Khác", citizen_id="079190000019")
    return db


def found(db: Database, search: str, sort: str = "name") -> list[tuple[str, str | None]]:
    with db.transaction(readonly=True) as s:
        f = PeopleFilter(search=search, sort=sort)
        assert people.count(s, f) == len(people.ids_matching(s, f))
        return [(r.full_name, r.phone) for r in people.page(s, f)]


def guess_digit_by_digit(db: Database) -> tuple[str, int]:
    """The attack: from the four digits shown, guess the next digit to the left until a
    search still finds the person; returns the digits it knows and how many searches."""
    known, searches = CCCD[-4:], 0
    while len(known) < len(CCCD):
        for digit in "0123456789":
            searches += 1
            if (NAME, None) in found(db, f"Tên {digit}{known}"):
                known = digit + known
                break
        else:
            break  # no guess told anything
    return known, searches


def test_the_41_search_attack_learns_nothing_without_the_unmask_right(target: Database) -> None:
    db = target
    learned, searches = guess_digit_by_digit(db)  # the local administrator sees it all anyway
    assert (learned, searches) == (CCCD, 2 + 1 + 7 + 9 + 1 + 4 + 9 + 1)
    db.actor = STAFF  # trainers do not search people at all
    learned, searches = guess_digit_by_digit(db)
    assert (learned, searches) == (CCCD[-4:], 10)


def test_no_part_of_the_masked_digits_tells_one_person_from_another(target: Database) -> None:
    """Every run of digits of the ID but the last four (shown) and the whole (known) finds
    the same people as digits from no ID at all: only phone numbers."""
    db = target
    db.actor = STAFF
    without = found(db, "Tên 555")
    assert without == []
    for length in range(1, len(CCCD)):
        for start in range(len(CCCD) - length + 1):
            part = CCCD[start : start + length]
            hits = found(db, f"Tên {part}")
            if part == CCCD[-4:]:
                assert (NAME, None) in hits  # the four digits the list shows
            else:
                assert (NAME, None) not in hits, part
            # Digits in a phone still find it: phones are shown in full.
            assert ((NAME, "0903019777") in hits) == (part in "0903019777"), part
    assert found(db, f"Tên {CCCD}") == [(NAME, None)]
    assert found(db, f"{CCCD[:3]} {CCCD[3:6]} {CCCD[6:]}") == []  # split: no whole ID


def test_sorting_by_the_masked_column_follows_the_digits_shown(target: Database) -> None:
    """Sorted by CCCD, a staff account sees the order of the last four digits only: the
    order of the hidden ones would let a planted record bisect them."""
    db = target
    db.actor = STAFF
    order = [name for name, _ in found(db, "", sort="citizen_id")]
    assert order == ["Trương Văn Tên", "Lê Thị Khác", "Trương Văn Tên"]  # 0000, 0019, 9777
    db.actor = None
    order = [name for name, _ in found(db, "", sort="citizen_id")]
    assert order == ["Lê Thị Khác", "Trương Văn Tên", "Trương Văn Tên"]  # 079…, 083086019…


def test_people_list_from_the_command_line_as_staff(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.transaction() as s:
        s.info["actor"] = users.create_first_admin(
            s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1"
        )
        users.create(s, UserForm("canbo", "Trần Thị Thu Trang", "staff"), "mat-khau-2")
        own_passwords(s, "canbo")
        world.person(s, NAME, citizen_id=CCCD)
    db = ["--db", str(sqlite_db.path)]
    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-2")
    code, out, err = run(capsys, *db, "--user", "canbo", "people", "list", "--search", "Tên 9777")
    assert code == 0 and NAME in out and "********9777" in out and CCCD not in out
    for guess in ("Tên 09777", "Tên 0", "Tên 0830", "Tên 083086019"):
        code, out, err = run(capsys, *db, "--user", "canbo", "people", "list", "--search", guess)
        assert code == 0 and NAME not in out and "(0/0 người)" in err, guess
    code, out, _ = run(capsys, *db, "--user", "canbo", "people", "list", "--search", CCCD)
    assert code == 0 and NAME in out
    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-1")
    code, out, _ = run(capsys, *db, "--user", "quantri", "people", "list", "--search", "Tên 0830")
    assert code == 0 and NAME in out  # administrators keep the full search

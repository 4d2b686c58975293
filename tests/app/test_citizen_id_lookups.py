"""Whole-citizen-ID lookups by an account that sees them masked (issue 13, item 5): each is
recorded (account, masked number, whether it matched), even when the action is rolled
back; a daily budget stops the guessing of a masked number; administrators are not
limited; staff are never told whose a number is. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import InvalidValue
from app.services import access, citizen_id_lookups, people, person_edit
from app.services.access import Forbidden
from app.services.citizen_id_lookups import ACTION
from app.services.people import PeopleFilter
from models import AuditEntry, Person
from models.base import utcnow
from tests.app import world

STAFF = access.Actor("canbo", "staff", "Trần Thị Thu Trang")
TARGET = "083205779777"  # Đoàn Đức An, born 2005: staff see ********9777, 25/02/2005, Nam
NAME = "Đoàn Đức An"


def guess(mid: int, number: str = TARGET) -> str:
    """The attacker's candidate: the two hidden middle digits replaced."""
    return f"{number[:6]}{mid:02d}{number[8:]}"


@pytest.fixture
def register(db: Database) -> Database:
    with db.transaction() as s:
        world.person(s, NAME, citizen_id=TARGET, birth_date=date(2005, 2, 25), gender="male")
        world.person(s, "Lê Thị Khác", citizen_id="079190000019")
    db.actor = STAFF
    return db


def lookups(db: Database) -> list[tuple[str, int | None, str, bool, bool]]:
    """(account, person matched, masked number, matched, counted) of every lookup recorded."""
    with db.transaction(readonly=True) as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.action == ACTION).order_by(AuditEntry.seq)
        )
        return [
            (e.user, e.entity_id, e.after["so_cccd"], e.after["khop"], e.after["tinh"])
            for e in entries
        ]


def search(db: Database, text: str) -> list[str]:
    with db.transaction(readonly=True) as s:
        return [r.full_name for r in people.page(s, PeopleFilter(search=text))]


def test_each_lookup_is_recorded_once_a_day_even_when_the_action_rolls_back(register) -> None:  # type: ignore[no-untyped-def]
    db = register
    with db.transaction(readonly=True) as s:
        target_id = s.scalar(select(Person.id).where(Person.citizen_id == TARGET))
    assert search(db, TARGET) == [NAME]  # a whole number: allowed, and on record
    assert search(db, TARGET) == [NAME]  # the same number again (a refresh): once a day
    assert search(db, "083086000000") == []
    assert search(db, "9777") == [NAME]  # the four digits the list shows: no lookup
    with pytest.raises(RuntimeError), db.transaction() as s:  # an action that fails after it
        people.count(s, PeopleFilter(search="083086000001"))
        raise RuntimeError("rolled back")
    assert lookups(db) == [
        ("canbo", target_id, "********9777", True, False),
        ("canbo", None, "********0000", False, True),
        ("canbo", None, "********0001", False, True),
    ]
    with db.transaction(readonly=True) as s:  # the notes say it in Vietnamese
        notes = list(s.scalars(select(AuditEntry.note).where(AuditEntry.action == ACTION)))
    assert notes[:2] == [
        "tìm kiếm: ********9777 có trong sổ",
        "tìm kiếm: ********0000 không có trong sổ",
    ]
    db.actor = None  # the local administrator: not limited, not counted
    assert search(db, "079190000019") == ["Lê Thị Khác"]
    assert len(lookups(db)) == 3


def test_twenty_numbers_nobody_holds_spend_the_day(
    register, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db = register
    for n in range(citizen_id_lookups.MISSES_PER_DAY):
        assert search(db, f"0791901{n:05d}") == []
    for refused in (f"0791901{99:05d}", TARGET):  # any whole number, held or not
        with pytest.raises(Forbidden) as err:
            search(db, refused)
        assert "đã thử quá nhiều số CCCD hôm nay" in str(err.value)
        assert "hãy nhờ người quản trị" in str(err.value)
    assert search(db, "Đoàn An") == [NAME] and search(db, "9777") == [NAME]  # the rest works
    assert len(lookups(db)) == citizen_id_lookups.MISSES_PER_DAY  # refused ones tested nothing
    db.actor = None
    assert search(db, TARGET) == [NAME]  # administrators are not limited
    db.actor = STAFF
    tomorrow = utcnow() + timedelta(seconds=1)
    monkeypatch.setattr(citizen_id_lookups, "_start_of_day", lambda: tomorrow)
    assert search(db, TARGET) == [NAME]  # a new day, a new budget


def test_guessing_the_two_hidden_digits_is_stopped_after_three(register) -> None:  # type: ignore[no-untyped-def]
    """p1_cccd_bruteforce.py: 100 searches for the two hidden digits recovered the number."""
    db = register
    tried, refused = 0, None
    for mid in range(100):
        try:
            found = search(db, guess(mid))
        except Forbidden as exc:
            refused = exc
            break
        tried += 1
        assert found == []
    assert tried == citizen_id_lookups.NUMBERS_PER_PERSON and refused is not None
    assert NAME not in str(refused) and "9777" not in str(refused)
    recorded = lookups(db)
    assert [r[2:] for r in recorded] == [("********9777", False, True)] * 3
    with db.transaction(readonly=True) as s:
        near = [
            e.after["gan"] for e in s.scalars(select(AuditEntry).where(AuditEntry.action == ACTION))
        ]
        target_id = s.scalar(select(Person.id).where(Person.citizen_id == TARGET))
    assert near == [[target_id]] * 3  # the administrator sees whose number was guessed at


def test_the_person_form_never_names_the_holder_to_staff(register) -> None:  # type: ignore[no-untyped-def]
    db = register
    form = person_edit.PersonForm(full_name="Nguyễn Văn Mới", citizen_id=TARGET)
    with db.transaction(readonly=True) as s:
        hints = person_edit.find_duplicates(s, form)
    assert [(h.person_id, h.full_name, h.reason) for h in hints] == [
        (0, "", "Số CCCD này đã có trong sổ (hồ sơ khác)")
    ]
    with db.transaction(readonly=True) as s:
        before = s.scalar(select(func.count()).select_from(Person))
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        person_edit.create(s, form)
    message = str(err.value)
    assert message.startswith("Số CCCD này đã có trong sổ (hồ sơ khác).")
    assert NAME not in message and "mã" not in message and TARGET not in message
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Person)) == before  # nothing written
    assert [r[2:] for r in lookups(db)] == [("********9777", True, False)]  # once, recorded
    db.actor = None  # an administrator is told whose it is
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        person_edit.create(s, form)
    assert f"đã có ở hồ sơ “{NAME}” (mã" in str(err.value)


def test_editing_without_retyping_the_masked_number_is_no_lookup(register) -> None:  # type: ignore[no-untyped-def]
    db = register
    with db.transaction(readonly=True) as s:
        pid = s.scalar(select(Person.id).where(Person.citizen_id == TARGET))
        record = person_edit.get(s, pid)
    assert record.form.citizen_id == "********9777"
    changed = person_edit.PersonForm(**{**record.form.__dict__, "phone": "0903111222"})
    with db.transaction() as s:
        assert person_edit.find_duplicates(s, changed, pid) == []
        person_edit.update(s, pid, changed, record.version)
    assert lookups(db) == []


def test_staff_enter_new_people_by_hand_all_day(register) -> None:  # type: ignore[no-untyped-def]
    """A new person's number is one nobody holds: in the form it is no guess, so a day of
    data entry spends no budget; a guess near a registered person's number still does."""
    db = register
    extra = citizen_id_lookups.MISSES_PER_DAY + 5
    for n in range(extra):
        form = person_edit.PersonForm(full_name=f"Học Viên Mới {n}", citizen_id=f"0791902{n:05d}")
        with db.transaction() as s:
            assert person_edit.find_duplicates(s, form) == []  # the dialog's check, then save
            person_edit.create(s, form)
    assert search(db, TARGET) == [NAME]  # the budget is whole
    recorded = lookups(db)
    assert len(recorded) == extra + 1 and not any(r[4] for r in recorded)
    for mid in range(citizen_id_lookups.NUMBERS_PER_PERSON):  # the form as an oracle
        form = person_edit.PersonForm(full_name="Đoàn Đức An", citizen_id=guess(mid))
        with db.transaction(readonly=True) as s:
            assert person_edit.find_duplicates(s, form) == []
    with pytest.raises(Forbidden), db.transaction(readonly=True) as s:
        person_edit.find_duplicates(s, person_edit.PersonForm(full_name=NAME, citizen_id=guess(50)))

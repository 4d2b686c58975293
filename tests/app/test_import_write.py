"""Writing an import: the new people in one statement, each audited on an unbroken chain,
their check-in codes free of every code already held."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.labels import number
from app.services import checkin, imports
from models import AuditEntry, Person
from tests.app import sheets, world
from tests.app.clirun import run

ROWS = 1_100  # more than two of import_insert's IN (…) chunks


def _target(db: Database) -> str:
    return str(db.path) if db.path else db.url.render_as_string(hide_password=False)


def test_an_import_is_audited_person_by_person_on_an_unbroken_chain(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sheets.people_workbook(tmp_path / "ds.xlsx", ROWS)
    with db.transaction(readonly=True) as s:
        first = imports.plan(s, path).rows[0].values
    with db.transaction() as s:  # the first row's person is known, without a phone
        known = world.person(s, first["full_name"], birth_date=first["birth_date"])
    with db.transaction() as s:
        plan = imports.plan(s, path)
        summary = imports.apply(s, plan)
    assert (summary.inserted, summary.updated, summary.errors) == (ROWS - 1, 1, 0)

    code, out, err = run(capsys, "--db", _target(db), "check")
    with db.transaction(readonly=True) as s:
        entries = s.scalar(select(func.count()).select_from(AuditEntry))
        imported = s.execute(
            select(AuditEntry.entity_id, AuditEntry.after, AuditEntry.note, Person.full_name)
            .join(Person, Person.id == AuditEntry.entity_id)
            .where(AuditEntry.action == "person.import")
            .order_by(AuditEntry.seq)
        ).all()
        updated = s.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.action == "person.import_update")
        ).all()
        new = s.execute(
            select(Person.id, Person.checkin_code, Person.version, Person.created_at).where(
                Person.id != known
            )
        ).all()
    assert code == 0, err
    assert f"Nhật ký thao tác: nguyên vẹn ({number(entries)} mục" in out
    # One entry per new person, in the file's order, naming that person and the file.
    assert [r.after for r in imported] == [{"full_name": r.full_name} for r in imported]
    assert [r.full_name for r in imported] == [r.values["full_name"] for r in plan.rows[1:]]
    assert {r.entity_id for r in imported} == {r.id for r in new}
    assert {r.note for r in imported} == {plan.file}
    assert updated == [known]
    codes = [r.checkin_code for r in new]
    assert len(set(codes)) == len(codes) == ROWS - 1
    assert all(len(c) == checkin.LENGTH and set(c) <= set(checkin.ALPHABET) for c in codes)
    assert {r.version for r in new} == {1}
    assert len({r.created_at for r in new}) == 1  # one import, one moment


def test_check_in_codes_already_held_or_drawn_twice_are_drawn_again(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = "A" * checkin.LENGTH
    with db.transaction() as s:
        holder = world.person(s, "Lê Văn Tám")
        s.get_one(Person, holder).checkin_code = held
    path = sheets.simple_workbook(
        tmp_path / "ds.xlsx",
        ["Họ và tên", "Ngày sinh"],
        [["Nguyễn Thị Hà", "02/05/1986"], ["Trần Văn An", "03/06/1979"], ["Võ Thị Cúc", "1990"]],
    )
    taken, twice = (bytes(checkin.ALPHABET.index(c) for c in code) for code in (held, "B" * 8))
    draws = [taken + twice + twice]  # the first draw: a held code, then one code twice
    real = secrets.token_bytes
    monkeypatch.setattr(secrets, "token_bytes", lambda n: draws.pop(0) if draws else real(n))
    with db.transaction() as s:
        summary = imports.apply(s, imports.plan(s, path))
    assert summary.inserted == 3 and not draws
    with db.transaction(readonly=True) as s:
        codes = dict(s.execute(select(Person.full_name, Person.checkin_code)).all())
    assert codes["Lê Văn Tám"] == held
    assert len(set(codes.values())) == 4
    assert "B" * 8 in codes.values()

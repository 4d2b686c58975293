"""The training facts carry each person's unit (migration 0014), so the counts by commune
read no people: every writer that changes a person's unit recounts that person's rows, and
`check` finds a unit that is out of step."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app import facts
from app.db import Database
from app.services import attendance, imports, merges, person_edit, reports
from app.services.reports import ReportFilter
from models import ALL_TOPICS, AttendanceStatus, TrainingFact
from tests.app import world

P = AttendanceStatus.PRESENT
MARCH = ReportFilter(date(2024, 3, 1), date(2024, 3, 31))


def units_of(db: Database) -> dict[int, set[int | None]]:
    """The units the facts carry per person, after checking them against a recount."""
    with db.transaction(readonly=True) as s:
        rows = {tuple(r) for r in s.execute(select(*TrainingFact.__table__.c))}
        assert rows == {tuple(r) for r in s.execute(facts.facts_of(facts.marks()))}
        assert facts.differences(s) == 0
    found: dict[int, set[int | None]] = {}
    for person_id, *_rest, unit_id in rows:
        found.setdefault(person_id, set()).add(unit_id)
    return found


def communes(db: Database, f: ReportFilter = MARCH) -> dict[int | None, int]:
    with db.transaction(readonly=True) as s:
        return {r.key: r.count for r in reports.by_commune(s, f)}  # type: ignore[misc]


def test_every_writer_of_a_persons_unit_keeps_the_facts_unit(db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà", birth_date=date(1980, 1, 1), unit_id=w.hamlet)
        binh = world.person(s, "Trần Văn Bình", birth_date=date(1981, 1, 1))
        world.enrol(s, w, ha, [P])
        enrolled = world.enrol(s, w, binh, [None, P])
    assert units_of(db) == {ha: {w.hamlet}, binh: {None}}
    assert communes(db) == {w.old_commune: 1, None: 1}  # a hamlet counts for its commune

    with db.transaction() as s:  # moved in the person's form
        record = person_edit.get(s, ha)
        person_edit.update(s, ha, replace(record.form, unit_id=w.new_commune), record.version)
    assert units_of(db)[ha] == {w.new_commune}
    assert communes(db) == {w.new_commune: 1, None: 1}

    path = tmp_path / "binh.csv"  # given a commune by an import that overwrites
    path.write_text(
        "Họ và tên,Ngày sinh,Xã/phường\nTrần Văn Bình,01/01/1981,Xã Đại Điền\n", encoding="utf-8"
    )
    with db.transaction() as s:
        summary = imports.apply(s, imports.plan(s, path), overwrite=True)
    assert summary.updated == 1
    assert units_of(db)[binh] == {w.new_commune}
    assert communes(db) == {w.new_commune: 2}

    with db.transaction() as s:  # Bình's marks moved to a person without a unit
        an = world.person(s, "Lê Văn An", birth_date=date(1982, 1, 1))
    with db.transaction() as s:  # merged: An keeps his record and takes Bình's unit
        merges.merge(s, an, binh)
    assert units_of(db)[an] == {w.new_commune}
    with db.transaction() as s:
        merges.undo_last(s)
    found = units_of(db)
    assert an not in found and found[binh] == {w.new_commune}

    with db.transaction() as s:  # a mark added after all: the row carries the unit too
        attendance.mark(s, w.course, w.sessions[2], enrolled, "present")
    with db.transaction(readonly=True) as s:
        row = s.execute(
            select(TrainingFact.unit_id).where(
                TrainingFact.person_id == binh, TrainingFact.topic_id == ALL_TOPICS
            )
        ).scalar_one()
    assert row == w.new_commune


def test_check_finds_a_unit_out_of_step_and_rebuild_mends_it(db: Database) -> None:
    with db.transaction() as s:
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà", birth_date=date(1980, 1, 1), unit_id=w.hamlet)
        world.enrol(s, w, ha, [P])
    assert units_of(db) == {ha: {w.hamlet}}
    with db.transaction() as s:  # changed behind the program's back
        s.execute(TrainingFact.__table__.update().values(unit_id=w.new_commune))
    with db.transaction(readonly=True) as s:
        assert facts.differences(s) == 2 * 2  # her two rows, each missing and extra
    with db.transaction() as s:
        facts.rebuild(s)
    assert units_of(db) == {ha: {w.hamlet}}


def test_the_upgrade_gives_the_facts_their_peoples_units(tmp_path: Path) -> None:
    """A database with marks from before 0013 gets its facts at 0013 and their units at 0014."""
    from sqlalchemy.orm import Session

    db = world.database_at(str(tmp_path / "old.db"), "0012")
    with db.engine.begin() as conn:  # marks written before the facts existed
        s = Session(bind=conn)
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà", birth_date=date(1980, 1, 1), unit_id=w.hamlet)
        world.enrol(s, w, ha, [P, P])
    db.upgrade()
    assert units_of(db) == {ha: {w.hamlet}}
    assert communes(db) == {w.old_commune: 1}
    db.close()

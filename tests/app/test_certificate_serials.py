"""Serials unique forever: a pattern without {year} never restarts its numbers (the demo's
pattern has {year}); each person's file is named after the whole serial, so people of one
name and separate runs never share a file. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from app.db import Database
from app.services import certificate_preview, certificate_serials, certificates, settings
from models import Enrolment, EnrolmentStatus, SerialCounter
from tests.app import test_certificates, world
from tests.app.clirun import run
from tests.app.test_certificates import configure

done = test_certificates.done  # the fixture: three people who completed a course


def test_a_pattern_without_the_year_counts_on_across_years(done) -> None:  # type: ignore[no-untyped-def]
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s)  # "{seq:04d}/GCN-SKHCN"
        a = certificates.issue(s, w.course, [enr["ha"]], on=date(2026, 12, 30))
    with db.transaction() as s:  # a new year: no restart, so no serial given twice
        b = certificates.issue(s, w.course, [enr["an"]], on=date(2027, 1, 2))
    with db.transaction() as s:
        settings.set_value(s, "serial_pattern", "{seq:04d}/{year}/GCN-SKHCN")
        c = certificates.issue(s, w.course, [enr["long"]], on=date(2027, 1, 3))
    assert [r[0].serial for r in (a, b, c)] == [
        "0001/GCN-SKHCN",
        "0002/GCN-SKHCN",
        "0001/2027/GCN-SKHCN",  # with the year: from 1 each year, the year keeps them apart
    ]


def test_an_office_that_used_such_a_pattern_before_goes_on_after_its_highest_serial(done) -> None:  # type: ignore[no-untyped-def]
    """Before this version a pattern without {year} took its numbers from the year's
    counter; the counter for ever starts after the highest serial the pattern gave."""
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s)
        certificates.issue(s, w.course, [enr["ha"], enr["an"]], on=date(2025, 6, 1))
        s.execute(delete(SerialCounter))  # as the earlier version left it:
        s.add(SerialCounter(year=2025, last=2))  # the year's counter only
    with db.transaction(readonly=True) as s:
        data = certificate_preview.preview(s, enrolment_id=enr["long"], on=date(2026, 3, 1))
        assert data.serial == "0003/GCN-SKHCN"  # what the issue dialog shows next
    with db.transaction() as s:
        (row,) = certificates.issue(s, w.course, [enr["long"]], on=date(2026, 3, 1))
        assert row.serial == "0003/GCN-SKHCN"
        assert s.get_one(SerialCounter, certificate_serials.FOREVER).last == 3


@pytest.mark.parametrize(
    ("serial", "name", "file"),
    [
        ("0001/2026/GCN-SKHCN", "Nguyễn Thị Hà", "0001-2026-GCN-SKHCN_Nguyen-Thi-Ha.pdf"),
        ("2026/0012", "Đặng Văn Đức", "2026-0012_Dang-Van-Duc.pdf"),
        ("GCN-Sở/0007", "Lê An", "GCN-So-0007_Le-An.pdf"),
        ("0001:*?", "", "0001_hoc-vien.pdf"),
    ],
)
def test_file_names_carry_the_whole_serial(serial: str, name: str, file: str) -> None:
    assert certificate_serials.file_name(serial, name) == file


def test_people_of_one_name_and_separate_runs_never_share_a_file(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite_db.transaction() as s:
        w = world.build(s)
        configure(s, serial_pattern="{year}/{seq:03d}")
        for _ in range(2):
            eid = world.enrol(s, w, world.person(s, "Nguyễn Thị Hà"), [], post=9)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
    folder, db = tmp_path / "gcn", ["--db", str(sqlite_db.path)]
    year = date.today().year
    code, _out, err = run(capsys, *db, "certificates", "issue", "--course", "TH-2024-001",
                          "--out-dir", str(folder))  # fmt: skip
    assert code == 0, err
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert sorted(first) == [f"{year}-001_Nguyen-Thi-Ha.pdf", f"{year}-002_Nguyen-Thi-Ha.pdf"]
    with sqlite_db.transaction() as s:  # a third Nguyễn Thị Hà, issued in another run
        eid = world.enrol(s, w, world.person(s, "Nguyễn Thị Hà"), [], post=9)
        s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
    code, _out, err = run(capsys, *db, "certificates", "issue", "--course", "TH-2024-001",
                          "--out-dir", str(folder))  # fmt: skip
    assert code == 0, err
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert sorted(files) == [f"{year}-00{n}_Nguyen-Thi-Ha.pdf" for n in (1, 2, 3)]
    assert all(files[name] == pdf for name, pdf in first.items())  # nothing overwritten
    with sqlite_db.transaction(readonly=True) as s:
        assert sorted(s.scalars(select(SerialCounter.year))) == [year]

"""A course whose sign-in sheet was printed through the register (issue 19), and its
signed pages scanned with tests/scans/make_scans.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.db import Database
from app.scan.read import Geometry
from app.services import sheet_scan, sign_sheets
from models import Enrolment, Person
from tests.app import world
from tests.scans import make_scans

NAMES = ("Nguyễn Thị Thanh Hương", "Trần Văn Bình", "Lê Thị Ngọc Ánh", "Phạm Quốc Khánh",
         "Đỗ Thị Mai", "Huỳnh Văn Dũng", "Võ Thị Xuân Mỹ", "Bùi Minh Tuấn", "Hồ Thị Thảo",
         "Đặng Văn An", "Ngô Thị Hoa", "Dương Văn Lợi")  # fmt: skip


@dataclass(frozen=True)
class Printed:
    world: world.World
    code: str
    pdf: bytes
    pages: int
    geometry: Geometry
    enrolments: dict[int, int]  # row number -> enrolment id


def printed(db: Database, people: int = 8, session: int = 1, blank: int = 3) -> Printed:
    """A course with `people` enrolled and the session's sheet printed (its PDF kept)."""
    with db.transaction() as s:
        w = world.build(s)
        for name in NAMES[:people]:
            world.enrol(s, w, world.person(s, name), [])
    with db.transaction() as s:
        sheet = sign_sheets.print_sheet(s, w.course, session, blank_rows=blank)
    with db.transaction(readonly=True) as s:
        geometry = sheet_scan.geometry(s, sheet.code)
        rows = s.execute(
            select(Enrolment.id).join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.course_id == w.course).order_by(Person.sort_key, Person.id)
        ).scalars()  # fmt: skip
        enrolments = dict(enumerate(rows, start=1))
    assert geometry is not None
    return Printed(w, sheet.code, sheet.pdf, sheet.pages, geometry, enrolments)


def scans(p: Printed, folder: Path, seed: int) -> dict[tuple[str, int], make_scans.ScanPage]:
    """The printed sheet signed and scanned (seed even: an office scanner's PDF; odd: a
    phone's photos), written to folder: the page behind each (file name, page)."""
    pages = make_scans.scan_pages(seed, p.pdf, p.geometry, p.code)
    return make_scans.write_case(make_scans.Case(seed, p.pdf, p.geometry, pages), folder)

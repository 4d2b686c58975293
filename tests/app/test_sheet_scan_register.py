"""What the register adds to a reading (issue 19, found by a hostile review): a person on
two printings of one session proposed once; a row whose person was merged since the
printing given to the person kept; nothing written for a cancelled course or a session
not held yet; a certificate holder never written absent unasked; a person withdrawn
between the review and the save not written; a walk-in's name never overwriting a mark
entered by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import cv2
import numpy as np
from sqlalchemy import select

from app.db import Database
from app.scan import ink, read_files
from app.scan.pages import load
from app.services import enrolment, merges, scan_walk_ins, sheet_scan
from models import Attendance, AttendanceStatus, Course, Enrolment, Person
from models.enums import CourseStatus
from tests.app import scan_world, world
from tests.ui.scan_helpers import print_and_sign

TODAY = date(2024, 3, 20)  # after the world's sessions (4–6/3/2024)


def _marks(db: Database) -> dict[str, str]:
    with db.transaction(readonly=True) as s:
        rows = s.execute(
            select(Person.full_name, Attendance.status)
            .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
            .join(Person, Person.id == Enrolment.person_id)
        ).all()
    return {n: getattr(st, "value", st) for n, st in rows}


def _plan(db: Database, files: list[Path], today: date = TODAY) -> sheet_scan.ScanPlan:
    with db.transaction(readonly=True) as s:
        readings = list(read_files(files, lambda code: sheet_scan.geometry(s, code)))
        return sheet_scan.plan(s, readings, today)


def _course(db: Database, people: int = 5) -> int:
    with db.transaction() as s:
        w = world.build(s)
        for name in scan_world.NAMES[:people]:
            world.enrol(s, w, world.person(s, name), [])
    return w.course


def test_a_person_on_two_printings_of_a_session_is_proposed_once(
    db: Database, tmp_path: Path
) -> None:
    """The sheet printed, someone enrolled late, the sheet printed again; both copies went
    round and both come back: whoever signed either copy is present, once."""
    course = _course(db)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    old = print_and_sign(db, course, 1, tmp_path / "a", signed={1, 2, 3})
    with db.transaction() as s:
        late = world.person(s, "Âu Thị Lan")
        s.add(Enrolment(course_id=course, person_id=late))
    new = print_and_sign(db, course, 1, tmp_path / "b", signed=set())  # nobody signed it
    found = _plan(db, old + new)
    assert [p.problem for p in found.pages] == [None, None]
    keys = [(p.session_id, p.enrolment_id) for p in found.proposals]
    assert len(keys) == len(set(keys)) == 6  # five on both copies, the late one on one
    with db.transaction() as s:
        done = sheet_scan.apply(s, found.proposals)
    marks = _marks(db)
    with db.transaction(readonly=True) as s:
        first_rows = sorted(scan_world.NAMES[:5], key=lambda n: s.scalar(
            select(Person.sort_key).where(Person.full_name == n)))  # fmt: skip
    signed = set(first_rows[:3])
    assert {n for n, st in marks.items() if st == "present"} == signed
    assert {n for n, st in marks.items() if st == "absent"} == set(first_rows[3:]) | {"Âu Thị Lan"}
    assert done.written == 6


def test_a_row_whose_person_was_merged_is_the_kept_persons(db: Database, tmp_path: Path) -> None:
    course = _course(db, people=3)
    with db.transaction(readonly=True) as s:
        rows = s.execute(
            select(Person.id, Person.full_name).join(Enrolment, Enrolment.person_id == Person.id)
            .where(Enrolment.course_id == course).order_by(Person.sort_key, Person.id)
        ).all()  # fmt: skip
    pages = print_and_sign(db, course, 1, tmp_path, signed={2})  # the second signed
    (keep, keep_name), (drop, _drop_name) = rows[0], rows[1]
    with db.transaction() as s:
        merges.merge(s, keep, drop)  # the second was the first, entered twice
    found = _plan(db, pages)
    kept = [p for p in found.proposals if p.full_name == keep_name]
    assert len(kept) == 1 and kept[0].state == ink.SIGNED and kept[0].proposed == "present"
    with db.transaction() as s:
        sheet_scan.apply(s, found.proposals)
    assert _marks(db)[keep_name] == "present"


def test_nothing_is_written_for_a_cancelled_course_or_a_session_not_held_yet(
    db: Database, tmp_path: Path
) -> None:
    course = _course(db)
    pages = print_and_sign(db, course, 1, tmp_path, signed={1, 2})
    found = _plan(db, pages, today=date(2024, 3, 3))  # the day before the first session
    assert found.proposals == []
    assert "04/03/2024" in str(found.pages[0].problem) and "chưa diễn ra" in str(
        found.pages[0].problem
    )
    with db.transaction() as s:
        c = s.get(Course, course)
        assert c is not None
        c.status = CourseStatus.CANCELLED
    found = _plan(db, pages)
    assert found.proposals == [] and "đã hủy" in str(found.pages[0].problem)
    assert _marks(db) == {}


def test_a_certificate_holder_is_never_written_absent_unasked(db: Database, tmp_path: Path) -> None:
    course = _course(db, people=2)
    with db.transaction(readonly=True) as s:
        ids = list(s.scalars(select(Enrolment.id).where(Enrolment.course_id == course)))
    with db.transaction() as s:
        for e in ids:
            world.certificate(s, e, date(2024, 3, 7), f"{e:04d}/GCN")
    pages = print_and_sign(db, course, 1, tmp_path, signed={1})
    found = _plan(db, pages)
    by_row = {p.key[1]: p for p in found.proposals}
    assert by_row[1].proposed == "present"
    assert by_row[2].proposed is None and "đã được cấp chứng nhận" in by_row[2].full_name
    with db.transaction() as s:
        done = sheet_scan.apply(s, found.proposals)
    assert (done.written, done.left) == (1, 1) and "absent" not in _marks(db).values()


def test_a_person_withdrawn_after_the_review_is_not_written(db: Database, tmp_path: Path) -> None:
    course = _course(db, people=2)
    pages = print_and_sign(db, course, 1, tmp_path, signed={1, 2})
    found = _plan(db, pages)
    gone = found.proposals[0]
    with db.transaction() as s:  # another desk, meanwhile
        assert gone.enrolment_id is not None
        enrolment.withdraw(s, gone.enrolment_id)
    with db.transaction() as s:
        done = sheet_scan.apply(s, found.proposals)
    assert (done.written, done.left) == (1, 1)
    assert gone.full_name not in _marks(db)


def test_a_walk_in_never_overwrites_a_mark_entered_by_hand(db: Database, tmp_path: Path) -> None:
    course = _course(db, people=2)
    pages = print_and_sign(db, course, 1, tmp_path, signed=set(), walk_in_names=frozenset({3}))
    found = _plan(db, pages)
    assert len(found.walk_ins) == 1
    with db.transaction(readonly=True) as s:
        person, enrolment_id = s.execute(
            select(Person.id, Enrolment.id).join(Enrolment, Enrolment.person_id == Person.id)
            .where(Enrolment.course_id == course).order_by(Person.sort_key)
        ).first()  # fmt: skip
    with db.transaction() as s:
        s.add(Attendance(session_id=found.walk_ins[0].session_id, enrolment_id=enrolment_id,
                         status=AttendanceStatus.EXCUSED))  # fmt: skip
    before = _marks(db)
    choice = scan_walk_ins.WalkInChoice(found.walk_ins[0], "x", person_id=person)
    with db.transaction() as s:
        added = scan_walk_ins.add(s, [choice])
    assert (added.added, added.left) == (0, 1) and _marks(db) == before


def test_every_page_of_a_multi_page_tiff_is_read_and_an_empty_file_is_named(tmp_path: Path) -> None:
    from PIL import Image

    frames = [Image.fromarray(np.full((400, 300), v, np.uint8)) for v in (250, 240)]
    tiff = tmp_path / "hai-trang.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    pages = list(load(tiff))
    assert [(p.index, p.problem) for p in pages] == [(1, None), (2, None)]
    assert int(pages[1].gray.mean()) == 240  # type: ignore[union-attr]
    empty = tmp_path / "rong.pdf"
    empty.write_bytes(b"")
    assert [p.problem for p in load(empty)] == ["tệp rỗng (0 byte)"]
    cv2.imwrite(str(tmp_path / "x.png"), np.zeros((2, 2), np.uint8))  # one frame: one page
    assert len(list(load(tmp_path / "x.png"))) == 1


def test_a_session_later_today_is_not_held_yet(db: Database, tmp_path: Path) -> None:
    from datetime import datetime

    course = _course(db, people=2)
    pages = print_and_sign(db, course, 1, tmp_path, signed=set())
    early = _plan(db, pages, today=datetime(2024, 3, 4, 6, 0))  # type: ignore[arg-type]
    assert early.proposals == [] and "lúc 07:30 ngày 04/03/2024" in str(early.pages[0].problem)
    later = _plan(db, pages, today=datetime(2024, 3, 4, 9, 0))  # type: ignore[arg-type]
    assert [p.problem for p in later.pages] == [None] and len(later.proposals) == 2


def test_a_name_written_only_on_the_second_copy_of_a_page_is_shown(
    db: Database, tmp_path: Path
) -> None:
    """The same page photographed before and after a walk-in wrote on it: used once, and
    the name only the second photo has is still shown to be matched."""
    from tests.scans import make_scans

    p = scan_world.printed(db, people=3, blank=2)
    before = make_scans.render(p.pdf, 1, 200)
    after = before.copy()
    row = next(r for r in p.geometry.rows if r.walk_in)
    rng = np.random.default_rng(3)
    make_scans.handwritten_name(after, make_scans._box(p.geometry, p.geometry.name_x, row, 200),
                                rng, make_scans.BLUE, 200 / 25.4)  # fmt: skip
    cv2.imwrite(str(tmp_path / "truoc.png"), before)
    cv2.imwrite(str(tmp_path / "sau.png"), after)
    found = _plan(db, [tmp_path / "truoc.png", tmp_path / "sau.png"])
    assert found.pages[0].problem is None and "trùng với" in str(found.pages[1].problem)
    assert "1 dòng trống có chữ viết chỉ ở bản này" in str(found.pages[1].problem)
    assert [w.where for w in found.walk_ins] == [f"sau.png, trang 1, dòng {row.row_no}"]

"""Signed sheets read back against the register (issue 19): the marks proposed, those
entered by hand kept unless the user says overwrite, uncertain cells never written, a
person who left the course listed and not written, a page scanned twice used once (and
its rows uncertain where the two readings disagree), all written in one transaction
with audit entries naming the file and page."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.db import Database
from app.scan import ink, read_files
from app.services import enrolment, sheet_scan
from models import Attendance, AttendanceStatus, AuditEntry
from tests.app import scan_world


def _marks(db: Database) -> dict[int, str]:
    with db.transaction(readonly=True) as s:
        rows = s.execute(select(Attendance.enrolment_id, Attendance.status)).all()
    return {e: getattr(st, "value", st) for e, st in rows}


def test_a_signed_sheet_proposes_its_marks_and_apply_keeps_hand_marks(
    db: Database, tmp_path: Path
) -> None:
    p = scan_world.printed(db)
    pages = scan_world.scans(p, tmp_path, seed=2)  # an office scanner's PDF
    truth = next(iter(pages.values())).truth
    assert set(truth) == set(p.enrolments) and len(set(truth.values())) == 2
    first, second, third = 1, 2, 3
    with db.transaction() as s:  # marks entered by hand before the sheet comes back
        for row, status in ((first, "absent" if truth[first] else "present"),
                            (second, "present" if truth[second] else "absent")):  # fmt: skip
            s.add(Attendance(session_id=p.world.sessions[0], enrolment_id=p.enrolments[row],
                             status=AttendanceStatus(status)))  # fmt: skip
        enrolment.withdraw(s, p.enrolments[third])  # left the course since the printing
    before = _marks(db)
    files = sorted({tmp_path / name for name, _i in pages})
    with db.transaction(readonly=True) as s:
        readings = list(read_files(files, lambda code: sheet_scan.geometry(s, code)))
        found = sheet_scan.plan(s, readings)
    assert [o.problem for o in found.pages] == [None]
    assert found.pages[0].title == "TH-2024-001, buổi 1, trang 1/1"
    by_row = {pr.key[1]: pr for pr in found.proposals}
    assert set(by_row) == set(p.enrolments)  # the blank rows propose no mark
    for row, signed in truth.items():
        assert by_row[row].state == (ink.SIGNED if signed else ink.EMPTY), row
    assert by_row[first].conflict and by_row[second].settled
    assert by_row[third].enrolment_id is None and "đã rời khóa học" in by_row[third].full_name
    with db.transaction() as s:
        done = sheet_scan.apply(s, found.proposals)
    after = _marks(db)
    expected = dict(before)
    for row, signed in truth.items():
        if row not in (first, second, third):
            expected[p.enrolments[row]] = "present" if signed else "absent"
    assert after == expected  # hand marks kept, the withdrawn person not marked
    assert (done.written, done.left) == (len(truth) - 3, 2)
    with db.transaction(readonly=True) as s:
        notes = s.scalars(select(AuditEntry.note).where(AuditEntry.action == "attendance.scan"))
        assert list(notes) == [f"{len(truth) - 3} điểm danh đọc từ {files[0]}, trang 1"]
    # Asked to, the reading overwrites the hand mark it contradicts; nothing else changes.
    key = by_row[first].key
    with db.transaction(readonly=True) as s:
        again = sheet_scan.plan(s, readings)
    with db.transaction() as s:
        done = sheet_scan.apply(s, again.proposals, overwrite=frozenset({key}))
    expected[p.enrolments[first]] = "present" if truth[first] else "absent"
    assert _marks(db) == expected and done.written == 1


def test_a_page_scanned_twice_is_used_once_and_its_disagreements_are_uncertain(
    db: Database, tmp_path: Path
) -> None:
    p = scan_world.printed(db)
    pages = scan_world.scans(p, tmp_path, seed=1)  # a phone's photo
    (photo,) = {tmp_path / name for name, _i in pages}
    truth = next(iter(pages.values())).truth
    original = tmp_path / "ban-in.pdf"  # the unsigned sheet, scanned by mistake too
    original.write_bytes(p.pdf)
    with db.transaction(readonly=True) as s:

        def read(*files: Path) -> sheet_scan.ScanPlan:
            return sheet_scan.plan(s, read_files(files, lambda c: sheet_scan.geometry(s, c)))

        twice = read(photo, photo)
        both = [read(photo, original), read(original, photo)]
    # The same page twice, read alike: used once, the other listed with the reason.
    assert [o.problem for o in twice.pages] == [None, f"trùng với {photo.name}, trang 1"]
    assert len(twice.proposals) == len(truth)
    for found in both:
        assert found.pages[0].problem is None and "trùng với" in (found.pages[1].problem or "")
        by_row = {pr.key[1]: pr for pr in found.proposals}
        assert len(found.proposals) == len(truth)
        for row, signed in truth.items():  # signed on one, empty on the other: ask
            assert by_row[row].state == (ink.UNCERTAIN if signed else ink.EMPTY), row
            assert by_row[row].proposed == (None if signed else sheet_scan.ABSENT)
    with db.transaction() as s:
        done = sheet_scan.apply(s, both[0].proposals)
    marks = _marks(db)
    assert marks == {p.enrolments[r]: "absent" for r, signed in truth.items() if not signed}
    assert done.left == sum(truth.values())
    with db.transaction(readonly=True) as s:  # one page's entry: the page used
        scans = select(func.count()).where(AuditEntry.action == "attendance.scan")
        assert s.scalar(scans) == 1


def test_a_row_whose_enrolment_was_deleted_is_not_a_blank_row(db: Database, tmp_path: Path) -> None:
    """An enrolment deleted after the printing leaves its row without one, like a blank
    row printed for a walk-in; it is still that person's printed row: listed as having
    left, never offered as a walk-in's handwritten name, nothing written for it."""
    from models import Enrolment

    p = scan_world.printed(db)
    pages = scan_world.scans(p, tmp_path, seed=2)
    gone = 4
    with db.transaction() as s:
        s.delete(s.get_one(Enrolment, p.enrolments[gone]))
    files = sorted({tmp_path / name for name, _i in pages})
    with db.transaction(readonly=True) as s:
        found = sheet_scan.plan(
            s, list(read_files(files, lambda code: sheet_scan.geometry(s, code)))
        )
        geometry = sheet_scan.geometry(s, found.proposals[0].key[0])
    by_row = {pr.key[1]: pr for pr in found.proposals}
    assert gone in by_row and by_row[gone].enrolment_id is None
    assert "đã rời khóa học" in by_row[gone].full_name
    assert geometry is not None
    assert {r.row_no for r in geometry.rows if r.walk_in} == set(
        range(len(p.enrolments) + 1, len(p.enrolments) + 4)
    )
    assert not any(f"dòng {gone}" in w.where for w in found.walk_ins)
    before = _marks(db)
    with db.transaction() as s:
        sheet_scan.apply(s, found.proposals)
    assert p.enrolments[gone] not in _marks(db) and before.items() <= _marks(db).items()


def test_a_mark_entered_after_the_reading_is_not_overwritten_unseen(
    db: Database, tmp_path: Path
) -> None:
    """Another desk marks someone while the review is open: Ghi leaves that cell (even
    with Ghi đè ticked for what the user saw) and writes the rest."""
    p = scan_world.printed(db)
    pages = scan_world.scans(p, tmp_path, seed=2)
    truth = next(iter(pages.values())).truth
    files = sorted({tmp_path / name for name, _i in pages})
    with db.transaction(readonly=True) as s:
        found = sheet_scan.plan(
            s, list(read_files(files, lambda code: sheet_scan.geometry(s, code)))
        )
    row = next(r for r, signed in truth.items() if signed)
    other = "absent"  # the other desk's mark, contradicting the signature
    with db.transaction() as s:
        s.add(Attendance(session_id=p.world.sessions[0], enrolment_id=p.enrolments[row],
                         status=AttendanceStatus(other)))  # fmt: skip
    key = next(pr.key for pr in found.proposals if pr.key[1] == row)
    with db.transaction() as s:
        done = sheet_scan.apply(s, found.proposals, overwrite=frozenset({key}))
    marks = _marks(db)
    assert marks[p.enrolments[row]] == other  # not overwritten: the user never saw it
    assert done.left == 1 and done.written == len(truth) - 1


def test_every_blank_row_written_on_is_shown_with_its_signature_cell(
    db: Database, tmp_path: Path
) -> None:
    """A blank walk-in row with a name, with a name and a signature, or with a signature
    and no name: each is shown for the user to match (none dropped), with its course,
    session and what its "Ký tên" cell holds; a blank row left blank is not."""
    import cv2
    import numpy as np

    from tests.scans import make_scans

    p = scan_world.printed(db, people=4, blank=4)
    dpi, rng = 200, np.random.default_rng(7)
    img = make_scans.render(p.pdf, 1, dpi)
    blank = [r for r in p.geometry.rows if r.walk_in]
    name_only, both, signature_only, untouched = blank
    px_mm = dpi / 25.4
    for row in (name_only, both):
        box = make_scans._box(p.geometry, p.geometry.name_x, row, dpi)
        make_scans.handwritten_name(img, box, rng, make_scans.BLUE, px_mm)
    for row in (both, signature_only):
        box = make_scans._box(p.geometry, p.geometry.sign_x, row, dpi)
        make_scans.signature(img, box, rng, make_scans.BLUE, px_mm)
    path = tmp_path / "blank-rows.png"
    cv2.imwrite(str(path), img)
    with db.transaction(readonly=True) as s:
        readings = list(read_files([path], lambda code: sheet_scan.geometry(s, code)))
        found = sheet_scan.plan(s, readings)
    shown = {w.where.rsplit("dòng ", 1)[1]: w for w in found.walk_ins}
    assert set(shown) == {str(r.row_no) for r in (name_only, both, signature_only)}
    assert str(untouched.row_no) not in shown
    assert shown[str(name_only.row_no)].signature == ink.EMPTY
    assert shown[str(both.row_no)].signature == ink.SIGNED
    assert shown[str(signature_only.row_no)].signature == ink.SIGNED
    w = shown[str(both.row_no)]
    assert (w.course_id, w.session_id) == (p.world.course, p.world.sessions[0])
    assert w.where == f"blank-rows.png, trang 1, dòng {both.row_no}"


def test_a_sheet_deleted_while_its_scans_were_read_is_listed_not_a_crash(
    db: Database, tmp_path: Path
) -> None:
    """Reading is done in short reads (a long scan holds no snapshot open): the course may
    be deleted before the plan is made; its pages are then listed with the reason."""
    from app.services import courses

    p = scan_world.printed(db)
    pages = scan_world.scans(p, tmp_path, seed=2)
    files = sorted({tmp_path / name for name, _i in pages})

    def read(fn):  # type: ignore[no-untyped-def]
        with db.transaction(readonly=True) as s:
            return fn(s)

    readings = list(read_files(files, sheet_scan.Geometries(read)))
    assert readings[0].problem is None
    with db.transaction() as s:
        courses.delete_course(s, p.world.course)
    with db.transaction(readonly=True) as s:
        found = sheet_scan.plan(s, readings)
    assert [o.problem for o in found.pages] == [
        f"bảng ký tên mã {p.code} không còn trong dữ liệu (khóa học hoặc buổi học đã bị xóa)"
    ]
    assert found.proposals == [] and found.walk_ins == []

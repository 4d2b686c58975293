"""Attendance read back from scanned sign-in sheets: what the register knows of a printed
sheet (for the reader), the marks a reading proposes beside those already entered, and
writing the decided ones in one transaction, each page's file and page in the audit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.scan import ink
from app.scan.read import Geometry, PageReading, PrintedRow
from app.services import access, attendance, audit
from app.services.courses import ACTIVE
from models import Attendance, Course, Enrolment, Person, SignSheet, SignSheetRow
from models import Session as CourseSession

PRESENT, ABSENT = "present", "absent"
AGREES = {PRESENT: {"present", "late"}, ABSENT: {"absent", "excused"}}  # a hand mark that fits


def geometry(s: Session, code: str) -> Geometry | None:
    """Where the sheet with this code printed its rows, or None when it is not ours."""
    sheet = s.scalars(select(SignSheet).where(SignSheet.code == code)).first()
    if sheet is None:
        return None
    rows = s.execute(
        select(SignSheetRow).where(SignSheetRow.sheet_id == sheet.id).order_by(SignSheetRow.row_no)
    ).scalars()
    return Geometry(
        sheet.pages,
        sheet.page_w,
        sheet.page_h,
        (sheet.sign_x0, sheet.sign_x1),
        (sheet.name_x0, sheet.name_x1),
        tuple(PrintedRow(r.row_no, r.page, r.y_bottom, r.y_top, r.blank) for r in rows),
    )


class Geometries:
    """geometry() for a reader, each sheet read once and each in a short read of its own
    (read(fn) runs fn(session) in a read-only transaction): reading many scans never holds
    one snapshot, or a PostgreSQL transaction, open for minutes."""

    def __init__(self, read: Callable[[Callable[[Session], Geometry | None]], Geometry | None]):
        self.read = read
        self.known: dict[str, Geometry | None] = {}

    def __call__(self, code: str) -> Geometry | None:
        if code not in self.known:
            self.known[code] = self.read(lambda s: geometry(s, code))
        return self.known[code]


@dataclass(frozen=True)
class Proposal:
    """One signature cell read: the mark it proposes and the mark already entered."""

    key: tuple[str, int]  # (sheet code, row number)
    source: str  # file name and page, for the user and the audit
    course_id: int
    session_id: int
    enrolment_id: int | None  # None: the person left the course since the printing
    full_name: str
    state: str  # ink.SIGNED / EMPTY / UNCERTAIN
    proposed: str | None  # PRESENT, ABSENT, or None when uncertain
    existing: str | None  # the mark entered before, if any
    crop_png: bytes

    @property
    def conflict(self) -> bool:
        """A mark entered by hand that the reading contradicts: written only when asked."""
        return (
            self.proposed is not None
            and self.existing is not None
            and self.existing not in AGREES[self.proposed]
        )

    @property
    def settled(self) -> bool:
        """Nothing to write: the register already says what the sheet says."""
        return self.proposed is not None and self.existing in AGREES[self.proposed]


@dataclass(frozen=True)
class PageOutcome:
    source: str
    title: str  # "TH-2026-01, buổi 2, trang 1/3", or the problem
    problem: str | None = None


@dataclass(frozen=True)
class WalkIn:
    """A blank row printed for someone not on the list, with something written on it:
    a name to match with a person (app.services.scan_walk_ins), and its signature cell."""

    where: str  # "ảnh.jpg, trang 1, dòng 13": as the review and the audit name it
    course_id: int
    session_id: int
    crop_png: bytes  # the "Họ và tên" cell as written
    signature: str  # the row's "Ký tên" cell: ink.SIGNED / EMPTY / UNCERTAIN


@dataclass
class ScanPlan:
    pages: list[PageOutcome] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    walk_ins: list[WalkIn] = field(default_factory=list)  # blank rows written on


def _source(reading: PageReading) -> str:
    return f"{reading.source.name}, trang {reading.index}"


def plan(s: Session, readings: Iterable[PageReading]) -> ScanPlan:
    """What the readings propose, beside the marks already entered; a page seen twice
    (in two files, or twice in one) is used once and the other listed."""
    out = ScanPlan()
    seen: dict[tuple[str, int], str] = {}
    placed: dict[tuple[str, int], int] = {}  # (code, row) -> its proposal's index
    for reading in readings:
        where = _source(reading)
        if reading.problem is not None or reading.sheet_code is None or reading.page is None:
            out.pages.append(PageOutcome(where, "", reading.problem or "không đọc được"))
            continue
        key = (reading.sheet_code, reading.page)
        if key in seen:
            differ = _disagree(out.proposals, placed, reading)
            said = f"trùng với {seen[key]}" + (
                f"; {differ} ô đọc khác nhau giữa hai bản: để chưa chắc" if differ else ""
            )
            out.pages.append(PageOutcome(where, "", said))
            continue
        sheet = s.scalars(select(SignSheet).where(SignSheet.code == reading.sheet_code)).first()
        if sheet is None:  # the course or session deleted while the files were read
            out.pages.append(
                PageOutcome(
                    where, "", f"bảng ký tên mã {reading.sheet_code} không còn trong dữ liệu"
                )
            )
            continue
        seen[key] = where
        course = s.get(Course, sheet.course_id)
        column = s.get(CourseSession, sheet.session_id)
        assert course is not None and column is not None  # cascades remove the sheet with them
        access.require_course(s, "attendance", course.id)
        number = next(
            c.number for c in attendance.session_columns(s, course.id) if c.id == column.id
        )
        title = f"{course.code}, buổi {number}, trang {reading.page}/{sheet.pages}"
        out.pages.append(PageOutcome(where, title))
        enrolments = dict(
            s.execute(
                select(SignSheetRow.row_no, SignSheetRow.enrolment_id).where(
                    SignSheetRow.sheet_id == sheet.id
                )
            ).all()
        )
        blank = set(
            s.scalars(
                select(SignSheetRow.row_no).where(
                    SignSheetRow.sheet_id == sheet.id, SignSheetRow.blank.is_(True)
                )
            )
        )
        ids = [e for e in enrolments.values() if e is not None]
        people = s.execute(
            select(Enrolment.id, Person.full_name, Enrolment.status)
            .join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.id.in_(ids))
        ).all()
        names = {e: name for e, name, status in people if status in ACTIVE}
        names |= {e: f"{name} (đã rời khóa học)" for e, name, st in people if st not in ACTIVE}
        staying = {e for e, _name, status in people if status in ACTIVE}
        marks = dict(
            s.execute(
                select(Attendance.enrolment_id, Attendance.status).where(
                    Attendance.session_id == column.id, Attendance.enrolment_id.in_(ids)
                )
            ).all()
        )
        for cell in reading.cells:
            enrolment = enrolments.get(cell.row_no)
            if cell.row_no in blank:
                continue  # a blank row: in walk_ins when something is written on it
            proposed = {ink.SIGNED: PRESENT, ink.EMPTY: ABSENT}.get(cell.state)
            existing = marks.get(enrolment)
            placed[(reading.sheet_code, cell.row_no)] = len(out.proposals)
            out.proposals.append(
                Proposal(
                    (reading.sheet_code, cell.row_no),
                    where,
                    course.id,
                    column.id,
                    enrolment if enrolment in staying else None,
                    names.get(enrolment, "(đã rời khóa học)"),
                    cell.state,
                    proposed,
                    None if existing is None else getattr(existing, "value", existing),
                    cell.crop_png,
                )
            )
        signatures = {c.row_no: c.state for c in reading.cells}
        out.walk_ins += [
            WalkIn(
                f"{where}, dòng {c.row_no}",
                course.id,
                column.id,
                c.crop_png,
                signatures.get(c.row_no, ink.UNCERTAIN),
            )
            for c in reading.walk_ins
        ]
    return out


def _disagree(
    proposals: list[Proposal], placed: dict[tuple[str, int], int], again: PageReading
) -> int:
    """A page read a second time (another scan or photo of it): the rows whose two
    readings differ become uncertain, for the user to look at (never one picked
    silently; the crop shown is the one with ink). The number of such rows."""
    differ = 0
    for cell in again.cells:
        at = placed.get((str(again.sheet_code), cell.row_no))
        if at is None or proposals[at].state == cell.state:
            continue
        first = proposals[at]
        if first.state != ink.UNCERTAIN:
            differ += 1
        crop = cell.crop_png if cell.state == ink.SIGNED else first.crop_png
        proposals[at] = replace(first, state=ink.UNCERTAIN, proposed=None, crop_png=crop)
    return differ


@dataclass(frozen=True)
class Applied:
    written: int
    left: int  # uncertain, conflicting without leave to overwrite, or no longer enrolled


def _current_marks(s: Session, proposals: list[Proposal]) -> dict[tuple[int, int], str]:
    """The marks as they are now, each session held first (a desk marking it meanwhile
    commits before these are read, or waits until this transaction ends)."""
    out: dict[tuple[int, int], str] = {}
    sessions = sorted({p.session_id for p in proposals})
    for session_id in sessions:
        attendance.hold_session(s, session_id)
        ids = [p.enrolment_id for p in proposals if p.session_id == session_id and p.enrolment_id]
        for enrolment_id, status in s.execute(
            select(Attendance.enrolment_id, Attendance.status).where(
                Attendance.session_id == session_id, Attendance.enrolment_id.in_(ids)
            )
        ):
            out[(session_id, enrolment_id)] = getattr(status, "value", status)
    return out


def apply(
    s: Session,
    proposals: Iterable[Proposal],
    decided: dict[tuple[str, int], str | None] | None = None,
    overwrite: frozenset[tuple[str, int]] = frozenset(),
) -> Applied:
    """Write the marks: each proposal's own, or the user's decision for its key (PRESENT,
    ABSENT, None: leave it); a mark entered by hand that differs only when its key is in
    overwrite. One audit entry a page names the file and page."""
    decided = decided or {}
    written = left = 0
    per_page: dict[str, int] = {}
    proposals = list(proposals)
    now = _current_marks(s, proposals)
    for p in proposals:
        status = decided.get(p.key, p.proposed)
        if status is None or p.enrolment_id is None:
            left += 1
            continue
        current = now.get((p.session_id, p.enrolment_id))
        if current is not None and current in AGREES[status]:
            continue  # the register already says so
        # A different mark is overwritten only when asked, and only if it is still the
        # one the user saw: one entered meanwhile (another desk) is left for a look.
        if current is not None and (p.key not in overwrite or current != p.existing):
            left += 1
            continue
        attendance.mark(s, p.course_id, p.session_id, p.enrolment_id, status, method="scan")
        written += 1
        per_page[p.source] = per_page.get(p.source, 0) + 1
    for source, n in per_page.items():
        audit.record(s, "attendance.scan", entity="sessions", note=f"{n} điểm danh đọc từ {source}")
    return Applied(written, left)

"""Attendance read back from scanned sign-in sheets: what the register knows of a printed
sheet (for the reader), the marks a reading proposes beside those already entered, and
writing the decided ones in one transaction, each page's file and page in the audit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.scan import ink
from app.scan.read import CellReading, Geometry, PageReading, PrintedRow
from app.services import access, attendance, audit, merges
from app.services.courses import ACTIVE
from models import (
    Attendance,
    Certificate,
    Course,
    Enrolment,
    Person,
    SignSheet,
    SignSheetRow,
)
from models import Session as CourseSession
from models.enums import CertificateStatus, CourseStatus

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
    file: str = ""  # the scan's full path and page, for the audit (two scan.pdf in two folders)

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


@dataclass(frozen=True)
class _Sheet:
    """What the register says of a printed sheet, today, for one page's proposals."""

    course: Course
    session: CourseSession
    title: str
    enrolments: dict[int, int | None]  # row number -> the enrolment it stands for now
    blank: set[int]
    names: dict[int, str]  # enrolment -> name, "(đã rời khóa học)" after it for one gone
    staying: set[int]  # enrolments still in the course
    certified: set[int]  # enrolments holding a certificate of the course in force
    marks: dict[int, str]


def _refusal(s: Session, sheet: SignSheet, now: datetime) -> str | None:
    """Why nothing may be written from this sheet's pages, if so."""
    course = s.get(Course, sheet.course_id)
    column = s.get(CourseSession, sheet.session_id)
    assert course is not None and column is not None  # cascades remove the sheet with them
    if course.status == CourseStatus.CANCELLED:
        return f"khóa học {course.code} đã hủy: không ghi điểm danh"
    if column.starts_at > now:  # later today included: nobody has signed it yet
        return (
            f"buổi học lúc {column.starts_at:%H:%M} ngày {column.starts_at:%d/%m/%Y} của khóa "
            f"{course.code} chưa diễn ra: bảng ký tên này chưa thể có chữ ký"
        )
    return None


def _sheet(s: Session, sheet: SignSheet, page: int) -> _Sheet:
    course = s.get(Course, sheet.course_id)
    column = s.get(CourseSession, sheet.session_id)
    assert course is not None and column is not None
    number = next(c.number for c in attendance.session_columns(s, course.id) if c.id == column.id)
    title = f"{course.code}, buổi {number}, trang {page}/{sheet.pages}"
    printed = s.execute(
        select(SignSheetRow.row_no, SignSheetRow.enrolment_id, SignSheetRow.blank).where(
            SignSheetRow.sheet_id == sheet.id
        )
    ).all()
    enrolments = {row: e for row, e, _b in printed}
    blank = {row for row, _e, b in printed if b}
    moved = _merged(s, course.id, [e for e in enrolments.values() if e is not None])
    enrolments = {row: moved.get(e, e) if e is not None else None for row, e in enrolments.items()}
    ids = [e for e in enrolments.values() if e is not None]
    people = s.execute(
        select(Enrolment.id, Person.full_name, Enrolment.status)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.id.in_(ids))
    ).all()
    staying = {e for e, _name, status in people if status in ACTIVE}
    names = {e: name if e in staying else f"{name} (đã rời khóa học)" for e, name, _st in people}
    certified = set(
        s.scalars(
            select(Certificate.enrolment_id).where(
                Certificate.enrolment_id.in_(ids), Certificate.status == CertificateStatus.VALID
            )
        )
    )
    marks = {
        e: getattr(status, "value", status)
        for e, status in s.execute(
            select(Attendance.enrolment_id, Attendance.status).where(
                Attendance.session_id == column.id, Attendance.enrolment_id.in_(ids)
            )
        )
    }
    return _Sheet(course, column, title, enrolments, blank, names, staying, certified, marks)


def _merged(s: Session, course_id: int, ids: list[int]) -> dict[int, int]:
    """Enrolments of people merged into another since the printing -> the enrolment of
    the person kept, in the same course (the row they signed is that person's)."""
    out: dict[int, int] = {}
    for enrolment_id, person_id in s.execute(
        select(Enrolment.id, Person.id)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.id.in_(ids), Person.merged_into_id.is_not(None))
    ):
        kept = merges.kept_person(s, person_id)
        found = s.scalar(
            select(Enrolment.id).where(
                Enrolment.course_id == course_id, Enrolment.person_id == kept
            )
        )
        if found is not None:
            out[enrolment_id] = found
    return out


def plan(
    s: Session, readings: Iterable[PageReading], now: datetime | date | None = None
) -> ScanPlan:
    """What the readings propose, beside the marks already entered; a page seen twice
    (in two files, or twice in one) is used once and the other listed (a blank row written
    on only in the second copy still shown); a person found on two printings of one
    session (a sheet printed again) is proposed once. now: the moment of reading (a date:
    its end)."""
    if now is None:
        now = datetime.now()
    elif not isinstance(now, datetime):
        now = datetime.combine(now, time.max)
    out = ScanPlan()
    seen: dict[tuple[str, int], str] = {}
    first_walk_ins: dict[tuple[str, int], tuple[int, int, set[int]]] = {}
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
            course_id, session_id, shown = first_walk_ins[key]
            extra = [c for c in reading.walk_ins if c.row_no not in shown]
            signatures = {c.row_no: c.state for c in reading.cells}
            out.walk_ins += [
                WalkIn(f"{where}, dòng {c.row_no}", course_id, session_id, c.crop_png,
                       signatures.get(c.row_no, ink.UNCERTAIN))
                for c in extra
            ]  # fmt: skip
            shown |= {c.row_no for c in extra}
            if extra:
                said += f"; {len(extra)} dòng trống có chữ viết chỉ ở bản này: xem để ghép"
            out.pages.append(PageOutcome(where, "", said))
            continue
        printed = s.scalars(select(SignSheet).where(SignSheet.code == reading.sheet_code)).first()
        if printed is None:  # the course or session deleted while the files were read
            gone = f"bảng ký tên mã {reading.sheet_code} không còn trong dữ liệu (khóa học hoặc buổi học đã bị xóa)"
            out.pages.append(PageOutcome(where, "", gone))
            continue
        refused = _refusal(s, printed, now)
        if refused is not None:
            out.pages.append(PageOutcome(where, "", refused))
            continue
        access.require_course(s, "attendance", printed.course_id)
        seen[key] = where
        sheet = _sheet(s, printed, reading.page)
        out.pages.append(PageOutcome(where, sheet.title))
        for cell in reading.cells:
            if cell.row_no in sheet.blank:
                continue  # a blank row: in walk_ins when something is written on it
            placed[(reading.sheet_code, cell.row_no)] = len(out.proposals)
            out.proposals.append(_proposal(sheet, reading, cell, where))
        signatures = {c.row_no: c.state for c in reading.cells}
        first_walk_ins[key] = (
            sheet.course.id,
            sheet.session.id,
            {c.row_no for c in reading.walk_ins},
        )
        out.walk_ins += [
            WalkIn(
                f"{where}, dòng {c.row_no}",
                sheet.course.id,
                sheet.session.id,
                c.crop_png,
                signatures.get(c.row_no, ink.UNCERTAIN),
            )
            for c in reading.walk_ins
        ]
    out.proposals = _once_a_person(out.proposals)
    return out


def _proposal(sheet: _Sheet, reading: PageReading, cell: CellReading, where: str) -> Proposal:
    enrolment = sheet.enrolments.get(cell.row_no)
    proposed = {ink.SIGNED: PRESENT, ink.EMPTY: ABSENT}.get(cell.state)
    existing = sheet.marks.get(enrolment) if enrolment is not None else None
    name = (
        sheet.names.get(enrolment, "(đã rời khóa học)")
        if enrolment is not None
        else "(đã rời khóa học)"
    )
    if (
        proposed == ABSENT
        and enrolment in sheet.certified
        and (existing is None or existing not in AGREES[ABSENT])
    ):
        # Absent now would take a session from a certificate already issued: a person
        # decides, never the reader alone.
        proposed, name = None, f"{name} (đã được cấp chứng nhận: xem lại)"
    return Proposal(
        (str(reading.sheet_code), cell.row_no),
        where,
        sheet.course.id,
        sheet.session.id,
        enrolment if enrolment in sheet.staying else None,
        name,
        cell.state,
        proposed,
        existing,
        cell.crop_png,
        f"{reading.source}, trang {reading.index}",
    )


def _once_a_person(proposals: list[Proposal]) -> list[Proposal]:
    """One proposal a person and session: a person on two printings of one session (the
    sheet printed again, both copies passed round) signed if either copy has their
    signature; uncertain if neither does and one is uncertain; else absent."""
    firsts: dict[tuple[int, int], int] = {}
    out: list[Proposal] = []
    rank = {ink.SIGNED: 2, ink.UNCERTAIN: 1, ink.EMPTY: 0}
    for p in proposals:
        if p.enrolment_id is None:
            out.append(p)
            continue
        at = firsts.get((p.session_id, p.enrolment_id))
        if at is None:
            firsts[(p.session_id, p.enrolment_id)] = len(out)
            out.append(p)
            continue
        first = out[at]
        best = p if rank[p.state] > rank[first.state] else first
        out[at] = replace(best, source=f"{first.source}; {p.source}")
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


def _current_marks(
    s: Session, proposals: list[Proposal]
) -> tuple[dict[tuple[int, int], str], set[int]]:
    """The marks as they are now and the enrolments still in their course, each session
    held first (a desk marking it meanwhile commits before these are read, or waits
    until this transaction ends)."""
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
    ids = [p.enrolment_id for p in proposals if p.enrolment_id]
    staying = set(
        s.scalars(select(Enrolment.id).where(Enrolment.id.in_(ids), Enrolment.status.in_(ACTIVE)))
    )
    return out, staying


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
    now, staying = _current_marks(s, proposals)
    for p in proposals:
        status = decided.get(p.key, p.proposed)
        if status is None or p.enrolment_id not in staying:  # withdrawn meanwhile too
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
        assert p.enrolment_id is not None
        attendance.mark(s, p.course_id, p.session_id, p.enrolment_id, status, method="scan")
        written += 1
        page = p.file or p.source
        per_page[page] = per_page.get(page, 0) + 1
    for source, n in per_page.items():
        audit.record(s, "attendance.scan", entity="sessions", note=f"{n} điểm danh đọc từ {source}")
    return Applied(written, left)

"""Attendance: the grid of a course, marks saved one by one, scan check-in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidValue, UserError
from app.services import access, audit, checkin
from app.services.courses import ACTIVE, get_course
from app.vn import names
from models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    Person,
)
from models import Session as CourseSession
from models.base import utcnow
from models.enums import CourseStatus

ENDED = (CourseStatus.FINISHED.value, CourseStatus.CANCELLED.value)

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
CYCLE = ("present", "late", "excused", "absent")
STATUS_KEYS = {
    "1": "present",
    "2": "late",
    "3": "excused",
    "4": "absent",
    "c": "present",
    "m": "late",
    "p": "excused",
    "v": "absent",
}


def local_now() -> datetime:
    """Vietnamese wall-clock time (sessions are stored in local time)."""
    return datetime.now()


@dataclass(frozen=True)
class Mark:
    status: str | None
    note: str | None = None
    check_in_at: datetime | None = None


@dataclass(frozen=True)
class SessionColumn:
    id: int
    number: int  # 1 = the earliest of the course
    starts_at: datetime
    ends_at: datetime
    grace_minutes: int
    held: bool


@dataclass
class GridRow:
    enrolment_id: int
    person_id: int
    full_name: str
    birth_text: str
    status: str
    marks: dict[int, Mark] = field(default_factory=dict)
    pre_score: float | None = None
    post_score: float | None = None
    override: str | None = None

    def attended(self) -> int:
        return sum(1 for m in self.marks.values() if m.status in ("present", "late"))


@dataclass
class AttendanceGrid:
    course_id: int
    code: str
    title: str
    score_scale: int
    min_attendance_pct: int
    pass_score: float | None
    sessions: list[SessionColumn]
    rows: list[GridRow]
    course_status: str = "running"  # until the course is finished nobody has failed yet

    @property
    def held(self) -> int:
        return sum(1 for c in self.sessions if c.held)

    def unmarked_held(self) -> list[SessionColumn]:
        """Sessions past their start (counted as held) where nobody has a mark yet."""
        return [
            c for c in self.sessions
            if c.held and not any(c.id in r.marks and r.marks[c.id].status for r in self.rows)
        ]  # fmt: skip

    def pct_held(self, row: GridRow) -> float | None:
        """Attendance over the sessions held so far."""
        held_ids = {c.id for c in self.sessions if c.held}
        if not held_ids:
            return None
        return (
            100
            * sum(
                1
                for sid, m in row.marks.items()
                if sid in held_ids and m.status in ("present", "late")
            )
            / len(held_ids)
        )

    def pct_planned(self, row: GridRow) -> float | None:
        """Attendance over every planned session (what the completion rule uses)."""
        if not self.sessions:
            return None
        return 100 * row.attended() / len(self.sessions)

    def result(self, row: GridRow) -> str | None:
        """completed / not_completed by the rule (or the override); in_progress while the
        course is not finished (or cancelled) and the rule is not met yet; None with no
        session. Sessions all held do not end a running course: makeup sessions, scores."""
        if row.override in ("completed", "not_completed"):
            return row.override
        pct = self.pct_planned(row)
        if pct is None:
            return None
        ok = pct >= self.min_attendance_pct
        if self.pass_score is not None:
            ok = ok and row.post_score is not None and row.post_score >= self.pass_score
        if ok:
            return "completed"
        return "not_completed" if self.course_status in ENDED else "in_progress"


def session_columns(s: Session, course_id: int, now: datetime | None = None) -> list[SessionColumn]:
    now = now or local_now()
    sessions = s.scalars(
        select(CourseSession)
        .where(CourseSession.course_id == course_id)
        .order_by(CourseSession.starts_at, CourseSession.id)
    )
    return [
        SessionColumn(x.id, i, x.starts_at, x.ends_at, x.grace_minutes, x.starts_at <= now)
        for i, x in enumerate(sessions, start=1)
    ]


def session_by_number(s: Session, course_id: int, number: int) -> SessionColumn:
    """In the CLI a session is named by its number within its course, 1 the earliest."""
    columns = session_columns(s, course_id)
    if not 1 <= number <= len(columns):
        course = get_course(s, course_id)
        raise InvalidValue(
            f"Khóa học {course.code} có {len(columns)} buổi; không có buổi số {number}."
        )
    return columns[number - 1]


def grid(s: Session, course_id: int, now: datetime | None = None) -> AttendanceGrid:
    """People (Vietnamese order) by sessions, with every mark, scores and overrides."""
    access.require_course(s, "attendance", course_id)
    course = get_course(s, course_id)
    columns = session_columns(s, course_id, now)
    found = s.execute(
        select(Enrolment, Person)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.course_id == course_id, Enrolment.status.in_(ACTIVE))
        .order_by(Person.sort_key, Person.id)
    ).all()
    rows = {}
    for e, p in found:
        birth = (
            ""
            if p.birth_date is None
            else (str(p.birth_date.year) if p.birth_year_only else f"{p.birth_date:%d/%m/%Y}")
        )
        rows[e.id] = GridRow(
            e.id,
            p.id,
            p.full_name,
            birth,
            e.status.value,
            {},
            e.pre_score,
            e.post_score,
            e.completion_override.value if e.completion_override else None,
        )
    if rows:
        for a in s.scalars(select(Attendance).where(Attendance.enrolment_id.in_(list(rows)))):
            rows[a.enrolment_id].marks[a.session_id] = Mark(a.status.value, a.note, a.check_in_at)
    return AttendanceGrid(
        course.id,
        course.code,
        course.title,
        course.score_scale,
        course.min_attendance_pct,
        course.pass_score,
        columns,
        list(rows.values()),
        CourseStatus(course.status).value,
    )


def hold_session(s: Session, session_id: int) -> None:
    """One desk at a time writes a session's marks: on the shared server a second desk
    marking the same session waits here until the first commits, then reads its marks
    (the first mark of a cell at two desks is an update for the second, not a duplicate
    row). SQLite queues whole write transactions already; there this is a plain read."""
    s.execute(
        select(CourseSession.id)
        .where(CourseSession.id == session_id)
        .with_for_update(key_share=True)
    )


def _check_pair(
    s: Session, course_id: int, session_id: int, enrolment_id: int
) -> tuple[CourseSession, Enrolment]:
    sess = s.get(CourseSession, session_id)
    if sess is None or sess.course_id != course_id:
        course = get_course(s, course_id)
        raise InvalidValue(
            f"Buổi học mã {session_id} không thuộc khóa {course.code}; không ghi điểm danh."
        )
    e = s.get(Enrolment, enrolment_id)
    if e is None or e.course_id != course_id:
        raise InvalidValue("Người này không ghi danh vào khóa học này; không ghi điểm danh.")
    return sess, e


def mark(
    s: Session,
    course_id: int,
    session_id: int,
    enrolment_id: int,
    status: str | None,
    note: str | None = None,
    keep_note: bool = True,
    method: str = "manual",
    check_in_at: datetime | None = None,
) -> Mark:
    """Set (or clear, with None) one mark; saved and audited at once."""
    access.require_course(s, "attendance", course_id)
    _sess, _e = _check_pair(s, course_id, session_id, enrolment_id)
    if status is not None and status not in CYCLE:
        raise InvalidValue(f"Trạng thái điểm danh “{status}” không hợp lệ.")
    hold_session(s, session_id)
    row = s.scalars(
        select(Attendance).where(
            Attendance.session_id == session_id, Attendance.enrolment_id == enrolment_id
        )
    ).first()
    before = (
        {"status": row.status.value, "note": row.note} if row else {"status": None, "note": None}
    )
    new_note = (
        (row.note if row else None)
        if keep_note and note is None
        else (names.nfc(note.strip()) or None if note else None)
    )
    if status is None and not new_note:
        if row is not None:
            s.delete(row)
            s.flush()
            audit.record(
                s,
                "attendance.clear",
                entity="attendance",
                entity_id=row.id,
                before=before,
                after={"status": None},
                note=f"buổi {session_id}, ghi danh {enrolment_id}",
            )
        return Mark(None)
    if row is None:
        row = Attendance(
            session_id=session_id,
            enrolment_id=enrolment_id,
            status=AttendanceStatus(status or "absent"),
        )
        s.add(row)
    if status is not None:
        row.status = AttendanceStatus(status)
    row.note = new_note
    row.method = AttendanceMethod(method)
    if check_in_at is not None:
        row.check_in_at = check_in_at
    s.flush()
    after = {"status": row.status.value, "note": row.note}
    if before != after:
        audit.record(
            s,
            "attendance.mark",
            row,
            before=before,
            after=after,
            note=f"buổi {session_id}, ghi danh {enrolment_id}",
        )
    return Mark(row.status.value, row.note, row.check_in_at)


def mark_all_present(s: Session, course_id: int, session_id: int) -> int:
    """Everyone without a mark for the session is present; returns how many were marked."""
    access.require_course(s, "attendance", course_id)
    hold_session(s, session_id)
    enrolled = list(
        s.scalars(
            select(Enrolment.id).where(
                Enrolment.course_id == course_id, Enrolment.status.in_(ACTIVE)
            )
        )
    )
    marked = set(
        s.scalars(select(Attendance.enrolment_id).where(Attendance.session_id == session_id))
    )
    todo = [eid for eid in enrolled if eid not in marked]
    for eid in todo:
        mark(s, course_id, session_id, eid, "present")
    return len(todo)


@dataclass(frozen=True)
class CheckIn:
    kind: str  # ok, again, unknown, not_enrolled
    message: str
    full_name: str | None = None
    person_id: int | None = None
    status: str | None = None


def late_after(session: CourseSession | SessionColumn) -> datetime:
    return session.starts_at + timedelta(minutes=session.grace_minutes)


def check_in(
    s: Session, course_id: int, session_id: int, scanned: str, at: datetime | None = None
) -> CheckIn:
    """A scanned code: present (or late after the grace period), already in, or unknown."""
    access.require_course(s, "attendance", course_id)
    code = checkin.normalise(scanned)
    sess = s.get(CourseSession, session_id)
    if sess is None or sess.course_id != course_id:
        raise InvalidValue("Buổi học không thuộc khóa này.")
    at = at or local_now()
    person = s.scalars(select(Person).where(Person.checkin_code == code)).first() if code else None
    if person is None:
        return CheckIn(
            "unknown", f"Không nhận ra mã “{scanned.strip()}”. Hãy quét lại hoặc tìm theo tên."
        )
    e = s.scalars(
        select(Enrolment).where(Enrolment.course_id == course_id, Enrolment.person_id == person.id)
    ).first()
    if e is None or e.status not in ACTIVE:
        waiting = e is not None and e.status == EnrolmentStatus.WAITLISTED
        return CheckIn(
            "not_enrolled",
            f"{person.full_name} "
            + ("đang trong danh sách chờ" if waiting else "chưa ghi danh vào khóa này")
            + ". Thêm vào lớp như người đến lớp?",
            person.full_name,
            person.id,
        )
    hold_session(s, session_id)
    existing = s.scalars(
        select(Attendance).where(
            Attendance.session_id == session_id, Attendance.enrolment_id == e.id
        )
    ).first()
    if existing is not None and existing.status in ATTENDED:
        when = existing.check_in_at.strftime("%H:%M") if existing.check_in_at else "trước đó"
        return CheckIn(
            "again",
            f"{person.full_name} đã điểm danh lúc {when}.",
            person.full_name,
            person.id,
            existing.status.value,
        )
    status = "late" if at > late_after(sess) else "present"
    mark(s, course_id, session_id, e.id, status, method="scan", check_in_at=at)
    word = "Đi muộn" if status == "late" else "Có mặt"
    return CheckIn("ok", f"{word} lúc {at:%H:%M}", person.full_name, person.id, status)


def add_walk_in_from_scan(s: Session, course_id: int, person_id: int) -> int:
    """Someone scanned who was not enrolled: enrol them on the spot (source walk-in)."""
    access.require_course(s, "attendance", course_id)
    course = get_course(s, course_id)
    e = s.scalars(
        select(Enrolment).where(Enrolment.course_id == course_id, Enrolment.person_id == person_id)
    ).first()
    if e is None:
        e = Enrolment(
            course_id=course_id,
            person_id=person_id,
            source="walk-in",
            status=EnrolmentStatus.REGISTERED,
            registered_at=utcnow(),
        )
        s.add(e)
    elif e.status in ACTIVE:
        raise UserError("Người này đã ghi danh.")
    else:
        e.status, e.source = EnrolmentStatus.REGISTERED, "walk-in"
    s.flush()
    audit.record(s, "enrolment.walk_in", e, after={"course_id": course.id, "person_id": person_id})
    return e.id

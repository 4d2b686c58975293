"""Courses: the catalogue, the editor's rules, the status workflow, templates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session, aliased

from app import labels
from app.errors import InvalidValue, UserError
from app.services import access, audit
from app.services.people import ATTENDED
from app.vn import dates, names
from models import (
    Attendance,
    Certificate,
    CertificateStatus,
    Course,
    CourseStatus,
    CourseTopic,
    Enrolment,
    EnrolmentStatus,
    SessionTopic,
    SessionTrainer,
    Setting,
    Topic,
)
from models import Session as CourseSession
from models.base import utcnow

DEFAULT_ORGANISER = "Sở Khoa học và Công nghệ"
DEFAULT_CO_ORGANISER = "Cục Chuyển đổi số quốc gia"
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{1,29}$")
MAX_TITLE = 300  # the column's length (PostgreSQL refuses more; SQLite would keep it)
MAX_LEGAL_BASIS = 300  # three lines on a certificate at its floor size (9,5 pt), in capitals too
ACTIVE = (EnrolmentStatus.REGISTERED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)
# What each status may become; cancelled and finished are ends (finished can reopen to running).
TRANSITIONS = {
    CourseStatus.DRAFT: {CourseStatus.PLANNED, CourseStatus.CANCELLED},
    CourseStatus.PLANNED: {CourseStatus.OPEN, CourseStatus.DRAFT, CourseStatus.CANCELLED},
    CourseStatus.OPEN: {CourseStatus.RUNNING, CourseStatus.PLANNED, CourseStatus.CANCELLED},
    CourseStatus.RUNNING: {CourseStatus.FINISHED, CourseStatus.OPEN, CourseStatus.CANCELLED},
    CourseStatus.FINISHED: {CourseStatus.RUNNING},
    CourseStatus.CANCELLED: set(),
}
EDITABLE = [
    "code",
    "title",
    "organiser",
    "co_organiser",
    "audience",
    "start_date",
    "end_date",
    "capacity",
    "min_enrolment",
    "is_online",
    "min_attendance_pct",
    "score_scale",
    "pass_score",
    "default_venue_id",
    "unit_id",
    "note",
    "legal_basis",
    "grade_excellent",
    "grade_good",
]


class CourseNotFound(UserError):
    def __init__(self, what: object) -> None:
        super().__init__(f"Không có khóa học “{what}”.")


@dataclass(frozen=True)
class CourseForm:
    code: str
    title: str
    start_date: date
    end_date: date
    organiser: str = DEFAULT_ORGANISER
    co_organiser: str | None = DEFAULT_CO_ORGANISER
    audience: str | None = None
    capacity: int | None = None
    min_enrolment: int | None = None
    is_online: bool = False
    min_attendance_pct: int = 80
    score_scale: int = 10
    pass_score: float | None = 5.0
    default_venue_id: int | None = None
    unit_id: int | None = None
    note: str | None = None
    topic_ids: tuple[int, ...] = field(default_factory=tuple)
    validity_months: int | None = None  # certificates expire after this; None: never
    # For its certificates: the legal-basis line, and grade bands (Giỏi ≥ excellent,
    # Khá ≥ good, else Đạt), both set or neither.
    legal_basis: str | None = None
    grade_excellent: float | None = None
    grade_good: float | None = None


@dataclass(frozen=True)
class CourseRow:
    id: int
    code: str
    title: str
    start_date: date
    end_date: date
    status: str
    organiser: str
    sessions: int
    enrolled: int
    waitlisted: int
    capacity: int | None
    min_enrolment: int | None
    attendance_rate: float | None  # marks present or late / marks taken
    completed: int
    certificates: int
    version: int

    @property
    def tentative(self) -> bool:
        """Shown, not enforced: fewer enrolled than the minimum."""
        return bool(self.min_enrolment) and self.enrolled < (self.min_enrolment or 0)


@dataclass(frozen=True)
class CourseFilter:
    year: int | None = None
    status: str | None = None
    topic_id: int | None = None
    organiser: str = ""
    unit_id: int | None = None
    search: str = ""


def defaults(s: Session) -> tuple[str, str]:
    """Organiser and co-organiser for a new course, from the settings."""
    body = s.get(Setting, "default_organiser") or s.get(Setting, "issuing_body")
    co = s.get(Setting, "default_co_organiser")
    return (body.value if body else DEFAULT_ORGANISER, co.value if co else DEFAULT_CO_ORGANISER)


def suggest_code(s: Session, year: int) -> str:
    """The next free "TH-<year>-NNN"."""
    prefix = f"TH-{year}-"
    codes = s.scalars(select(Course.code).where(Course.code.like(f"{prefix}%")))
    numbers = [int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()]
    return f"{prefix}{(max(numbers) if numbers else 0) + 1:03d}"


def get_course(s: Session, course_id: int) -> Course:
    course = s.get(Course, course_id)
    if course is None:
        raise CourseNotFound(course_id)
    return course


def by_code(s: Session, code: str) -> Course:
    course = s.scalar(select(Course).where(Course.code == code.strip()))
    if course is None:
        raise CourseNotFound(code)
    return course


def _enrolled(s: Session, course_id: int) -> int:
    return (
        s.scalar(
            select(func.count())
            .select_from(Enrolment)
            .where(Enrolment.course_id == course_id, Enrolment.status.in_(ACTIVE))
        )
        or 0
    )


def _check(s: Session, form: CourseForm, course_id: int | None) -> None:
    code = form.code.strip()
    if not CODE_PATTERN.match(code):
        raise InvalidValue(
            f"Mã khóa học “{form.code}” chỉ gồm chữ không dấu, số và - _ . / (2–30 ký tự)."
        )
    if not form.title.strip():
        raise InvalidValue("Tên khóa học không được để trống.")
    if len(" ".join(form.title.split())) > MAX_TITLE:
        raise InvalidValue(f"Tên khóa học dài quá {MAX_TITLE} ký tự; hãy viết gọn lại.")
    dates.check_year(form.start_date, "Ngày bắt đầu")
    dates.check_year(form.end_date, "Ngày kết thúc")
    if form.end_date < form.start_date:
        raise InvalidValue(
            f"Ngày kết thúc {form.end_date:%d/%m/%Y} trước ngày bắt đầu {form.start_date:%d/%m/%Y}."
        )
    other = s.scalar(select(Course.id).where(Course.code == code))
    if other is not None and other != course_id:
        raise InvalidValue(
            f"Mã khóa học “{code}” đã có; hãy dùng mã khác (gợi ý: {suggest_code(s, form.start_date.year)})."
        )
    if form.capacity is not None and form.capacity <= 0:
        raise InvalidValue("Sĩ số tối đa phải lớn hơn 0.")
    if form.capacity is not None and course_id is not None:
        enrolled = _enrolled(s, course_id)
        if form.capacity < enrolled:
            raise InvalidValue(
                f"Sĩ số tối đa {form.capacity} nhỏ hơn số đã ghi danh ({enrolled}); hãy cho bớt người "
                "rút khỏi lớp trước, hoặc đặt sĩ số lớn hơn."
            )
    if not 0 <= form.min_attendance_pct <= 100:
        raise InvalidValue("Tỷ lệ chuyên cần tối thiểu phải từ 0 đến 100%.")
    if form.score_scale not in (10, 100):
        raise InvalidValue("Thang điểm là 10 hoặc 100.")
    if form.pass_score is not None and not 0 <= form.pass_score <= form.score_scale:
        raise InvalidValue(f"Điểm đạt phải từ 0 đến {form.score_scale}.")
    if form.validity_months is not None and not 1 <= form.validity_months <= 120:
        raise InvalidValue("Thời hạn giấy chứng nhận phải từ 1 đến 120 tháng (hoặc để trống).")
    _check_wording(form)


def _check_wording(form: CourseForm) -> None:
    """The legal basis and the grade bands printed on the course's certificates."""
    if form.legal_basis and len(" ".join(form.legal_basis.split())) > MAX_LEGAL_BASIS:
        raise InvalidValue(
            f"Căn cứ pháp lý dài quá {MAX_LEGAL_BASIS} ký tự; hãy viết gọn lại "
            "(ví dụ “Căn cứ Quyết định số 123/QĐ-SKHCN ngày 02/03/2026 của Sở Khoa học và Công "
            "nghệ”)."
        )
    good, excellent, scale = form.grade_good, form.grade_excellent, form.score_scale
    if good is None and excellent is None:
        return
    if good is None or excellent is None:
        missing = "Khá" if good is None else "Giỏi"
        raise InvalidValue(
            f"Xếp loại: hãy đặt cả điểm từ mức Giỏi và từ mức Khá (đang thiếu mức {missing}), "
            "hoặc để trống cả hai."
        )
    for value, name in ((excellent, "Giỏi"), (good, "Khá")):
        if not 0 <= value <= scale:
            raise InvalidValue(
                f"Xếp loại: điểm từ mức {name} ({labels.score(value)}) phải từ 0 đến "
                f"{scale} (thang điểm của khóa)."
            )
    if excellent <= good:
        raise InvalidValue(
            f"Xếp loại: điểm từ mức Giỏi ({labels.score(excellent)}) phải lớn hơn điểm từ mức "
            f"Khá ({labels.score(good)})."
        )
    if form.pass_score is not None and good < form.pass_score:
        raise InvalidValue(
            f"Xếp loại: điểm từ mức Khá ({labels.score(good)}) không được thấp hơn điểm đạt "
            f"({labels.score(form.pass_score)})."
        )


def _apply(s: Session, course: Course, form: CourseForm) -> None:
    course.code = form.code.strip()
    course.title = names.nfc(" ".join(form.title.split()))
    for key in ("organiser", "co_organiser", "audience", "note", "legal_basis"):
        value = getattr(form, key)
        setattr(
            course,
            key,
            names.nfc(value.strip()) if isinstance(value, str) and value.strip() else None,
        )
    course.organiser = course.organiser or DEFAULT_ORGANISER
    for key in (
        "start_date",
        "end_date",
        "capacity",
        "min_enrolment",
        "is_online",
        "min_attendance_pct",
        "score_scale",
        "pass_score",
        "default_venue_id",
        "unit_id",
        "validity_months",
        "grade_excellent",
        "grade_good",
    ):
        setattr(course, key, getattr(form, key))
    s.flush()
    s.execute(delete(CourseTopic).where(CourseTopic.course_id == course.id))
    for tid in dict.fromkeys(form.topic_ids):
        s.add(CourseTopic(course_id=course.id, topic_id=tid))


def create(s: Session, form: CourseForm) -> CourseRow:
    """A new course, as a draft."""
    access.require(s, "courses")
    _check(s, form, None)
    course = Course(
        status=CourseStatus.DRAFT,
        code=form.code.strip(),
        title=form.title,
        organiser=form.organiser or DEFAULT_ORGANISER,
        start_date=form.start_date,
        end_date=form.end_date,
    )
    s.add(course)
    s.flush()
    _apply(s, course, form)
    s.flush()
    audit.record(s, "course.create", course, after=audit.snapshot(course, EDITABLE))
    return row(s, course.id)


def update(s: Session, course_id: int, form: CourseForm, version: int) -> CourseRow:
    """Save the editor; refuses a stale version and a capacity below those enrolled."""
    access.require(s, "courses")
    course = get_course(s, course_id)
    if course.version != version:
        raise UserError(f"Khóa học {course.code} vừa được người khác sửa; hãy mở lại rồi sửa tiếp.")
    _check(s, form, course_id)
    before = audit.snapshot(course, EDITABLE)
    _apply(s, course, form)
    s.flush()
    old, new = audit.changes(before, audit.snapshot(course, EDITABLE))
    if new:
        audit.record(s, "course.update", course, before=old, after=new)
    return row(s, course.id)


def form_of(s: Session, course_id: int) -> tuple[CourseForm, int, str]:
    """The editor's values, the version to send back, the status."""
    c = get_course(s, course_id)
    topics = tuple(s.scalars(select(CourseTopic.topic_id).where(CourseTopic.course_id == c.id)))
    form = CourseForm(
        c.code,
        c.title,
        c.start_date,
        c.end_date,
        c.organiser,
        c.co_organiser,
        c.audience,
        c.capacity,
        c.min_enrolment,
        c.is_online,
        c.min_attendance_pct,
        c.score_scale,
        c.pass_score,
        c.default_venue_id,
        c.unit_id,
        c.note,
        topics,
        c.validity_months,
        c.legal_basis,
        c.grade_excellent,
        c.grade_good,
    )
    return form, c.version, c.status.value


# -- the catalogue ---------------------------------------------------------------


def catalogue(s: Session, f: CourseFilter | None = None) -> list[CourseRow]:
    """Courses with their counts, newest first (for a trainer, the ones they teach)."""
    f = f or CourseFilter()
    q = select(Course.id)
    scope = access.course_scope(s)
    if scope is not None:
        q = q.where(Course.id.in_(sorted(scope)))
    if f.year is not None:
        q = q.where(
            Course.start_date <= date(f.year, 12, 31), Course.end_date >= date(f.year, 1, 1)
        )
    if f.status:
        q = q.where(Course.status == CourseStatus(f.status))
    if f.topic_id is not None:
        q = q.where(
            Course.id.in_(select(CourseTopic.course_id).where(CourseTopic.topic_id == f.topic_id))
        )
    if f.organiser.strip():
        q = q.where(Course.organiser.like(f"%{f.organiser.strip()}%"))
    if f.unit_id is not None:
        from app.services.units import unit_scope

        q = q.where(Course.unit_id.in_(sorted(unit_scope(s, f.unit_id))))
    words = names.fold(f.search).split()
    if words:  # titles carry diacritics: match them folded, in Python (a few thousand rows)
        found = s.execute(q.add_columns(Course.code, Course.title)).all()
        ids = [
            cid
            for cid, code, title in found
            if all(w in names.fold(f"{code} {title}") for w in words)
        ]
        q = select(Course.id).where(Course.id.in_(ids))
    ids = list(s.scalars(q.order_by(Course.start_date.desc(), Course.code)))
    return rows(s, ids)


def rows(s: Session, course_ids: list[int]) -> list[CourseRow]:
    if not course_ids:
        return []
    courses = {c.id: c for c in s.scalars(select(Course).where(Course.id.in_(course_ids)))}

    def grouped(q):  # type: ignore[no-untyped-def]
        return dict(s.execute(q).all())

    n_sessions = grouped(
        select(CourseSession.course_id, func.count())
        .where(CourseSession.course_id.in_(course_ids))
        .group_by(CourseSession.course_id)
    )
    enrolled = grouped(
        select(Enrolment.course_id, func.count())
        .where(Enrolment.course_id.in_(course_ids), Enrolment.status.in_(ACTIVE))
        .group_by(Enrolment.course_id)
    )
    waiting = grouped(
        select(Enrolment.course_id, func.count())
        .where(Enrolment.course_id.in_(course_ids), Enrolment.status == EnrolmentStatus.WAITLISTED)
        .group_by(Enrolment.course_id)
    )
    completed = grouped(
        select(Enrolment.course_id, func.count())
        .where(Enrolment.course_id.in_(course_ids), Enrolment.status == EnrolmentStatus.COMPLETED)
        .group_by(Enrolment.course_id)
    )
    successor = aliased(Certificate)
    certs = grouped(  # in force only: valid and not replaced by a reissue
        select(Certificate.course_id, func.count())
        .where(
            Certificate.course_id.in_(course_ids),
            Certificate.status == CertificateStatus.VALID,
            ~select(successor.id).where(successor.replaces_id == Certificate.id).exists(),
        )
        .group_by(Certificate.course_id)
    )
    marks = {
        cid: (taken, present)
        for cid, taken, present in s.execute(
            select(
                CourseSession.course_id,
                func.count(),
                func.sum(case((Attendance.status.in_(ATTENDED), 1), else_=0)),
            )
            .join(CourseSession, CourseSession.id == Attendance.session_id)
            .where(CourseSession.course_id.in_(course_ids))
            .group_by(CourseSession.course_id)
        )
    }
    out = []
    for cid in course_ids:
        c = courses[cid]
        taken, present = marks.get(cid, (0, 0))
        out.append(
            CourseRow(
                c.id,
                c.code,
                c.title,
                c.start_date,
                c.end_date,
                c.status.value,
                c.organiser,
                n_sessions.get(cid, 0),
                enrolled.get(cid, 0),
                waiting.get(cid, 0),
                c.capacity,
                c.min_enrolment,
                (present or 0) / taken if taken else None,
                completed.get(cid, 0),
                certs.get(cid, 0),
                c.version,
            )
        )
    return out


def row(s: Session, course_id: int) -> CourseRow:
    """One course with its counts (`course show`, the course's panel): a trainer only one
    they teach."""
    access.require_course(s, "course", course_id)
    return rows(s, [course_id])[0]


# -- the workflow ----------------------------------------------------------------


class NeedsConfirmation(UserError):
    """The action is allowed but deserves a second look; repeat it with confirm=True."""


def _has_attendance(s: Session, course_id: int) -> bool:
    return bool(
        s.scalar(
            select(func.count())
            .select_from(Attendance)
            .join(CourseSession, CourseSession.id == Attendance.session_id)
            .where(CourseSession.course_id == course_id)
        )
    )


def sessions_without_attendance(
    s: Session, course_id: int, until: date | None = None
) -> list[CourseSession]:
    """Sessions held (by date) for which no mark was ever recorded."""
    marked = select(Attendance.session_id).distinct()
    q = select(CourseSession).where(
        CourseSession.course_id == course_id, CourseSession.id.not_in(marked)
    )
    if until is not None:
        q = q.where(CourseSession.starts_at < until + timedelta(days=1))
    return list(s.scalars(q.order_by(CourseSession.starts_at)))


def set_status(
    s: Session,
    course_id: int,
    status: str,
    reason: str | None = None,
) -> CourseRow:
    """Move along draft → planned → open → running (and back), or cancel (with a reason);
    finishing is enrolment.finish, which decides the results."""
    access.require(s, "courses")
    course = get_course(s, course_id)
    target = CourseStatus(status)
    if target == course.status:
        return row(s, course_id)
    if target == CourseStatus.FINISHED:
        # One way to finish: enrolment.finish decides every result (and refuses what would
        # contradict a certificate); a bare status change would skip all of it.
        raise InvalidValue(
            f"Kết thúc khóa học {course.code} bằng “Kết thúc và xét kết quả…” (dòng lệnh: "
            f"course finish {course.code}): kết quả của từng người được xét cùng lúc."
        )
    if target not in TRANSITIONS[course.status]:
        from app.labels import COURSE_STATUS

        raise InvalidValue(
            f"Không chuyển được khóa học từ “{COURSE_STATUS[course.status.value]}” sang "
            f"“{COURSE_STATUS[target.value]}”."
        )
    if target == CourseStatus.CANCELLED and not (reason and reason.strip()):
        raise InvalidValue("Hãy ghi lý do hủy khóa học.")
    before = course.status.value
    course.status = target
    if target == CourseStatus.CANCELLED:
        course.cancelled_reason = names.nfc(reason.strip())  # type: ignore[union-attr]
    s.flush()
    audit.record(
        s,
        "course.status",
        course,
        before={"status": before},
        after={"status": target.value},
        note=reason,
    )
    return row(s, course_id)


def delete_course(s: Session, course_id: int) -> None:
    """Delete a course nobody attended; a course with attendance can only be cancelled."""
    access.require(s, "courses")
    course = get_course(s, course_id)
    if _has_attendance(s, course_id):
        raise UserError(
            f"Khóa học {course.code} đã có điểm danh nên không xóa được; hãy hủy khóa học "
            "(lịch sử được giữ nguyên)."
        )
    if s.scalar(
        select(func.count()).select_from(Certificate).where(Certificate.course_id == course_id)
    ):
        raise UserError(f"Khóa học {course.code} đã cấp chứng nhận nên không xóa được.")
    audit.record(s, "course.delete", course, before=audit.snapshot(course, EDITABLE))
    for e in s.scalars(select(Enrolment).where(Enrolment.course_id == course_id)):
        audit.record(s, "enrolment.delete", e, before={"person_id": e.person_id})
        s.delete(e)
    s.flush()
    for sess in s.scalars(select(CourseSession).where(CourseSession.course_id == course_id)):
        s.delete(sess)
    s.flush()
    s.delete(course)
    s.flush()


def duplicate(s: Session, course_id: int, new_start: date, code: str | None = None) -> CourseRow:
    """A copy as a template: topics, the pattern of sessions, the rule; no people."""
    access.require(s, "courses")
    src = get_course(s, course_id)
    shift = new_start - src.start_date
    form, _version, _status = form_of(s, course_id)
    new_form = CourseForm(
        **{
            **form.__dict__,
            "code": code or suggest_code(s, new_start.year),
            "start_date": new_start,
            "end_date": src.end_date + shift,
        }
    )
    copy = create(s, new_form)
    for sess in s.scalars(select(CourseSession).where(CourseSession.course_id == course_id)):
        new = CourseSession(
            course_id=copy.id,
            title=sess.title,
            starts_at=sess.starts_at + shift,
            ends_at=sess.ends_at + shift,
            venue_id=sess.venue_id,
            mode=sess.mode,
            online_link=sess.online_link,
            grace_minutes=sess.grace_minutes,
        )
        s.add(new)
        s.flush()
        for tid in s.scalars(
            select(SessionTopic.topic_id).where(SessionTopic.session_id == sess.id)
        ):
            s.add(SessionTopic(session_id=new.id, topic_id=tid))
        for pid in s.scalars(
            select(SessionTrainer.person_id).where(SessionTrainer.session_id == sess.id)
        ):
            s.add(SessionTrainer(session_id=new.id, person_id=pid))
    s.flush()
    audit.record(s, "course.duplicate", s.get_one(Course, copy.id), note=f"từ {src.code}")
    return row(s, copy.id)


def topics_of(s: Session, course_id: int) -> list[int]:
    return list(s.scalars(select(CourseTopic.topic_id).where(CourseTopic.course_id == course_id)))


def all_topics(s: Session) -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in s.scalars(select(Topic).order_by(Topic.sort_order, Topic.name))]


def touch(course: Course) -> None:
    """Mark a course changed (its version moves) when its sessions or people change."""
    course.updated_at = utcnow()

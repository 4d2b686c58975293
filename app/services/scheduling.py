"""Sessions: add one or a series, copy, move, delete; the clash check on every save."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session, aliased

from app import config, facts
from app.errors import InvalidValue, UserError
from app.services import access, audit
from app.services.courses import ACTIVE, CourseNotFound, touch
from app.vn import dates, names
from models import (
    Attendance,
    Course,
    CourseStatus,
    CourseTopic,
    Enrolment,
    Person,
    SessionMode,
    SessionTopic,
    SessionTrainer,
    Topic,
    Venue,
)
from models import Session as CourseSession

MAX_SERIES_DAYS = 730
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
MAX_SESSION_TITLE = 300  # the column's length


@dataclass(frozen=True)
class SessionForm:
    day: date
    start: time
    end: time
    venue_id: int | None = None
    mode: str = SessionMode.IN_PERSON.value
    online_link: str | None = None
    trainer_ids: tuple[int, ...] = ()
    topic_ids: tuple[int, ...] | None = None  # None: the course plan
    title: str | None = None
    grace_minutes: int = 15
    note: str | None = None

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.day, self.start)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.day, self.end)


@dataclass(frozen=True)
class Clash:
    kind: str  # outside, holiday, trainer, venue, people, seats
    message: str


class ClashesFound(UserError):
    """Warnings the user may override with a reason; nothing was saved."""

    def __init__(self, clashes: list[Clash]) -> None:
        self.clashes = clashes
        lines = "\n".join(f"• {c.message}" for c in clashes)
        super().__init__(
            f"Lịch có {len(clashes)} điểm trùng hoặc bất thường:\n{lines}\n"
            "Chưa lưu gì. Sửa lịch, hoặc lưu kèm lý do nếu chấp nhận."
        )


@dataclass(frozen=True)
class SessionRow:
    id: int
    course_id: int
    course_code: str
    course_title: str
    title: str | None
    starts_at: datetime
    ends_at: datetime
    venue_id: int | None
    venue: str
    mode: str
    online_link: str | None
    trainer_ids: tuple[int, ...]
    trainers: str
    topics: str
    override_reason: str | None
    version: int


@dataclass(frozen=True)
class SeriesPattern:
    weekdays: frozenset[int]  # 0 = Monday
    first_day: date
    count: int | None = None
    until: date | None = None


@dataclass(frozen=True)
class SeriesResult:
    sessions: list[SessionRow]
    skipped: list[tuple[date, str]] = field(default_factory=list)

    def describe(self) -> str:
        text = f"Đã thêm {len(self.sessions)} buổi."
        if self.skipped:
            text += (
                " Bỏ qua ngày lễ: "
                + "; ".join(f"{d:%d/%m/%Y} ({n})" for d, n in self.skipped)
                + "."
            )
        return text


def _fmt(a: datetime, b: datetime) -> str:
    return f"{a:%H:%M}–{b:%H:%M} ngày {a:%d/%m/%Y}"


def _course(s: Session, course_id: int) -> Course:
    course = s.get(Course, course_id)
    if course is None:
        raise CourseNotFound(course_id)
    return course


def _check_form(form: SessionForm) -> None:
    dates.check_year(form.day, "Ngày học")
    if form.title and len(form.title.strip()) > MAX_SESSION_TITLE:
        raise InvalidValue(f"Tên buổi học dài quá {MAX_SESSION_TITLE} ký tự; hãy viết gọn lại.")
    if form.end <= form.start:
        raise InvalidValue(
            f"Giờ kết thúc {form.end:%H:%M} phải sau giờ bắt đầu {form.start:%H:%M}."
        )
    if form.mode not in {m.value for m in SessionMode}:
        raise InvalidValue("Hình thức buổi học không hợp lệ.")
    if form.mode == SessionMode.ONLINE.value and not (form.online_link or "").strip():
        raise InvalidValue("Buổi học trực tuyến cần đường dẫn tham gia.")
    if form.grace_minutes < 0:
        raise InvalidValue("Số phút cho phép đến muộn không được âm.")


# -- the clash check -------------------------------------------------------------


def clashes(
    s: Session,
    course_id: int,
    starts_at: datetime,
    ends_at: datetime,
    venue_id: int | None,
    trainer_ids: Iterable[int],
    exclude: set[int] | None = None,
) -> list[Clash]:
    """Everything wrong with a sitting at this time and place, listed together."""
    course = _course(s, course_id)
    exclude = exclude or set()
    found: list[Clash] = []
    if starts_at.date() < course.start_date or ends_at.date() > course.end_date:
        found.append(
            Clash(
                "outside",
                f"Buổi {_fmt(starts_at, ends_at)} nằm ngoài thời gian khóa học "
                f"({course.start_date:%d/%m/%Y}–{course.end_date:%d/%m/%Y}).",
            )
        )
    holiday = config.holidays().get(starts_at.date())
    if holiday:
        found.append(
            Clash(
                "holiday",
                f"Ngày {starts_at:%d/%m/%Y} là ngày nghỉ lễ ({holiday}): hội trường, "
                "cơ quan đóng cửa.",
            )
        )
    other = aliased(CourseSession)
    other_course = aliased(Course)
    overlap = and_(
        other.starts_at < ends_at,
        other.ends_at > starts_at,
        other.starts_at > starts_at - timedelta(days=2),  # lets the starts_at index narrow it
        other.id.not_in(exclude) if exclude else True,
        other_course.status != CourseStatus.CANCELLED,
    )
    trainer_ids = list(trainer_ids)
    if trainer_ids:
        rows = s.execute(
            select(Person.full_name, other.starts_at, other.ends_at, other_course.code)
            .join(SessionTrainer, SessionTrainer.person_id == Person.id)
            .join(other, other.id == SessionTrainer.session_id)
            .join(other_course, other_course.id == other.course_id)
            .where(Person.id.in_(trainer_ids), overlap)
        )
        for name, a, b, code in rows:
            found.append(
                Clash("trainer", f"Giảng viên {name} đã dạy khóa {code} lúc {_fmt(a, b)}.")
            )
    if venue_id is not None:
        venue = s.get(Venue, venue_id)
        rows = s.execute(
            select(other.starts_at, other.ends_at, other_course.code)
            .join(other_course, other_course.id == other.course_id)
            .where(other.venue_id == venue_id, overlap)
        )
        for a, b, code in rows:
            found.append(
                Clash(
                    "venue",
                    f"{venue.name if venue else 'Địa điểm'} đã được khóa {code} "
                    f"đặt lúc {_fmt(a, b)}.",
                )
            )
        enrolled = s.scalar(
            select(func.count())
            .select_from(Enrolment)
            .where(Enrolment.course_id == course_id, Enrolment.status.in_(ACTIVE))
        )
        if venue and venue.capacity and enrolled and enrolled > venue.capacity:
            found.append(
                Clash(
                    "seats",
                    f"{venue.name} có {venue.capacity} chỗ, khóa học có {enrolled} người ghi danh.",
                )
            )
    mine = aliased(Enrolment)
    theirs = aliased(Enrolment)
    rows = s.execute(
        select(
            other_course.code,
            other.starts_at,
            other.ends_at,
            func.count(func.distinct(mine.person_id)),
            func.min(Person.full_name),
        )
        .select_from(mine)
        .join(theirs, and_(theirs.person_id == mine.person_id, theirs.course_id != mine.course_id))
        .join(other, other.course_id == theirs.course_id)
        .join(other_course, other_course.id == other.course_id)
        .join(Person, Person.id == mine.person_id)
        .where(
            mine.course_id == course_id, mine.status.in_(ACTIVE), theirs.status.in_(ACTIVE), overlap
        )
        .group_by(other_course.code, other.starts_at, other.ends_at)
    )
    for code, a, b, n, example in rows:
        found.append(
            Clash(
                "people",
                f"{n} học viên của khóa này (ví dụ {example}) cũng học khóa {code} "
                f"lúc {_fmt(a, b)}.",
            )
        )
    return found


def _gate(found: list[Clash], override_reason: str | None) -> str | None:
    """No clashes: fine. Clashes and a reason: keep both. Clashes alone: refuse."""
    if not found:
        return None
    if not (override_reason and override_reason.strip()):
        raise ClashesFound(found)
    summary = "; ".join(c.message for c in found)
    return names.nfc(f"{override_reason.strip()} [chấp nhận: {summary}]")[:2000]


# -- one session -----------------------------------------------------------------


def _check_trainers(s: Session, trainer_ids: Iterable[int]) -> None:
    wanted = set(trainer_ids)
    found = set(s.scalars(select(Person.id).where(Person.id.in_(wanted)))) if wanted else set()
    if wanted - found:
        missing = ", ".join(str(i) for i in sorted(wanted - found))
        raise InvalidValue(f"Không có người mã {missing} để phân công giảng dạy; chưa lưu gì.")


def _apply(s: Session, sess: CourseSession, form: SessionForm) -> None:
    sess.starts_at, sess.ends_at = form.starts_at, form.ends_at
    sess.venue_id, sess.mode = form.venue_id, SessionMode(form.mode)
    sess.online_link = (form.online_link or "").strip() or None
    sess.title = names.nfc(form.title.strip()) if form.title and form.title.strip() else None
    sess.grace_minutes, sess.note = form.grace_minutes, form.note
    s.flush()
    _check_trainers(s, form.trainer_ids)
    s.execute(delete(SessionTrainer).where(SessionTrainer.session_id == sess.id))
    for pid in dict.fromkeys(form.trainer_ids):
        s.add(SessionTrainer(session_id=sess.id, person_id=pid))
    topics = form.topic_ids
    if topics is None:
        topics = tuple(
            s.scalars(select(CourseTopic.topic_id).where(CourseTopic.course_id == sess.course_id))
        )
    facts.note_sessions(s, [sess.id])  # a topic dropped: the bulk delete is not seen
    s.execute(delete(SessionTopic).where(SessionTopic.session_id == sess.id))
    for tid in dict.fromkeys(topics):
        s.add(SessionTopic(session_id=sess.id, topic_id=tid))
    s.flush()


def add_session(
    s: Session, course_id: int, form: SessionForm, override_reason: str | None = None
) -> SessionRow:
    """Add one session; clashes refuse the save unless a reason is given."""
    access.require(s, "courses")
    _check_form(form)
    course = _course(s, course_id)
    found = clashes(s, course_id, form.starts_at, form.ends_at, form.venue_id, form.trainer_ids)
    reason = _gate(found, override_reason)
    sess = CourseSession(
        course_id=course_id,
        starts_at=form.starts_at,
        ends_at=form.ends_at,
        clash_override_reason=reason,
    )
    s.add(sess)
    s.flush()
    _apply(s, sess, form)
    touch(course)
    audit.record(
        s,
        "session.create",
        sess,
        after={"course": course.code, "at": form.starts_at},
        note=reason,
    )
    return session_row(s, sess.id)


def update_session(
    s: Session,
    session_id: int,
    form: SessionForm,
    version: int,
    override_reason: str | None = None,
) -> SessionRow:
    """Save an edited session (same clash check; its own slot is not a clash)."""
    access.require(s, "courses")
    _check_form(form)
    sess = _get(s, session_id)
    if sess.version != version:
        raise UserError("Buổi học vừa được người khác sửa; hãy mở lại rồi sửa tiếp.")
    found = clashes(
        s,
        sess.course_id,
        form.starts_at,
        form.ends_at,
        form.venue_id,
        form.trainer_ids,
        exclude={session_id},
    )
    reason = _gate(found, override_reason)
    before = {"starts_at": sess.starts_at, "ends_at": sess.ends_at, "venue_id": sess.venue_id}
    sess.clash_override_reason = reason
    _apply(s, sess, form)
    audit.record(
        s,
        "session.update",
        sess,
        before=before,
        after={"starts_at": sess.starts_at, "ends_at": sess.ends_at, "venue_id": sess.venue_id},
        note=reason,
    )
    return session_row(s, session_id)


def _get(s: Session, session_id: int) -> CourseSession:
    sess = s.get(CourseSession, session_id)
    if sess is None:
        raise UserError(f"Không có buổi học mã {session_id}.")
    return sess


def form_of(s: Session, session_id: int) -> tuple[SessionForm, int, int]:
    """The dialog's values, the version and the course."""
    x = _get(s, session_id)
    trainers = tuple(
        s.scalars(select(SessionTrainer.person_id).where(SessionTrainer.session_id == x.id))
    )
    topics = tuple(s.scalars(select(SessionTopic.topic_id).where(SessionTopic.session_id == x.id)))
    form = SessionForm(
        x.starts_at.date(),
        x.starts_at.time(),
        x.ends_at.time(),
        x.venue_id,
        x.mode.value,
        x.online_link,
        trainers,
        topics,
        x.title,
        x.grace_minutes,
        x.note,
    )
    return form, x.version, x.course_id


def move_session(
    s: Session, session_id: int, new_start: datetime, override_reason: str | None = None
) -> SessionRow:
    """Move to another day or time, keeping the length; the clash check applies."""
    access.require(s, "courses")
    form, version, _ = form_of(s, session_id)
    length = datetime.combine(form.day, form.end) - datetime.combine(form.day, form.start)
    end = new_start + length
    if end.date() != new_start.date():
        raise InvalidValue("Buổi học phải bắt đầu và kết thúc trong cùng một ngày.")
    moved = replace(form, day=new_start.date(), start=new_start.time(), end=end.time())
    return update_session(s, session_id, moved, version, override_reason)


def copy_session(
    s: Session, session_id: int, new_day: date, override_reason: str | None = None
) -> SessionRow:
    """The same session (times, place, trainers, topics) on another day."""
    access.require(s, "courses")
    form, _version, course_id = form_of(s, session_id)
    return add_session(s, course_id, replace(form, day=new_day), override_reason)


def delete_session(s: Session, session_id: int) -> None:
    """Remove a session that has no attendance yet."""
    access.require(s, "courses")
    sess = _get(s, session_id)
    if s.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.session_id == session_id)
    ):
        raise UserError(
            f"Buổi {_fmt(sess.starts_at, sess.ends_at)} đã có điểm danh nên không xóa được."
        )
    audit.record(
        s,
        "session.delete",
        sess,
        before={"starts_at": sess.starts_at, "course_id": sess.course_id},
    )
    s.delete(sess)
    s.flush()


# -- series ----------------------------------------------------------------------


def series_dates(pattern: SeriesPattern) -> tuple[list[date], list[tuple[date, str]]]:
    """The dates of a series and the holidays it skipped."""
    if not pattern.weekdays:
        raise InvalidValue("Hãy chọn ít nhất một thứ trong tuần.")
    if pattern.count is None and pattern.until is None:
        raise InvalidValue("Hãy cho số buổi hoặc ngày kết thúc của chuỗi buổi học.")
    if pattern.count is not None and pattern.count <= 0:
        raise InvalidValue("Số buổi phải lớn hơn 0.")
    if pattern.until is not None and pattern.until < pattern.first_day:
        raise InvalidValue(
            f"Ngày kết thúc chuỗi {pattern.until:%d/%m/%Y} trước ngày bắt đầu {pattern.first_day:%d/%m/%Y}."
        )
    holidays = config.holidays()
    days: list[date] = []
    skipped: list[tuple[date, str]] = []
    day = pattern.first_day
    for _ in range(MAX_SERIES_DAYS):
        if pattern.until is not None and day > pattern.until:
            break
        if pattern.count is not None and len(days) >= pattern.count:
            break
        if day.weekday() in pattern.weekdays:
            if day in holidays:
                skipped.append((day, holidays[day]))
            else:
                days.append(day)
        day += timedelta(days=1)
    if not days:
        chosen = ", ".join(WEEKDAYS[d] for d in sorted(pattern.weekdays))
        raise InvalidValue(
            f"Chuỗi buổi học không có ngày nào ({chosen}, từ {pattern.first_day:%d/%m/%Y}"
            + (f" đến {pattern.until:%d/%m/%Y}" if pattern.until else "")
            + (
                f"; bỏ qua ngày lễ: {', '.join(f'{d:%d/%m}' for d, _ in skipped)}"
                if skipped
                else ""
            )
            + ")."
        )
    return days, skipped


def add_series(
    s: Session,
    course_id: int,
    pattern: SeriesPattern,
    template: SessionForm,
    override_reason: str | None = None,
) -> SeriesResult:
    """Sessions on chosen weekdays, same times, holidays skipped; all or none."""
    access.require(s, "courses")
    _check_form(template)
    days, skipped = series_dates(pattern)
    found: list[Clash] = []
    for day in days:
        form = replace(template, day=day)
        found += clashes(
            s, course_id, form.starts_at, form.ends_at, form.venue_id, form.trainer_ids
        )
    _gate(found, override_reason)
    created = [
        add_session(s, course_id, replace(template, day=day), override_reason) for day in days
    ]
    return SeriesResult(created, skipped)


# -- reading ---------------------------------------------------------------------


def session_rows(s: Session, session_ids: list[int]) -> list[SessionRow]:
    if not session_ids:
        return []
    found = s.execute(
        select(CourseSession, Course.code, Course.title, Venue.name)
        .join(Course, Course.id == CourseSession.course_id)
        .outerjoin(Venue, Venue.id == CourseSession.venue_id)
        .where(CourseSession.id.in_(session_ids))
    ).all()
    trainers: dict[int, list[tuple[int, str]]] = {}
    for sid, pid, name in s.execute(
        select(SessionTrainer.session_id, Person.id, Person.full_name)
        .join(Person, Person.id == SessionTrainer.person_id)
        .where(SessionTrainer.session_id.in_(session_ids))
        .order_by(Person.sort_key)
    ):
        trainers.setdefault(sid, []).append((pid, name))
    topics: dict[int, list[str]] = {}
    for sid, name in s.execute(
        select(SessionTopic.session_id, Topic.name)
        .join(Topic, Topic.id == SessionTopic.topic_id)
        .where(SessionTopic.session_id.in_(session_ids))
        .order_by(Topic.sort_order)
    ):
        topics.setdefault(sid, []).append(name)
    by_id = {}
    for x, code, title, venue in found:
        t = trainers.get(x.id, [])
        by_id[x.id] = SessionRow(
            x.id,
            x.course_id,
            code,
            title,
            x.title,
            x.starts_at,
            x.ends_at,
            x.venue_id,
            venue or "",
            x.mode.value,
            x.online_link,
            tuple(p for p, _ in t),
            ", ".join(n for _, n in t),
            ", ".join(topics.get(x.id, [])),
            x.clash_override_reason,
            x.version,
        )
    return [by_id[i] for i in session_ids if i in by_id]


def session_row(s: Session, session_id: int) -> SessionRow:
    return session_rows(s, [session_id])[0]


def course_sessions(s: Session, course_id: int) -> list[SessionRow]:
    """The sessions of a course in order (a trainer: only of a course they teach)."""
    access.require_course(s, "course", course_id)
    ids = list(
        s.scalars(
            select(CourseSession.id)
            .where(CourseSession.course_id == course_id)
            .order_by(CourseSession.starts_at)
        )
    )
    return session_rows(s, ids)


def between(
    s: Session,
    start: date,
    end: date,
    trainer_id: int | None = None,
    venue_id: int | None = None,
    unit_id: int | None = None,
    course_id: int | None = None,
) -> list[SessionRow]:
    """Sessions starting on start..end (inclusive), for the calendar and .ics files."""
    q = (
        select(CourseSession.id)
        .join(Course, Course.id == CourseSession.course_id)
        .where(
            CourseSession.starts_at >= datetime.combine(start, time()),
            CourseSession.starts_at < datetime.combine(end + timedelta(days=1), time()),
            Course.status != CourseStatus.CANCELLED,
        )
    )
    if trainer_id is not None:
        q = q.where(
            CourseSession.id.in_(
                select(SessionTrainer.session_id).where(SessionTrainer.person_id == trainer_id)
            )
        )
    if venue_id is not None:
        q = q.where(CourseSession.venue_id == venue_id)
    if course_id is not None:
        q = q.where(CourseSession.course_id == course_id)
    scope = access.course_scope(s)  # a trainer sees the courses they teach
    if scope is not None:
        q = q.where(CourseSession.course_id.in_(sorted(scope)))
    if unit_id is not None:
        from app.services.units import unit_scope

        q = q.where(Course.unit_id.in_(sorted(unit_scope(s, unit_id))))
    return session_rows(s, list(s.scalars(q.order_by(CourseSession.starts_at))))


def venues(s: Session) -> list[tuple[int, str, int | None]]:
    return [(v.id, v.name, v.capacity) for v in s.scalars(select(Venue).order_by(Venue.name))]


def trainers(s: Session) -> list[tuple[int, str]]:
    q = select(Person.id, Person.full_name).where(
        Person.is_trainer.is_(True), Person.archived_at.is_(None)
    )
    return [(pid, name) for pid, name in s.execute(q.order_by(Person.sort_key))]


def venue_by_name(s: Session, name: str) -> int:
    key = names.fold(name)
    for v in s.scalars(select(Venue)):
        if names.fold(v.name) == key:
            return v.id
    raise InvalidValue(f"Không có địa điểm “{name}”.")

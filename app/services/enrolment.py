"""Who is in a course: enrol people, a team or a filter; waitlist; withdraw; walk-ins;
finish a course by its completion rule."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import InvalidValue, UserError
from app.labels import number
from app.services import access, audit, completion, people, person_edit
from app.services.completion import FinishResult
from app.services.courses import ACTIVE, NeedsConfirmation, get_course, sessions_without_attendance
from app.services.people import ATTENDED, PeopleFilter
from app.vn import ids, names
from models import (
    Attendance,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Person,
    TeamMembership,
)
from models import Session as CourseSession
from models.base import utcnow


@dataclass(frozen=True)
class EnrolResult:
    registered: int
    waitlisted: int
    already: int
    rejoined: int = 0  # had withdrawn, enrolled again (within registered or waitlisted)

    def describe(self) -> str:
        text = f"Ghi danh {number(self.registered)} người"
        if self.waitlisted:
            text += f", {number(self.waitlisted)} người vào danh sách chờ (đã đủ sĩ số)"
        if self.already:
            text += f"; {number(self.already)} người đã có trong lớp, giữ nguyên"
        if self.rejoined:
            text += (
                f"; trong đó {number(self.rejoined)} người đã rút khỏi khóa trước đây, nay được "
                "ghi danh lại"
            )
        return text + "."


@dataclass(frozen=True)
class EnrolmentRow:
    id: int
    person_id: int
    full_name: str
    birth_date: date | None
    phone: str | None
    unit: str
    status: str
    source: str
    registered_at: datetime
    pre_score: float | None
    post_score: float | None
    attended: int
    version: int


def _active_count(s: Session, course_id: int) -> int:
    return (
        s.scalar(
            select(func.count())
            .select_from(Enrolment)
            .where(Enrolment.course_id == course_id, Enrolment.status.in_(ACTIVE))
        )
        or 0
    )


def require_open(course: Course) -> None:
    """A finished or cancelled course takes nobody more."""
    if course.status in (CourseStatus.CANCELLED, CourseStatus.FINISHED):
        from app.labels import COURSE_STATUS

        raise UserError(
            f"Khóa học {course.code} {COURSE_STATUS[course.status.value].lower()}: không ghi danh thêm được."
        )


def enrol(s: Session, course_id: int, person_ids: list[int], source: str = "manual") -> EnrolResult:
    """Enrol people in order; past capacity they join the waitlist in that order."""
    access.require(s, "courses")
    course = get_course(s, course_id)
    require_open(course)
    existing = {
        pid: st
        for pid, st in s.execute(
            select(Enrolment.person_id, Enrolment.status).where(Enrolment.course_id == course_id)
        )
    }
    active = _active_count(s, course_id)
    registered = waitlisted = already = rejoined = 0
    for pid in dict.fromkeys(person_ids):
        if pid in existing and existing[pid] != EnrolmentStatus.WITHDRAWN:
            already += 1
            continue
        full = course.capacity is not None and active >= course.capacity
        status = EnrolmentStatus.WAITLISTED if full else EnrolmentStatus.REGISTERED
        if pid in existing:  # withdrawn earlier, back again
            rejoined += 1
            e = s.scalars(
                select(Enrolment).where(
                    Enrolment.course_id == course_id, Enrolment.person_id == pid
                )
            ).one()
            e.status, e.registered_at, e.source = status, utcnow(), source
        else:
            people.get_person(s, pid)
            e = Enrolment(
                course_id=course_id,
                person_id=pid,
                status=status,
                source=source,
                registered_at=utcnow(),
            )
            s.add(e)
        s.flush()
        audit.record(
            s,
            "enrolment.create",
            e,
            after={"course_id": course_id, "person_id": pid, "status": status.value},
        )
        if full:
            waitlisted += 1
        else:
            registered += 1
            active += 1
    return EnrolResult(registered, waitlisted, already, rejoined)


def enrol_team(s: Session, course_id: int, team_id: int) -> EnrolResult:
    """Everyone currently in the team."""
    access.require(s, "courses")
    members = list(
        s.scalars(
            select(TeamMembership.person_id)
            .join(Person, Person.id == TeamMembership.person_id)
            .where(
                TeamMembership.team_id == team_id,
                TeamMembership.left_on.is_(None),
                Person.archived_at.is_(None),
            )
            .order_by(Person.sort_key)
        )
    )
    if not members:
        raise InvalidValue(f"Tổ mã {team_id} không có thành viên nào đang hoạt động.")
    return enrol(s, course_id, members, source="team")


def enrol_filter(s: Session, course_id: int, f: PeopleFilter, limit: int = 5_000) -> EnrolResult:
    """Everyone the people filter finds (say, hamlet heads of a commune not yet trained)."""
    found = people.ids_matching(s, f, limit=limit + 1)
    if len(found) > limit:
        raise InvalidValue(f"Bộ lọc khớp hơn {limit} người; hãy lọc hẹp hơn.")
    if not found:
        raise InvalidValue("Bộ lọc không khớp ai.")
    return enrol(s, course_id, found, source="filter")


def withdraw(s: Session, enrolment_id: int, reason: str | None = None) -> str | None:
    """Withdraw someone; the first on the waitlist takes the place. Returns who moved up."""
    access.require(s, "courses")
    e = s.get(Enrolment, enrolment_id)
    if e is None:
        raise UserError("Không có lượt ghi danh này.")
    if e.status == EnrolmentStatus.WITHDRAWN:
        return None
    was_active = e.status in ACTIVE
    before = e.status.value
    e.status = EnrolmentStatus.WITHDRAWN
    s.flush()
    audit.record(
        s,
        "enrolment.withdraw",
        e,
        before={"status": before},
        after={"status": "withdrawn"},
        note=reason,
    )
    if not was_active:
        return None
    nxt = s.scalars(
        select(Enrolment)
        .where(Enrolment.course_id == e.course_id, Enrolment.status == EnrolmentStatus.WAITLISTED)
        .order_by(Enrolment.registered_at, Enrolment.id)
        .limit(1)
    ).first()
    if nxt is None:
        return None
    nxt.status = EnrolmentStatus.REGISTERED
    s.flush()
    audit.record(
        s,
        "enrolment.promote",
        nxt,
        before={"status": "waitlisted"},
        after={"status": "registered"},
    )
    return s.get_one(Person, nxt.person_id).full_name


def walk_in(s: Session, course_id: int, full_name: str, phone: str | None) -> EnrolmentRow:
    """Someone who turned up unregistered: a name and a phone are enough (merge later)."""
    access.require(s, "courses")
    name = names.validate(full_name)
    clean_phone = ids.phone(phone) if phone and phone.strip() else None
    created = person_edit.create(
        s,
        person_edit.PersonForm(
            full_name=name, phone=clean_phone, note="Đến lớp không đăng ký trước"
        ),
    )
    course = get_course(s, course_id)
    require_open(course)
    e = Enrolment(
        course_id=course_id,
        person_id=created.id,
        status=EnrolmentStatus.REGISTERED,
        source="walk-in",
        registered_at=utcnow(),
    )
    s.add(e)
    s.flush()
    audit.record(s, "enrolment.walk_in", e, after={"course_id": course_id, "person_id": created.id})
    return roster(s, course_id, [e.id])[0]


def roster(s: Session, course_id: int, only: list[int] | None = None) -> list[EnrolmentRow]:
    """The course's people in Vietnamese order, with marks attended."""
    access.require_course(s, "attendance", course_id)
    from app.services.units import unit_labels

    attended = (
        select(func.count())
        .select_from(Attendance)
        .where(Attendance.enrolment_id == Enrolment.id, Attendance.status.in_(ATTENDED))
        .scalar_subquery()
    )
    q = (
        select(Enrolment, Person, attended)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.course_id == course_id)
    )
    if only is not None:
        q = q.where(Enrolment.id.in_(only))
    found = s.execute(q.order_by(Person.sort_key, Person.id)).all()
    labels = unit_labels(s, {p.unit_id for _, p, _ in found})
    return [
        EnrolmentRow(
            e.id,
            p.id,
            p.full_name,
            p.birth_date,
            p.phone,
            labels.get(p.unit_id, "") if p.unit_id else "",
            e.status.value,
            e.source,
            e.registered_at,
            e.pre_score,
            e.post_score,
            n,
            e.version,
        )
        for e, p, n in found
    ]


def finish(s: Session, course_id: int, confirm: bool = False) -> FinishResult:
    """Judge everyone by the course rule (attendance %, and the post-test score when the
    course has a test), then close; the result counts why people did not complete.

    A manual override (with its reason) wins over the rule. Refused, nothing written, for
    a course without sessions and when someone found not completed holds a certificate in
    force (completion.refuse_certified says which and what to do).
    """
    access.require(s, "courses")
    course = get_course(s, course_id)
    if course.status == CourseStatus.CANCELLED:
        raise UserError(f"Khóa học {course.code} đã hủy.")
    total = (
        s.scalar(
            select(func.count())
            .select_from(CourseSession)
            .where(CourseSession.course_id == course_id)
        )
        or 0
    )
    if total == 0:
        raise UserError(f"Khóa học {course.code} chưa có buổi học nào; không kết thúc được.")
    last_day = s.scalar(
        select(func.max(CourseSession.starts_at)).where(CourseSession.course_id == course_id)
    )
    judged = []  # (enrolment, what it lacks), before anything changes
    for e in s.scalars(
        select(Enrolment).where(Enrolment.course_id == course_id, Enrolment.status.in_(ACTIVE))
    ):
        present = (
            s.scalar(
                select(func.count())
                .select_from(Attendance)
                .where(Attendance.enrolment_id == e.id, Attendance.status.in_(ATTENDED))
            )
            or 0
        )
        missing = completion.shortfalls(
            present, total, course.min_attendance_pct, course.pass_score, e.post_score
        )
        if e.completion_override is not None:
            decided = e.completion_override == EnrolmentStatus.COMPLETED
            missing = [] if decided else [completion.DECIDED]
        judged.append((e, missing))
    completion.refuse_certified(s, course, {e.id: missing for e, missing in judged if missing})
    untaken = sessions_without_attendance(s, course_id)
    if untaken and not confirm:
        days = ", ".join(f"{x.starts_at:%d/%m/%Y}" for x in untaken[:10])
        raise NeedsConfirmation(
            f"{len(untaken)} buổi chưa điểm danh ({days}). Nếu vẫn kết thúc, người học sẽ bị tính "
            "vắng các buổi đó (dòng lệnh: thêm --yes)."
        )
    done = not_done = 0
    why: Counter[str] = Counter()
    for e, missing in judged:
        ok = not missing
        why.update(missing)
        before = e.status.value
        e.status = EnrolmentStatus.COMPLETED if ok else EnrolmentStatus.NOT_COMPLETED
        e.completed_on = (last_day.date() if last_day else course.end_date) if ok else None
        if before != e.status.value:
            audit.record(
                s,
                "enrolment.result",
                e,
                before={"status": before},
                after={"status": e.status.value},
            )
        done, not_done = done + ok, not_done + (not ok)
    before_status = course.status.value
    course.status = CourseStatus.FINISHED
    s.flush()
    audit.record(
        s,
        "course.finish",
        course,
        before={"status": before_status},
        after={"status": "finished"},
    )
    reasons = tuple((key, why[key]) for key in completion.REASONS if why[key])
    return FinishResult(
        done, not_done, total, course.code, course.min_attendance_pct, course.pass_score,
        course.score_scale, reasons,
    )  # fmt: skip

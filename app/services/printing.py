"""The plain data behind each printed document, read from the database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import labels
from app.documents.attendance_sheet import AttendanceSummary, SignInRow, SignInSheet, SummaryRow
from app.documents.badges import Badge, BadgeSheet
from app.documents.common import Heading
from app.documents.transcript import Transcript, TranscriptCourse
from app.services import (
    access,
    attendance,
    audit,
    checkin,
    outcomes,
    person_detail,
    scheduling,
    settings,
)
from app.services.courses import ACTIVE, get_course
from app.services.units import unit_labels
from models import Enrolment, Person


def heading(s: Session) -> Heading:
    """Who issues documents, from the settings (as they are named today)."""
    parent = settings.get(s, "issuer_parent")
    body = settings.get(s, "issuer") or "Sở Khoa học và Công nghệ"
    place = (
        settings.get(s, "place")
        or parent.upper().replace("UBND TỈNH", "").replace("UBND THÀNH PHỐ", "").strip().title()
    )
    return Heading(parent, body, place or "……")


def signer_title(s: Session) -> str:
    """The signer's title for a signature block, line for line as the certificate prints
    it, the body named after the last line: "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC SỞ …"."""
    lines = [x.strip() for x in settings.get(s, "signer_title").split("\n") if x.strip()]
    last = f"{lines.pop() if lines else ''} {settings.get(s, 'issuer')}".strip()
    return "\n".join([*lines, last])


def people_of(s: Session, course_id: int) -> list[tuple[Enrolment, Person]]:
    return [
        tuple(r)
        for r in s.execute(  # type: ignore[misc]
            select(Enrolment, Person)
            .join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.course_id == course_id, Enrolment.status.in_(ACTIVE))
            .order_by(Person.sort_key, Person.id)
        )
    ]


def sign_in_sheet(
    s: Session,
    course_id: int,
    session_number: int,
    blank_rows: int = 5,
    show_qr: bool = False,
    show_phones: bool = False,
) -> SignInSheet:
    """The sign-in sheet of one session, dated with its day; phones only when asked."""
    access.require_course(s, "print", course_id)
    course = get_course(s, course_id)
    column = attendance.session_by_number(s, course_id, session_number)
    row = scheduling.session_row(s, column.id)
    found = people_of(s, course_id)
    if show_qr:
        checkin.ensure_codes(s, [p.id for _, p in found])
    said = f"{len(found)} người, buổi {session_number}" + (
        ", có số điện thoại" if show_phones else ""
    )
    audit.disclosed(s, "print.sign_in_sheet", said, "courses", course_id)
    trainer_names = {
        pid: name
        for pid, name in s.execute(
            select(Person.id, Person.full_name).where(Person.id.in_(row.trainer_ids))
        )
    }
    rows = [
        SignInRow(
            p.full_name,
            str(p.birth_date.year) if p.birth_date else "",
            p.workplace or "",
            p.position or "",
            (p.phone or "") if show_phones else "",
            p.checkin_code,
        )
        for _, p in found
    ]
    return SignInSheet(
        heading(s),
        course.code,
        course.title,
        f"Buổi {session_number}",
        row.starts_at,
        row.ends_at,
        row.venue or ("Trực tuyến" if row.mode == "online" else ""),
        row.trainers,
        course.organiser,
        rows,
        blank_rows,
        show_qr,
        show_phones,
        tuple(trainer_names[i] for i in row.trainer_ids),
    )


def summary(s: Session, course_id: int, printed_on: date | None = None) -> AttendanceSummary:
    access.require_course(s, "print", course_id)
    audit.disclosed(s, "print.summary", "bảng tổng hợp điểm danh", "courses", course_id)
    g = attendance.grid(s, course_id)
    course = get_course(s, course_id)
    rule = f"chuyên cần ≥ {course.min_attendance_pct}%"
    if course.pass_score is not None:
        rule += f" và điểm cuối khóa ≥ {labels.score(course.pass_score)}/{course.score_scale}"
    # A session held where nobody is marked yet is not a session everyone missed: it is
    # shown as not yet taken and counted neither in the sessions held nor the shares.
    blank = {c.id for c in g.unmarked_held()}
    counted = [c.id for c in g.sessions if c.held and c.id not in blank]

    def share_held(r: attendance.GridRow) -> float | None:
        if not counted:
            return None
        came = sum(1 for i in counted if i in r.marks and r.marks[i].status in ("present", "late"))
        return 100 * came / len(counted)

    rows = [
        SummaryRow(
            r.full_name,
            [r.marks[c.id].status if c.id in r.marks else None for c in g.sessions],
            r.attended(),
            share_held(r),
            g.pct_planned(r),
            r.pre_score,
            r.post_score,
            g.result(r),
        )
        for r in g.rows
    ]
    return AttendanceSummary(
        heading(s),
        course.code,
        course.title,
        course.start_date,
        course.end_date,
        [c.starts_at for c in g.sessions],
        len(counted),
        rule,
        rows,
        signer_title(s),
        outcomes.improvement(s, course_id).average,
        printed_on,
        signer_name=settings.get(s, "signer_name"),
        unmarked=tuple(k for k, c in enumerate(g.sessions) if c.id in blank),
    )


def transcript(s: Session, person_id: int, printed_on: date | None = None) -> Transcript:
    access.require(s, "people")
    audit.disclosed(s, "print.transcript", "kết quả học tập", "people", person_id)
    d = person_detail.detail(s, person_id)
    r = d.row
    courses = [
        TranscriptCourse(
            c.code,
            c.title,
            c.start_date,
            c.end_date,
            c.sessions_attended,
            c.sessions_held,
            labels.score_decimal(c.pre_score),
            labels.score_decimal(c.post_score),
            labels.ENROLMENT_STATUS[c.enrolment_status],
        )
        for c in d.courses
    ]
    certs = [
        f"Số {c.serial} – khóa {c.course_code}, cấp ngày {c.issued_on:%d/%m/%Y}"
        + (" (đã thu hồi)" if c.status == "revoked" else "")
        for c in d.certificates
    ]
    return Transcript(
        heading(s),
        r.full_name,
        r.birth_text,
        r.unit,
        ", ".join(x for x in (r.position, r.workplace) if x),
        [m.team for m in d.memberships if m.left_on is None],
        courses,
        d.topics,
        certs,
        signer_title(s),
        printed_on,
    )


def badges(s: Session, course_id: int) -> BadgeSheet:
    access.require_course(s, "print", course_id)
    course = get_course(s, course_id)
    found = people_of(s, course_id)
    checkin.ensure_codes(s, [p.id for _, p in found])
    audit.disclosed(s, "print.badges", f"{len(found)} thẻ", "courses", course_id)
    s.flush()
    labels_ = unit_labels(s, {p.unit_id for _, p in found})
    items = [
        Badge(
            p.full_name,
            labels_.get(p.unit_id, "") if p.unit_id else (p.workplace or ""),
            p.checkin_code or "",
        )
        for _, p in found
    ]
    return BadgeSheet(course.title, course.organiser, items)

"""Who is working, and what their role lets them do, checked in the service layer.

The actor (app.actor) rides on the session (`Database.transaction` puts it in
`session.info`), so a service checks it without every signature carrying it. A process
that signed nobody in (a database without accounts, the tests) works as the local
administrator.

Roles:
- admin: everything, users, settings, unmasked IDs and exports, erasure, the audit trail;
- staff: all training data, citizen IDs masked;
- trainer: only the courses they teach (sessions they are a trainer of): attendance,
  scores, printing and the certificates of those courses (listing, previewing, printing
  again, their part of the register); issuing them only when an administrator allows
  it (certificate_rights); nothing else.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import LOCAL, ROLE_NAMES, Actor, acting
from app.errors import UserError
from models import Session as CourseSession
from models import SessionTrainer

# What each permission allows, in the words of the refusal ("… không được <words>").
PERMISSIONS: dict[str, tuple[frozenset[str], str]] = {
    "users": (frozenset({"admin"}), "quản lý tài khoản người dùng"),
    "settings": (frozenset({"admin"}), "thay đổi thiết lập"),
    "unmask": (frozenset({"admin"}), "xem đầy đủ số CCCD"),
    "erase": (frozenset({"admin"}), "xóa dữ liệu cá nhân theo yêu cầu"),
    "audit": (frozenset({"admin"}), "xem nhật ký thao tác"),
    "restore": (frozenset({"admin"}), "khôi phục cơ sở dữ liệu"),
    "backup": (frozenset({"admin"}), "sao lưu cơ sở dữ liệu"),
    "people": (frozenset({"admin", "staff"}), "xem và sửa danh sách học viên"),
    "teams": (frozenset({"admin", "staff"}), "sửa Tổ công nghệ số cộng đồng"),
    "courses": (frozenset({"admin", "staff"}), "lập và sửa khóa học"),
    "import": (frozenset({"admin", "staff"}), "nhập dữ liệu từ Excel"),
    "export": (frozenset({"admin", "staff"}), "xuất danh sách"),
    "certificates": (frozenset({"admin", "staff"}), "cấp, thu hồi giấy chứng nhận"),
    "revoke": (frozenset({"admin", "staff"}), "thu hồi hay cấp lại giấy chứng nhận"),
    "publish": (frozenset({"admin", "staff"}), "xuất trang tra cứu giấy chứng nhận"),
    "reports": (frozenset({"admin", "staff"}), "xem báo cáo tổng hợp"),
    # For a trainer, only in a course they teach (require_course):
    "course": (frozenset({"admin", "staff", "trainer"}), "xem khóa học và lịch học"),
    "attendance": (frozenset({"admin", "staff", "trainer"}), "điểm danh"),
    "scores": (frozenset({"admin", "staff", "trainer"}), "nhập điểm"),
    "print": (frozenset({"admin", "staff", "trainer"}), "in danh sách, giấy chứng nhận"),
}


class Forbidden(UserError):
    """The role does not allow it; nothing was written."""


def current(s: Session) -> Actor:
    """The actor of this transaction, with the role their account has now (an
    administrator may have changed it since they signed in)."""
    actor = acting(s.info.get("actor"))
    if actor.user_id is None or s.info.get("actor_checked"):
        return actor
    from models import User

    row = s.execute(
        select(User.role, User.active, User.person_id).where(User.id == actor.user_id)
    ).first()
    if row is None or not row.active:
        raise Forbidden(f"Tài khoản “{actor.username}” đã bị khóa; hãy đăng nhập lại.")
    actor = Actor(actor.username, str(row.role.value), actor.full_name, row.person_id,
                  actor.user_id)  # fmt: skip
    s.info["actor"], s.info["actor_checked"] = actor, True
    return actor


def can(actor: Actor, permission: str) -> bool:
    return actor.role in PERMISSIONS[permission][0]


def require(s: Session, permission: str) -> Actor:
    """The actor, if their role allows the permission; else Forbidden in Vietnamese."""
    actor = current(s)
    if not can(actor, permission):
        raise Forbidden(f"Tài khoản {actor.label} không được {PERMISSIONS[permission][1]}.")
    return actor


def taught_course_ids(s: Session, actor: Actor) -> set[int]:
    if actor.person_id is None:
        return set()
    return set(
        s.scalars(
            select(CourseSession.course_id)
            .join(SessionTrainer, SessionTrainer.session_id == CourseSession.id)
            .where(SessionTrainer.person_id == actor.person_id)
            .distinct()
        )
    )


def require_course(s: Session, permission: str, course_id: int) -> Actor:
    """As require; a trainer also only in a course they teach."""
    actor = require(s, permission)
    if actor.role == "trainer" and course_id not in taught_course_ids(s, actor):
        raise Forbidden(
            f"Tài khoản {actor.label} chỉ được {PERMISSIONS[permission][1]} ở khóa mình dạy."
        )
    return actor


def course_scope(s: Session) -> set[int] | None:
    """The courses the actor may see: None for all, else a trainer's own."""
    actor = current(s)
    return taught_course_ids(s, actor) if actor.role == "trainer" else None


def require_own_schedule(s: Session, person_id: int) -> Actor:
    """A trainer's timetable (.ics): a trainer only their own; staff and administrators
    anyone's. Checked before the person is looked up, so a refusal tells nothing of them."""
    actor = require(s, "course")
    if actor.role == "trainer" and person_id != actor.person_id:
        raise Forbidden(f"Tài khoản {actor.label} chỉ được xuất lịch giảng của chính mình.")
    return actor


def require_enrolment(s: Session, permission: str, enrolment_id: int) -> Actor:
    """As require_course, for the course of an enrolment."""
    from models import Enrolment

    course_id = s.scalar(select(Enrolment.course_id).where(Enrolment.id == enrolment_id))
    if course_id is None:
        return require(s, permission)
    return require_course(s, permission, course_id)


def require_certificates(s: Session, certificate_ids: list[int]) -> Actor:
    """Printing certificates again: a trainer only those of the courses they teach."""
    from models import Certificate

    actor = require(s, "print")
    if actor.role == "trainer":
        courses = set(
            s.scalars(select(Certificate.course_id).where(Certificate.id.in_(certificate_ids)))
        )
        for course_id in courses:
            require_course(s, "print", course_id)
    return actor


__all__ = ["LOCAL", "ROLE_NAMES", "Actor", "acting"]  # where callers have found them

"""Who may do what with certificates, checked here for the window and the command line.

- Listing, previewing, printing again and the register: whoever may print; a trainer
  only for the courses they teach (sessions they are a trainer of).
- Issuing: staff and administrators. A trainer only when an administrator has turned on
  "trainers_issue" (Cài đặt), only for a finished course they teach, and never a new
  certificate in place of a revoked or replaced one: that follows a decision of the
  department's. The audit entry and the certificate name the trainer's account.
- Revoking and reissuing: staff and administrators (permission "revoke").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.services import access, settings
from app.services.access import Actor, Forbidden
from models import Course, CourseStatus

SETTING = "trainers_issue"


@dataclass(frozen=True)
class CertificateRights:
    """What the Chứng nhận page offers the one working (the services check again)."""

    issue: bool
    revoke: bool
    own_courses_only: bool  # a trainer: the courses they teach


def rights(s: Session) -> CertificateRights:
    actor = access.current(s)
    trainer = actor.role == "trainer"
    may_issue = access.can(actor, "certificates") or (trainer and settings.flag(s, SETTING))
    return CertificateRights(may_issue, access.can(actor, "revoke"), trainer)


def require_issue(s: Session, course_id: int, replacing: bool = False) -> Actor:
    """The actor, if they may issue certificates for the course; else Forbidden naming
    why. replacing: a new certificate in place of a revoked or replaced one."""
    actor = access.current(s)
    if actor.role != "trainer":
        return access.require(s, "certificates")
    if not settings.flag(s, SETTING):
        raise Forbidden(
            f"Tài khoản {actor.label} không được cấp giấy chứng nhận: việc cấp do cán bộ của "
            f"Sở làm. Người quản trị có thể bật “{settings.KEYS[SETTING].label}” ở trang "
            "Cài đặt."
        )
    course = s.get(Course, course_id)
    if course is None or course_id not in access.taught_course_ids(s, actor):
        which = f" ({course.code} không phải khóa mình dạy)" if course is not None else ""
        raise Forbidden(
            f"Tài khoản {actor.label} chỉ được cấp giấy chứng nhận cho khóa mình dạy{which}."
        )
    if course.status != CourseStatus.FINISHED:
        raise Forbidden(
            f"Khóa {course.code} chưa kết thúc: giảng viên chỉ cấp giấy chứng nhận cho khóa "
            "đã kết thúc (trang Khóa học → Kết thúc khóa)."
        )
    if replacing:
        raise Forbidden(
            f"Tài khoản {actor.label} không cấp được giấy mới thay giấy đã bị thu hồi hay đã "
            "cấp lại: việc đó do cán bộ hoặc người quản trị của Sở làm."
        )
    return actor


def scope(s: Session, course_id: int | None = None) -> set[int] | None:
    """The courses whose certificates the actor may see: the one asked for (a trainer
    only if they teach it), else a trainer's own; None for all."""
    access.require(s, "print")
    if course_id is not None:
        access.require_course(s, "print", course_id)
        return {course_id}
    return access.course_scope(s)

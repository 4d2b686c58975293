"""Printing the issued certificates of one course again (`taphuan certificates print`):
which ones, for whoever may see that course's certificates. The pages come from the
snapshots (certificates.reprint), so each is the very PDF issued."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.services import access
from app.services.certificates import CertificateRefused, by_serial, in_force_ids
from models import Course


def for_course(s: Session, course_id: int, serials: Sequence[str] = ()) -> list[int]:
    """The certificates in force of a course, in order of issue; with serials, only those
    (each must be of this course and in force)."""
    access.require_course(s, "print", course_id)
    if not serials:
        return in_force_ids(s, course_id)
    for serial in serials:
        if by_serial(s, serial).course_id != course_id:
            code = s.get_one(Course, course_id).code
            raise CertificateRefused(
                f"Giấy chứng nhận số {serial.strip()} không thuộc khóa {code}."
            )
    return in_force_ids(s, None, serials)

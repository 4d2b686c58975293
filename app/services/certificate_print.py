"""Printing the issued certificates of one course again (`taphuan certificates print`):
which ones, for whoever may see that course's certificates. The pages come from the
snapshots (certificates.reprint), so each is the very PDF issued."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import access
from app.services.certificates import CertificateRefused, in_force_ids
from models import Certificate, Course


def for_course(s: Session, course_id: int, serials: Sequence[str] = ()) -> list[int]:
    """The certificates in force of a course, in order of issue; with serials, only those
    (each must be of this course and in force)."""
    access.require_course(s, "print", course_id)
    if not serials:
        return in_force_ids(s, course_id)
    for serial in serials:  # one refusal for another course's and for none at all
        cert = s.scalars(select(Certificate).where(Certificate.serial == serial.strip())).first()
        if cert is None or cert.course_id != course_id:
            code = s.get_one(Course, course_id).code
            raise CertificateRefused(f"Khóa {code} không có giấy chứng nhận số “{serial.strip()}”.")
    return in_force_ids(s, None, serials)

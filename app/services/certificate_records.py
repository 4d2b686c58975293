"""Certificates as the register holds them: who may have one (eligible), the rows shown
(IssuedRow) and a certificate's status (valid, expiring, expired, revoked, replaced)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import labels
from app.errors import InvalidValue, UserError
from app.services import access
from app.services.courses import get_course
from models import Certificate, CertificateStatus, Enrolment, EnrolmentStatus, Person

SOON_DAYS = 60
CHUNK = 500  # values in one IN (…): well under SQLite's and PostgreSQL's limits
T = TypeVar("T")


class CertificateRefused(UserError):
    pass


@dataclass(frozen=True)
class Eligible:
    enrolment_id: int
    person_id: int
    full_name: str
    birth: str
    why: str
    certified: str | None  # serial of the certificate in force for this course
    revoked: str | None = None  # else, serial of a revoked one not yet replaced


@dataclass(frozen=True)
class IssuedRow:
    id: int
    serial: str
    verification_code: str
    full_name: str
    course_code: str
    issued_on: date
    status: str  # valid, revoked, replaced, expired, expiring
    expires_on: date | None
    replaces: str | None
    replaced_by: str | None
    revoked_reason: str | None


def eligible(s: Session, course_id: int) -> list[Eligible]:
    """Everyone who completed the course, with why, the certificate in force if any, else
    a revoked one that no reissue replaced."""
    access.require_course(s, "print", course_id)
    course = get_course(s, course_id)
    held: dict[int, str] = {}
    revoked: dict[int, str] = {}
    for e_id, serial, status in s.execute(
        select(Certificate.enrolment_id, Certificate.serial, Certificate.status)
        .where(Certificate.course_id == course_id, Certificate.replaced_at.is_(None))
        .order_by(Certificate.id)
    ):
        (held if status == CertificateStatus.VALID else revoked)[e_id] = serial
    found = s.execute(  # columns, not entities: a thousand rows read quickly
        select(
            Enrolment.id,
            Person.id,
            Enrolment.completion_override,
            Enrolment.override_reason,
            Enrolment.post_score,
            Person.full_name,
            Person.birth_date,
            Person.birth_year_only,
        )
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.course_id == course_id, Enrolment.status == EnrolmentStatus.COMPLETED)
        .order_by(Person.sort_key, Person.id)
    ).all()
    out = []
    for e_id, p_id, override, reason, score, full_name, born, year_only in found:
        why = "hoàn thành theo điều kiện của khóa"
        if override is not None:
            why = f"quyết định riêng: {reason}"
        elif score is not None:
            why += f", điểm cuối khóa {labels.score(score)}/{course.score_scale}"
        birth = "" if born is None else (str(born.year) if year_only else f"{born:%d/%m/%Y}")
        out.append(
            Eligible(
                e_id, p_id, full_name, birth, why, held.get(e_id),
                None if e_id in held else revoked.get(e_id),
            )
        )  # fmt: skip
    return out


def revoked_left_out(s: Session, course_id: int) -> list[Eligible]:
    """The rows of eligible() that issuing for everyone leaves out: no certificate in
    force, a revoked one no reissue replaced (read only when there are such)."""
    held: set[int] = set()
    revoked: set[int] = set()
    for e_id, status in s.execute(
        select(Certificate.enrolment_id, Certificate.status).where(
            Certificate.course_id == course_id, Certificate.replaced_at.is_(None)
        )
    ):
        (held if status == CertificateStatus.VALID else revoked).add(e_id)
    if not revoked - held:
        return []
    return [x for x in eligible(s, course_id) if x.certified is None and x.revoked]


def chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def by_serial(s: Session, serial: str) -> Certificate:
    cert = s.scalars(select(Certificate).where(Certificate.serial == serial.strip())).first()
    if cert is None:
        raise InvalidValue(f"Không có giấy chứng nhận số “{serial}”.")
    return cert


def expiry(expires_on: date | None, today: date) -> str:
    """The status of a certificate in force: valid, expiring or expired."""
    if expires_on and expires_on < today:
        return "expired"
    if expires_on and (expires_on - today).days <= SOON_DAYS:
        return "expiring"
    return "valid"


def status_of(
    s: Session, cert: Certificate, today: date | None = None, newer: str | bool | None = False
) -> tuple[str, str | None]:
    """The status and the serial replacing it, if any (newer: that serial when already
    looked up, None for none; False: look it up)."""
    today = today or date.today()
    if newer is False:
        newer = s.scalar(select(Certificate.serial).where(Certificate.replaces_id == cert.id))
    assert newer is not True
    if cert.status == CertificateStatus.REVOKED:
        return "revoked", newer
    if newer is not None or cert.replaced_at is not None:
        return "replaced", newer
    return expiry(cert.expires_on, today), None


def row_of(cert: Certificate, status: str, newer: str | None, older: str | None) -> IssuedRow:
    return IssuedRow(
        cert.id,
        cert.serial,
        cert.verification_code,
        cert.snapshot["full_name"],
        cert.snapshot["course_code"],
        cert.issued_on,
        status,
        cert.expires_on,
        older,
        newer,
        cert.revoked_reason,
    )


def issued_row(s: Session, cert: Certificate) -> IssuedRow:
    status, newer = status_of(s, cert)
    older = s.get(Certificate, cert.replaces_id).serial if cert.replaces_id else None  # type: ignore[union-attr]
    return row_of(cert, status, newer, older)


STATUS_TEXT = {
    "valid": "CÒN HIỆU LỰC",
    "expiring": "CÒN HIỆU LỰC (sắp hết hạn)",
    "expired": "HẾT HẠN",
    "revoked": "ĐÃ THU HỒI",
    "replaced": "ĐÃ ĐƯỢC CẤP LẠI",
}

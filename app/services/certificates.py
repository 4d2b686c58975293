"""Certificates: who may have one, issuing (serials, snapshot, SHA-256), reprint, verify,
revoke, reissue, the register.

Split by job: certificate_records (eligible, rows, status), certificate_snapshot (what is
printed), certificate_issue (issuing, reissuing); this module prints again, revokes and
lists, and names them all for its callers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.documents.certificate import CertificateData, render_one  # noqa: F401 - for callers
from app.errors import InvalidValue, UserError
from app.services import access, audit, certificate_rights, certificate_serials
from app.services.certificate_issue import (  # noqa: F401 - for callers
    AFTER_REVOKED_CHOICE,
    CODE_ALPHABET,
    CODE_LENGTH,
    Progress,
    issue,
    new_code,
    reissue,
    revoked_note,
)
from app.services.certificate_records import (  # noqa: F401 - for callers
    SOON_DAYS,
    STATUS_TEXT,
    CertificateRefused,
    Eligible,
    IssuedRow,
    by_serial,
    chunks,
    eligible,
    issued_row,
    status_of,
)
from app.services.certificate_snapshot import QR_PREFIX, data_of, snapshot_of  # noqa: F401
from app.vn import names
from models import Certificate, CertificateStatus
from models.base import utcnow


def _refuse_not_in_force(s: Session, cert: Certificate, newer: str | bool | None = False) -> None:
    """A revoked or replaced certificate's paper no longer counts: it is never printed
    again, by any path (window, command line, one file a person)."""
    status, newer = status_of(s, cert, newer=newer)
    if status in ("revoked", "replaced"):
        why = "đã bị thu hồi" if status == "revoked" else "đã được cấp lại"
        if newer:  # a revoked one reissued later: the reissue is another step
            why += f" bằng số {newer}" if status == "replaced" else f"; đã cấp lại bằng số {newer}"
        raise CertificateRefused(
            f"Giấy chứng nhận số {cert.serial} {why}; không in lại giấy không còn hiệu lực."
        )


def reprint(s: Session, certificate_ids: list[int]) -> list[tuple[CertificateData, str]]:
    """The printable data of issued certificates in force, from their snapshots; with file
    names. A revoked or replaced one is refused (CertificateRefused), nothing printed."""
    access.require_certificates(s, certificate_ids)
    held: dict[int, Certificate] = {}
    newer: dict[int, str] = {}
    for chunk in chunks(certificate_ids):
        held.update(
            (c.id, c) for c in s.scalars(select(Certificate).where(Certificate.id.in_(chunk)))
        )
        for old_id, serial in s.execute(
            select(Certificate.replaces_id, Certificate.serial).where(
                Certificate.replaces_id.in_(chunk)
            )
        ):
            newer[old_id] = serial
    found = []
    for cid in certificate_ids:
        cert = held.get(cid)
        if cert is None:
            raise UserError(f"Không có giấy chứng nhận mã {cid}.")
        _refuse_not_in_force(s, cert, newer.get(cid))
        found.append(cert)
    audit.disclosed(s, "print.certificates", f"{len(certificate_ids)} giấy chứng nhận",
                    "certificates", certificate_ids[0] if len(certificate_ids) == 1 else None)  # fmt: skip
    out = []
    for cert in found:
        out.append(
            (
                data_of(s, cert.snapshot),
                certificate_serials.file_name(cert.serial, cert.snapshot["full_name"]),
            )
        )
    return out


def in_force_ids(s: Session, course_id: int | None, serials: Sequence[str] = ()) -> list[int]:
    """Certificates to print again, in order: those in force for a course, and those named
    by serial (refused if revoked or replaced: that paper no longer counts)."""
    ids: list[int] = []
    if course_id is not None:
        access.require_course(s, "print", course_id)
        ids += s.scalars(
            select(Certificate.id)
            .where(
                Certificate.course_id == course_id,
                Certificate.status == CertificateStatus.VALID,
                Certificate.replaced_at.is_(None),
            )
            .order_by(Certificate.id)
        )
    for serial in serials:
        cert = _printable(s, serial)
        _refuse_not_in_force(s, cert)
        ids.append(cert.id)
    if not ids:
        raise CertificateRefused("Không có giấy chứng nhận nào còn hiệu lực để in lại.")
    return list(dict.fromkeys(ids))


def _printable(s: Session, serial: str) -> Certificate:
    """A certificate to print again by its serial. A trainer gets one refusal for a serial
    of another course and for one that does not exist: no telling which serials exist."""
    actor = access.require(s, "print")
    if actor.role != "trainer":
        return by_serial(s, serial)
    cert = s.scalars(select(Certificate).where(Certificate.serial == serial.strip())).first()
    if cert is None or cert.course_id not in access.taught_course_ids(s, actor):
        raise access.Forbidden(
            f"Tài khoản {actor.label} chỉ được {access.PERMISSIONS['print'][1]} ở khóa mình "
            f"dạy; các khóa đó không có giấy số “{serial.strip()}”."
        )
    return cert


def revoke(s: Session, serial: str, reason: str) -> IssuedRow:
    """Withdraw a certificate; the reason is required and kept, and verify reports it."""
    access.require(s, "revoke")
    if not reason or not reason.strip():
        raise InvalidValue("Hãy ghi lý do thu hồi giấy chứng nhận.")
    cert = by_serial(s, serial)
    if cert.status == CertificateStatus.REVOKED:
        raise CertificateRefused(f"Giấy chứng nhận số {cert.serial} đã bị thu hồi trước đó.")
    cert.status, cert.revoked_at, cert.revoked_reason = (
        CertificateStatus.REVOKED,
        utcnow(),
        names.nfc(reason.strip()),
    )
    s.flush()
    audit.record(
        s,
        "certificate.revoke",
        cert,
        before={"status": "valid"},
        after={"status": "revoked"},
        note=cert.revoked_reason,
    )
    return issued_row(s, cert)


def listing(
    s: Session, course_id: int | None = None, year: int | None = None, search: str = ""
) -> list[IssuedRow]:
    """Issued certificates in order of issue (a trainer: of the courses they teach)."""
    courses = certificate_rights.scope(s, course_id)
    q = select(Certificate)
    if courses is not None:
        q = q.where(Certificate.course_id.in_(sorted(courses)))
    if year is not None:
        q = q.where(
            Certificate.issued_on >= date(year, 1, 1), Certificate.issued_on <= date(year, 12, 31)
        )
    rows = [issued_row(s, c) for c in s.scalars(q.order_by(Certificate.issued_on, Certificate.id))]
    words = names.fold(search).split()
    if words:
        rows = [
            r
            for r in rows
            if all(w in names.fold(f"{r.serial} {r.full_name} {r.course_code}") for w in words)
        ]
    return rows

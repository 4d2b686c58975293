"""Signed certificate files (ký số) in the register: the SHA-256 of each signed PDF written
and who signed it (the signer certificate's subject, serial and validity)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import audit
from models import Certificate, CertificateSignature

if TYPE_CHECKING:  # pyHanko is loaded when something is signed
    from app.signing.pdf import SignedFile


@dataclass(frozen=True)
class SignatureRow:
    certificate_id: int
    sha256: str
    signer_subject: str
    signer_serial: str
    signer_valid_from: datetime
    signer_valid_to: datetime
    signed_at: datetime  # UTC


def _utc(moment: datetime) -> datetime:
    """UTC without an offset, as every DateTime column here holds it."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _row(sig: CertificateSignature) -> SignatureRow:
    return SignatureRow(
        sig.certificate_id,
        sig.sha256,
        sig.signer_subject,
        sig.signer_serial,
        sig.signer_valid_from,
        sig.signer_valid_to,
        sig.signed_at,
    )


def record(s: Session, certificate_id: int, signed: SignedFile) -> SignatureRow:
    """Keep a signed file's SHA-256 and signer for a certificate (audited)."""
    cert = s.get_one(Certificate, certificate_id)
    sig = CertificateSignature(
        certificate_id=cert.id,
        sha256=signed.sha256,
        signer_subject=signed.cert.subject[:400],
        signer_serial=signed.cert.serial[:80],
        signer_valid_from=_utc(signed.cert.valid_from),
        signer_valid_to=_utc(signed.cert.valid_to),
        signed_at=_utc(signed.signed_at),
    )
    s.add(sig)
    s.flush()
    audit.record(
        s,
        "certificate.sign",
        cert,
        after={
            "serial": cert.serial,
            "sha256": signed.sha256,
            "signer": signed.cert.subject,
            "signer_serial": signed.cert.serial,
        },
    )
    return _row(sig)


def signatures(s: Session, certificate_id: int) -> list[SignatureRow]:
    """Every signed file recorded for a certificate, oldest first."""
    q = (
        select(CertificateSignature)
        .where(CertificateSignature.certificate_id == certificate_id)
        .order_by(CertificateSignature.id)
    )
    return [_row(x) for x in s.scalars(q)]


def signed_ids(s: Session, certificate_ids: list[int]) -> set[int]:
    """Which of these certificates have at least one signed file."""
    if not certificate_ids:
        return set()
    q = select(CertificateSignature.certificate_id).where(
        CertificateSignature.certificate_id.in_(certificate_ids)
    )
    return set(s.scalars(q))


def ids_by_serial(s: Session, serials: list[str]) -> dict[str, int]:
    """Certificate ids by serial number."""
    q = select(Certificate.serial, Certificate.id).where(Certificate.serial.in_(serials))
    return {serial: cid for serial, cid in s.execute(q)}

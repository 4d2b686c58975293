"""Issued certificates: historical documents, never rewritten."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Versioned, enum_column
from models.enums import CertificateStatus

# Valid and not replaced by a reissue: the one certificate in force for its enrolment.
IN_FORCE = "status = 'valid' AND replaced_at IS NULL"


class Certificate(Versioned, Base):
    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint(
            "status <> 'revoked' OR (revoked_reason IS NOT NULL AND revoked_at IS NOT NULL)",
            "revocation",
        ),
        CheckConstraint("replaces_id IS NULL OR replaces_id <> id", "not_self"),
        Index("ix_certificates_enrolment_id", "enrolment_id"),
        Index("ix_certificates_person_id", "person_id"),
        Index("ix_certificates_course_id", "course_id"),
        Index("ix_certificates_replaces_id", "replaces_id"),
        Index("ux_certificates_register_no", "register_no", unique=True),
        # At most one valid certificate in force per enrolment, whatever runs at once.
        Index(
            "ux_certificates_in_force",
            "enrolment_id",
            unique=True,
            sqlite_where=text(IN_FORCE),
            postgresql_where=text(IN_FORCE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    verification_code: Mapped[str] = mapped_column(String(40), unique=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="RESTRICT"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="RESTRICT"))
    status: Mapped[CertificateStatus] = mapped_column(
        enum_column(CertificateStatus, "certificate_status"), default=CertificateStatus.VALID
    )
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(60))
    # Everything printed, as it was named that day (person, course, issuing body, signer).
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="RESTRICT")
    )
    expires_on: Mapped[date | None] = mapped_column(Date)
    # When a reissue took its place (set on the old certificate, valid or revoked).
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Số vào sổ: its line in the register, from RegisterCounter, never reused. Filled for
    # every certificate (0011 numbered the older ones in order of issue); the column stays
    # nullable only because SQLite cannot tighten it without rebuilding the table.
    register_no: Mapped[int | None] = mapped_column(Integer)


class SerialCounter(Base):
    """The last serial number given in a year (year 0: for patterns without {year}, which
    never restart): numbers come from here, never max() + 1."""

    __tablename__ = "serial_counters"
    __table_args__ = (CheckConstraint("last >= 0", "last_not_negative"),)

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class RegisterCounter(Base):
    """The last "số vào sổ" given (one row, id 1): the register's own count, which never
    restarts, apart from the serials (whose patterns may count from 1 each year)."""

    __tablename__ = "register_counter"
    __table_args__ = (
        CheckConstraint("id = 1", "one_row"),
        CheckConstraint("last >= 0", "last_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class CertificateSignature(Base):
    """A signed PDF of a certificate (ký số): the SHA-256 of the very file written and the
    signer certificate's subject, serial and validity. Signing again adds a row."""

    __tablename__ = "certificate_signatures"
    __table_args__ = (Index("ix_certificate_signatures_certificate_id", "certificate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="RESTRICT"))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    signer_subject: Mapped[str] = mapped_column(String(400))
    signer_serial: Mapped[str] = mapped_column(String(80))
    signer_valid_from: Mapped[datetime] = mapped_column(DateTime)
    signer_valid_to: Mapped[datetime] = mapped_column(DateTime)
    signed_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, like every DateTime here

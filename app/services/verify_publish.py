"""What the verification site publishes about each issued certificate: only what its
paper shows (holder's name, birth year, course, dates, serial, date of issue, issuer) and
its status today. Never a citizen ID, a phone, a full birth date, a unit or an email.

Certificates of a person whose data was erased on request are not published (the register
keeps them). Publishing is a disclosure: records_to_publish puts it in the audit.

The revocation reason is published as recorded: the register keeps one reason, with no
public and private parts (`taphuan verify` shows it too); README and the user guide ask for
a reason fit to be public.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import access, audit
from app.services.certificate_records import status_of
from app.services.person_edit import ERASED_NAME
from app.verify_site.records import PublicRecord
from models import Certificate, Person

VIETNAM = timezone(timedelta(hours=7), "+07:00")  # no daylight saving
_YEAR = re.compile(r"(\d{4})\s*$")


def vietnam_now() -> datetime:
    return datetime.now(VIETNAM).replace(second=0, microsecond=0)


def _vietnam_day(utc: datetime | None) -> date | None:
    return None if utc is None else utc.replace(tzinfo=UTC).astimezone(VIETNAM).date()


def birth_year(printed: str | None) -> str | None:
    """The year of a birth date as the snapshot holds it ("1986" or "02/05/1986")."""
    found = _YEAR.search(printed or "")
    return found.group(1) if found else None


def public_records(s: Session, today: date | None = None) -> list[PublicRecord]:
    """Every issued certificate, in order of issue, as the site shows it (status on
    `today`, the date in Vietnam by default)."""
    access.require(s, "publish")
    today = today or datetime.now(VIETNAM).date()
    newer: dict[int, str] = {
        old: serial
        for old, serial in s.execute(
            select(Certificate.replaces_id, Certificate.serial).where(
                Certificate.replaces_id.is_not(None)
            )
        )
    }
    erased = set(
        s.scalars(
            select(Person.id).where(Person.full_name == ERASED_NAME, Person.citizen_id.is_(None))
        )
    )
    out = []
    for cert in s.scalars(select(Certificate).order_by(Certificate.issued_on, Certificate.id)):
        if cert.person_id in erased:
            # The register keeps the certificate; the public page does not show the name
            # of someone who asked for their data to be erased (it answers "not found").
            continue
        status, replaced_by = status_of(s, cert, today, newer.get(cert.id))
        snap = cert.snapshot or {}
        out.append(
            PublicRecord(
                code=cert.verification_code,
                serial=cert.serial,
                full_name=snap.get("full_name") or "",
                birth_year=birth_year(snap.get("birth_date")),
                course_title=snap.get("course_title") or "",
                period=snap.get("period") or "",
                issued_on=cert.issued_on,
                issuer=snap.get("issuer") or "",
                status="valid" if status == "expiring" else status,
                expires_on=cert.expires_on,
                revoked_on=_vietnam_day(cert.revoked_at) if status == "revoked" else None,
                revoked_reason=cert.revoked_reason if status == "revoked" else None,
                replaced_by=replaced_by,
            )
        )
    return out


def records_to_publish(s: Session, out: str, today: date | None = None) -> list[PublicRecord]:
    """public_records, with the disclosure in the audit (names and birth years made
    public) in the same transaction: committed before the folder is written."""
    records = public_records(s, today)
    audit.disclosed(
        s,
        "certificates.publish",
        f"Bắt đầu xuất trang tra cứu (công khai họ tên, năm sinh): {len(records)} giấy "
        f"chứng nhận vào {out}",
        entity="certificates",
    )
    return records

"""A certificate's snapshot: everything it prints, taken when it is issued, and the
printable data a snapshot gives back (images from the settings they were taken from)."""

from __future__ import annotations

import calendar
import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import labels
from app.documents.certificate import CertificateData
from app.services import (
    certificate_digest,
    certificate_qr,
    certificate_wording,
    settings,
    verify_links,
)
from models import Course, Enrolment, Person
from models import Session as CourseSession

QR_PREFIX = "TAPHUAN"  # the QR text of certificates issued before certificate_qr's form


def _result_text(course: Course, e: Enrolment) -> str:
    if e.post_score is not None:
        return f"Hoàn thành – điểm cuối khóa {labels.score(e.post_score)}/{course.score_scale}"
    return "Hoàn thành"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1

    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def common_of(s: Session, course: Course, on: date) -> dict:  # type: ignore[type-arg]
    """What every certificate of one issue prints alike: the issuing body, the signer,
    the course, its first venue, the design and the images (by digest)."""
    venue = ""
    first = s.scalars(
        select(CourseSession)
        .where(CourseSession.course_id == course.id)
        .order_by(CourseSession.starts_at)
        .limit(1)
    ).first()
    if first is not None and first.venue_id is not None:
        from models import Venue

        venue = s.get_one(Venue, first.venue_id).name
    expires = _add_months(on, course.validity_months) if course.validity_months else None
    return {
        "issuer_parent": settings.get(s, "issuer_parent"),
        "issuer": settings.get(s, "issuer"),
        "place": settings.get(s, "place"),
        "signer_title": settings.get(s, "signer_title"),
        "signer_name": settings.get(s, "signer_name"),
        "course_code": course.code,
        "course_title": course.title,
        "period": f"từ ngày {course.start_date:%d/%m/%Y} đến ngày {course.end_date:%d/%m/%Y}",
        "venue": venue,
        "legal_basis": course.legal_basis or "",
        "issued_on": on.isoformat(),
        "verify_url": settings.get(s, "verify_url"),
        "expires_on": expires.isoformat() if expires else None,
        "template": settings.get(s, "template"),
        # Images by digest: the settings' bytes are looked up again when printing.
        "images": {k: digest for k, (_data, digest) in _images(s).items()},
        certificate_digest.VERSION_KEY: certificate_digest.TEMPLATE_VERSION,
    }


def person_snapshot(
    common: dict,  # type: ignore[type-arg]
    course: Course,
    e: Enrolment,
    p: Person,
    unit: str,
    serial: str,
    code: str,
    register_no: int | None = None,
) -> dict:  # type: ignore[type-arg]
    """Everything printed, as it is today: editing the person, their team or the course
    later changes nothing here."""
    birth = (
        None
        if p.birth_date is None
        else (str(p.birth_date.year) if p.birth_year_only else f"{p.birth_date:%d/%m/%Y}")
    )
    return {
        **common,
        "full_name": p.full_name,
        "birth_date": birth,
        "salutation": certificate_wording.salutation(p.gender),
        "unit": unit,
        "result": _result_text(course, e),
        "grade": certificate_wording.grade(course, e.post_score),
        "serial": serial,
        "register_no": register_no,
        "verification_code": code,
        "qr_text": qr_text(common, p.full_name, serial, code),
    }


def qr_text(common: dict, full_name: str, serial: str, code: str) -> str:  # type: ignore[type-arg]
    """What the QR code of a certificate issued now holds: the verification address with
    the code, or (no address set) the text a phone shows as it is (certificate_qr)."""
    if common.get("verify_url"):
        return verify_links.link(common["verify_url"], code)
    on = date.fromisoformat(common["issued_on"])
    return certificate_qr.printed_text(serial, full_name, common["course_title"], on, code)


def snapshot_of(
    s: Session,
    course: Course,
    e: Enrolment,
    p: Person,
    serial: str,
    code: str,
    on: date,
    register_no: int | None = None,
) -> dict:  # type: ignore[type-arg]
    """One person's snapshot as issuing would take it today (the issue dialog's preview)."""
    unit = certificate_wording.unit_line(s, p, on)
    return person_snapshot(common_of(s, course, on), course, e, p, unit, serial, code, register_no)


def _images(s: Session) -> dict[str, tuple[bytes | None, str | None]]:
    """The settings' images and their digests (as snapshots name them), once a session."""
    found: dict[str, tuple[bytes | None, str | None]] = {}
    for key in settings.IMAGE_KEYS:
        data = settings.image(s, key)  # settings keeps the bytes (until one is set)
        known = s.info.get("certificate_images", {}).get(key)
        if known is None or known[0] is not data:
            known = (data, hashlib.sha256(data).hexdigest()[:16] if data else None)
            s.info.setdefault("certificate_images", {})[key] = known
        found[key] = known
    return found


def data_of(s: Session, snapshot: dict) -> CertificateData:  # type: ignore[type-arg]
    """The printable data from a snapshot (images from the settings they were taken from)."""
    current = _images(s)
    images = {k: data for k, (data, _digest) in current.items()}
    wanted = snapshot.get("images", {})
    for key, digest in wanted.items():
        now = current.get(key, (None, None))[1]
        if digest and now != digest:
            images[key] = None  # the image changed since: print without rather than with another
        if not digest:
            images[key] = None
    return CertificateData(
        issuer_parent=snapshot["issuer_parent"],
        issuer=snapshot["issuer"],
        place=snapshot["place"],
        signer_title=snapshot["signer_title"],
        signer_name=snapshot["signer_name"],
        full_name=snapshot["full_name"],
        birth_date=snapshot["birth_date"],
        unit=snapshot["unit"],
        course_title=snapshot["course_title"],
        period=snapshot["period"],
        venue=snapshot["venue"],
        result=snapshot["result"],
        serial=snapshot["serial"],
        issued_on=date.fromisoformat(snapshot["issued_on"]),
        verification_code=snapshot["verification_code"],
        qr_text=snapshot["qr_text"],
        verify_url=snapshot.get("verify_url", ""),
        expires_on=date.fromisoformat(snapshot["expires_on"])
        if snapshot.get("expires_on")
        else None,
        template=snapshot.get("template", "classic"),
        logo=images["logo"],
        signature=images["signature"],
        seal=images["seal"],
        background=images["background"],
        salutation=snapshot.get("salutation") or "",
        register_no=str(snapshot.get("register_no") or ""),
        legal_basis=snapshot.get("legal_basis") or "",
        grade=snapshot.get("grade") or "",
        template_version=snapshot.get(certificate_digest.VERSION_KEY, 1),
    )

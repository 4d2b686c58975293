"""Certificates: who may have one, issuing (serials, snapshot, SHA-256), reprint, verify,
revoke, reissue, the register."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import commands, labels
from app.documents.certificate import CertificateData, render_one  # noqa: F401 - for callers
from app.errors import InvalidValue, UserError
from app.services import (
    access,
    audit,
    certificate_digest,
    certificate_rights,
    certificate_serials,
    certificate_wording,
    settings,
    verify_links,
)
from app.services.courses import get_course
from app.vn import names
from models import (
    Certificate,
    CertificateStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Person,
)
from models import Session as CourseSession
from models.base import utcnow

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_LENGTH = 10
QR_PREFIX = "TAPHUAN"
SOON_DAYS = 60
Progress = Callable[[int, int], None]
CHUNK = 500  # values in one IN (…): well under SQLite's and PostgreSQL's limits
T = TypeVar("T")


AFTER_REVOKED_CHOICE = "Cấp giấy mới thay giấy đã bị thu hồi"


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


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


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
    found = s.execute(
        select(Enrolment, Person)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.course_id == course_id, Enrolment.status == EnrolmentStatus.COMPLETED)
        .order_by(Person.sort_key, Person.id)
    ).all()
    out = []
    for e, p in found:
        why = "hoàn thành theo điều kiện của khóa"
        if e.completion_override is not None:
            why = f"quyết định riêng: {e.override_reason}"
        elif e.post_score is not None:
            why += f", điểm cuối khóa {labels.score(e.post_score)}/{course.score_scale}"
        birth = (
            ""
            if p.birth_date is None
            else (str(p.birth_date.year) if p.birth_year_only else f"{p.birth_date:%d/%m/%Y}")
        )
        out.append(
            Eligible(
                e.id, p.id, p.full_name, birth, why, held.get(e.id),
                None if e.id in held else revoked.get(e.id),
            )
        )  # fmt: skip
    return out


def revoked_note(rows: list[Eligible], where: commands.Where) -> str:
    """Who issuing skips because their certificate was revoked, and what to do instead
    (the command named for the database `where` is)."""
    if not rows:
        return ""
    reissue = commands.command(where, "certificates reissue SỐ_HIỆU")
    who = ", ".join(f"{x.full_name} (số {x.revoked})" for x in rows)
    return (
        f"Không cấp giấy mới cho {len(rows)} người có giấy chứng nhận đã bị thu hồi: {who}. "
        f"Muốn cấp giấy mới thay giấy đã thu hồi thì dùng “{reissue}” "
        "hoặc chọn rõ trong hộp Cấp giấy chứng nhận."
    )


def _lock_course(s: Session, course_id: int) -> None:
    """Issuing for a course is one at a time: a second program waits here until the first
    commits, then sees what it issued (PostgreSQL; SQLite's writers already queue)."""
    s.execute(select(Course.id).where(Course.id == course_id).with_for_update())


def _result_text(course: Course, e: Enrolment) -> str:
    if e.post_score is not None:
        return f"Hoàn thành – điểm cuối khóa {labels.score(e.post_score)}/{course.score_scale}"
    return "Hoàn thành"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar

    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _common(s: Session, course: Course, on: date) -> dict:  # type: ignore[type-arg]
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


def _snapshot(
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
    verify_url = common["verify_url"]
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
        "qr_text": verify_links.link(verify_url, code)
        if verify_url
        else f"{QR_PREFIX}|{serial}|{code}",
    }


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
    return _snapshot(_common(s, course, on), course, e, p, unit, serial, code, register_no)


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


def issue(
    s: Session,
    course_id: int,
    enrolment_ids: list[int] | None,
    on: date | None = None,
    progress: Progress | None = None,
    replaces: Certificate | None = None,
    after_revoked: bool = False,
) -> list[IssuedRow]:
    """Issue certificates in one transaction: serials, snapshot, its SHA-256, audit.

    enrolment_ids None: everyone completed who holds no certificate, neither in force nor
    revoked (revoked_note says who was left out). A person whose certificate was revoked
    gets a new one only by an explicit choice (after_revoked) or a reissue (replaces);
    either way the new certificate replaces the revoked one. The database holds at most
    one certificate in force per enrolment, whatever else runs at the same time.

    No PDF is rendered here: the register keeps the SHA-256 of the canonical snapshot
    (certificate_digest), from which reprint renders the same bytes whenever asked.
    """
    certificate_rights.require_issue(s, course_id)
    _lock_course(s, course_id)
    missing = settings.missing_to_issue(s)
    if missing:
        raise CertificateRefused(
            "Chưa cấp được giấy chứng nhận: hãy đặt " + "; ".join(missing) + "."
        )
    course = get_course(s, course_id)
    on = on or date.today()
    candidates = {x.enrolment_id: x for x in eligible(s, course_id)}
    skipped: list[Eligible] = []
    if enrolment_ids is None:
        skipped = [x for x in candidates.values() if x.certified is None and x.revoked]
        enrolment_ids = [
            eid for eid, x in candidates.items() if x.certified is None and x.revoked is None
        ]
    if not enrolment_ids:
        raise CertificateRefused(
            f"Không có ai trong {course.code} đủ điều kiện mà chưa được cấp giấy chứng nhận."
            + (" " + revoked_note(skipped, s) if skipped else "")
        )
    # A pattern stored before the rules were strict is checked again: refused, not run.
    pattern = settings.check_pattern(settings.get(s, "serial_pattern"))
    olds = [_refused_or_replaced(s, course, candidates, eid, replaces, after_revoked)
            for eid in enrolment_ids]  # fmt: skip
    if any(old is not None for old in olds):
        for old in olds:  # no longer in force from now: the index allows the new ones
            if old is not None:
                old.replaced_at = utcnow()
        s.flush()
    count = len(enrolment_ids)
    first = certificate_serials.take(s, pattern, on.year, count)
    serials = [pattern.format(seq=first + i, year=on.year) for i in range(count)]
    for chunk in _chunks(serials):
        taken = s.scalar(select(Certificate.serial).where(Certificate.serial.in_(chunk)))
        if taken is not None:
            # Only a pattern changed to one an older pattern's serials look like gets here.
            raise CertificateRefused(
                f"Số hiệu {taken} đã được dùng cho một giấy chứng nhận khác. Hãy đổi mẫu số "
                "hiệu, ví dụ “{seq:04d}/{year}/GCN-SKHCN” "
                f"({commands.command(s, 'settings set serial_pattern …')}). Chưa cấp gì."
            )
    codes = _new_codes(s, count)
    register_first = certificate_serials.take_register(s, count)
    found: dict[int, tuple[Enrolment, Person]] = {}
    for chunk in _chunks(enrolment_ids):
        for e, p in s.execute(
            select(Enrolment, Person)
            .join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.id.in_(chunk))
        ):
            found[e.id] = (e, p)
    units = certificate_wording.unit_lines(s, [p for _e, p in found.values()], on)
    common = _common(s, course, on)
    who = audit.who(s)  # the account signed in, if any
    certs: list[Certificate] = []
    for n, eid in enumerate(enrolment_ids):
        e, p = found[eid]
        snapshot = _snapshot(common, course, e, p, units[p.id], serials[n], codes[n],
                             register_first + n)  # fmt: skip
        old = olds[n]
        certs.append(Certificate(
            serial=serials[n], verification_code=codes[n], enrolment_id=eid, person_id=p.id,
            course_id=course.id, issued_on=on, issued_by=who, snapshot=snapshot,
            pdf_sha256=certificate_digest.snapshot_sha256(snapshot),
            replaces_id=old.id if old is not None else None, register_no=register_first + n,
            expires_on=date.fromisoformat(snapshot["expires_on"]) if snapshot["expires_on"] else None,
        ))  # fmt: skip
        if progress:
            progress(n + 1, count)
    s.add_all(certs)
    try:
        s.flush()
    except IntegrityError as exc:  # the partial unique index: someone was quicker
        who_else = found[enrolment_ids[0]][1].full_name if count == 1 else "Có người"
        raise CertificateRefused(
            f"{who_else} vừa được cấp giấy chứng nhận cho khóa {course.code} ở một máy "
            "khác cùng lúc; lần này không cấp gì. Hãy xem lại danh sách rồi cấp tiếp."
        ) from exc
    today = date.today()
    issued: list[IssuedRow] = []
    for cert, old in zip(certs, olds, strict=True):
        if old is not None:
            audit.record(s, "certificate.reissue", old, after={"replaced_by": cert.serial})
        audit.record(s, "certificate.issue", cert, after={
            "serial": cert.serial, "person_id": cert.person_id, "course": course.code,
            "sha256": cert.pdf_sha256,
        })  # fmt: skip
        issued.append(_row_of(cert, _expiry(cert.expires_on, today), None,
                              old.serial if old is not None else None))  # fmt: skip
    return issued


def _refused_or_replaced(
    s: Session,
    course: Course,
    candidates: dict[int, Eligible],
    eid: int,
    replaces: Certificate | None,
    after_revoked: bool,
) -> Certificate | None:
    """Why this enrolment gets no certificate (CertificateRefused), or the certificate the
    new one replaces (None: a first one)."""
    x = candidates.get(eid)
    if x is None:
        e = s.get(Enrolment, eid)
        who = s.get_one(Person, e.person_id).full_name if e else f"lượt ghi danh {eid}"
        raise CertificateRefused(
            f"{who} chưa hoàn thành khóa {course.code}; không cấp giấy chứng nhận."
        )
    if x.certified is not None and replaces is None:
        raise CertificateRefused(
            f"{x.full_name} đã được cấp giấy chứng nhận số {x.certified} cho khóa này; "
            "muốn sửa thì dùng cấp lại (reissue)."
        )
    if x.certified is not None and replaces is not None and x.certified != replaces.serial:
        raise CertificateRefused(  # e.g. a duplicate revoked by the 0008 upgrade
            f"{x.full_name} đang có giấy chứng nhận số {x.certified} còn hiệu lực cho khóa "
            f"này; không cấp lại giấy số {replaces.serial}. Muốn sửa thì cấp lại số "
            f"{x.certified}."
        )
    if replaces is None and x.revoked is not None:
        if not after_revoked:
            raise CertificateRefused(
                f"Giấy chứng nhận số {x.revoked} của {x.full_name} đã bị thu hồi; không cấp "
                "giấy mới trừ khi chọn rõ: dùng cấp lại "
                f"({commands.command(s, f'certificates reissue {x.revoked}')}) hoặc đánh dấu “{AFTER_REVOKED_CHOICE}” trong hộp Cấp giấy "
                "chứng nhận."
            )
        certificate_rights.require_issue(s, course.id, replacing=True)
        return by_serial(s, x.revoked)
    return replaces


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _new_codes(s: Session, count: int) -> list[str]:
    """count verification codes, none already used nor used twice."""
    codes: list[str] = []
    while len(codes) < count:
        fresh = list(dict.fromkeys(new_code() for _ in range(count - len(codes))))
        fresh = [c for c in fresh if c not in codes]
        used: set[str] = set()
        for chunk in _chunks(fresh):
            used.update(s.scalars(
                select(Certificate.verification_code).where(Certificate.verification_code.in_(chunk))
            ))  # fmt: skip
        codes += [c for c in fresh if c not in used]
    return codes


def _refuse_not_in_force(s: Session, cert: Certificate, newer: str | bool | None = False) -> None:
    """A revoked or replaced certificate's paper no longer counts: it is never printed
    again, by any path (window, command line, one file a person)."""
    status, newer = _status(s, cert, newer=newer)
    if status in ("revoked", "replaced"):
        why = "đã bị thu hồi" if status == "revoked" else "đã được cấp lại"
        why += f" bằng số {newer}" if newer else ""
        raise CertificateRefused(
            f"Giấy chứng nhận số {cert.serial} {why}; không in lại giấy không còn hiệu lực."
        )


def reprint(s: Session, certificate_ids: list[int]) -> list[tuple[CertificateData, str]]:
    """The printable data of issued certificates in force, from their snapshots; with file
    names. A revoked or replaced one is refused (CertificateRefused), nothing printed."""
    access.require_certificates(s, certificate_ids)
    held: dict[int, Certificate] = {}
    newer: dict[int, str] = {}
    for chunk in _chunks(certificate_ids):
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


def by_serial(s: Session, serial: str) -> Certificate:
    cert = s.scalars(select(Certificate).where(Certificate.serial == serial.strip())).first()
    if cert is None:
        raise InvalidValue(f"Không có giấy chứng nhận số “{serial}”.")
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


def reissue(s: Session, serial: str, on: date | None = None) -> IssuedRow:
    """A new certificate (new serial, today's data) replacing the old one, which says so."""
    access.require(s, "revoke")
    old = by_serial(s, serial)
    _lock_course(s, old.course_id)
    s.refresh(old)  # as it is now that nobody else issues for this course
    if s.scalar(select(Certificate.serial).where(Certificate.replaces_id == old.id)) is not None:
        raise CertificateRefused(f"Giấy chứng nhận số {old.serial} đã được cấp lại.")
    e = s.get_one(Enrolment, old.enrolment_id)
    if e.status != EnrolmentStatus.COMPLETED:
        raise CertificateRefused(
            "Người này không còn ở trạng thái hoàn thành khóa học; không cấp lại được."
        )
    (new,) = issue(s, old.course_id, [old.enrolment_id], on, replaces=old)
    return new


def _expiry(expires_on: date | None, today: date) -> str:
    """The status of a certificate in force: valid, expiring or expired."""
    if expires_on and expires_on < today:
        return "expired"
    if expires_on and (expires_on - today).days <= SOON_DAYS:
        return "expiring"
    return "valid"


def _status(
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
    return _expiry(cert.expires_on, today), None


def _row_of(cert: Certificate, status: str, newer: str | None, older: str | None) -> IssuedRow:
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
    status, newer = _status(s, cert)
    older = s.get(Certificate, cert.replaces_id).serial if cert.replaces_id else None  # type: ignore[union-attr]
    return _row_of(cert, status, newer, older)


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


STATUS_TEXT = {
    "valid": "CÒN HIỆU LỰC",
    "expiring": "CÒN HIỆU LỰC (sắp hết hạn)",
    "expired": "HẾT HẠN",
    "revoked": "ĐÃ THU HỒI",
    "replaced": "ĐÃ ĐƯỢC CẤP LẠI",
}

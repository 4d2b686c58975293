"""Certificates: who may have one, issuing (serials, snapshot, SHA-256), reprint, verify,
revoke, reissue, the register."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import labels
from app.documents.certificate import CertificateData, render_one
from app.errors import InvalidValue, UserError
from app.services import access, audit, settings
from app.services.courses import get_course
from app.services.units import unit_labels
from app.vn import names
from models import (
    Certificate,
    CertificateStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Person,
    SerialCounter,
)
from models import Session as CourseSession
from models.base import utcnow

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_LENGTH = 10
QR_PREFIX = "TAPHUAN"
SOON_DAYS = 60
Progress = Callable[[int, int], None]


class CertificateRefused(UserError):
    pass


@dataclass(frozen=True)
class Eligible:
    enrolment_id: int
    person_id: int
    full_name: str
    birth: str
    why: str
    certified: str | None  # serial of a certificate already held for this course


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


def ascii_file_name(serial_number: int, full_name: str) -> str:
    """ "0123_Nguyen-Thi-Thanh-Ha.pdf": safe on Windows, sorted by serial."""
    words = re.sub(r"[^a-z0-9 ]", "", names.fold(full_name)).split()
    return f"{serial_number:04d}_{'-'.join(w.capitalize() for w in words) or 'hoc-vien'}.pdf"


def eligible(s: Session, course_id: int) -> list[Eligible]:
    """Everyone who completed the course, with why, and any certificate already held."""
    access.require_course(s, "print", course_id)
    course = get_course(s, course_id)
    held = {
        e_id: serial
        for e_id, serial in s.execute(
            select(Certificate.enrolment_id, Certificate.serial).where(
                Certificate.course_id == course_id, Certificate.status == CertificateStatus.VALID
            )
        )
    }
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
        out.append(Eligible(e.id, p.id, p.full_name, birth, why, held.get(e.id)))
    return out


def _next_serial(s: Session, year: int) -> int:
    """Take the next number of the year from its counter row, locked until commit: a
    second program issuing at the same time waits for this one, then counts on from it.
    The year's row is created if missing without racing (INSERT … ON CONFLICT DO NOTHING),
    so two programs starting a new year cannot both create it."""
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    s.execute(
        upsert(SerialCounter)
        .values(year=year, last=0)
        .on_conflict_do_nothing(index_elements=[SerialCounter.year])
    )
    number = s.execute(
        update(SerialCounter)
        .where(SerialCounter.year == year)
        .values(last=SerialCounter.last + 1)
        .returning(SerialCounter.last)
    ).scalar_one()
    return int(number)


def _result_text(course: Course, e: Enrolment) -> str:
    if e.post_score is not None:
        return f"Hoàn thành – điểm cuối khóa {labels.score(e.post_score)}/{course.score_scale}"
    return "Hoàn thành"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar

    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _snapshot(
    s: Session, course: Course, e: Enrolment, p: Person, serial: str, code: str, on: date
) -> dict:  # type: ignore[type-arg]
    """Everything printed, as it is today: editing the person later changes nothing here."""
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
    unit = unit_labels(s, {p.unit_id}).get(p.unit_id, "") if p.unit_id else ""
    birth = (
        None
        if p.birth_date is None
        else (str(p.birth_date.year) if p.birth_year_only else f"{p.birth_date:%d/%m/%Y}")
    )
    verify_url = settings.get(s, "verify_url")
    expires = _add_months(on, course.validity_months) if course.validity_months else None
    return {
        "issuer_parent": settings.get(s, "issuer_parent"),
        "issuer": settings.get(s, "issuer"),
        "place": settings.get(s, "place"),
        "signer_title": settings.get(s, "signer_title"),
        "signer_name": settings.get(s, "signer_name"),
        "full_name": p.full_name,
        "birth_date": birth,
        "unit": unit or (p.workplace or ""),
        "course_code": course.code,
        "course_title": course.title,
        "period": f"từ ngày {course.start_date:%d/%m/%Y} đến ngày {course.end_date:%d/%m/%Y}",
        "venue": venue,
        "result": _result_text(course, e),
        "serial": serial,
        "issued_on": on.isoformat(),
        "verification_code": code,
        "qr_text": f"{verify_url}?ma={code}" if verify_url else f"{QR_PREFIX}|{serial}|{code}",
        "verify_url": verify_url,
        "expires_on": expires.isoformat() if expires else None,
        "template": settings.get(s, "template"),
        # Images by digest: the settings' bytes are looked up again when printing.
        "images": {
            k: hashlib.sha256(settings.image(s, k) or b"").hexdigest()[:16]
            if settings.image(s, k)
            else None
            for k in settings.IMAGE_KEYS
        },
    }


def data_of(s: Session, snapshot: dict) -> CertificateData:  # type: ignore[type-arg]
    """The printable data from a snapshot (images from the settings they were taken from)."""
    images = {k: settings.image(s, k) for k in settings.IMAGE_KEYS}
    wanted = snapshot.get("images", {})
    for key, digest in wanted.items():
        current = images.get(key)
        if digest and (current is None or hashlib.sha256(current).hexdigest()[:16] != digest):
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
    )


def issue(
    s: Session,
    course_id: int,
    enrolment_ids: list[int] | None,
    by: str,
    on: date | None = None,
    progress: Progress | None = None,
    replaces: Certificate | None = None,
) -> list[IssuedRow]:
    """Issue certificates in one transaction: serials, snapshot, SHA-256 of each PDF, audit.

    enrolment_ids None: everyone completed and not yet certified.
    """
    access.require(s, "certificates")
    missing = settings.missing_to_issue(s)
    if missing:
        raise CertificateRefused(
            "Chưa cấp được giấy chứng nhận: hãy đặt " + "; ".join(missing) + "."
        )
    course = get_course(s, course_id)
    on = on or date.today()
    candidates = {x.enrolment_id: x for x in eligible(s, course_id)}
    if enrolment_ids is None:
        enrolment_ids = [eid for eid, x in candidates.items() if x.certified is None]
    if not enrolment_ids:
        raise CertificateRefused(
            f"Không có ai trong {course.code} đủ điều kiện mà chưa được cấp giấy chứng nhận."
        )
    pattern = settings.get(s, "serial_pattern")
    issued: list[IssuedRow] = []
    for n, eid in enumerate(enrolment_ids, start=1):
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
        number = _next_serial(s, on.year)
        serial = pattern.format(seq=number, year=on.year)
        if s.scalar(select(Certificate.id).where(Certificate.serial == serial)) is not None:
            # The sequence restarts every year; a pattern without the year repeats itself.
            raise CertificateRefused(
                f"Số hiệu {serial} đã được dùng (năm trước). Hãy thêm {{year}} vào mẫu số hiệu, ví dụ "
                "“{seq:04d}/{year}/GCN-SKHCN” (taphuan settings set serial_pattern …). Chưa cấp gì."
            )
        code = new_code()
        while (
            s.scalar(select(Certificate.id).where(Certificate.verification_code == code))
            is not None
        ):
            code = new_code()
        e = s.get_one(Enrolment, eid)
        p = s.get_one(Person, e.person_id)
        snapshot = _snapshot(s, course, e, p, serial, code, on)
        pdf = render_one(data_of(s, snapshot))
        cert = Certificate(
            serial=serial,
            verification_code=code,
            enrolment_id=eid,
            person_id=p.id,
            course_id=course.id,
            issued_on=on,
            issued_by=by,
            snapshot=snapshot,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            replaces_id=replaces.id if replaces else None,
            expires_on=date.fromisoformat(snapshot["expires_on"])
            if snapshot["expires_on"]
            else None,
        )
        s.add(cert)
        s.flush()
        audit.record(
            s,
            by,
            "certificate.issue",
            cert,
            after={
                "serial": serial,
                "person_id": p.id,
                "course": course.code,
                "sha256": cert.pdf_sha256,
            },
        )
        issued.append(_row(s, cert))
        if progress:
            progress(n, len(enrolment_ids))
    return issued


SAMPLE_PERSON = {
    "full_name": "Nguyễn Thị Thanh Hà",
    "birth_date": "02/05/1986",
    "unit": "Ấp Tân Hòa, Xã Tân Ngãi, Tỉnh Vĩnh Long",
    "course_code": "MẪU",
    "course_title": "Kỹ năng số cho Tổ công nghệ số cộng đồng: dịch vụ công trực tuyến, "
    "định danh điện tử VNeID và thanh toán không dùng tiền mặt",
    "period": "từ ngày 02/03/2026 đến ngày 06/03/2026",
    "venue": "Hội trường UBND xã Tân Ngãi",
    "result": "Hoàn thành – điểm cuối khóa 9/10",
}
PREVIEW_CODE = "XEMTRUOC"


def preview(
    s: Session,
    values: dict[str, str] | None = None,
    images: dict[str, bytes | None] | None = None,
    enrolment_id: int | None = None,
    on: date | None = None,
) -> CertificateData:
    """What a certificate would look like, writing nothing: unsaved settings (values,
    images) over the saved ones; a real enrolment, or a sample trainee; the next serial."""
    on = on or date.today()
    values = {k: v for k, v in (values or {}).items() if k not in settings.IMAGE_KEYS}
    for key, value in values.items():
        values[key] = settings.normalise(key, value)
    pattern = values.get("serial_pattern") or settings.get(s, "serial_pattern")
    last = s.scalar(select(SerialCounter.last).where(SerialCounter.year == on.year)) or 0
    serial = pattern.format(seq=last + 1, year=on.year)
    if enrolment_id is not None:
        e = s.get_one(Enrolment, enrolment_id)
        course = get_course(s, e.course_id)
        p = s.get_one(Person, e.person_id)
        snapshot = _snapshot(s, course, e, p, serial, PREVIEW_CODE, on)
    else:
        snapshot = {
            **{k: settings.get(s, k) for k in ("issuer_parent", "issuer", "place")},
            **{k: settings.get(s, k) for k in ("signer_title", "signer_name", "template")},
            **SAMPLE_PERSON,
            "serial": serial,
            "issued_on": on.isoformat(),
            "verification_code": PREVIEW_CODE,
            "expires_on": None,
        }
    snapshot.update(values)
    url = values.get("verify_url", settings.get(s, "verify_url"))
    snapshot["verify_url"] = url
    snapshot["qr_text"] = (
        f"{url}?ma={PREVIEW_CODE}" if url else f"{QR_PREFIX}|{serial}|{PREVIEW_CODE}"
    )
    data = data_of(s, {**snapshot, "images": {}})  # no digests: today's saved images
    return replace(data, **(images or {}))


def number_of(cert_serial: str) -> int:
    digits = re.match(r"\D*(\d+)", cert_serial)
    return int(digits.group(1)) if digits else 0


def reprint(s: Session, certificate_ids: list[int]) -> list[tuple[CertificateData, str]]:
    """The printable data of issued certificates, from their snapshots; with file names."""
    access.require_certificates(s, certificate_ids)
    audit.disclosed(s, "print.certificates", f"{len(certificate_ids)} giấy chứng nhận",
                    "certificates", certificate_ids[0] if len(certificate_ids) == 1 else None)  # fmt: skip
    out = []
    for cid in certificate_ids:
        cert = s.get(Certificate, cid)
        if cert is None:
            raise UserError(f"Không có giấy chứng nhận mã {cid}.")
        out.append(
            (
                data_of(s, cert.snapshot),
                ascii_file_name(number_of(cert.serial), cert.snapshot["full_name"]),
            )
        )
    return out


def by_serial(s: Session, serial: str) -> Certificate:
    cert = s.scalars(select(Certificate).where(Certificate.serial == serial.strip())).first()
    if cert is None:
        raise InvalidValue(f"Không có giấy chứng nhận số “{serial}”.")
    return cert


def revoke(s: Session, serial: str, reason: str, by: str) -> IssuedRow:
    """Withdraw a certificate; the reason is required and kept, and verify reports it."""
    access.require(s, "certificates")
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
        by,
        "certificate.revoke",
        cert,
        before={"status": "valid"},
        after={"status": "revoked"},
        note=cert.revoked_reason,
    )
    return _row(s, cert)


def reissue(s: Session, serial: str, by: str, on: date | None = None) -> IssuedRow:
    """A new certificate (new serial, today's data) replacing the old one, which says so."""
    access.require(s, "certificates")
    old = by_serial(s, serial)
    if s.scalar(select(Certificate.serial).where(Certificate.replaces_id == old.id)) is not None:
        raise CertificateRefused(f"Giấy chứng nhận số {old.serial} đã được cấp lại.")
    e = s.get_one(Enrolment, old.enrolment_id)
    if e.status != EnrolmentStatus.COMPLETED:
        raise CertificateRefused(
            "Người này không còn ở trạng thái hoàn thành khóa học; không cấp lại được."
        )
    (new,) = issue(s, old.course_id, [old.enrolment_id], by, on, replaces=old)
    audit.record(s, by, "certificate.reissue", old, after={"replaced_by": new.serial})
    return new


def _status(s: Session, cert: Certificate, today: date | None = None) -> tuple[str, str | None]:
    today = today or date.today()
    newer = s.scalar(select(Certificate.serial).where(Certificate.replaces_id == cert.id))
    if cert.status == CertificateStatus.REVOKED:
        return "revoked", newer
    if newer is not None:
        return "replaced", newer
    if cert.expires_on and cert.expires_on < today:
        return "expired", None
    if cert.expires_on and (cert.expires_on - today).days <= SOON_DAYS:
        return "expiring", None
    return "valid", None


def _row(s: Session, cert: Certificate) -> IssuedRow:
    status, newer = _status(s, cert)
    older = s.get(Certificate, cert.replaces_id).serial if cert.replaces_id else None  # type: ignore[union-attr]
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


def listing(
    s: Session, course_id: int | None = None, year: int | None = None, search: str = ""
) -> list[IssuedRow]:
    access.require(s, "certificates")
    q = select(Certificate)
    if course_id is not None:
        q = q.where(Certificate.course_id == course_id)
    if year is not None:
        q = q.where(
            Certificate.issued_on >= date(year, 1, 1), Certificate.issued_on <= date(year, 12, 31)
        )
    rows = [_row(s, c) for c in s.scalars(q.order_by(Certificate.issued_on, Certificate.id))]
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


@dataclass(frozen=True)
class Verification:
    found: bool
    valid: bool
    message: str
    row: IssuedRow | None = None


def verify(s: Session, scanned: str) -> Verification:
    """A verification code, a serial, or a scanned QR text: who, what, when, and the status."""
    text_ = scanned.strip()
    code = None
    if text_.upper().startswith(QR_PREFIX + "|"):
        parts = text_.split("|")
        code = parts[2] if len(parts) >= 3 else None
    elif "ma=" in text_:
        code = text_.split("ma=", 1)[1].split("&")[0]
    cert = None
    if code:
        cert = s.scalars(
            select(Certificate).where(Certificate.verification_code == code.strip().upper())
        ).first()
    if cert is None and text_:
        cert = s.scalars(
            select(Certificate).where(
                (Certificate.verification_code == text_.upper()) | (Certificate.serial == text_)
            )
        ).first()
    if cert is None:
        return Verification(False, False, f"Không tìm thấy giấy chứng nhận nào khớp “{text_}”.")
    row = _row(s, cert)
    snap = cert.snapshot
    lines = [
        f"Giấy chứng nhận số {cert.serial}: {STATUS_TEXT[row.status]}",
        f"Người được cấp: {snap['full_name']}"
        + (f", sinh {snap['birth_date']}" if snap.get("birth_date") else ""),
        f"Khóa học: {snap['course_title']} ({snap['course_code']}), {snap['period']}",
        f"Ngày cấp: {cert.issued_on:%d/%m/%Y}; cơ quan cấp: {snap['issuer']}",
    ]
    if row.expires_on:
        lines.append(f"Có giá trị đến: {row.expires_on:%d/%m/%Y}")
    if row.status == "revoked":
        lines.append(f"Lý do thu hồi: {cert.revoked_reason}")
    if row.replaced_by:
        lines.append(f"Được thay bằng giấy chứng nhận số {row.replaced_by}")
    return Verification(True, row.status in ("valid", "expiring"), "\n".join(lines), row)


def register_lines(s: Session, year: int | None = None, course_id: int | None = None) -> list:  # type: ignore[type-arg]
    """The register's lines, in order of issue."""
    access.require(s, "certificates")
    from app.documents.register import RegisterLine

    lines = []
    for r in listing(s, course_id=course_id, year=year):
        cert = s.get_one(Certificate, r.id)
        note = {
            "revoked": f"Đã thu hồi: {r.revoked_reason}",
            "replaced": f"Cấp lại bằng số {r.replaced_by}",
        }.get(r.status, "")
        if r.replaces:
            note = (note + "; " if note else "") + f"thay số {r.replaces}"
        lines.append(
            RegisterLine(
                r.serial,
                r.full_name,
                cert.snapshot.get("birth_date") or "",
                f"{cert.snapshot['course_title']} ({r.course_code})",
                r.issued_on,
                note,
            )
        )
    return lines


def write_register(s: Session, out: Path, year: int, course_id: int | None = None) -> int:
    """Sổ cấp giấy chứng nhận of a year as PDF (by the suffix) or .xlsx/.csv; how many lines."""
    access.require(s, "certificates")
    from app.services import printing

    lines = register_lines(s, year=year, course_id=course_id)
    audit.disclosed(s, "print.register", f"năm {year}: {len(lines)} dòng vào {out.name}",
                    "certificates")  # fmt: skip
    if out.suffix.lower() == ".pdf":
        from app.documents.register import render_register

        heading, signer = printing.heading(s), printing.signer_title(s)
        with out.open("wb") as fh:
            render_register(heading, f"Năm {year}", lines, signer, fh, date.today())
        return len(lines)
    from app.documents.table_export import Column, write_table

    columns = [
        Column("Số hiệu", "code", 20),
        Column("Họ và tên", width=28),
        Column("Ngày sinh", "code", 12),
        Column("Khóa học", width=50),
        Column("Ngày cấp", "date", 12),
        Column("Ghi chú", width=30),
        Column("Người nhận ký", width=18),
    ]
    rows = ([x.serial, x.full_name, x.birth, x.course, x.issued_on, x.note, ""] for x in lines)
    write_table(out, f"Sổ cấp GCN {year}", columns, rows)
    return len(lines)

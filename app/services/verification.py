"""Tra cứu giấy chứng nhận: what a code, a serial or a scanned QR tells, and to whom.

Strict on purpose, since a paper can be forged around a real code:
- the QR text "GCN số serial · holder · course · cấp date · mã code" (certificate_qr) is
  valid only when serial and code are the same certificate and the whole text is the one
  printed on it (compared as NFC with whitespace collapsed): a name or a course written
  over a real code is refused;
- the QR `TAPHUAN|serial|code` (certificates issued before) is valid only when serial and
  code are the same certificate;
- a URL (`…?ma=CODE`, or `…?loai=gcn&ma=CODE`) is looked up only when it is the configured
  `verify_url` or the one printed on that very certificate (the department may have moved
  its site since): same scheme, host, path and other parameters (verify_links);
- the verification code printed on the paper shows the holder, the course and the status;
- a serial alone (a running number anyone can guess) tells staff and administrators the
  status and the course, never the holder; a trainer gets a refusal, the same whether the
  serial exists or not (what is not a verification code is refused unlooked-up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import access, certificate_qr, settings, verify_links
from app.services.certificates import (
    CODE_ALPHABET,
    CODE_LENGTH,
    QR_PREFIX,
    STATUS_TEXT,
    IssuedRow,
    issued_row,
)
from models import Certificate

_PRINTED_CODE = re.compile(r"[?&]ma=([^&#?]+)")


@dataclass(frozen=True)
class Verification:
    found: bool
    valid: bool
    message: str  # first line: the verdict; then the details
    row: IssuedRow | None = None  # only when the holder may be shown (code or QR)
    status: str | None = None  # valid, expiring, expired, revoked, replaced
    refused: bool = False  # recognised but not accepted: a forged QR, a foreign address…
    forbidden: bool = False  # a look-up the role may not make (a trainer's serial): exit 3


def _refused(message: str) -> Verification:
    return Verification(False, False, message, refused=True)


def _not_found(text_: str) -> Verification:
    return Verification(False, False, f"Không tìm thấy giấy chứng nhận nào khớp “{text_}”.")


def _by_code(s: Session, code: str) -> Certificate | None:
    return s.scalars(
        select(Certificate).where(Certificate.verification_code == code.strip().upper())
    ).first()


def _full(s: Session, cert: Certificate) -> Verification:
    """Everything printed on the paper, with today's status."""
    row = issued_row(s, cert)
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
    valid = row.status in ("valid", "expiring")
    return Verification(True, valid, "\n".join(lines), row, row.status)


BY_SERIAL_REFUSED = (
    "Tra cứu bằng số hiệu chỉ dành cho cán bộ và quản trị. Hãy nhập mã xác minh in trên giấy "
    "hoặc quét mã QR."
)


def _looks_like_code(text_: str) -> bool:
    return len(text_) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in text_.upper())


def _status_only(s: Session, cert: Certificate) -> Verification:
    """A serial alone: the status for staff and administrators; no holder for anyone."""
    row = issued_row(s, cert)
    lines = [
        f"Giấy chứng nhận số {cert.serial}: {STATUS_TEXT[row.status]}",
        f"Khóa học: {cert.snapshot['course_code']}; ngày cấp: {cert.issued_on:%d/%m/%Y}",
    ]
    if row.expires_on:
        lines.append(f"Có giá trị đến: {row.expires_on:%d/%m/%Y}")
    if row.replaced_by:
        lines.append(f"Được thay bằng giấy chứng nhận số {row.replaced_by}")
    lines.append(
        "Tra bằng số hiệu không hiện người được cấp: hãy nhập mã xác minh in trên giấy hoặc "
        "quét mã QR để đối chiếu họ tên."
    )
    valid = row.status in ("valid", "expiring")
    return Verification(True, valid, "\n".join(lines), None, row.status)


def _qr(s: Session, text_: str) -> Verification:
    parts = text_.split("|")
    if len(parts) != 3 or not parts[1].strip() or not parts[2].strip():
        return _refused(f"Mã QR “{text_}” không đúng dạng của giấy chứng nhận TapHuan.")
    serial, code = parts[1].strip(), parts[2].strip()
    cert = _by_code(s, code)
    if cert is None or cert.serial != serial:
        return _refused(
            f"Mã QR không hợp lệ: số hiệu {serial} và mã xác minh không thuộc cùng một giấy "
            "chứng nhận. Giấy này có thể đã bị sửa hoặc làm giả."
        )
    return _full(s, cert)


def _printed_text(s: Session, text_: str) -> Verification:
    """A QR text of certificate_qr's form: its serial and code one certificate, and the
    whole text the one printed on that certificate."""
    found = certificate_qr.parts(text_)
    if found is None:
        return _refused(f"Mã QR “{text_}” không đúng dạng của giấy chứng nhận TapHuan.")
    serial, code = found
    cert = _by_code(s, code)
    rest = certificate_qr.canonical(text_)[len(certificate_qr.PREFIX) :]
    if cert is None or not rest.startswith(cert.serial + certificate_qr.SEPARATOR):
        return _refused(
            f"Mã QR không hợp lệ: số hiệu {serial} và mã xác minh không thuộc cùng một giấy "
            "chứng nhận. Giấy này có thể đã bị sửa hoặc làm giả."
        )
    printed = cert.snapshot.get("qr_text") or ""
    if certificate_qr.canonical(text_) != certificate_qr.canonical(printed):
        return _refused(
            f"Mã QR không hợp lệ: nội dung không khớp với mã QR in trên giấy chứng nhận số "
            f"{cert.serial} (họ tên, khóa học hoặc ngày cấp đã bị sửa). Giấy này có thể đã "
            "bị sửa hoặc làm giả."
        )
    return _full(s, cert)


def _url(s: Session, text_: str) -> Verification:
    configured = settings.get(s, "verify_url")
    codes = verify_links.codes(text_)
    printed = _PRINTED_CODE.search(text_) if not codes else None
    if printed:  # a link as some earlier version printed it ("…?loai=gcn?ma=CODE")
        codes = [printed.group(1)]
    cert = _by_code(s, codes[0]) if len(codes) == 1 and codes[0] else None
    if cert is not None and text_ == cert.snapshot.get("qr_text"):
        return _full(s, cert)  # the very text printed on that certificate
    accepted = {verify_links.address(configured)} if configured else set()
    if cert is not None and cert.snapshot.get("verify_url"):
        accepted.add(verify_links.address(cert.snapshot["verify_url"]))  # printed on it
    if verify_links.address(text_) not in accepted:
        where = f"“{configured}”" if configured else "chưa đặt trong Cài đặt"
        return _refused(
            f"Địa chỉ “{text_}” không phải địa chỉ tra cứu của cơ quan cấp ({where}); "
            "không tra cứu theo nó."
        )
    if cert is None:
        return _not_found(text_)
    return _full(s, cert)


def verify(s: Session, scanned: str) -> Verification:
    """A verification code, a serial, or a scanned QR text (see the module's rules)."""
    text_ = scanned.strip()
    if not text_:
        return Verification(False, False, "Hãy nhập mã xác minh, số hiệu hoặc quét mã QR.")
    if text_.upper().startswith(QR_PREFIX + "|"):
        return _qr(s, text_)
    if certificate_qr.is_printed_form(text_):
        return _printed_text(s, text_)
    if "://" in text_:
        return _url(s, text_)
    cert = _by_code(s, text_)
    if cert is not None:
        return _full(s, cert)
    if not access.can(access.current(s), "certificates"):
        # No serial is looked up: whether one exists is told to nobody who may not ask.
        if _looks_like_code(text_):
            return _not_found(text_)
        return Verification(False, False, BY_SERIAL_REFUSED, refused=True, forbidden=True)
    cert = s.scalars(select(Certificate).where(Certificate.serial == text_)).first()
    if cert is not None:
        return _status_only(s, cert)
    return _not_found(text_)

"""Kiểm tra một tệp PDF đã ký số against the register: the file's own signature (app.signing
.check), then whether it is the very file the register recorded (its SHA-256 in
certificate_signatures), signed by the recorded signer, of a certificate still valid.

Who may see what: the register's holder is shown only when the file's hash is in the
register (the file itself carries the holder's name, so whoever holds it learns nothing
new). A file that is not the recorded one is matched to the certificate it claims to be
only by its printed verification code together with its serial (the QR rule of
verification.py); by the serial alone only for staff and administrators, and then without
the holder, as a serial look-up is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import access, sign_settings
from app.services.certificates import STATUS_TEXT, issued_row
from app.signing.check import PdfSignatureCheck, SignatureCheck, check_pdf
from app.signing.pdf import VIETNAM
from models import Certificate, CertificateSignature

_TITLE = re.compile(r"^Giấy chứng nhận (\S+)$")
_CODE = re.compile(r"Mã xác minh:\s*([0-9A-Z]+)")
NOT_A_CERTIFICATE = "Tệp này không phải giấy chứng nhận nào trong sổ cấp."
SIGNED_NOT_A_CERTIFICATE = (
    "Chữ ký số nguyên vẹn, nhưng tệp này không phải một giấy chứng nhận trong sổ cấp (có thể "
    "là báo cáo hay sổ cấp đã ký số)."
)


@dataclass(frozen=True)
class PdfVerification:
    valid: bool  # exit 0: intact over the whole file, the recorded file, certificate valid
    message: str  # first line: the verdict; then the details
    check: PdfSignatureCheck
    serial: str | None = None  # the certificate it is (by hash) or claims to be
    holder: str | None = None  # only when the file is the recorded one
    status: str | None = None  # valid, expiring, expired, revoked, replaced


def who(subject: str) -> str:
    """The common name in a subject as app.signing.types.rfc4514 writes it
    ("CN=Sở Khoa học và Công nghệ, O=…, C=VN"; a comma in a value is escaped "\\,")."""
    found = re.search(r"(?:^|, )CN=((?:\\.|[^,\\])*)", subject)
    return re.sub(r"\\(.)", r"\1", found.group(1)) if found else subject


def vietnam_time(moment: datetime) -> str:
    """dd/mm/yyyy HH:MM:SS giờ Việt Nam."""
    return f"{moment.astimezone(VIETNAM):%d/%m/%Y %H:%M:%S} giờ Việt Nam"


def _signature_lines(sig: SignatureCheck) -> list[str]:
    lines = []
    if sig.signer is not None:
        lines.append(
            f"Người ký: {who(sig.signer.subject)} (số sê-ri chứng thư số {sig.signer.serial})"
        )
    if sig.timestamp_at is not None:
        lines.append(f"Thời điểm ký: {vietnam_time(sig.timestamp_at)} (theo dấu thời gian)")
    elif sig.signed_at is not None:
        lines.append(f"Thời điểm ký: {vietnam_time(sig.signed_at)} (theo máy của người ký)")
    if sig.signer is not None:
        span = f"{sig.signer.valid_from:%d/%m/%Y} đến {sig.signer.valid_to:%d/%m/%Y}"
        then = {
            True: "còn hiệu lực vào lúc ký",
            False: "KHÔNG còn hiệu lực vào lúc ký",
            None: "không rõ thời điểm ký",
        }[sig.cert_valid_then]
        lines.append(f"Chứng thư số của người ký: có hiệu lực từ {span}, {then}")
    issuer = sig.issuer or "không rõ"
    if sig.trusted is not None:
        lines.append(
            f"Chứng thư số do {issuer} cấp: tin cậy"
            if sig.trusted
            else f"Chứng thư số do {issuer} cấp: không nằm trong danh sách tin cậy"
        )
    return lines


def _claims(data: bytes, title: str) -> tuple[str | None, str | None]:
    """The serial (from the title "Giấy chứng nhận SERIAL") and the printed verification
    code the file shows; None where it shows none. Never trusted alone."""
    found = _TITLE.match(title.strip())
    serial = found.group(1) if found else None
    code = None
    try:
        import pypdfium2

        doc = pypdfium2.PdfDocument(data)
        try:
            text = "\n".join(
                doc[i].get_textpage().get_text_range() for i in range(min(len(doc), 2))
            )
        finally:
            doc.close()
        match = _CODE.search(text)
        code = match.group(1) if match else None
    except Exception:  # a text layer that cannot be read claims nothing
        code = None
    return serial, code


def _claimed(s: Session, data: bytes, title: str) -> Certificate | None:
    serial, code = _claims(data, title)
    if code:
        cert = s.scalars(select(Certificate).where(Certificate.verification_code == code)).first()
        if cert is not None and (serial is None or cert.serial == serial):
            return cert
        return None
    if serial and access.can(access.current(s), "certificates"):
        return s.scalars(select(Certificate).where(Certificate.serial == serial)).first()
    return None


def _same_signer(sig: SignatureCheck | None, row: CertificateSignature) -> bool:
    return (
        sig is not None
        and sig.signer is not None
        and sig.signer.serial.upper() == row.signer_serial.upper()
        and sig.signer.subject == row.signer_subject
    )


def _recorded(s: Session, check: PdfSignatureCheck, row: CertificateSignature) -> PdfVerification:
    cert = s.get_one(Certificate, row.certificate_id)
    issued = issued_row(s, cert)
    in_force = issued.status in ("valid", "expiring")
    same = _same_signer(check.last, row)
    status_line = f"Giấy chứng nhận số {cert.serial}: {STATUS_TEXT[issued.status]}"
    lines = [
        status_line,
        f"Người được cấp: {cert.snapshot['full_name']}",
        f"Khóa học: {cert.snapshot['course_title']} ({cert.snapshot['course_code']})",
        f"Mã băm SHA-256 của tệp: {check.sha256} (khớp sổ cấp)",
    ]
    if issued.status == "revoked" and cert.revoked_reason:
        lines.append(f"Lý do thu hồi: {cert.revoked_reason}")
    if issued.replaced_by:
        lines.append(f"Được thay bằng giấy chứng nhận số {issued.replaced_by}")
    if not same:
        lines.append(
            f"Người ký ghi trong sổ: {who(row.signer_subject)} (số sê-ri chứng thư số "
            f"{row.signer_serial}): khác người ký trong tệp"
        )
    valid = check.ok and in_force and same
    if valid:
        unchecked = check.last is not None and check.last.trusted is None
        head = "HỢP LỆ (chưa kiểm tra nơi cấp chứng thư số: chưa đặt sign_trust_roots)"
        verdict = (
            f"{head if unchecked else 'HỢP LỆ'}: tệp đúng là giấy chứng nhận số {cert.serial} "
            "đã ký ghi trong sổ, chữ ký số còn nguyên vẹn, giấy còn hiệu lực."
        )
    elif not check.ok:
        verdict = check.verdict
    elif not same:
        verdict = _other_signer(check.last, row)
    else:  # the status is the verdict: said once
        verdict = f"{status_line}."
        lines.remove(status_line)
    return PdfVerification(
        valid, "\n".join([verdict, *lines]), check, cert.serial, cert.snapshot["full_name"],
        issued.status,
    )  # fmt: skip


def _other_signer(sig: SignatureCheck | None, row: CertificateSignature) -> str:
    name = who(sig.signer.subject) if sig and sig.signer else "người không rõ"
    serial = sig.signer.serial if sig and sig.signer else "?"
    return (
        f"Tệp được ký bởi {name} (số sê-ri chứng thư số {serial}), không phải người ký ghi "
        f"trong sổ ({who(row.signer_subject)}, số sê-ri {row.signer_serial})."
    )


def _not_recorded(s: Session, check: PdfSignatureCheck, data: bytes) -> PdfVerification:
    cert = _claimed(s, check.signed_revision(data), check.title)
    hash_line = f"Mã băm SHA-256 của tệp: {check.sha256} (không có trong sổ cấp)"
    if cert is None:
        if not check.signed:
            verdict = check.verdict
        else:
            verdict = SIGNED_NOT_A_CERTIFICATE if check.ok else NOT_A_CERTIFICATE
        lines = [verdict] + ([check.verdict] if check.signed else []) + [hash_line]
        return PdfVerification(False, "\n".join(lines), check)
    issued = issued_row(s, cert)
    recorded = s.scalars(
        select(CertificateSignature)
        .where(CertificateSignature.certificate_id == cert.id)
        .order_by(CertificateSignature.id)
    ).all()
    if recorded and check.signed and not any(_same_signer(check.last, r) for r in recorded):
        register = _other_signer(check.last, recorded[-1])
    else:
        register = (
            f"Giấy số {cert.serial} có trong sổ nhưng tệp này không phải tệp đã ký ghi trong "
            "sổ (đã bị sửa hoặc ký lại)."
        )
    # The file's own fault first (no signature, changed, added to); else the register's.
    own = f"Giấy số {cert.serial}: {check.verdict[:1].lower()}{check.verdict[1:]}"
    first, second = (own, register) if not check.ok else (register, check.verdict)
    lines = [
        first,
        *([second] if check.signed else []),
        f"Giấy chứng nhận số {cert.serial} trong sổ: {STATUS_TEXT[issued.status]}",
        hash_line,
    ]
    return PdfVerification(False, "\n".join(lines), check, cert.serial, None, issued.status)


def verify_pdf(
    s: Session, data: bytes, trust_roots: Sequence[bytes] | None = None
) -> PdfVerification:
    """A PDF's signature and whether it is the signed file of a valid certificate in the
    register; UnreadablePdf (a UserError) when it is not a readable PDF. The signer's
    issuer is checked against trust_roots, by default the roots set in sign_trust_roots."""
    roots = sign_settings.trust_roots(s) if trust_roots is None else trust_roots
    check = check_pdf(data, roots)
    row = s.scalars(
        select(CertificateSignature).where(CertificateSignature.sha256 == check.sha256)
    ).first()
    result = _recorded(s, check, row) if row is not None else _not_recorded(s, check, data)
    if check.last is None:
        return result
    verdict, *rest = result.message.split("\n")
    details = _signature_lines(check.last)
    return PdfVerification(
        result.valid, "\n".join([verdict, *details, *rest]), check, result.serial,
        result.holder, result.status,
    )  # fmt: skip

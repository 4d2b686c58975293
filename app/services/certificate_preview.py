"""What a certificate would look like, writing nothing: the Cài đặt page's sample and the
issue dialog's look at one person's page before issuing.

The sample is marked as one: a large "MẪU" across the page, a placeholder serial and
verification code (never the next real serial), and a QR code no verification accepts; it
keeps the real layout, issuing body, signer and images, so the department sees its paper.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from app.documents.certificate import CertificateData
from app.services import access, certificate_digest, certificate_serials, settings
from app.services.certificate_snapshot import qr_text
from app.services.certificates import data_of, snapshot_of
from app.services.courses import get_course
from models import Enrolment, Person

SAMPLE_PERSON = {
    "salutation": "Bà",
    "full_name": "Nguyễn Thị Thanh Hà",
    "birth_date": "02/05/1986",
    "unit": "Tổ công nghệ số cộng đồng ấp Phú Hòa, xã Đại Điền, tỉnh Vĩnh Long",
    "course_code": "MẪU",
    "course_title": "Kỹ năng số cho Tổ công nghệ số cộng đồng: dịch vụ công trực tuyến, "
    "định danh điện tử VNeID và thanh toán không dùng tiền mặt",
    "period": "từ ngày 02/03/2026 đến ngày 06/03/2026",
    "venue": "Hội trường UBND xã Đại Điền",
    "result": "Hoàn thành – điểm cuối khóa 9/10",
}
SAMPLE_SERIAL = "…/MẪU"
SAMPLE_CODE = "MẪU"
WATERMARK = "MẪU"
PREVIEW_CODE = "XEMTRUOC"


def preview(
    s: Session,
    values: dict[str, str] | None = None,
    images: dict[str, bytes | None] | None = None,
    enrolment_id: int | None = None,
    on: date | None = None,
) -> CertificateData:
    """Unsaved settings (values, images) over the saved ones; with a real enrolment, that
    person's page with the serial it would get; else the marked sample (module doc)."""
    on = on or date.today()
    if enrolment_id is not None:  # a real person's data: a trainer only in their courses
        access.require_enrolment(s, "print", enrolment_id)
    values = {k: v for k, v in (values or {}).items() if k not in settings.IMAGE_KEYS}
    for key, value in values.items():
        values[key] = settings.normalise(key, value)
    url = values.get("verify_url", settings.get(s, "verify_url"))
    if enrolment_id is not None:
        pattern = values.get("serial_pattern") or settings.get(s, "serial_pattern")
        serial = pattern.format(seq=certificate_serials.peek(s, pattern, on.year), year=on.year)
        e = s.get_one(Enrolment, enrolment_id)
        p = s.get_one(Person, e.person_id)
        course = get_course(s, e.course_id)
        number = certificate_serials.peek_register(s)
        snapshot = snapshot_of(s, course, e, p, serial, PREVIEW_CODE, on, number)
        code, mark = PREVIEW_CODE, ""
    else:
        snapshot = {
            **{k: settings.get(s, k) for k in ("issuer_parent", "issuer", "place")},
            **{k: settings.get(s, k) for k in ("signer_title", "signer_name", "template")},
            **SAMPLE_PERSON,
            "serial": SAMPLE_SERIAL,
            "register_no": "…",
            "issued_on": on.isoformat(),
            "verification_code": SAMPLE_CODE,
            "expires_on": None,
            # drawn as certificates issued now are, not as the oldest ones
            certificate_digest.VERSION_KEY: certificate_digest.TEMPLATE_VERSION,
        }
        code, mark = SAMPLE_CODE, WATERMARK
    snapshot.update({k: v for k, v in values.items() if k != "serial_pattern"})
    snapshot["verify_url"] = url
    snapshot["qr_text"] = qr_text(snapshot, snapshot["full_name"], snapshot["serial"], code)
    data = data_of(s, {**snapshot, "images": {}})  # no digests: today's saved images
    return replace(data, watermark=mark, **(images or {}))

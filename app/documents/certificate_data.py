"""What a certificate prints, as plain data (app.documents.certificate draws it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LATEST = 3  # the template version certificates are issued with (certificate_digest's)


@dataclass(frozen=True)
class CertificateData:
    issuer_parent: str
    issuer: str
    place: str
    signer_title: str  # may hold two lines: "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    signer_name: str
    full_name: str
    birth_date: str | None  # already written dd/mm/yyyy (or a year); None leaves the line out
    unit: str
    course_title: str
    period: str  # "từ ngày 02/03/2026 đến ngày 06/03/2026"
    venue: str
    result: str
    serial: str
    issued_on: date
    verification_code: str
    qr_text: str
    verify_url: str = ""
    expires_on: date | None = None
    template: str = "classic"
    logo: bytes | None = None
    signature: bytes | None = None
    seal: bytes | None = None
    background: bytes | None = None
    watermark: str = ""  # "MẪU" across a sample page; issued certificates have none
    salutation: str = ""  # "Ông" / "Bà" before the name; nothing when the gender is unknown
    register_no: str = ""  # "Số vào sổ", beside the serial (older certificates have none)
    legal_basis: str = ""  # "Căn cứ Quyết định số … ngày … của …", under the title
    grade: str = ""  # "Giỏi" / "Khá" / "Đạt" when the course has grade bands
    # The snapshot's template version: 1 and 2 draw as they were issued (certificate_body).
    template_version: int = LATEST

"""Signed certificate PDFs for the verify tests, with keys from tests/app/signing_keys.py,
and a signed file recorded in the register."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from app.signing import keys, pdf
from tests.app.signing_keys import Ca, make_ca, make_signer

__all__ = ["TestCa", "make_ca", "make_p12", "record", "sign", "sign_raw", "unsigned_certificate"]

PASSWORD = "mật khẩu thử"
AGENCY = "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"


TestCa = Ca


def make_p12(
    folder: Path,
    ca: Ca,
    cn: str = AGENCY,
    serial: int = 0x1234ABCD,
    days: tuple[int, int] = (-1, 365),
    file_name: str = "ky-so.p12",
) -> Path:
    """A signing certificate issued by ca (valid from today+days[0] to today+days[1]) and
    its key in a .p12 protected by PASSWORD."""
    now = dt.datetime.now(dt.UTC)
    return make_signer(
        ca, folder, now + dt.timedelta(days=days[0]), now + dt.timedelta(days=days[1]),
        cn, PASSWORD, serial, file_name,
    ).p12  # fmt: skip


def sign(data: bytes, p12: Path, spot: pdf.Spot | None = None) -> pdf.SignedFile:
    """data signed with the key in p12 (opened with PASSWORD)."""
    now = dt.datetime.now(dt.UTC)
    with keys.open_key(keys.KeySource(p12=str(p12)), PASSWORD, now) as key:
        return pdf.sign_pdf(data, key, spot, pdf.Look(AGENCY))


def sign_raw(data: bytes, p12: Path, field: str = "KySo2") -> bytes:
    """data signed by pyHanko directly, past app.signing's checks (an expired certificate
    signs too); in another field, a signed file gets a second signature."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12_data(
        p12.read_bytes(), other_certs=(), passphrase=PASSWORD.encode("utf-8")
    )
    out = io.BytesIO()
    signers.PdfSigner(
        signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256"), signer=signer
    ).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), output=out)
    return out.getvalue()


def record(s, certificate_id: int, signed: pdf.SignedFile) -> None:  # type: ignore[no-untyped-def]
    """A signed file in the register, as B's certificate_signing.record will write it."""
    from models import CertificateSignature

    def utc(moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            return moment
        return moment.astimezone(dt.UTC).replace(tzinfo=None)

    s.add(
        CertificateSignature(
            certificate_id=certificate_id,
            sha256=signed.sha256,
            signer_subject=signed.cert.subject,
            signer_serial=signed.cert.serial,
            signer_valid_from=utc(signed.cert.valid_from),
            signer_valid_to=utc(signed.cert.valid_to),
            signed_at=utc(signed.signed_at),
        )
    )
    s.flush()


def unsigned_certificate(s, certificate_id: int) -> bytes:  # type: ignore[no-untyped-def]
    """The certificate's single-person PDF, as issuing writes it (before signing)."""
    from app.documents.certificate import render_one
    from app.services import certificates

    ((data, _name),) = certificates.reprint(s, [certificate_id])
    return render_one(data)

"""A test CA, signing certificates and .p12 files made with `cryptography`, and signed
certificate PDFs made with app.signing (slice C's own; the lead unifies them with
tests/app/signing_keys.py)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.signing import keys, pdf

PASSWORD = "mật khẩu thử"
AGENCY = "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


@dataclass(frozen=True)
class TestCa:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def make_ca(cn: str = "CA Thử nghiệm TapHuan") -> TestCa:
    now = dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=30))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return TestCa(cert, key)


def make_p12(
    folder: Path,
    ca: TestCa,
    cn: str = AGENCY,
    serial: int = 0x1234ABCD,
    days: tuple[int, int] = (-1, 365),
    file_name: str = "ky-so.p12",
) -> Path:
    """A signing certificate issued by ca (valid from today+days[0] to today+days[1]) and
    its key in a .p12 protected by PASSWORD."""
    now = dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now + dt.timedelta(days=days[0]))
        .not_valid_after(now + dt.timedelta(days=days[1]))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca.key, hashes.SHA256())
    )
    path = folder / file_name
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"ky-so",
            key,
            cert,
            [ca.cert],
            serialization.BestAvailableEncryption(PASSWORD.encode("utf-8")),
        )
    )
    return path


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

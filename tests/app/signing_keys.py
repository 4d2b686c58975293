"""Test keys for ký số: a CA of our own, signer certificates and .p12 files made with
`cryptography`, and a real PKCS#11 token (SoftHSM2) started in a temporary directory.

Use: `from tests.app.signing_keys import make_ca, make_signer, softhsm_token` (the fixture
must be imported into the test module to be found)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"
AGENCY = "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"
PASSWORD = "mật-khẩu-1"
PIN = "123456"
SO_PIN = "12345678"
TOKEN_LABEL = "TapHuan Test"


@dataclass(frozen=True)
class Ca:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def pem(self, path: Path) -> Path:
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return path

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class Signer:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    p12: Path
    password: str


def _name(cn: str, org: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(parts)


def _rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_ca(cn: str = "CA Thử nghiệm TapHuan") -> Ca:
    now = datetime.now(UTC)
    key = _rsa()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return Ca(key, cert)


def make_signer(
    ca: Ca,
    folder: Path,
    valid_from: datetime | None = None,
    valid_to: datetime | None = None,
    cn: str = AGENCY,
    password: str = PASSWORD,
    serial: int | None = None,
    file_name: str | None = None,
) -> Signer:
    """A signing certificate issued by ca, and its .p12 in folder."""
    now = datetime.now(UTC)
    key = _rsa()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn, "UBND tỉnh Vĩnh Long"))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(valid_from or now - timedelta(days=1))
        .not_valid_after(valid_to or now + timedelta(days=365))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca.key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    p12 = folder / (file_name or f"ky-so-{cert.serial_number:x}.p12")
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"taphuan",
            key,
            cert,
            [ca.cert],
            serialization.BestAvailableEncryption(password.encode("utf-8")),
        )
    )
    return Signer(key, cert, p12, password)


@dataclass(frozen=True)
class Token:
    lib: str
    label: str
    pin: str
    signer: Signer
    conf: Path


def softhsm_available() -> bool:
    return Path(SOFTHSM_LIB).is_file() and shutil.which("softhsm2-util") is not None


def make_token(
    folder: Path, ca: Ca, label: str = TOKEN_LABEL, signer: Signer | None = None
) -> Token:
    """A SoftHSM2 token in folder holding a signer's key and certificate (id 01); sets
    SOFTHSM2_CONF for this process (the fixture restores it)."""
    tokens = folder / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    signer = signer or make_signer(ca, folder)
    run = ["softhsm2-util", "--init-token", "--free", "--label", label]
    subprocess.run([*run, "--pin", PIN, "--so-pin", SO_PIN], check=True, capture_output=True)
    pem = folder / "key.pem"
    pem.write_bytes(
        signer.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(pem),
            "--token",
            label,
            "--label",
            "ky-so",
            "--id",
            "01",
            "--pin",
            PIN,
        ],
        check=True,
        capture_output=True,
    )
    pem.unlink()
    _write_cert(label, signer.cert)
    return Token(SOFTHSM_LIB, label, PIN, signer, conf)


def _write_cert(label: str, cert: x509.Certificate) -> None:
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    lib = pkcs11.lib(SOFTHSM_LIB)
    lib.reinitialize()  # the token list is read when the library starts: see the new one
    token = lib.get_token(token_label=label)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "ky-so",
                Attribute.ID: b"\x01",
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                Attribute.SUBJECT: cert.subject.public_bytes(),
            }
        )


@pytest.fixture
def softhsm_token(tmp_path: Path) -> object:
    """A real PKCS#11 token (SoftHSM2) with a signing key and its certificate."""
    if not softhsm_available():
        pytest.skip("SoftHSM2 chưa cài (Debian softhsm2): bỏ qua phép thử thiết bị ký số")
    before = os.environ.get("SOFTHSM2_CONF")
    token = make_token(tmp_path / "hsm", make_ca())
    yield token
    if before is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = before


def seal_png(dpi: int = 300) -> bytes:
    """A red round seal on a transparent ground, 38 mm across at dpi (like a scanned seal)."""
    from PIL import Image, ImageDraw

    side = round(38 / 25.4 * dpi)
    img = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    red = (200, 16, 32, 210)
    draw.ellipse((4, 4, side - 4, side - 4), outline=red, width=side // 28)
    draw.ellipse(
        (side // 6, side // 6, side - side // 6, side - side // 6), outline=red, width=side // 60
    )
    c = side // 2
    r = side // 9
    star = [
        (c, c - r),
        (c + r // 3, c - r // 3),
        (c + r, c - r // 4),
        (c + r // 3, c + r // 6),
        (c + r // 2, c + r),
        (c, c + r // 2),
        (c - r // 2, c + r),
        (c - r // 3, c + r // 6),
        (c - r, c - r // 4),
        (c - r // 3, c - r // 3),
    ]
    draw.polygon(star, fill=red)
    out = io.BytesIO()
    img.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def signature_png(dpi: int = 300) -> bytes:
    """A handwritten-like stroke in dark blue on a transparent ground, 45 × 18 mm at dpi."""
    from PIL import Image, ImageDraw

    w, h = round(45 / 25.4 * dpi), round(18 / 25.4 * dpi)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    ink = (20, 30, 110, 255)
    points = [
        (w * x / 40, h * (0.5 + 0.35 * ((-1) ** (x // 2)) * (1 - x / 60))) for x in range(0, 41, 2)
    ]
    draw.line(points, fill=ink, width=max(3, dpi // 60), joint="curve")
    draw.line([(w * 0.1, h * 0.75), (w * 0.9, h * 0.3)], fill=ink, width=max(2, dpi // 90))
    out = io.BytesIO()
    img.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()

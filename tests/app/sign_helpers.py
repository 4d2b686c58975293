"""A test CA, a signing certificate and its .p12 made with `cryptography`, and poppler's
pdfsig as the outside client that checks a signed file (slice A's tests/app/signing_keys.py
will replace this)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "mật-khẩu-thử"
SUBJECT = "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"
SERIAL = 0x1234ABCD


@dataclass(frozen=True)
class TestKey:
    p12: Path
    ca_pem: Path


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


@lru_cache(maxsize=1)
def _keys() -> tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey]:
    """RSA keys are slow to make: one pair for the whole run."""
    return (
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )


def make_key(folder: Path, days: int = 365) -> TestKey:
    """A CA and a signing certificate valid from yesterday for `days`, as a .p12."""
    now = dt.datetime.now(dt.UTC)
    ca_key, key = _keys()
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("CA Thử nghiệm TapHuan"))
        .issuer_name(_name("CA Thử nghiệm TapHuan"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=2))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(SUBJECT))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(SERIAL)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    p12 = folder / "ky-so.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"test", key, cert, [ca], serialization.BestAvailableEncryption(PASSWORD.encode())
        )
    )
    ca_pem = folder / "ca.pem"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return TestKey(p12, ca_pem)


def pdfsig(path: Path) -> str:
    """What poppler's pdfsig says about a file's signatures (no network, no trust store)."""
    tool = shutil.which("pdfsig")
    assert tool, "poppler's pdfsig is needed (Debian poppler-utils)"
    run = subprocess.run([tool, "-nocert", str(path)], capture_output=True, text=True, timeout=60)
    return run.stdout + run.stderr


def signature_valid(path: Path) -> bool:
    """pdfsig finds exactly one signature, valid and covering the whole file."""
    said = pdfsig(path)
    return (
        said.count("Signature #") == 1
        and "Signature Validation: Signature is Valid." in said
        and "Total document signed" in said
    )

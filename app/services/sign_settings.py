"""The ký số settings: which key signs (a .p12/.pfx file or a PKCS#11 token) and the
optional timestamp server. Paths are checked when set; the password or PIN is never a
setting (TAPHUAN_SIGN_PASSWORD / TAPHUAN_SIGN_PIN, or asked once per batch)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.errors import InvalidValue
from models import Setting

if TYPE_CHECKING:  # pyHanko is loaded when something is signed, not with the settings
    from app.signing.keys import KeySource

KEYS = (
    "sign_p12",
    "sign_pkcs11",
    "sign_pkcs11_token",
    "sign_tsa_url",
    "sign_box_classic",
    "sign_box_modern",
    "sign_trust_roots",
)
BOX_KEYS = {"classic": "sign_box_classic", "modern": "sign_box_modern"}
PAGE_MM = (297.0, 210.0)  # the certificates' landscape A4


def check(key: str, label: str, text: str) -> str:
    """The value stored for one ký số setting (blank clears it)."""
    if not text:
        return ""
    if key == "sign_trust_roots":
        return trust_roots_pem(label, text)
    if key in ("sign_p12", "sign_pkcs11"):
        path = Path(text).expanduser()
        if not path.is_file():
            raise InvalidValue(f"{label}: không thấy tệp “{path}”.")
        if key == "sign_p12" and path.suffix.lower() not in (".p12", ".pfx"):
            raise InvalidValue(f"{label}: tệp phải là .p12 hoặc .pfx (không phải “{path.name}”).")
        return str(path.absolute())
    if key in BOX_KEYS.values():
        x, y, w, h = parse_box(label, text)
        return f"{x:g} {y:g} {w:g} {h:g}"
    if key == "sign_tsa_url" and not re.match(r"^https?://[^\s]+$", text):
        raise InvalidValue(f"{label}: địa chỉ phải bắt đầu bằng http:// hoặc https://.")
    if len(text) > 200:
        raise InvalidValue(f"{label} dài quá 200 ký tự.")
    return text


def key_source(s: Session) -> KeySource:
    """The key the settings name (a token wins over a file when both are set)."""
    from app.signing.keys import KeySource

    return KeySource(
        p12=_value(s, "sign_p12"),
        pkcs11=_value(s, "sign_pkcs11"),
        token=_value(s, "sign_pkcs11_token"),
    )


def _certificates(data: bytes) -> list:  # type: ignore[type-arg]
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs7

    loaders = (
        x509.load_pem_x509_certificates, lambda d: [x509.load_der_x509_certificate(d)],
        pkcs7.load_pem_pkcs7_certificates, pkcs7.load_der_pkcs7_certificates,
    )  # fmt: skip
    for load in loaders:
        try:
            found = list(load(data))
        except Exception:  # not this form: the next
            continue
        if found:
            return found
    return []


def trust_roots_pem(label: str, text: str) -> str:
    """The PEM text of the certificates in a .pem/.cer/.crt/.p7b file (PEM or DER), or of
    PEM text given as is: the content is stored, so verifying works on another PC."""
    from cryptography.hazmat.primitives import serialization

    if "-----BEGIN" in text:
        data = text.encode("ascii", "replace")
    else:
        path = Path(text).expanduser()
        if not path.is_file():
            raise InvalidValue(f"{label}: không thấy tệp “{path}”.")
        with path.open("rb") as file:
            data = file.read(1024 * 1024 + 1)
        if len(data) > 1024 * 1024:
            raise InvalidValue(f"{label}: tệp “{path.name}” lớn quá 1 MB, không phải chứng thư số.")
    found = _certificates(data)
    if not found:
        raise InvalidValue(
            f"{label}: không đọc được chứng thư số nào trong “{text[:80]}” (cần tệp "
            ".pem, .cer, .crt hoặc .p7b chứa chứng thư số X.509 của tổ chức cấp)."
        )
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in found)


def trust_roots(s: Session) -> list[bytes]:
    """The trust roots set (DER), none when unset."""
    text = _value(s, "sign_trust_roots")
    if not text:
        return []
    from cryptography.hazmat.primitives import serialization

    return [c.public_bytes(serialization.Encoding.DER) for c in _certificates(text.encode("ascii"))]


def trust_roots_shown(text: str) -> str:
    """What `settings show` prints for the roots: their subjects, not the PEM."""
    names = [c.subject.rfc4514_string() for c in _certificates(text.encode("ascii"))]
    return "; ".join(names) if names else text[:60]


def tsa_url(s: Session) -> str:
    return _value(s, "sign_tsa_url")


def _value(s: Session, key: str) -> str:
    """A ký số setting as stored, blank when unset (they have no default). Read here, not
    through app.services.settings, which checks values with this module."""
    row = s.get(Setting, key)
    return str(row.value) if row is not None and row.value not in (None, "") else ""


def parse_box(label: str, text: str) -> tuple[float, float, float, float]:
    """ "x y w h" in mm from the page's bottom-left corner, inside a landscape A4 page."""
    parts = text.replace(",", ".").split()
    try:
        x, y, w, h = (float(p) for p in parts)
    except ValueError:
        raise InvalidValue(
            f"{label}: ghi bốn số mm “x y rộng cao” tính từ góc dưới bên trái trang, "
            f"ví dụ “175 24 90 30” (không phải “{text}”)."
        ) from None
    if w < 20 or h < 10:
        raise InvalidValue(f"{label}: chỗ ký quá nhỏ (ít nhất rộng 20 mm, cao 10 mm).")
    if x < 0 or y < 0 or x + w > PAGE_MM[0] or y + h > PAGE_MM[1]:
        raise InvalidValue(f"{label}: chỗ ký ra ngoài trang A4 ngang (297 × 210 mm).")
    return x, y, w, h


def sign_box(s: Session, template: str) -> tuple[float, float, float, float] | None:
    """The placement set for a certificate template, None for the layout's own spot:
    pass it to app.documents.certificate.signature_spot(data, box_mm)."""
    key = BOX_KEYS.get(template)
    text = _value(s, key) if key else ""
    return parse_box(key or "", text) if text else None

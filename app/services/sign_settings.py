"""The ký số settings: which key signs (a .p12/.pfx file or a PKCS#11 token) and the
optional timestamp server. Paths are checked when set; the password or PIN is never a
setting (TAPHUAN_SIGN_PASSWORD / TAPHUAN_SIGN_PIN, or asked once per batch)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.errors import InvalidValue

if TYPE_CHECKING:  # pyHanko is loaded when something is signed, not with the settings
    from app.signing.keys import KeySource

KEYS = ("sign_p12", "sign_pkcs11", "sign_pkcs11_token", "sign_tsa_url")


def check(key: str, label: str, text: str) -> str:
    """The value stored for one ký số setting (blank clears it)."""
    if not text:
        return ""
    if key in ("sign_p12", "sign_pkcs11"):
        path = Path(text).expanduser()
        if not path.is_file():
            raise InvalidValue(f"{label}: không thấy tệp “{path}”.")
        if key == "sign_p12" and path.suffix.lower() not in (".p12", ".pfx"):
            raise InvalidValue(f"{label}: tệp phải là .p12 hoặc .pfx (không phải “{path.name}”).")
        return str(path.absolute())
    if key == "sign_tsa_url" and not re.match(r"^https?://[^\s]+$", text):
        raise InvalidValue(f"{label}: địa chỉ phải bắt đầu bằng http:// hoặc https://.")
    if len(text) > 200:
        raise InvalidValue(f"{label} dài quá 200 ký tự.")
    return text


def key_source(s: Session) -> KeySource:
    """The key the settings name (a token wins over a file when both are set)."""
    from app.services import settings
    from app.signing.keys import KeySource

    return KeySource(
        p12=settings.get(s, "sign_p12"),
        pkcs11=settings.get(s, "sign_pkcs11"),
        token=settings.get(s, "sign_pkcs11_token"),
    )


def tsa_url(s: Session) -> str:
    from app.services import settings

    return settings.get(s, "sign_tsa_url")

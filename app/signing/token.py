"""A USB token (VNPT-CA, Viettel-CA, BKAV-CA, the Government CA…) through its PKCS#11
driver: one session, one PIN entry, for a whole batch; every failure said in Vietnamese."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pkcs11
from asn1crypto import x509
from pkcs11 import Attribute, ObjectClass, TokenFlag
from pkcs11 import exceptions as p11
from pyhanko.sign.pkcs11 import PKCS11Signer

from app.signing.types import OpenKey, SignerCert, SigningError

# Errors a token raises when it is pulled out or stops answering while a batch signs.
GONE = (
    p11.DeviceRemoved,
    p11.DeviceError,
    p11.TokenNotPresent,
    p11.TokenNotRecognised,
    p11.SessionHandleInvalid,
    p11.SessionClosed,
    p11.DeviceMemory,
)


def removed() -> SigningError:
    return SigningError(
        "Thiết bị ký số đã bị rút ra hoặc không còn trả lời trong khi ký: cắm lại thiết bị "
        "rồi ký tiếp những tệp còn lại."
    )


def explain(exc: BaseException) -> SigningError | None:
    """The Vietnamese reason for a PKCS#11 error raised while signing (None: not a token's)."""
    if isinstance(exc, GONE):
        return removed()
    if isinstance(exc, p11.PinExpired):
        return SigningError(
            "Mã PIN của thiết bị ký số đã hết hạn: đổi mã PIN bằng phần mềm của nhà cung cấp."
        )
    if isinstance(exc, p11.PKCS11Error):
        return SigningError(f"Thiết bị ký số báo lỗi khi ký ({type(exc).__name__}).")
    return None


def _library(path: str) -> Any:
    file = Path(path).expanduser()
    if not file.is_file():
        raise SigningError(
            f"Không thấy thư viện PKCS#11 “{file}” của thiết bị ký số: cài phần mềm của nhà "
            "cung cấp chứng thư số, hoặc đặt lại đường dẫn ở Cài đặt → Ký số."
        )
    try:
        lib = pkcs11.lib(str(file))
        lib.reinitialize()  # a token plugged in since the last batch is seen
        return lib
    except (OSError, RuntimeError, p11.PKCS11Error) as exc:
        raise SigningError(
            f"Không nạp được thư viện PKCS#11 “{file.name}”: tệp không phải trình điều khiển "
            "thiết bị ký số, hoặc không hợp với máy này (32/64 bit)."
        ) from exc


def _token(lib: Any, label: str) -> Any:
    try:
        slots = lib.get_slots(token_present=True)
        tokens = [slot.get_token() for slot in slots]
        tokens = [t for t in tokens if t.flags & TokenFlag.TOKEN_INITIALIZED]
    except GONE as exc:
        raise SigningError("Không thấy thiết bị ký số: cắm thiết bị vào máy rồi thử lại.") from exc
    except p11.PKCS11Error as exc:
        raise SigningError(f"Không đọc được thiết bị ký số ({type(exc).__name__}).") from exc
    if not tokens:
        raise SigningError("Không thấy thiết bị ký số: cắm thiết bị vào máy rồi thử lại.")
    if not label.strip():
        return tokens[0]
    for token in tokens:
        if token.label.strip() == label.strip():
            return token
    found = ", ".join(f"“{t.label.strip()}”" for t in tokens)
    raise SigningError(
        f"Không thấy thiết bị ký số có nhãn “{label}” (đang cắm: {found}): sửa nhãn ở "
        "Cài đặt → Ký số (sign_pkcs11_token), hoặc để trống để dùng thiết bị đầu tiên."
    )


def _session(token: Any, pin: str) -> Any:
    try:
        return token.open(user_pin=pin)
    except p11.PinIncorrect as exc:
        raise SigningError(
            "Sai mã PIN của thiết bị ký số: chưa ký gì. Lưu ý: nhập sai nhiều lần thiết bị sẽ bị khóa."
        ) from exc
    except p11.PinLocked as exc:
        raise SigningError(
            "Thiết bị ký số đã bị khóa mã PIN (nhập sai quá số lần cho phép): mở khóa bằng "
            "phần mềm của nhà cung cấp chứng thư số."
        ) from exc
    except (p11.PinLenRange, p11.PinInvalid, p11.ArgumentsBad) as exc:
        raise SigningError("Mã PIN của thiết bị ký số không đúng dạng: chưa ký gì.") from exc
    except GONE as exc:
        raise removed() from exc
    except p11.PKCS11Error as exc:
        raise SigningError(
            f"Không mở được thiết bị ký số “{token.label.strip()}” ({type(exc).__name__})."
        ) from exc


def _signing_cert(session: Any) -> tuple[bytes, x509.Certificate]:
    """The id and certificate of the key that signs: the certificate with a private key."""
    keys = {
        bytes(k[Attribute.ID] or b"")
        for k in session.get_objects(
            {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True}
        )
    }
    certs = [
        (bytes(c[Attribute.ID] or b""), x509.Certificate.load(bytes(c[Attribute.VALUE])))
        for c in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
    ]
    if not certs or not keys:
        raise SigningError(
            "Thiết bị ký số không có chứng thư số nào kèm khóa ký: kiểm tra bằng phần mềm "
            "của nhà cung cấp."
        )
    paired = [(cid, cert) for cid, cert in certs if cid in keys]
    if not paired:
        raise SigningError(
            "Trên thiết bị ký số không có chứng thư số nào khớp với khóa ký: kiểm tra bằng "
            "phần mềm của nhà cung cấp."
        )
    # Several (a renewed certificate beside the old one): the one that ends last.
    return max(paired, key=lambda p: p[1]["tbs_certificate"]["validity"]["not_after"].native)


@contextmanager
def open_token(lib_path: str, token_label: str, pin: str) -> Iterator[OpenKey]:
    """The token's key, open for one batch; the session is closed when the batch ends."""
    token = _token(_library(lib_path), token_label)
    session = _session(token, pin)
    try:
        try:
            key_id, cert = _signing_cert(session)
        except GONE as exc:
            raise removed() from exc
        signer = PKCS11Signer(session, signing_cert=cert, key_id=key_id, cert_id=key_id)
        yield OpenKey(signer, SignerCert.of(cert))
    finally:
        with suppress(p11.PKCS11Error):  # a token already gone has nothing left to close
            session.close()

"""Where the signing key is (a .p12/.pfx file or a PKCS#11 token) and opening it once for a
batch. The password or PIN is passed in by the caller (asked, or from the environment) and
never kept anywhere but in the open key."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pyhanko.sign import signers

from app.signing.types import OpenKey, SignerCert, SigningError, rfc4514

__all__ = ["KeySource", "OpenKey", "SignerCert", "SigningError", "open_key", "rfc4514"]

PASSWORD_ENV = "TAPHUAN_SIGN_PASSWORD"
PIN_ENV = "TAPHUAN_SIGN_PIN"


@dataclass(frozen=True)
class KeySource:
    """The key as the settings name it: sign_p12, or sign_pkcs11 + sign_pkcs11_token."""

    p12: str = ""
    pkcs11: str = ""
    token: str = ""

    @property
    def kind(self) -> str | None:
        if self.pkcs11:
            return "pkcs11"
        if self.p12:
            return "p12"
        return None

    @property
    def secret_env(self) -> str:
        return PIN_ENV if self.kind == "pkcs11" else PASSWORD_ENV

    @property
    def prompt(self) -> str:
        """The question for the password or PIN (window and terminal alike)."""
        return "Mã PIN thiết bị ký số:" if self.kind == "pkcs11" else "Mật khẩu tệp chứng thư số:"

    @property
    def secret_name(self) -> str:
        return "mã PIN của thiết bị ký số" if self.kind == "pkcs11" else "mật khẩu tệp chứng thư số"


def _no_key() -> SigningError:
    return SigningError(
        "Chưa đặt chứng thư số để ký: đặt tệp .p12/.pfx bằng “taphuan settings set sign_p12 "
        "ĐƯỜNG_DẪN” hoặc thiết bị ký số bằng “taphuan settings set sign_pkcs11 THƯ_VIỆN” "
        "(ở trang Cài đặt → Ký số)."
    )


def _check_dates(cert: SignerCert, now: datetime) -> None:
    if now < cert.valid_from:
        raise SigningError(
            f"Chứng thư số của “{cert.subject}” chỉ có hiệu lực từ "
            f"{cert.valid_from:%d/%m/%Y}: chưa ký được."
        )
    if now > cert.valid_to:
        raise SigningError(
            f"Chứng thư số của “{cert.subject}” đã hết hạn ngày {cert.valid_to:%d/%m/%Y}: "
            "không ký được. Gia hạn chứng thư số với nhà cung cấp rồi ký lại."
        )


class _KeptKeySigner(signers.SimpleSigner):
    """pyHanko's file signer parses its private key again for every signature (twice a
    file); a batch of 1,000 parses it once."""

    _parsed: object = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo != "rsassa_pkcs1v15" or digest_algorithm != "sha256":
            return super().sign_raw(data, digest_algorithm)
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        if self._parsed is None:
            self._parsed = serialization.load_der_private_key(self.signing_key.dump(), None)
        key = self._parsed
        if not isinstance(key, rsa.RSAPrivateKey):
            return super().sign_raw(data, digest_algorithm)
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _check_p12_parts(file: Path, data: bytes, password: str) -> None:
    """A .p12 that opens must hold both a private key and its certificate: say which is
    missing (pyHanko fails on either with an internal error)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, cert, _ = pkcs12.load_key_and_certificates(data, password.encode("utf-8"))
    except (ValueError, TypeError):
        return  # a wrong password or not a .p12: said below
    if key is None:
        raise SigningError(
            f"Tệp “{file.name}” chỉ có chứng thư số, không có khóa bí mật để ký: xuất lại "
            "tệp .p12/.pfx kèm khóa bí mật (Export private key) rồi đặt lại."
        )
    if cert is None:
        raise SigningError(f"Tệp “{file.name}” có khóa bí mật nhưng không có chứng thư số.")


def _open_p12(path: str, password: str) -> OpenKey:
    file = Path(path).expanduser()
    if not file.is_file():
        raise SigningError(f"Không thấy tệp chứng thư số “{file}”.")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp chứng thư số “{file}”: {exc.strerror}.") from exc
    _check_p12_parts(file, data, password)
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=(), passphrase=password.encode("utf-8")
        )
    except (ValueError, TypeError, AttributeError) as exc:
        raise SigningError(
            f"Không mở được tệp chứng thư số “{file.name}”: sai mật khẩu, hoặc tệp không "
            "phải .p12/.pfx."
        ) from exc
    if signer is None or signer.signing_cert is None:
        raise SigningError(
            f"Không mở được tệp chứng thư số “{file.name}”: sai mật khẩu, hoặc tệp không "
            "phải .p12/.pfx."
        )
    kept = _KeptKeySigner(signer.signing_cert, signer.signing_key, signer.cert_registry)
    return OpenKey(kept, SignerCert.of(signer.signing_cert))


def check_issuer(key: OpenKey, roots: Sequence[bytes]) -> None:
    """SigningError unless the key's certificate chains to one of the trust roots (DER;
    none set: nothing to check), with the intermediates the key carries."""
    if not roots:
        return
    import asyncio

    from asn1crypto import x509
    from pyhanko_certvalidator import CertificateValidator, ValidationContext

    cert = key.signer.signing_cert
    context = ValidationContext(
        trust_roots=[x509.Certificate.load(r) for r in roots], allow_fetching=False
    )
    others = list(key.signer.cert_registry or ())
    try:
        validator = CertificateValidator(cert, others, validation_context=context)
        asyncio.run(validator.async_validate_path())
    except Exception as exc:  # no path to a root (or a broken one): not trusted
        issuer = cert.issuer.native.get("common_name") or "không rõ"
        raise SigningError(
            f"Chứng thư số dùng để ký không do tổ chức tin cậy cấp (do “{issuer}” cấp, không "
            "phải tổ chức nào đặt ở sign_trust_roots): không ký. Hãy dùng chứng thư số của "
            "Sở hoặc đặt lại sign_trust_roots."
        ) from exc


@contextmanager
def open_key(source: KeySource, secret: str, now: datetime) -> Iterator[OpenKey]:
    """The key, open for one batch (a token's session is closed when the batch ends)."""
    if source.kind is None:
        raise _no_key()
    if source.kind == "p12":
        key = _open_p12(source.p12, secret)
        _check_dates(key.cert, now)
        yield key
        return
    from app.signing import token  # python-pkcs11 loaded only for a token

    with token.open_token(source.pkcs11, source.token, secret) as key:
        _check_dates(key.cert, now)
        yield key

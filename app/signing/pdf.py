"""Signing one PDF: PAdES baseline B-B (B-T when a timestamp server is set), as an
incremental update over the whole file, with the visible signature at the document's spot."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps

from app.signing import appearance
from app.signing.keys import OpenKey, SignerCert, SigningError
from app.signing.spot import Spot

# Vietnam keeps UTC+07:00 all year: a fixed offset, no tz database (Windows has none
# without the tzdata package).
VIETNAM = timezone(timedelta(hours=7), "+07:00")
FIELD = "KySo"


@dataclass(frozen=True)
class Look:
    """What the visible signature shows: the agency and, when set, the seal and the
    signer's signature images (PNG bytes)."""

    agency: str
    seal: bytes | None = None
    signature: bytes | None = None


@dataclass(frozen=True)
class SignedFile:
    data: bytes
    sha256: str
    cert: SignerCert
    signed_at: datetime  # with Vietnam's offset


class _SignerAt(signers.PdfSigner):
    """A PdfSigner whose signing time is given: the time in the CMS signature, in the
    signature dictionary and in the visible appearance are one and the same."""

    def __init__(self, at: datetime, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._at = at

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._at
        return session


def info_lines(look: Look, cert: SignerCert, signed_at: datetime) -> tuple[str, ...]:
    """The signature information the appearance shows (Decree 30/2020, Appendix I)."""
    who = look.agency.strip() or common_name(cert.subject)
    return (f"Ký bởi: {who}", f"Thời gian ký: {signed_at.isoformat()}")


def common_name(subject: str) -> str:
    for part in subject.split(", "):
        if part.startswith("CN="):
            return part[3:].replace("\\,", ",")
    return subject


def _style(look: Look, cert: SignerCert, signed_at: datetime) -> appearance.DecreeStampStyle:
    return appearance.DecreeStampStyle(
        lines=info_lines(look, cert, signed_at),
        seal=appearance.picture(look.seal),
        signature=appearance.picture(look.signature),
    )


def sign_pdf(
    pdf: bytes,
    key: OpenKey,
    spot: Spot | None,
    look: Look,
    tsa_url: str = "",
    now: datetime | None = None,
) -> SignedFile:
    """The PDF signed by key; a visible signature at spot (invisible when None)."""
    signed_at = (now or datetime.now(VIETNAM)).astimezone(VIETNAM).replace(microsecond=0)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=key.cert.subject,
    )
    spec = fields.SigFieldSpec(
        FIELD,
        on_page=spot.page if spot else 0,
        box=spot.box if spot else None,
    )
    stamper = timestamps.HTTPTimeStamper(tsa_url, timeout=20) if tsa_url else None
    pdf_signer = _SignerAt(
        signed_at,
        meta,
        signer=key.signer,
        timestamper=stamper,
        stamp_style=_style(look, key.cert, signed_at),
        new_field_spec=spec,
    )
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)),
            bytes_reserved=_room(key, bool(tsa_url)),
            output=out,
        )
    except SigningError:
        raise
    except Exception as exc:  # pyHanko, the token and the network raise many kinds
        raise explain(exc, tsa_url) from exc
    data = out.getvalue()
    return SignedFile(data, hashlib.sha256(data).hexdigest(), key.cert, signed_at)


def _room(key: OpenKey, timestamped: bool) -> int:
    """Bytes kept for the signature (hex, twice its DER size): given, pyHanko need not sign
    a dummy first to measure it. Certificates, signature and attributes, with room to spare;
    a timestamp token brings the server's certificates too."""
    certs = sum(len(c.dump()) for c in key.signer.cert_registry)
    der = certs + len(key.signer.signing_cert.dump()) + 4096 + (12288 if timestamped else 0)
    return 2 * der


def explain(exc: Exception, tsa_url: str) -> SigningError:
    """A Vietnamese reason for a failure while signing one file."""
    from app.signing import token

    said = token.explain(exc) if "pkcs11" in type(exc).__module__ else None
    if said is not None:
        return said
    if isinstance(exc, timestamps.TimestampRequestError) or (
        tsa_url and isinstance(exc, OSError | requests_errors())
    ):
        return SigningError(
            f"Máy chủ cấp dấu thời gian “{tsa_url}” không trả lời hoặc báo lỗi: kiểm tra mạng "
            "và địa chỉ ở Cài đặt → Ký số (sign_tsa_url), hoặc để trống để ký không kèm dấu "
            "thời gian."
        )
    return SigningError(f"Không ký được tệp PDF: {exc}")


def requests_errors() -> type[Exception]:
    try:
        import requests

        return requests.RequestException
    except ImportError:  # pragma: no cover - pyHanko needs requests for a timestamp server
        return OSError

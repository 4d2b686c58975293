"""Signing one PDF: PAdES baseline B-B (B-T when a timestamp server is set), as an
incremental update over the whole file, with the visible signature at the document's spot."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.stamp import TextStampStyle

from app.signing.keys import OpenKey, SignerCert, SigningError

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FIELD = "KySo"


@dataclass(frozen=True)
class Spot:
    """Where the visible signature goes: a page (0-based) and a box in PDF points
    (left, bottom, right, top), between the signer's title and name."""

    page: int
    box: tuple[float, float, float, float]


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
    stamper = timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None
    style = TextStampStyle(stamp_text=f"{look.agency}\n%(ts)s", border_width=0)
    pdf_signer = signers.PdfSigner(
        meta, signer=key.signer, timestamper=stamper, stamp_style=style, new_field_spec=spec
    )
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out)
    except Exception as exc:  # pyHanko and the token raise many kinds: say it once
        raise SigningError(f"Không ký được: {exc}") from exc
    data = out.getvalue()
    return SignedFile(data, hashlib.sha256(data).hexdigest(), key.cert, signed_at)

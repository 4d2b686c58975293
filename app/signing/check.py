"""What a signed PDF says about itself, checked with pyHanko (no database): whether it is
signed, whether the signature is intact and covers the whole file, who signed and when,
whether the signer certificate was within its validity then, and (only when trust roots
are given) whether it chains to one of them. Hostile files get a Vietnamese verdict, never
a traceback; a file that is not a readable PDF is a user error."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, TimestampSignatureStatus
from pyhanko_certvalidator import ValidationContext

from app.errors import UserError
from app.signing.keys import SignerCert

_PDF_MAGIC = b"%PDF-"
_HEX = frozenset(b"0123456789abcdefABCDEF \r\n\t")
MAX_BYTES = 50 * 1024 * 1024  # a signed certificate is about 100 KB
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
TOO_BIG = (
    f"Tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB: một giấy chứng nhận đã ký số chỉ khoảng "
    "100 KB, tệp này không phải giấy chứng nhận của TapHuan (hoặc đã bị thêm rất nhiều nội dung)."
)


class UnreadablePdf(UserError):
    """The file is missing, is not a PDF, or is too damaged to read."""


@dataclass(frozen=True)
class SignatureCheck:
    """One signature in the file."""

    field: str
    intact: bool  # the signed bytes' digest and the signature value both check out
    whole_file: bool  # its byte range covers every byte of the file but the signature's own
    skips: bool  # its byte range leaves out bytes other than the signature's own
    appended: bool  # bytes were added after the signed range (an update or anything)
    signer: SignerCert | None
    signed_at: datetime | None  # the time the signer wrote (UTC, aware)
    timestamp_at: datetime | None  # a timestamp server's time, when there is a token
    cert_valid_then: bool | None  # the signer certificate was within its validity then
    trusted: bool | None  # None: no trust roots were given
    issuer: str = ""  # the common name of who issued the signer certificate

    @property
    def when(self) -> datetime | None:
        """The best known signing time: the timestamp's, else the signer's own."""
        return self.timestamp_at or self.signed_at


@dataclass(frozen=True)
class PdfSignatureCheck:
    sha256: str  # of the whole file as read
    title: str  # the signed revision's metadata title ("Giấy chứng nhận SERIAL")
    signatures: tuple[SignatureCheck, ...]
    ok: bool  # one signature, intact, over the whole file, certificate valid then (trusted)
    verdict: str  # Vietnamese, one line
    signed_end: int | None = None  # where the first signature's signed revision ends

    def signed_revision(self, data: bytes) -> bytes:
        """The bytes the first signature covers (the file as signed), else the whole file:
        what the file claims to be is read from there, not from what was added after."""
        return data[: self.signed_end] if self.signed_end else data

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def last(self) -> SignatureCheck | None:
        return self.signatures[-1] if self.signatures else None


def read_pdf(path: Path) -> bytes:
    """A PDF file's bytes, or UnreadablePdf in Vietnamese."""
    try:
        if path.is_dir():
            raise UnreadablePdf(f"“{path}” là một thư mục, không phải tệp PDF.")
        if not path.is_file():
            raise UnreadablePdf(f"Không thấy tệp “{path}”.")
        with path.open("rb") as file:  # never more than the limit in memory
            data = file.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise UnreadablePdf(TOO_BIG)
        return data
    except OSError as exc:  # a name too long for the system, a locked file…
        raise UnreadablePdf(f"Không đọc được tệp “{path}”: {exc.strerror}.") from exc
    except ValueError as exc:  # a NUL in the name
        raise UnreadablePdf(f"Không thấy tệp “{path}”.") from exc


@contextmanager
def _quiet() -> Iterator[None]:
    """pyHanko logs whole tracebacks for a path it cannot build or a signature it cannot
    parse; the verdict says it in Vietnamese instead."""
    logger = logging.getLogger("pyhanko")
    before = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # its modules' loggers inherit the level
    try:
        yield
    finally:
        logger.setLevel(before)


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _validity_then(signer: SignerCert, when: datetime | None) -> bool | None:
    if when is None:
        return None
    start, end = _utc(signer.valid_from), _utc(signer.valid_to)
    return bool(start and end and start <= when <= end)


def _ranges(sig: EmbeddedPdfSignature, data: bytes) -> tuple[bool, bool]:
    """(skips, appended): whether the byte range leaves out more than the /Contents hex
    string, and whether bytes follow the signed range."""
    try:
        start, first, second, rest = (int(x) for x in sig.byte_range)
    except (TypeError, ValueError):
        return True, False
    gap = data[first:second]
    exact = (
        start == 0
        and 0 < first < second
        and gap[:1] == b"<"
        and gap[-1:] == b">"
        and all(ch in _HEX for ch in gap[1:-1])
    )
    return not exact, second + rest < len(data)


def _status(
    sig: EmbeddedPdfSignature, context: ValidationContext | None
) -> PdfSignatureStatus | None:
    try:
        return validate_pdf_signature(sig, signer_validation_context=context)
    except Exception:  # a broken or forged signature dictionary: judged not intact below
        return None


def _one(
    sig: EmbeddedPdfSignature, data: bytes, roots: Sequence[x509.Certificate]
) -> SignatureCheck:
    try:
        signer: SignerCert | None = SignerCert.of(sig.signer_cert)
    except Exception:
        signer = None
    # Without trust roots, the signer is its own anchor: integrity is checked, trust is not.
    anchors = list(roots) or ([sig.signer_cert] if signer else [])
    context = ValidationContext(trust_roots=anchors, allow_fetching=False) if anchors else None
    status = _status(sig, context)
    skips, appended = _ranges(sig, data)
    try:
        issuer = str(sig.signer_cert.issuer.native.get("common_name") or "")
    except Exception:
        issuer = ""
    if status is None:
        return SignatureCheck(
            sig.field_name, False, False, skips, appended, signer, None, None, None, None,
            issuer,
        )  # fmt: skip
    intact = bool(status.intact and status.valid)
    covers = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    signed_at = _utc(status.signer_reported_dt)
    ts = status.timestamp_validity
    timestamp_at = (
        _utc(ts.timestamp) if isinstance(ts, TimestampSignatureStatus) and ts.intact else None
    )
    when = timestamp_at or signed_at
    return SignatureCheck(
        field=sig.field_name,
        intact=intact,
        whole_file=covers and not skips and not appended,
        skips=skips,
        appended=appended,
        signer=signer,
        signed_at=signed_at,
        timestamp_at=timestamp_at,
        cert_valid_then=_validity_then(signer, when) if signer else None,
        trusted=bool(status.trusted) if roots else None,
        issuer=issuer,
    )


def _verdict(checks: tuple[SignatureCheck, ...]) -> tuple[bool, str]:
    if not checks:
        return False, "Tệp không có chữ ký số."
    if len(checks) > 1:
        return False, (
            f"Tệp có {len(checks)} chữ ký số, giấy tờ của TapHuan chỉ mang một: tệp đã bị "
            "thêm nội dung sau khi ký."
        )
    sig = checks[0]
    if sig.skips:
        return False, "Chữ ký số không bao trùm toàn bộ tệp: có phần của tệp nằm ngoài chữ ký."
    if sig.signer is None or not sig.intact:
        return False, "Chữ ký số KHÔNG hợp lệ: tệp đã bị sửa sau khi ký."
    if sig.appended or not sig.whole_file:
        return False, "Chữ ký số còn nguyên nhưng tệp đã bị thêm nội dung sau khi ký."
    if sig.cert_valid_then is False:
        return False, "Chứng thư số của người ký không còn hiệu lực vào lúc ký."
    if sig.trusted is False:
        return False, (
            "Chứng thư số của người ký không do tổ chức tin cậy cấp (do "
            f"“{sig.issuer or 'không rõ'}” cấp, không phải tổ chức nào đặt ở sign_trust_roots)."
        )
    return True, "Chữ ký số hợp lệ: tệp còn nguyên vẹn từ khi ký."


def _title(reader: PdfFileReader) -> str:
    try:
        info = reader.trailer_view.get("/Info")
        title = info.get_object().get("/Title") if info is not None else None
    except Exception:
        return ""
    return str(title) if title is not None else ""


def _read(data: bytes) -> tuple[PdfFileReader, list[EmbeddedPdfSignature]]:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return reader, list(reader.embedded_signatures)


def _range_end(data: bytes) -> int | None:
    """Where the first /ByteRange written in the file ends, when it ends inside the file."""
    found = _BYTE_RANGE.search(data)
    if found is None:
        return None
    _start, _first, second, rest = (int(x) for x in found.groups())
    end = second + rest
    return end if 0 < end <= len(data) else None


def _end_of(sig: EmbeddedPdfSignature, data: bytes) -> int | None:
    try:
        _start, _first, second, rest = (int(x) for x in sig.byte_range)
    except (TypeError, ValueError):
        return None
    end = second + rest
    return end if 0 < end < len(data) else None


def _signed_title(data: bytes, end: int | None, reader: PdfFileReader) -> str:
    """The title as signed: from the signed revision when bytes follow it."""
    if end is None:
        return _title(reader)
    try:
        return _title(PdfFileReader(io.BytesIO(data[:end]), strict=False))
    except Exception:
        return _title(reader)


def check_pdf(
    data: bytes, trust_roots: Sequence[bytes | x509.Certificate] = ()
) -> PdfSignatureCheck:
    """What the PDF's own signatures say; UnreadablePdf when it is not a readable PDF.
    A file that does not parse whole but whose signed part does (something raw appended
    after the signature) is judged on that part, as added to."""
    if len(data) > MAX_BYTES:
        raise UnreadablePdf(TOO_BIG)
    if _PDF_MAGIC not in data[:1024]:
        raise UnreadablePdf("Tệp không phải là tệp PDF.")
    roots = [
        r if isinstance(r, x509.Certificate) else x509.Certificate.load(r) for r in trust_roots
    ]
    with _quiet():
        try:
            reader, found = _read(data)
            checks = tuple(_one(sig, data, roots) for sig in found)
            end = _end_of(found[0], data) if found else None
        except Exception as exc:
            end = _range_end(data)
            try:
                if end is None or end >= len(data):
                    raise ValueError("no signed part")
                reader, found = _read(data[:end])
                if not found:
                    raise ValueError("no signature in the signed part")
                checks = tuple(
                    replace(_one(sig, data[:end], roots), appended=True, whole_file=False)
                    for sig in found
                )
            except Exception:
                raise UnreadablePdf(
                    "Tệp PDF bị hỏng (có thể chưa tải về hết): không đọc được."
                ) from exc
        title = _signed_title(data, end, reader)
    ok, verdict = _verdict(checks)
    return PdfSignatureCheck(hashlib.sha256(data).hexdigest(), title, checks, ok, verdict, end)

"""Signed certificate files (ký số), for the command line and the window alike.

The order is fixed: the key is opened first (a wrong password or PIN, an expired
certificate: refused before anything is issued); the certificates are issued and
committed as without signing (the combined file for the printer, never signed, is placed
then); after the commit each person's PDF is rendered, signed and written to a temporary
file beside its place; one transaction records the signatures; only then are the signed
files moved into place. A failure or a cancel while signing stops the batch: what was
signed before it is recorded and placed, no unsigned per-person file is placed, and
`SigningStopped` says how many were issued and signed, why it stopped and how to sign the
rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.orm import Session

from app import certificate_pool, commands
from app.certificate_files import Items, Sink, Step, Targets, write_after_commit
from app.db import Database
from app.documents import certificate
from app.documents.certificate import CertificateData
from app.errors import UserError
from app.services import certificate_signing, settings, sign_settings
from app.signing.spot import Spot
from app.staging import NotPlaced, Staging

if TYPE_CHECKING:  # pyHanko is loaded when something is signed, not with the pages
    from app.signing.keys import KeySource, OpenKey
    from app.signing.pdf import Look, SignedFile

log = logging.getLogger(__name__)
T = TypeVar("T")
SignOne = Callable[[CertificateData], "SignedFile"]
SERIALS_NAMED = 10  # more left than this: the command names the course instead
# Pages to sign rendered ahead in parallel by write_signed (by id of their data), taken
# by Signer.certificate instead of rendering them again.
_PAGES: ContextVar[dict[int, bytes] | None] = ContextVar("certificate_pages", default=None)


@dataclass(frozen=True)
class KeyPlan:
    """What the settings say about signing: the key, the timestamp server, the agency."""

    source: KeySource
    tsa_url: str
    agency: str
    # What the visible signature of a report or register shows (a certificate shows the
    # seal and signature images it was issued with), and the placement set per template.
    seal: bytes | None = None
    signature: bytes | None = None
    boxes: dict[str, tuple[float, float, float, float] | None] = field(default_factory=dict)
    trust_roots: tuple[bytes, ...] = ()  # DER; the key must chain to one when set

    @property
    def is_set(self) -> bool:
        return self.source.kind is not None

    @property
    def describe(self) -> str:
        """The key as a person recognises it ("" when none is set)."""
        if self.source.kind == "pkcs11":
            return f"thiết bị ký số {self.source.token or Path(self.source.pkcs11).name}"
        if self.source.kind == "p12":
            return f"tệp {Path(self.source.p12).name}"
        return ""

    @property
    def prompt(self) -> str:
        """The question for the password or PIN."""
        return self.source.prompt


def key_plan(s: Session) -> KeyPlan:
    """The ký số settings, read once before a batch."""
    from app.services import printing  # its report code is not needed to issue

    return KeyPlan(
        sign_settings.key_source(s),
        sign_settings.tsa_url(s),
        printing.heading(s).body,
        settings.image(s, "seal"),
        settings.image(s, "signature"),
        {t: sign_settings.sign_box(s, t) for t in sign_settings.BOX_KEYS},
        tuple(sign_settings.trust_roots(s)),
    )


def require_key(plan: KeyPlan) -> None:
    """No key set: the Vietnamese message saying how to set one (before asking a secret)."""
    if not plan.is_set:
        from app.signing.keys import open_key

        with open_key(plan.source, "", datetime.now(UTC)):
            pass  # pragma: no cover - open_key refuses a source without a key


@dataclass
class Signer:
    """An open key with what the visible signature shows: signs certificates and documents."""

    key: OpenKey
    look: Look
    tsa_url: str = ""
    boxes: dict[str, tuple[float, float, float, float] | None] = field(default_factory=dict)

    def certificate(self, data: CertificateData) -> SignedFile:
        """The certificate's page with its signer block left to the visible signature,
        which shows the seal and signature images the certificate was issued with (those
        set now for one issued without them)."""
        from app.signing.pdf import sign_pdf

        ready = _PAGES.get()
        pdf = ready.pop(id(data), None) if ready is not None else None
        if pdf is None:
            pdf = certificate.render_one(data, signing=True)
        spot = certificate.signature_spot(data, self.boxes.get(data.template))
        look = replace(  # the images it was issued with, else today's
            self.look,
            seal=data.seal or self.look.seal,
            signature=data.signature or self.look.signature,
        )
        return sign_pdf(pdf, self.key, spot, look, self.tsa_url)

    def document(self, pdf: bytes, spot: Spot | None) -> bytes:
        """A report or register PDF signed in its signer's room (not recorded: the
        register records certificates)."""
        from app.signing.pdf import sign_pdf

        return sign_pdf(pdf, self.key, spot, self.look, self.tsa_url).data


@contextmanager
def open_signer(plan: KeyPlan, secret: str, now: datetime | None = None) -> Iterator[Signer]:
    """The key opened once for a batch (SigningError for a wrong secret, an expired key, or
    one not issued by the sign_trust_roots set)."""
    from app.signing.keys import check_issuer, open_key
    from app.signing.pdf import Look

    with open_key(plan.source, secret, now or datetime.now(UTC)) as key:
        check_issuer(key, plan.trust_roots)
        look = Look(plan.agency, plan.seal, plan.signature)
        yield Signer(key, look, plan.tsa_url, plan.boxes)


class SigningStopped(UserError):
    """Signing stopped after the commit: the certificates stay issued; `signed` files
    were recorded and placed, the rest were not written."""

    def __init__(self, message: str, result: Any, signed: int, placed: list[Path]) -> None:
        super().__init__(message)
        self.result, self.signed, self.placed = result, signed, placed


def _reason(exc: BaseException, cancelled: Callable[[], bool]) -> str:
    if cancelled():
        return "người dùng đã bấm Hủy"
    if isinstance(exc, UserError):
        return exc.message.rstrip(". ")
    log.error("signing stopped", exc_info=exc)
    return f"lỗi khi ký ({type(exc).__name__})"


def sign_again(where: commands.Where, serials: list[str], course_code: str | None) -> str:
    """The command that signs the certificates left unsigned."""
    if course_code and len(serials) > SERIALS_NAMED:
        which = f"--course {course_code}"
    else:
        which = " ".join(serials)
    return commands.command(where, f"certificates reprint {which}") + " --out-dir THƯ_MỤC --sign"


def stopped_message(
    issued: int | None,
    total: int,
    signed: int,
    folder: Path,
    reason: str,
    again: str,
) -> str:
    """What a stopped batch tells: issued, signed and placed, why it stopped, what next."""
    head = f"Đã cấp {issued} giấy chứng nhận và đã ghi vào sổ; " if issued is not None else ""
    left = total - signed
    return (
        f"{head}đã ký số {signed}/{total} tệp và lưu vào {folder}, rồi dừng: {reason}. "
        f"{left} giấy còn lại chưa ký nên chưa lưu tệp nào của họ"
        + (" (các giấy vẫn có hiệu lực)" if issued is not None else "")
        + f". Ký tiếp bằng “{again}”."
    )


def write_signed(
    db: Database,
    targets: Targets,
    act: Callable[[Session, Sink | None], tuple[T, Items]],
    title: str | Callable[[T], str] | None,
    sign: SignOne,
    *,
    issued: Callable[[T], int] | None = None,
    course_code: Callable[[T], str | None] = lambda _r: None,
    step: Step | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> tuple[T, list[Path]]:
    """write_after_commit with each person's file signed after the commit (see above);
    targets.out_dir is required. issued(result) counts what act issued (None: a reprint).
    Returns act's result and every file placed; SigningStopped when signing stopped."""
    folder = targets.out_dir
    if folder is None:
        raise UserError("Ký số cần thư mục lưu mỗi người một tệp (--out-dir THƯ_MỤC).")
    staging = Staging()
    try:
        staging.folder(folder, create=True)  # checked before anything is committed
        found: list[Items] = []

        def unsigned_act(s: Session, _sink: Sink | None) -> tuple[T, Items]:
            result, items = act(s, None)  # each person's file is signed after the commit
            found.append(items)
            return result, items

        result, placed = write_after_commit(db, Targets(out=targets.out), unsigned_act, title)
        items = found[-1]
        done: list[tuple[str, SignedFile]] = []
        stop: str | None = None
        pages = certificate_pool.render_each([d for d, _ in items], signing=True)
        ready: dict[int, bytes] = {}
        token = _PAGES.set(ready)
        try:
            for n, (data, name) in enumerate(items, start=1):
                try:
                    if cancelled():
                        raise UserError("Đã hủy.")
                    ready[id(data)] = next(pages)  # rendered by the workers meanwhile
                    signed = sign(data)
                    staging.add(folder / name, signed.data)
                    done.append((data.serial, signed))
                    if step:
                        step(n, len(items))
                except Exception as exc:  # any failure stops the batch the same way
                    stop = _reason(exc, cancelled)
                    break
        finally:
            _PAGES.reset(token)
            pages.close()  # a stop: the pages not taken are not rendered
        if done:
            with db.transaction() as s:
                ids = certificate_signing.ids_by_serial(s, [serial for serial, _ in done])
                for serial, signed in done:
                    certificate_signing.record(s, ids[serial], signed)
        try:
            placed += staging.place()
        except NotPlaced as exc:
            placed += exc.placed
            stop = stop or exc.message
        if stop is not None:
            left = [d.serial for d, _ in items[len(done) :]]
            again = sign_again(db, left or [d.serial for d, _ in items], course_code(result))
            count = issued(result) if issued else None
            message = stopped_message(count, len(items), len(done), folder, stop, again)
            raise SigningStopped(message, result, len(done), placed)
        return result, placed
    finally:
        staging.discard()

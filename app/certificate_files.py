"""Certificate PDFs on disk, for the command line and the window alike: no paper the
register does not hold.

The folders are checked (and created) before anything is committed; inside the
transaction the PDFs are rendered to temporary files in their target folders; the commit
keeps the serials; only then are the files renamed into place. A failure or a cancel
before the commit leaves no file; a failure in the renames after it raises
`NotIssuedToFiles`, which says which certificates were issued and how to print them again.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from app import commands, interrupts
from app.db import Database
from app.documents import certificate
from app.documents.certificate import CertificateData
from app.errors import UserError
from app.staging import FileProblem, NotPlaced, Staging

T = TypeVar("T")
Items = list[tuple[CertificateData, str]]  # printable data and each person's file name
Step = Callable[[int, int], None]
Sink = Callable[[str, str, bytes], None]  # no longer given (None): kept for act's signature
NOTHING_ISSUED = "Chưa cấp giấy chứng nhận nào; số hiệu không bị dùng."


@dataclass(frozen=True)
class Targets:
    out: Path | None = None  # one combined PDF, to print
    out_dir: Path | None = None  # one PDF a person, named after the whole serial

    def check(self, staging: Staging) -> None:
        """Refuse a place that cannot be written, before anything is committed."""
        if self.out is not None:
            out = self.out.expanduser().absolute()
            if out.suffix.lower() != ".pdf" or not out.parent.is_dir():
                raise FileProblem(
                    f"Tệp in phải là .pdf trong một thư mục có sẵn (không phải “{out}”)."
                )
            staging.folder(out.parent)
        if self.out_dir is not None:
            staging.folder(self.out_dir, create=True)

    def stage(
        self,
        staging: Staging,
        items: Items,
        title: str,
        step: Step | None = None,
    ) -> None:
        """Render every file to its temporary place (in the transaction); each person's
        file in parallel processes (certificate_pool)."""
        per_person = items if self.out_dir else []
        folder = self.out_dir or Path()
        total = len(per_person) + (self.out is not None)
        done = 0
        combined = None
        if per_person:  # the pool (multiprocessing) loaded only when there are such files
            from app import certificate_pool

            # Workers render each person's file while this process draws the combined one;
            # the files are staged in the same order as ever (each person's, then it).
            with certificate_pool.render_each([d for d, _ in per_person]) as pdfs:
                if pdfs.parallel and self.out is not None:
                    combined = self._combined(items, title)
                for (_data, name), pdf in zip(per_person, pdfs, strict=True):
                    staging.add(folder / name, pdf)
                    done += 1
                    if step:
                        step(done, total)
        if self.out is not None:
            staging.add(
                self.out, combined if combined is not None else self._combined(items, title)
            )
            done += 1
            if step:
                step(done, total)

    @staticmethod
    def _combined(items: Items, title: str) -> bytes:
        buf = io.BytesIO()
        certificate.render_certificates([d for d, _ in items], buf, title)
        return buf.getvalue()

    def describe(self, placed: list[Path]) -> str:
        """Where the files went: the combined file, and how many in the folder."""
        parts = []
        out = self.out.expanduser().absolute() if self.out is not None else None
        if out is not None and out in placed:
            parts.append(str(out))
        if self.out_dir is not None:
            folder = self.out_dir.expanduser().absolute()
            n = sum(1 for p in placed if p.parent == folder and p != out)
            parts.append(f"{n} tệp trong {folder}")
        return "; ".join(parts)


class NotIssuedToFiles(UserError):
    """Committed, but some files could not be put in place: what was issued is said."""

    def __init__(
        self, message: str, result: Any, placed: list[Path], interrupted: bool = False
    ) -> None:
        super().__init__(message)
        self.result, self.placed = result, placed
        self.interrupted = interrupted  # Ctrl-C while the files were put in place


INTERRUPTED = "việc đặt các tệp vào chỗ đã bị dừng theo yêu cầu (Ctrl+C)"


def write_after_commit(
    db: Database,
    targets: Targets,
    act: Callable[[Session, Sink | None], tuple[T, Items]],
    title: str | Callable[[T], str] | None,
    step: Step | None = None,
) -> tuple[T, list[Path]]:
    """act(session, None) in one transaction, returning its result and the certificates
    to write; the files go into place after
    the commit; title (of the combined file) may be worked out from act's result. A FileProblem means nothing was
    committed; NotPlaced after the commit becomes NotIssuedToFiles (result attached)."""
    staging = Staging()
    with interrupts.watched() as watch:
        try:
            targets.check(staging)
            with db.transaction() as s:
                result, items = act(s, None)
                if callable(title):  # from what act found (the course's code as stored)
                    title = title(result)
                if title is None:
                    title = f"Giấy chứng nhận {items[0][0].serial}" if len(items) == 1 else ""
                targets.stage(staging, items, title or "Giấy chứng nhận", step)
                watch.check()  # Ctrl-C swallowed on the way (a finaliser): no commit
            try:
                return result, staging.place()
            except NotPlaced as exc:
                raise NotIssuedToFiles(exc.message, result, exc.placed) from exc
            except KeyboardInterrupt as exc:
                raise NotIssuedToFiles(INTERRUPTED, result, [], interrupted=True) from exc
        finally:
            staging.discard()


def issued_but_not_placed(
    serials: list[str], course_code: str | None, problem: str, where: commands.Where
) -> str:
    """What to tell someone whose certificates are in the register but not all on disk
    (the command named for the database `where` is)."""
    span = serials[0] if len(serials) == 1 else f"{serials[0]} – {serials[-1]}"
    which = f"--course {course_code}" if course_code else " ".join(serials)
    again = commands.command(where, f"certificates reprint {which}")
    return (
        f"Đã cấp {len(serials)} giấy chứng nhận ({span}) và đã ghi vào sổ, nhưng {problem}. "
        f"Các giấy vẫn có hiệu lực; in lại bằng “{again} --out TỆP.pdf” hoặc “--out-dir "
        "THƯ_MỤC”, hoặc ở trang Chứng nhận → Xem và in lại."
    )

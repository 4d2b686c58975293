"""What the register keeps of a certificate (column `pdf_sha256`, audit "sha256"): since
template version 2 the SHA-256 of its canonical snapshot, not of a PDF file.

The canonical snapshot is the snapshot (everything printed, the images by digest, and
"template_version") as sorted-key, compact JSON, ensure_ascii off, in UTF-8. A reprint
renders the very same bytes from the snapshot, so nothing is lost by not rendering a file
only to hash it. A certificate issued before (a snapshot without "template_version")
keeps the SHA-256 of the one-person PDF issued then, which a reprint still reproduces.

The ký số register (certificate_signatures) keeps the SHA-256 of each signed FILE: that
is a file's hash, and stays one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

TEMPLATE_VERSION = 3  # the "template_version" of certificates issued now (certificate.LATEST)
VERSION_KEY = "template_version"  # "template" already names the design (classic, modern)


def canonical(snapshot: dict[str, Any]) -> bytes:
    """The snapshot as the bytes its digest is taken of."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    """The SHA-256 the register keeps for a certificate issued with this snapshot."""
    return hashlib.sha256(canonical(snapshot)).hexdigest()


def of_pdf(snapshot: dict[str, Any]) -> bool:
    """Whether the kept digest is of a PDF file (a certificate issued before version 2)."""
    return VERSION_KEY not in snapshot


def matches(snapshot: dict[str, Any], kept: str | None, pdf: bytes | None = None) -> bool:
    """Whether the kept digest is this certificate's: of its snapshot (version 2 on), or of
    its one-person PDF (older; pdf is that file as a reprint renders it)."""
    if kept is None:
        return False
    if of_pdf(snapshot):
        return pdf is not None and hashlib.sha256(pdf).hexdigest() == kept
    return snapshot_sha256(snapshot) == kept

"""Whether a person's certificate file is the very one issued, as the register proves it.

Since issue 18 the register keeps (pdf_sha256) the SHA-256 of the certificate's canonical
snapshot (sorted-key compact JSON, UTF-8, written out here rather than taken from the
program), and the file is what a reprint renders from that snapshot, byte for byte. A
certificate issued before (a snapshot without "template_version") keeps its PDF's SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

from pypdf import PdfReader


def canonical_sha256(snapshot: dict[str, Any]) -> str:
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reprinted(db_path: Path, snapshot: dict[str, Any]) -> bytes:
    """The one-person PDF a reprint renders from a snapshot (images from the settings)."""
    from app.db import Database
    from app.documents.certificate import render_one
    from app.services import certificates

    db = Database(str(db_path), must_exist=True)
    try:
        with db.transaction(readonly=True) as s:
            return render_one(certificates.data_of(s, snapshot))
    finally:
        db.close(optimize=False)


def problem(db_path: Path, data: bytes) -> str | None:
    """None when data is a person's file of a certificate in the register, with the digest
    the register keeps for it; else what is wrong (the serial comes from the file's title,
    "Giấy chứng nhận SERIAL")."""
    title = PdfReader(io.BytesIO(data)).metadata.title or ""
    serial = title.removeprefix("Giấy chứng nhận ")
    with sqlite3.connect(db_path) as con:
        row = con.execute(
            "SELECT snapshot, pdf_sha256 FROM certificates WHERE serial = ?", (serial,)
        ).fetchone()
    if not title.startswith("Giấy chứng nhận ") or row is None:
        return f"{title!r} names no certificate in the register"
    snapshot, kept = json.loads(row[0]), row[1]
    if "template_version" not in snapshot:  # issued before issue 18: the PDF's own digest
        return None if hashlib.sha256(data).hexdigest() == kept else f"{serial}: not the PDF kept"
    if kept != canonical_sha256(snapshot):
        return f"{serial}: the register keeps {kept}, not the snapshot's digest"
    if data != reprinted(db_path, snapshot):
        return f"{serial}: not what a reprint of its snapshot renders"
    return None

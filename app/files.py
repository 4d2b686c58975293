"""File names TapHuan suggests or writes, safe on Windows: no path separators or
characters Windows refuses, no reserved device names (CON, PRN, AUX, NUL, COM1–9,
LPT1–9), no trailing dots or spaces, not too long."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
            *(f"LPT{i}" for i in range(1, 10))}  # fmt: skip
FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
MAX_LENGTH = 150


def safe_name(name: str, fallback: str = "tep") -> str:
    text = unicodedata.normalize("NFC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")  # control chars
    text = FORBIDDEN.sub("-", text).strip().rstrip(". ")
    if not text:
        return fallback
    stem, dot, suffix = text.rpartition(".") if "." in text.strip(".") else (text, "", "")
    if stem.upper() in RESERVED or text.upper() in RESERVED:
        text = f"{stem}_{dot}{suffix}" if dot else f"{text}_"
    if len(text) > MAX_LENGTH:
        stem, dot, suffix = text.rpartition(".")
        keep = MAX_LENGTH - len(suffix) - 1 if dot and len(suffix) <= 5 else MAX_LENGTH
        text = text[:keep].rstrip(". ") + (f".{suffix}" if dot and len(suffix) <= 5 else "")
    return text


def write_atomic(path: Path, data: bytes) -> Path:
    """Write through a temporary file beside path, then rename: never half a file, and an
    old file of that name stays whole until the new one is complete."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path

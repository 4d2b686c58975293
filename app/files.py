"""File names TapHuan suggests or writes, safe on Windows: no path separators or
characters Windows refuses, no reserved device names (CON, PRN, AUX, NUL, COM1–9,
LPT1–9), no trailing dots or spaces, not too long."""

from __future__ import annotations

import errno
import os
import re
import secrets
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


TEMP_ATTEMPTS = 100


def make_temp(folder: Path, prefix: str = ".taphuan-", suffix: str = ".tmp") -> tuple[int, str]:
    """A new file in folder, opened for writing: (descriptor, name), as tempfile.mkstemp.

    Not mkstemp itself: on Windows it takes "access denied" in a folder that os.access
    calls writable (os.access only sees the read-only attribute, not a folder whose rights
    deny writing, nor an immutable one under Wine) for a name already taken, and tries the
    next of 2**31 names: the program hangs. Here a refusal is raised at once; only a name
    that exists is tried again, a few times."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOINHERIT", 0)
    for _ in range(TEMP_ATTEMPTS):
        name = os.path.join(folder, f"{prefix}{secrets.token_hex(8)}{suffix}")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def folder_refusal(folder: Path) -> OSError | None:
    """Why a file cannot be created in folder (the system's error), or None when it can;
    nothing is left there."""
    try:
        fd, name = make_temp(folder)
    except OSError as exc:
        return exc
    os.close(fd)
    try:
        os.unlink(name)
    except OSError as exc:
        return exc
    return None


def write_atomic(path: Path, data: bytes) -> Path:
    """Write through a temporary file beside path, then rename: never half a file, and an
    old file of that name stays whole until the new one is complete."""
    path = Path(path)
    fd, tmp_name = make_temp(path.parent, prefix=f".{path.name}.", suffix=".tmp")
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

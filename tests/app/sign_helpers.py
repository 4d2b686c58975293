"""A signing .p12 for the issuing tests (made by tests/app/signing_keys.py), and poppler's
pdfsig as the outside client that checks a signed file."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.app.signing_keys import make_ca, make_signer

PASSWORD = "mật-khẩu-thử"
SUBJECT = "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"
SERIAL = 0x1234ABCD


@dataclass(frozen=True)
class TestKey:
    p12: Path
    ca_pem: Path


def make_key(folder: Path, days: int = 365) -> TestKey:
    """A CA and a signing certificate valid from yesterday for `days`, as a .p12."""
    ca = make_ca()
    folder.mkdir(parents=True, exist_ok=True)
    valid_to = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    signer = make_signer(
        ca, folder, valid_to=valid_to, cn=SUBJECT, password=PASSWORD, serial=SERIAL,
        file_name="ky-so.p12",
    )  # fmt: skip
    return TestKey(signer.p12, ca.pem(folder / "ca.pem"))


def pdfsig(path: Path) -> str:
    """What poppler's pdfsig says about a file's signatures (no network, no trust store)."""
    tool = shutil.which("pdfsig")
    assert tool, "poppler's pdfsig is needed (Debian poppler-utils)"
    run = subprocess.run([tool, "-nocert", str(path)], capture_output=True, text=True, timeout=60)
    return run.stdout + run.stderr


def signature_valid(path: Path) -> bool:
    """pdfsig finds exactly one signature, valid and covering the whole file."""
    said = pdfsig(path)
    return (
        said.count("Signature #") == 1
        and "Signature Validation: Signature is Valid." in said
        and "Total document signed" in said
    )

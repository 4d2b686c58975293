"""Ký số: N per-person certificate PDFs rendered unsigned, then rendered for signing and
signed with a .p12 key and with a SoftHSM2 token (one PIN entry each); seconds, the
ratio to rendering them unsigned, and the file sizes.

    python bench/bench_signing.py [--count 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.documents.certificate import render_one, signature_spot  # noqa: E402
from app.signing import keys, pdf  # noqa: E402
from tests.app.signing_keys import (  # noqa: E402
    AGENCY,
    make_ca,
    make_signer,
    make_token,
    seal_png,
    signature_png,
    softhsm_available,
)
from tests.app.test_signing import certificate  # noqa: E402


def people(count: int) -> list:
    base = certificate()
    return [
        replace(base, full_name=f"Nguyễn Thị Thanh Hà {i}", serial=f"{i:04d}/GCN-2026")
        for i in range(1, count + 1)
    ]


def sign_all(source: keys.KeySource, secret: str, items: list) -> tuple[float, int]:
    look = pdf.Look(AGENCY, seal_png(), signature_png())
    started = time.perf_counter()
    size = 0
    with keys.open_key(source, secret, datetime.now(UTC)) as key:
        for d in items:
            size += len(
                pdf.sign_pdf(render_one(d, signing=True), key, signature_spot(d), look).data
            )
    return time.perf_counter() - started, size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    n = ap.parse_args().count
    items = people(n)
    render_one(items[0])  # fonts registered, as in a running program

    started = time.perf_counter()
    unsigned = sum(len(render_one(d)) for d in items)
    plain = time.perf_counter() - started
    print(f"{n} certificates rendered unsigned: {plain:.2f} s, {unsigned / n / 1024:.1f} KiB each")

    folder = Path(tempfile.mkdtemp(prefix="bench-signing-"))
    ca = make_ca()
    signer = make_signer(ca, folder)
    took, size = sign_all(keys.KeySource(p12=str(signer.p12)), signer.password, items)
    print(
        f"{n} rendered and signed with a .p12: {took:.2f} s ({took / n * 1000:.0f} ms each), "
        f"{took / plain:.1f}× unsigned; {size / n / 1024:.1f} KiB each "
        f"({size / unsigned:.2f}× unsigned)"
    )
    if not softhsm_available():
        print("SoftHSM2 not installed: token figures skipped")
        return
    token = make_token(folder / "hsm", ca, signer=signer)
    try:
        took, size = sign_all(keys.KeySource(pkcs11=token.lib, token=token.label), token.pin, items)
    finally:
        os.environ.pop("SOFTHSM2_CONF", None)
    print(
        f"{n} rendered and signed with SoftHSM2: {took:.2f} s ({took / n * 1000:.0f} ms each), "
        f"{took / plain:.1f}× unsigned; {size / n / 1024:.1f} KiB each "
        f"({size / unsigned:.2f}× unsigned)"
    )


if __name__ == "__main__":
    main()

"""The certificate's images: decompression bombs, too many pixels, too many bytes, damaged
files and other kinds are refused in Vietnamese with nothing written and no English
warning; a large image that is allowed is kept scaled down to its place on the paper."""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.db import Database
from app.documents.certificate import render_one
from app.services import certificate_preview, setting_images, settings
from models import AuditEntry, Setting
from tests.app.clirun import run


def png_of_size(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of that size, all zeros: a few KB on disk, however many
    pixels it claims (what the attacker's 48 KB, 400 Mpx logo was)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def gradient(width: int, height: int, kind: str = "PNG") -> bytes:
    img = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    img.save(out, kind)
    return out.getvalue()


def written(db: Database) -> tuple[int, int]:
    with db.transaction(readonly=True) as s:
        return (
            int(s.scalar(select(func.count()).select_from(Setting)) or 0),
            int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0),
        )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (lambda: png_of_size(20_000, 20_000), "Logo (ảnh PNG/JPEG): ảnh quá lớn;"),  # 400 Mpx
        (lambda: png_of_size(12_000, 10_000), "ảnh quá lớn; chỉ nhận ảnh tới 25 triệu"),  # 120
        (lambda: png_of_size(6_000, 5_000), "ảnh quá lớn (6.000 × 5.000 điểm ảnh)"),  # 30 Mpx
        (lambda: gradient(300, 200)[:-200], "tệp không phải là ảnh (PNG hoặc JPEG)"),  # cut
        (lambda: gradient(30, 20, "GIF"), "chỉ nhận ảnh PNG hoặc JPEG (tệp là GIF)"),
        (lambda: b"%PDF-1.4 not a picture", "tệp không phải là ảnh"),
        (lambda: b"\x89PNG" + b"\0" * (3 * 1024 * 1024), "ảnh lớn quá 3 MB"),
    ],
    ids=["400-mpx", "120-mpx", "30-mpx", "cut-short", "gif", "pdf", "over-3-mb"],
)
def test_a_bad_image_is_refused_in_vietnamese_and_nothing_is_written(
    sqlite_db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content,  # type: ignore[no-untyped-def]
    words: str,
) -> None:
    image = tmp_path / "logo.png"
    image.write_bytes(content())
    before = written(sqlite_db)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        code, out, err = run(capsys, "--db", str(sqlite_db.path), "settings", "set", "logo",
                             str(image))  # fmt: skip
    assert (code, out) == (3, "")
    assert words in err, err
    assert "Decompression" not in err and "Traceback" not in err
    assert [str(w.message) for w in seen] == []  # no English warning either
    assert written(sqlite_db) == before


def test_a_large_image_is_kept_scaled_to_its_place_on_the_paper(
    db: Database, tmp_path: Path
) -> None:
    big = tmp_path / "nen.png"
    big.write_bytes(gradient(4_800, 3_600))  # 17 Mpx: allowed, but far beyond what it needs
    logo = tmp_path / "logo.jpg"
    logo.write_bytes(gradient(3_000, 3_000, "JPEG"))
    small = tmp_path / "dau.png"
    Image.new("RGBA", (300, 300), (200, 0, 0, 128)).save(small)
    with db.transaction() as s:
        settings.set_value(s, "background", str(big))
        settings.set_value(s, "logo", str(logo))
        settings.set_value(s, "seal", str(small))
    with db.transaction(readonly=True) as s:
        kept = {k: settings.image(s, k) for k in ("background", "logo", "seal")}
        pdf = render_one(certificate_preview.preview(s))
    sizes = {k: Image.open(io.BytesIO(v)).size for k, v in kept.items() if v}
    kinds = {k: Image.open(io.BytesIO(v)).format for k, v in kept.items() if v}
    assert sizes == {"background": (3508, 2631), "logo": (600, 600), "seal": (300, 300)}
    assert kinds == {"background": "PNG", "logo": "JPEG", "seal": "PNG"}
    assert kept["seal"] == small.read_bytes()  # small enough: kept as it is
    assert len(pdf) < 1_500_000  # each certificate stays small


def test_check_keeps_the_bytes_of_an_image_that_fits() -> None:
    data = gradient(400, 300)
    assert setting_images.check(data, "Logo", "logo") == data
    assert settings.check_image(data, "Logo") == data

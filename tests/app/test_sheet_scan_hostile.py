"""Hostile files given to the reader (issue 19): a decompression bomb refused without
being decoded, a PDF of 500 blank pages read to its end with every page listed."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.scan import read_files

SIDE = 20_000


def _bomb(path: Path) -> Path:
    """A 20000×20000 white PNG (1 bit a pixel): a few dozen kB on disk, 400 MB decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * (SIDE // 8)
    data = b"".join(packer.compress(row) for _ in range(SIDE)) + packer.flush()
    header = struct.pack(">IIBBBBB", SIDE, SIDE, 1, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
    path.write_bytes(png + chunk(b"IEND", b""))
    return path


PROBE = """
import json, resource, sys
from pathlib import Path
from app.scan.pages import load
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
pages = [(p.index, p.gray is None, p.problem) for p in load(Path(sys.argv[1]))]
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"pages": pages, "grew_kb": after - before}))
"""


def test_a_decompression_bomb_is_refused_without_being_decoded(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bom.png")
    assert bomb.stat().st_size < 2_000_000
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(bomb)], capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parents[2], check=True,
    )  # fmt: skip
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["pages"] == [[1, True, "ảnh quá lớn"]]
    assert seen["grew_kb"] < 100_000  # decoding it would take 400 MB at least


def test_a_pdf_of_500_blank_pages_is_read_to_its_end(tmp_path: Path) -> None:
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4)
    for _ in range(500):
        c.showPage()
    c.save()
    path = tmp_path / "trang-trang.pdf"
    path.write_bytes(out.getvalue())
    readings = list(read_files([path], lambda _code: None))
    assert [r.index for r in readings] == list(range(1, 501))
    assert {r.problem for r in readings} == {
        "không đọc được mã QR của trang (không phải bảng ký tên TapHuan, ảnh mờ hoặc bị cắt góc)"
    }

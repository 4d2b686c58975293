"""Xvfb's screen (its -fbdir file, in XWD format) as a PNG, with the standard library only:
check-install.sh keeps pictures of Setup's own dialogs, which no program of ours draws.

    python3 xwd_png.py FBDIR/Xvfb_screen0 OUT.png
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

HEADER_FIELDS = 25  # CARD32s, big-endian, before the window name


def xwd_to_rgb(data: bytes) -> tuple[int, int, bytes]:
    fields = struct.unpack(">25I", data[: 4 * HEADER_FIELDS])
    header_size, width, height = fields[0], fields[4], fields[5]
    byte_order, bits_per_pixel, bytes_per_line = fields[7], fields[11], fields[12]
    ncolors = fields[19]
    if bits_per_pixel != 32:
        raise SystemExit(f"{bits_per_pixel} bits a pixel: only 32 (Xvfb -screen 0 WxHx24)")
    start = header_size + 12 * ncolors
    rows = []
    for y in range(height):
        line = data[start + y * bytes_per_line : start + y * bytes_per_line + 4 * width]
        if byte_order == 0:  # LSBFirst: B, G, R, X
            rgb = bytearray(3 * width)
            rgb[0::3], rgb[1::3], rgb[2::3] = line[2::4], line[1::4], line[0::4]
        else:  # MSBFirst: X, R, G, B
            rgb = bytearray(3 * width)
            rgb[0::3], rgb[1::3], rgb[2::3] = line[1::4], line[2::4], line[3::4]
        rows.append(b"\x00" + bytes(rgb))
    return width, height, b"".join(rows)


def png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def main() -> int:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.write_bytes(png(*xwd_to_rgb(source.read_bytes())))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""QR codes encoded by zxing-cpp, drawn either as a 1-bit image mask (one small inline
image: what everything printed now uses) or as vector runs of modules (what certificates
issued before template version 3 were drawn with, kept so their reprints stay the same
bytes)."""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

QUIET = 2  # modules of white border inside the drawn square
_DARK_RUN = re.compile(rb"\x00+")  # zxing-cpp's image: 0 is a dark module, 255 a light one


# The data mask of the codes drawn as images: fixed, as zxing-cpp's choosing among the
# eight (it scores each) takes five times as long as the rest of the encoding. The choice
# only avoids patterns that trouble some readers; at printed sizes, blurred and noisy,
# zxing-cpp reads codes of this mask at least as often as chosen ones (6,000 codes at
# 2.3-3 pixels a module). zxing-cpp 3.1 takes the mask only after an ecLevel in options.
IMAGE_MASK = 3


@lru_cache(maxsize=4096)
def modules(text: str, mask: int | None = None) -> tuple[bytes, ...]:
    """The code's rows of modules for the text (error correction M; mask None: the one
    zxing-cpp chooses), one byte a module: 0 dark, 255 light. Read straight from
    zxing-cpp's image: no numpy on this path."""
    import zxingcpp

    options = {} if mask is None else {"options": f'{{"ecLevel":"M","dataMask":{mask}}}'}
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M", **options)
    image = memoryview(barcode.to_image(scale=1, add_quiet_zones=False))
    n = image.shape[1]
    flat = image.tobytes()
    return tuple(flat[i : i + n] for i in range(0, len(flat), n))


class _Path:
    """A finished path for Canvas.drawPath: the operators written once per code and reused
    (what reportlab's PDFPathObject would write for the same rectangles, byte for byte)."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code

    def getCode(self) -> str:
        return self.code


@lru_cache(maxsize=65536)
def _rect(start: int, end: int, row_width: int) -> str:
    """The rectangle of a run of dark modules at [start, end) of the joined rows: a code's
    few hundred runs come from a few hundred positions, so each is written once."""
    row, col = divmod(start, row_width)
    return f"{col} {row} {end - start} 1 re"


@lru_cache(maxsize=4096)
def _path(text: str) -> tuple[int, _Path]:
    """The code's size in modules, and its dark modules as rectangles merged along each
    row (a few hundred instead of one a module), in module units, rows going down."""
    grid = modules(text)
    n = len(grid)
    joined = b"\xff".join(grid)  # a light module between rows: no run crosses a row's end
    rects = [_rect(*m.span(), n + 1) for m in _DARK_RUN.finditer(joined)]
    return n, _Path("n " + " ".join(rects))


_BITS = bytes.maketrans(b"\x00\xff", b"01")  # a module's byte -> its bit, 0 dark


@lru_cache(maxsize=4096)
def _mask(text: str) -> tuple[int, str]:
    """The code's size in modules, and the inline image drawing it: a 1-bit image mask
    (sample 0 paints, so 0 is a dark module), each row padded to whole bytes, in hex."""
    grid = modules(text, IMAGE_MASK)
    n = len(grid)
    pad = b"1" * (-n % 8)  # light padding bits at each row's end
    bits = b"".join(row.translate(_BITS) + pad for row in grid)
    data = int(bits, 2).to_bytes(len(bits) // 8, "big").hex()
    return n, f"BI /W {n} /H {n} /BPC 1 /IM true /F /AHx ID {data}> EI"


def draw_qr(c: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the code in a size × size square with its lower-left corner at (x, y), a quiet
    zone of QUIET modules inside it, as a 1-bit image mask: a few hundred bytes a code
    where rectangles took a few thousand, and no seams between modules."""
    n, image = _mask(text)
    unit = size / (n + 2 * QUIET)
    side = n * unit
    c.saveState()
    c.setFillColorRGB(0, 0, 0)
    c._code.append(  # the inline image's unit square onto the code's place
        f"{_num(side)} 0 0 {_num(side)} {_num(x + QUIET * unit)} {_num(y + QUIET * unit)} cm {image}"
    )
    c.restoreState()


def _num(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def draw_qr_vector(c: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the code as draw_qr does, as rectangles in module units (rows going down): how
    certificates issued before template version 3 were drawn, kept byte for byte."""
    n, path = _path(text)
    unit = size / (n + 2 * QUIET)
    c.saveState()
    c.translate(x + QUIET * unit, y + size - QUIET * unit)
    c.scale(unit, -unit)
    c.setFillColorRGB(0, 0, 0)
    c.drawPath(path, stroke=0, fill=1)  # type: ignore[arg-type]
    c.restoreState()


class QrFlowable(Flowable):
    """A QR code inside a table cell or a story (a sign-in sheet's column: hundreds a
    document, each placed with one graphics state of its own rather than the three that
    Flowable.drawOn and draw_qr would save and restore)."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text, self.size = text, size
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.text, 0, 0, self.size)

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        if _sW:  # aligned in a wider space: Flowable's own placing
            super().drawOn(canvas, x, y, _sW)
            return
        n, image = _mask(self.text)
        unit = self.size / (n + 2 * QUIET)
        side = n * unit
        canvas._code.append(
            f"q 0 0 0 rg {_num(side)} 0 0 {_num(side)} {_num(x + QUIET * unit)} "
            f"{_num(y + QUIET * unit)} cm {image} Q"
        )

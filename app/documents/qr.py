"""QR codes drawn as vector runs of modules: sharp at any size, encoded by zxing-cpp."""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

QUIET = 2  # modules of white border inside the drawn square


@lru_cache(maxsize=4096)
def modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The dark/light modules of a QR code for the text (error correction M)."""
    import numpy as np
    import zxingcpp

    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    grid = np.asarray(barcode.to_image(scale=1, add_quiet_zones=False)) < 128
    return tuple(tuple(bool(v) for v in row) for row in grid)


@lru_cache(maxsize=4096)
def runs(text: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The code's size in modules, and its dark modules merged into (row, column, length)
    runs along each row: a few hundred rectangles instead of one per module."""
    grid = modules(text)
    out = []
    for r, row in enumerate(grid):
        start = None
        for col, dark in enumerate((*row, False)):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                out.append((r, start, col - start))
                start = None
    return len(grid), tuple(out)


def draw_qr(c: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the code in a size × size square with its lower-left corner at (x, y).

    Drawn in module units (rows going down), so every rectangle is whole numbers.
    """
    n, dark = runs(text)
    unit = size / (n + 2 * QUIET)
    c.saveState()
    c.translate(x + QUIET * unit, y + size - QUIET * unit)
    c.scale(unit, -unit)
    path = c.beginPath()
    for r, col, length in dark:
        path.rect(col, r, length, 1)
    c.setFillColorRGB(0, 0, 0)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


class QrFlowable(Flowable):
    """A QR code inside a table cell or a story."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text, self.size = text, size
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.text, 0, 0, self.size)

"""Where a visible signature goes on a page: plain data the documents hand to the signer
(no pyHanko here, so a document can say it without loading the signing code)."""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4


@dataclass(frozen=True)
class Spot:
    """Where the visible signature goes: a page (0-based) and a box in PDF points
    (left, bottom, right, top), between the signer's title and name."""

    page: int
    box: tuple[float, float, float, float]

    @classmethod
    def of_mm(cls, page: int, x: float, y: float, w: float, h: float) -> Spot:
        """A box given as x, y, width, height in mm from the page's bottom-left corner."""
        return cls(page, (x * MM, y * MM, (x + w) * MM, (y + h) * MM))

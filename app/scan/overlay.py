"""A page as the reader saw it: flattened, every signature cell outlined in the colour of
its verdict (and the name cells of blank rows), to look at when a reading is doubted."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from app.scan import ink
from app.scan.locate import locate, page_qr
from app.scan.read import Geometry

COLOURS = {  # BGR
    ink.SIGNED: (0, 150, 0),
    ink.EMPTY: (200, 120, 0),
    ink.UNCERTAIN: (0, 140, 255),
}
NAME = (180, 0, 180)  # a blank row's name cell


def overlay(gray: np.ndarray, geometry_of: Callable[[str], Geometry | None]) -> np.ndarray:
    """The flattened page (BGR, canonical pixels) with the located cells outlined: green
    signed, blue empty, orange uncertain, with each cell's ink in mm²; purple the name
    cells of blank rows. Raises locate.NotLocated, or LookupError for an unknown sheet."""
    qr = page_qr(gray)
    code, page = qr.code_and_page
    geometry = geometry_of(code)
    if geometry is None:
        raise LookupError(code)
    where = locate(gray, geometry.page_w, geometry.page_h, qr)
    flat = ink.flatten(gray, where.homography, geometry.page_w, geometry.page_h)
    out = cv2.cvtColor(flat, cv2.COLOR_GRAY2BGR)
    rows = [r for r in geometry.rows if r.page == page]
    if not rows:
        return out
    cells = [ink.Cell(*geometry.sign_x, r.y_bottom, r.y_top) for r in rows]
    for row, cell, verdict in zip(
        rows, cells, ink.judge_column(flat, cells, geometry.page_h), strict=True
    ):
        x0, y0, x1, y1 = ink.box(cell, geometry.page_h)
        colour = COLOURS[verdict.state]
        cv2.rectangle(out, (x0 + 2, y0 + 2), (x1 - 2, y1 - 2), colour, 3)
        # Inside the cell's lower left corner: right of it may be the sheet's QR column.
        label = f"{row.row_no}: {verdict.ink:.1f}"
        cv2.putText(out, label, (x0 + 8, y1 - 8), cv2.FONT_HERSHEY_SIMPLEX, 0.45, colour, 1)
        if row.walk_in:
            name = ink.box(ink.Cell(*geometry.name_x, row.y_bottom, row.y_top), geometry.page_h)
            cv2.rectangle(out, (name[0] + 2, name[1] + 2), (name[2] - 2, name[3] - 2), NAME, 2)
    return out

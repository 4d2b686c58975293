"""One scanned page read back: which sheet and page it is, and for each of its rows
whether the "Ký tên" cell is signed, empty or uncertain, with the cell's picture."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from app.scan import ink
from app.scan.locate import NotLocated, locate, page_qr
from app.scan.pages import PageImage

RULES_NEEDED = 0.85  # the share of the cells' printed rules that must be where the layout says


@dataclass(frozen=True)
class PrintedRow:
    row_no: int
    page: int
    y_bottom: float
    y_top: float
    walk_in: bool  # a blank row printed for someone not on the list


@dataclass(frozen=True)
class Geometry:
    """What the register keeps of a printed sheet (models.SignSheet and its rows)."""

    pages: int
    page_w: float
    page_h: float
    sign_x: tuple[float, float]
    name_x: tuple[float, float]
    rows: tuple[PrintedRow, ...]


@dataclass(frozen=True)
class CellReading:
    row_no: int
    state: str  # ink.SIGNED, ink.EMPTY or ink.UNCERTAIN
    ink_mm2: float
    crop_png: bytes  # the signature cell as seen (for a walk-in row: the name cell)


@dataclass(frozen=True)
class PageReading:
    source: Path
    index: int  # page of the file, 1-based
    sheet_code: str | None = None
    page: int | None = None  # page of the printed sheet
    problem: str | None = None  # why nothing is proposed from this page
    cells: tuple[CellReading, ...] = ()
    walk_ins: tuple[CellReading, ...] = ()  # blank rows with a name or a signature: the name cell


def _png(gray: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", gray)
    return data.tobytes() if ok else b""


def read_page(image: PageImage, geometry_of: Callable[[str], Geometry | None]) -> PageReading:
    """Read one page; a page that is not ours, unreadable or unknown gets a problem."""
    if image.gray is None:
        return PageReading(image.source, image.index, problem=image.problem)
    try:
        qr = page_qr(image.gray)
    except NotLocated as exc:
        return PageReading(image.source, image.index, problem=exc.reason)
    code, page = qr.code_and_page
    geometry = geometry_of(code)
    if geometry is None:
        return PageReading(
            image.source, image.index, code, page,
            problem=f"bảng ký tên mã {code} không có trong dữ liệu này (in từ máy khác?)",
        )  # fmt: skip
    if page > geometry.pages:
        return PageReading(
            image.source, image.index, code, page,
            problem=f"bảng ký tên mã {code} chỉ có {geometry.pages} trang, không có trang {page}",
        )  # fmt: skip
    try:
        where = locate(image.gray, geometry.page_w, geometry.page_h, qr)
    except NotLocated as exc:
        return PageReading(image.source, image.index, code, page, problem=exc.reason)
    flat = ink.flatten(image.gray, where.homography, geometry.page_w, geometry.page_h)
    rows = [r for r in geometry.rows if r.page == page]
    cells = [ink.Cell(*geometry.sign_x, r.y_bottom, r.y_top) for r in rows]
    if not rows:
        return PageReading(image.source, image.index, code, page)
    if ink.rules_found(flat, cells, geometry.page_h) < RULES_NEEDED:
        return PageReading(
            image.source, image.index, code, page,
            problem="các đường kẻ của bảng không nằm đúng chỗ (trang cong, gấp hoặc bị che)",
        )  # fmt: skip
    verdicts = ink.judge_column(flat, cells, geometry.page_h)
    read = tuple(
        CellReading(r.row_no, v.state, round(v.ink, 1), _png(v.crop))
        for r, v in zip(rows, verdicts, strict=True)
    )
    blank = [r for r in rows if r.walk_in]
    walk_ins: tuple[CellReading, ...] = ()
    if blank:
        # A blank row with a name or a signature on it: shown to be matched, never dropped.
        signed = {c.row_no: c.state for c in read}
        names = [ink.Cell(*geometry.name_x, r.y_bottom, r.y_top) for r in blank]
        written = ink.judge_column(flat, names, geometry.page_h)
        walk_ins = tuple(
            CellReading(r.row_no, v.state, round(v.ink, 1), _png(v.crop))
            for r, v in zip(blank, written, strict=True)
            if v.state != ink.EMPTY or signed[r.row_no] != ink.EMPTY
        )
    return PageReading(image.source, image.index, code, page, None, read, walk_ins)

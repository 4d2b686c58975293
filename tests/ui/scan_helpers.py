"""Signed scans of sheets the program printed, for the review tests: the PDF drawn at
200 dpi, pen strokes in the chosen "Ký tên" cells (and a short tick where the reader
should hesitate), names written in blank walk-in rows, then the page turned a little as a
scanner would. Stroke drawing is a small copy of tests/scans' generator (kept apart: that
folder is being rewritten)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

from app.db import Database
from app.scan import ink
from app.scan.read import Geometry
from app.services import sheet_scan, sign_sheets
from app.services.sheet_scan import ABSENT, PRESENT, PageOutcome, Proposal, ScanPlan, WalkIn
from tests.scans import make_scans

DPI = 200
BLUE, BLACK = (150, 40, 20), (30, 30, 30)  # BGR


def signature(img: np.ndarray, box: tuple[int, int, int, int], rng: np.random.Generator,
              colour: tuple[int, int, int]) -> None:  # fmt: skip
    """A pen stroke across the box (pixels, y down): the generator's own (tests/scans)."""
    make_scans.signature(img, box, rng, colour, DPI / 25.4)


def tick(img: np.ndarray, box: tuple[int, int, int, int]) -> None:
    """A short mark in the middle of the cell: too little for a signature, too much for
    nothing (the reader's uncertain band)."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    mm = DPI / 25.4
    cv2.line(img, (cx, cy), (cx + round(2.5 * mm), cy), BLACK, max(1, round(0.5 * mm)), cv2.LINE_AA)


def name_written(img: np.ndarray, box: tuple[int, int, int, int]) -> None:
    """A handwritten-looking name in a blank row's "Họ và tên" cell."""
    x0, y0, x1, y1 = box
    cv2.putText(img, "Pham Thi Lan", (x0 + 12, y1 - (y1 - y0) // 4),
                cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 0.9, BLUE, 2, cv2.LINE_AA)  # fmt: skip


def turned(img: np.ndarray, degrees: float) -> np.ndarray:
    """The page a little crooked on a darker scanner lid, as a scanner gives it."""
    h, w = img.shape[:2]
    pad = h // 10
    canvas = np.full((h + 2 * pad, w + 2 * pad, 3), 90, np.uint8)
    canvas[pad : pad + h, pad : pad + w] = img
    m = cv2.getRotationMatrix2D((canvas.shape[1] / 2, canvas.shape[0] / 2), degrees, 1.0)
    return cv2.warpAffine(canvas, m, (canvas.shape[1], canvas.shape[0]), borderValue=(90, 90, 90))


def _cell(geo: Geometry, xs: tuple[float, float], y_bottom: float, y_top: float,
          s: float) -> tuple[int, int, int, int]:  # fmt: skip
    return (round(xs[0] * s), round((geo.page_h - y_top) * s), round(xs[1] * s),
            round((geo.page_h - y_bottom) * s))  # fmt: skip


def print_and_sign(
    db: Database,
    course_id: int,
    session_number: int,
    out_dir: Path,
    signed: set[int],
    unsure: frozenset[int] = frozenset(),
    walk_in_names: frozenset[int] = frozenset(),
    blank_rows: int = 2,
    seed: int = 1,
) -> list[Path]:
    """Print the session's sheet through the program, sign it: rows in `signed` get a
    signature, rows in `unsure` a short tick, blank rows in `walk_in_names` a name; one
    PNG a page (its rows numbered as printed, 1 = the first person on the list)."""
    with db.transaction() as s:
        printed = sign_sheets.print_sheet(s, course_id, session_number, blank_rows)
        geo = sheet_scan.geometry(s, printed.code)
    assert geo is not None
    rng = np.random.default_rng(seed)
    scale = DPI / 72
    doc = pdfium.PdfDocument(printed.pdf)
    paths = []
    for page in range(1, printed.pages + 1):
        img = doc[page - 1].render(scale=scale).to_numpy()[:, :, :3].copy()
        for r in (r for r in geo.rows if r.page == page):
            box = _cell(geo, geo.sign_x, r.y_bottom, r.y_top, scale)
            if r.row_no in signed:
                signature(img, box, rng, BLUE if r.row_no % 2 else BLACK)
            elif r.row_no in unsure:
                tick(img, box)
            if r.walk_in and r.row_no in walk_in_names:
                name_written(img, _cell(geo, geo.name_x, r.y_bottom, r.y_top, scale))
        path = out_dir / f"ky-ten-{printed.code}-{page}.png"
        cv2.imwrite(str(path), turned(img, 1.5 if page % 2 else -2.0))
        paths.append(path)
    doc.close()
    return paths


def foreign_page(out_dir: Path) -> Path:
    """A photo of something else: a page that is not ours."""
    img = np.full((1400, 1000, 3), 235, np.uint8)
    cv2.putText(img, "Hoa don", (200, 400), cv2.FONT_HERSHEY_SIMPLEX, 3, BLACK, 5)
    path = out_dir / "hoa-don.jpg"
    cv2.imwrite(str(path), img)
    return path


def _png(img: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", img)
    assert ok
    return data.tobytes()


def sample_review() -> tuple[ScanPlan, list[WalkIn]]:
    """A review to open without a database: a page read, one skipped, a signed, an empty,
    an uncertain and a conflicting cell (crops drawn like a scan's), a walk-in name."""
    rng = np.random.default_rng(3)
    cells = []
    for kind in ("signed", "empty", "uncertain", "signed"):
        img = np.full((50, 270, 3), 250, np.uint8)
        cv2.rectangle(img, (0, 0), (269, 49), BLACK, 1)
        if kind == "signed":
            signature(img, (10, 5, 260, 45), rng, BLUE)
        elif kind == "uncertain":
            tick(img, (0, 0, 270, 50))
        cells.append((kind, _png(img)))
    name = np.full((70, 330, 3), 250, np.uint8)
    name_written(name, (0, 0, 330, 70))
    where = "ky-ten-TH-2026-031-buoi-2.pdf, trang 1"
    people = [("Nguyễn Thị Thanh Hương", None), ("Tôn Nữ Minh Châu", None),
              ("Âu Dương Phúc Khang", None), ("Trần Văn Bình", "absent")]  # fmt: skip
    proposed = {"signed": PRESENT, "empty": ABSENT}
    proposals = []
    for i, ((full_name, existing), (kind, png)) in enumerate(zip(people, cells, strict=True)):
        key = ("K7M2Q9XD", i + 1)
        proposals.append(Proposal(key, where, 1, 1, i + 1, full_name, kind,
                                  proposed.get(kind), existing, png))  # fmt: skip
    plan = ScanPlan(
        [PageOutcome(where, "TH-2026-031, buổi 2, trang 1/2"),
         PageOutcome("anh-chup.jpg, trang 1", "", "không đọc được mã QR của trang")],
        proposals,
        [WalkIn(f"{where}, dòng 31", 1, 1, _png(name), ink.SIGNED)],
    )  # fmt: skip
    return plan, plan.walk_ins

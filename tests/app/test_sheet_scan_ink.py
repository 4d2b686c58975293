"""Marks on a sign-in sheet that are not a signature in their own cell (issue 19, found by a
hostile review): a pale pen, a clerk's slash, dash or cross for "absent", a blot, a line
struck across the page, a signature from the margin, a signature on the line between two
rows. None may be read as signed for a row that did not sign, nor a signed row as empty:
uncertain is the answer where the reader cannot tell."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.scan.ink import EMPTY, SIGNED, UNCERTAIN
from app.scan.pages import PageImage
from app.scan.read import PageReading, read_page
from tests.scans import make_scans

BLUE, BLACK = (160, 40, 20), (20, 20, 20)


def _sheet(dpi: int, qr: bool = False):  # type: ignore[no-untyped-def]
    pdf, geometry = make_scans.sheet(3, people=24, qr=qr, blank=0)
    rows = {r.row_no: r for r in geometry.rows if r.page == 1}
    return make_scans.render(pdf, 1, dpi), geometry, rows


def _wave(
    img: np.ndarray, box: tuple, seed: int, *, colour=BLUE, width=3, amp=0.25, at=0.5
) -> None:  # type: ignore[no-untyped-def]
    """A scrawl across the box (x0, y0, x1, y1), its middle at `at` of the box's height
    (1.0: on the rule below)."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    t = np.linspace(0, 1, 70)
    f = rng.uniform(2, 5)
    xs = x0 + w * (0.1 + 0.8 * t) + w * 0.04 * np.sin(4 * math.pi * f * t)
    ys = y0 + h * at + h * amp * np.sin(2 * math.pi * f * t + rng.uniform(0, 6))
    cv2.polylines(img, [np.stack([xs, ys], 1).round().astype(np.int32)], False, colour, width, cv2.LINE_AA)  # fmt: skip


def _read(img: np.ndarray, geometry, tmp_path: Path) -> dict[int, str]:  # type: ignore[no-untyped-def]
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), img)
    reading: PageReading = read_page(PageImage(path, 1, img.min(axis=2), None), lambda _c: geometry)
    assert reading.problem is None, reading.problem
    return {c.row_no: c.state for c in reading.cells}


def test_marks_that_are_not_signatures_are_never_read_as_signed(tmp_path: Path) -> None:
    dpi = 200
    img, geometry, rows = _sheet(dpi)

    def cell(n: int) -> tuple[float, float, float, float]:
        return make_scans._box(geometry, geometry.sign_x, rows[n], dpi)

    allowed: dict[int, set[str]] = {}
    for n, grey in ((1, 120), (2, 175), (3, 190)):  # a dark pen; pale pens
        _wave(img, cell(n), n, colour=(grey,) * 3)
        allowed[n] = {SIGNED} if grey < 170 else {SIGNED, UNCERTAIN}
    _wave(img, cell(4), 4, colour=(140,) * 3, width=1)  # a thin pencil
    allowed[4] = {SIGNED, UNCERTAIN}
    x0, y0, x1, y1 = (round(v) for v in cell(5))
    cv2.line(img, (x0 + 6, y1 - 6), (x1 - 6, y0 + 6), BLACK, 2)  # a slash
    x0, y0, x1, y1 = (round(v) for v in cell(7))
    cv2.line(img, (x0 + 10, (y0 + y1) // 2), (x1 - 10, (y0 + y1) // 2), BLACK, 2)  # a dash
    x0, y0, x1, y1 = (round(v) for v in cell(9))
    cv2.line(img, (x0 + 10, y0 + 8), (x1 - 10, y1 - 8), BLACK, 2)  # a cross
    cv2.line(img, (x0 + 10, y1 - 8), (x1 - 10, y0 + 8), BLACK, 2)
    x0, y0, x1, y1 = (round(v) for v in cell(11))
    cv2.line(img, (40, (y0 + y1) // 2), (img.shape[1] - 40, (y0 + y1) // 2 + 4), BLACK, 2)  # struck
    x0, y0, x1, y1 = (round(v) for v in cell(13))
    cv2.ellipse(
        img, ((x0 + x1) // 2, (y0 + y1) // 2), (22, 12), 0, 0, 360, (90, 130, 170), -1
    )  # a blot
    x0, y0, x1, y1 = cell(15)  # a signature from the margin on the right, running in
    _wave(img, (x1 - 0.3 * (x1 - x0), y0, x1 + 0.9 * (x1 - x0), y1), 15)
    for n in (5, 7, 9, 11, 13, 15):
        allowed[n] = {UNCERTAIN, EMPTY}
    got = _read(img, geometry, tmp_path)
    wrong = {n: s for n, s in got.items() if s not in allowed.get(n, {EMPTY})}
    assert wrong == {}
    assert got[1] == SIGNED  # a signature among them is still read


@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("amp", [0.2, 0.45])
def test_a_signature_on_the_line_between_two_rows_signs_neither_silently(
    tmp_path: Path, dpi: int, amp: float
) -> None:
    """Row n signed with its middle at `at` of its height (1.0: on the rule below): the
    row it is centred in may read signed or uncertain, the other empty or uncertain;
    never the other signed, never the signer empty."""
    img, geometry, rows = _sheet(dpi, qr=True)
    allowed: dict[int, set[str]] = {}
    for i, at in enumerate((0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2)):
        n = 1 + 2 * i
        if n + 1 not in rows:
            break
        _wave(img, make_scans._box(geometry, geometry.sign_x, rows[n], dpi), i, amp=amp, at=at,
              width=max(2, round(dpi / 70)))  # fmt: skip
        signer, other = (n, n + 1) if at < 1 else (n + 1, n)
        allowed[signer], allowed[other] = {SIGNED, UNCERTAIN}, {EMPTY, UNCERTAIN}
        if at == 1.0:  # right on the rule: neither row's, both uncertain
            allowed[n] = allowed[n + 1] = {UNCERTAIN}
    got = _read(img, geometry, tmp_path)
    assert {n: got[n] for n in allowed if got[n] not in allowed[n]} == {}


def test_a_struck_signature_a_pale_low_one_and_a_small_dash_are_uncertain(tmp_path: Path) -> None:
    """A signature struck out with a line, a pale signature low in its cell, a 2 mm dash:
    a person looks, the reader does not decide (the review found them written)."""
    dpi = 200
    img, geometry, rows = _sheet(dpi)

    def cell(n: int) -> tuple[float, float, float, float]:
        return make_scans._box(geometry, geometry.sign_x, rows[n], dpi)

    _wave(img, cell(2), 2)
    x0, y0, x1, y1 = (round(v) for v in cell(2))
    cv2.line(img, (x0 + 8, (y0 + y1) // 2), (x1 - 8, (y0 + y1) // 2), BLACK, 2)
    _wave(img, cell(4), 4, colour=(190,) * 3, amp=0.08, at=0.85)
    x0, y0, x1, y1 = cell(6)
    mm, cx, cy = dpi / 25.4, round((x0 + x1) / 2), round((y0 + y1) / 2)
    cv2.line(img, (round(cx - mm), cy), (round(cx + mm), cy), BLACK, 2)
    _wave(img, cell(8), 8)  # a plain signature beside them is still read
    got = _read(img, geometry, tmp_path)
    assert (got[2], got[4], got[6], got[8]) == (UNCERTAIN, UNCERTAIN, UNCERTAIN, SIGNED)

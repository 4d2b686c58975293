"""Is there a signature in a cell? The page warped flat, its paper evened out, the
printed rules taken away, and the ink that belongs to the cell measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MM = 72 / 25.4
SCALE = 200 / 72  # canonical pixels a point: 200 dpi
SIGNED, EMPTY, UNCERTAIN = "signed", "empty", "uncertain"
RULE_DARK = 215  # a printed rule, on the evened paper (255)
FAINT = 215  # darker than this on the evened paper, if not ink: a pale pen or a pencil
STRADDLE = 0.3  # a piece with this share of its ink in a second cell is on the line between
CROSSINGS = 3  # strokes a line through a signature crosses, at least
NEAR_RULE = 0.25  # a piece centred this close to a rule (share of the row's height) is on it
SPECK = 0.3  # mm² of ink: less is dust (a cell with more of its own is not empty)
MIDDLE_REACH = 0.2  # a row's own signature is centred this close to the row's middle


@dataclass(frozen=True)
class Cell:
    """A cell to judge, in page points (origin bottom-left)."""

    x0: float
    x1: float
    y_bottom: float
    y_top: float


@dataclass(frozen=True)
class Verdict:
    state: str  # SIGNED, EMPTY or UNCERTAIN
    ink: float  # the cell's own ink, in mm² of stroke
    crop: np.ndarray  # the cell as seen (canonical grey pixels), to show the user


def flatten(gray: np.ndarray, homography: np.ndarray, page_w: float, page_h: float) -> np.ndarray:
    """The page in canonical pixels (SCALE a point, y down from the top), paper evened."""
    w, h = round(page_w * SCALE), round(page_h * SCALE)
    to_page = np.diag([1 / SCALE, 1 / SCALE, 1.0])  # canonical pixel -> page point, y down
    m = homography @ to_page  # canonical pixel -> image pixel
    flat = cv2.warpPerspective(
        gray, m, (w, h), flags=cv2.INTER_AREA | cv2.WARP_INVERSE_MAP, borderValue=255
    )
    # The paper's brightness (light falls unevenly, a fold casts a shadow) from a large
    # closing, which removes everything thinner than the kernel: text, strokes, rules.
    paper = cv2.morphologyEx(
        flat, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 25))
    )
    paper = cv2.GaussianBlur(paper, (0, 0), 8)
    return cv2.divide(flat, np.maximum(paper, 1), scale=255)


def _ink_mask(flat: np.ndarray) -> np.ndarray:
    """1 where there is ink: clearly darker than the evened paper."""
    return (flat < 170).astype(np.uint8)


def box(cell: Cell, page_h: float) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) canonical pixels of the cell (y down from the top)."""
    return (
        round(cell.x0 * SCALE),
        round((page_h - cell.y_top) * SCALE),
        round(cell.x1 * SCALE),
        round((page_h - cell.y_bottom) * SCALE),
    )


def _strokes(flat: np.ndarray, width: int, height: int) -> np.ndarray:
    """1 where a pen stroke is: ink without the printed rules (long straight runs)."""
    ink = _ink_mask(flat)
    horiz = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, width // 2), 1))
    )
    vert = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, height * 2)))
    )
    return ink & ~(horiz | vert) & 1


def judge_column(
    flat: np.ndarray,
    cells: list[Cell],
    page_h: float,
    lo: float = 1.2,
    hi: float = 3.0,
    stray: float = 4.0,
) -> list[Verdict]:
    """Signed, empty or uncertain for each cell of one column of rows (top to bottom).

    The strokes in and around the column are taken apart into pieces; a piece wholly in
    one cell is that cell's. A piece across a rule goes to the cell whose middle it
    reaches (a signature running into the next row); one centred on the rule with much of
    it on both sides (a signature on the line) leaves both rows uncertain, as does a piece
    running in from outside the column (a line struck across the page, a stain's ring).
    Signed needs ink of the cell's own that a line across it crosses three times or more
    (a dash, a slash, a tick, a cross or a blot is uncertain); empty needs no ink, no
    pale ink (a pencil) and no stroke of the cell's own in its outer quarters. Whatever
    the reader cannot tell is uncertain, never silently signed or empty."""
    boxes = [box(c, page_h) for c in cells]
    x0, x1 = boxes[0][0], boxes[0][2]
    heights = [b[3] - b[1] for b in boxes]
    top = max(0, boxes[0][1] - heights[0])
    bottom = min(flat.shape[0], boxes[-1][3] + heights[-1])
    left, right = max(0, x0 - (x1 - x0) // 4), min(flat.shape[1], x1 + (x1 - x0) // 4)
    strip = _ink_mask(flat[top:bottom, left:right])
    # The printed rules where the layout puts them: bands taken out of the ink.
    band = round(0.5 * MM * SCALE)
    for x in (x0, x1):
        strip[:, max(0, x - left - band) : x - left + band + 1] = 0
    rows_y = {b[1] for b in boxes} | {b[3] for b in boxes}
    for y in rows_y:
        strip[max(0, y - top - band) : y - top + band + 1, :] = 0
    # Strokes cut apart there are joined again across the rows' bands, slanting ones too
    # (two signatures joined so keep their own rows: see `middle` below); only there, so
    # the text of the next column is never joined to a signature.
    joined = strip.copy()
    grown = cv2.dilate(strip, np.ones((2 * band + 5, 4 * band + 1), np.uint8))
    for y in rows_y:
        a, b = max(0, y - top - band - 2), y - top + band + 3
        joined[a:b, x0 - left : x1 - left] |= grown[a:b, x0 - left : x1 - left]
    count, labels, _stats, centres = cv2.connectedComponentsWithStats(joined, connectivity=8)
    labels = labels * strip  # the pieces' own ink only
    # Each pixel's place: 0 outside the cells; 2k+1 the core of cell k (its middle half,
    # where its own signature always reaches); 2k+2 the rest of cell k.
    where = np.zeros(strip.shape, np.int32)
    for k, (bx0, by0, bx1, by1) in enumerate(boxes):
        quarter = (by1 - by0) // 4
        where[by0 - top : by1 - top, bx0 - left : bx1 - left] = 2 * k + 2
        where[by0 - top + quarter : by1 - top - quarter, bx0 - left : bx1 - left] = 2 * k + 1
    n = len(cells)
    table = np.zeros((count, 2 * n + 1), np.int64)  # each piece's pixels in each place
    np.add.at(table, (labels.ravel(), where.ravel()), 1)
    table[0] = 0  # paper
    core, rest = table[:, 1::2], table[:, 2::2]  # (piece, cell)
    area = (MM * SCALE) ** 2
    core_own = np.zeros(n)  # core ink of pieces whose core ink is mostly in this cell
    core_other = np.zeros(n)  # core ink of pieces centred in another cell
    edge = np.zeros(n)  # ink outside the cores, of pieces reaching no other cell's core
    doubt = np.zeros(n, bool)  # ink here that cannot be told to be this cell's signature
    clean = np.zeros(n)  # core ink of this cell's own pieces that raise no doubt
    tails = np.zeros(n)  # ink outside the cores of the pieces centred in this cell
    homes: dict[int, list[int]] = {}  # cell -> its own pieces
    # Pieces running out of the column far to the left or right: a line struck across the
    # page, a signature from the margin, a stain's ring. Not a signature in this column.
    outside = set(np.unique(labels[:, :2])) | set(np.unique(labels[:, -2:]))
    for piece in np.nonzero(table.sum(axis=1) >= 6)[0]:  # specks (dust, JPEG) left out
        cores = core[piece]
        home = int(np.argmax(cores)) if cores.sum() else -1
        inside = cores + rest[piece]  # its ink in each cell
        # Centred on or near the rule between two rows, with much of it on both sides (a
        # signature on the line): whose it is, the reader cannot say. One centred well
        # inside a row and running over into the next is that row's.
        straddles = False
        if np.count_nonzero(inside) > 1:
            a, b = sorted(np.argsort(inside)[-2:])
            if inside[a] >= STRADDLE * inside.sum() and inside[b] >= STRADDLE * inside.sum():
                rule = boxes[a][3] - top
                height = boxes[a][3] - boxes[a][1]
                straddles = abs(centres[piece][1] - rule) < NEAR_RULE * height
        # Two signatures touching across a rule reach both rows' middles: each row's own.
        # A signature on the line reaches neither middle much: doubt for both rows.
        middle = cores >= hi * area
        if straddles:
            for j in np.nonzero(middle)[0]:
                bx0, by0, bx1, by1 = boxes[j]
                ys = np.nonzero(labels[by0 - top : by1 - top, bx0 - left : bx1 - left] == piece)[0]
                centre = ys.mean() / (by1 - by0) if len(ys) else 0.0
                middle[j] = abs(centre - 0.5) <= MIDDLE_REACH  # its own part sits mid-row
        if piece in outside:
            doubt |= inside > 0
        elif straddles:
            doubt |= (inside > 0) & ~middle
        for j in np.nonzero(cores)[0]:
            if straddles and piece not in outside:
                if middle[j]:
                    core_own[j] += cores[j]
                    clean[j] += cores[j]
                    homes.setdefault(j, []).append(piece)
                else:
                    core_other[j] += cores[j]
            elif j == home and cores[j] * 2 >= cores.sum():
                core_own[j] += cores[j]
                if not (straddles or piece in outside):
                    clean[j] += cores[j]
                    homes.setdefault(j, []).append(piece)
            else:
                core_other[j] += cores[j]
        if home < 0:  # marks reaching no cell's core: whose they are is unknown
            edge += rest[piece]
            if np.count_nonzero(inside) == 1 and inside.sum() >= SPECK * area:
                doubt |= inside > 0  # a mark of the cell's own, low or high in it
        else:  # its ink outside the cores: the tail of the signature centred in `home`
            tails[home] += rest[piece].sum()

    faint = _faint_mask(flat[top:bottom, left:right]) & ~(strip.astype(bool))
    out = []
    for k, (bx0, by0, bx1, by1) in enumerate(boxes):
        own, other, around = core_own[k] / area, core_other[k] / area, edge[k] / area
        mine = np.isin(labels[by0 - top : by1 - top, bx0 - left : bx1 - left], homes.get(k, []))
        written = clean[k] / area >= hi and _crossings(mine) >= CROSSINGS and not _struck(mine)
        if written and other <= stray:
            state = SIGNED  # a signature of its own, whatever else strays in
        elif own + other <= SPECK and around <= stray and tails[k] / area <= stray and not doubt[k]:
            inset, clear = round(MM * SCALE), band + 3  # the rules' own grey left out
            pale = faint[
                by0 - top + clear : by1 - top - clear, bx0 - left + inset : bx1 - left - inset
            ]
            state = UNCERTAIN if pale.sum() / area > lo else EMPTY  # a pale pen or pencil
        else:
            state = UNCERTAIN  # a stroke, a tick, a slash, a stain, a neighbour's signature
        out.append(Verdict(state, own + other, flat[by0:by1, bx0:bx1].copy()))
    return out


def _faint_mask(flat: np.ndarray) -> np.ndarray:
    """1 where the paper is darker than paper, if too light to count as ink (a pale pen,
    a pencil): specks of JPEG noise taken out."""
    pale = (flat < FAINT).astype(np.uint8)
    return cv2.morphologyEx(pale, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)).astype(bool)


def _struck(mask: np.ndarray) -> bool:
    """A long straight stroke across the mark, two thirds of the cell wide or more: a signature
    struck out, a cross or a hatching over it. (A flourish drawn straight under a
    signature is one too: it is then uncertain, never silently anything.)"""
    width = mask.shape[1]
    lines = cv2.HoughLinesP(
        mask.astype(np.uint8) * 255, 1, np.pi / 180, max(20, width // 2),
        minLineLength=(2 * width) // 3, maxLineGap=2,
    )  # fmt: skip
    return lines is not None


def _crossings(mask: np.ndarray) -> int:
    """How many strokes a horizontal line through the mark crosses, at its busiest (the
    third busiest line, so one noisy line does not count): a signature crosses itself
    three times or more; a dash, a slash, a tick, a cross or a stain at most twice."""
    if not mask.any():
        return 0
    m = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    starts = (m[:, 1:] > m[:, :-1]).sum(axis=1) + m[:, 0]
    return int(np.sort(starts)[-3]) if len(starts) >= 3 else int(starts.max())


def rules_found(flat: np.ndarray, cells: list[Cell], page_h: float) -> float:
    """The share of the printed rules around the cells found dark where the layout says
    they are (1.0: all): a page whose corners were matched wrongly scores low."""
    if not cells:
        return 0.0
    reach = 3  # canonical pixels either side: about 0.4 mm
    boxes = [box(c, page_h) for c in cells]
    x0, x1 = boxes[0][0], boxes[0][2]
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    # A hairline rule on a blurred phone photo at 150 dpi comes out light grey (about
    # 180 on the evened paper's 255): darker than paper is enough here, as a wrongly
    # placed band lies on paper.
    hits = total = 0
    for x in (x0, x1):  # the column's two vertical rules
        band = flat[top:bottom, max(0, x - reach) : x + reach + 1]
        dark = band.min(axis=1) < RULE_DARK
        hits, total = hits + int(dark.sum()), total + dark.size
    for y in {b[1] for b in boxes} | {b[3] for b in boxes}:  # the rows' rules
        band = flat[max(0, y - reach) : y + reach + 1, x0 + 4 : x1 - 4]
        dark = band.min(axis=0) < RULE_DARK
        hits, total = hits + int(dark.sum()), total + dark.size
    return hits / max(total, 1)

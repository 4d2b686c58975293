"""Find a scanned sign-in sheet page on an image: its page QR (which sheet, which page,
which way up) and its four corner marks, and from them where every point of the printed
page lies on the image (a homography: rotation, skew and a phone photo's perspective).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from app.documents.sheet_marks import MARK, mark_centres, parse_page_qr, qr_box

MM = 72 / 25.4  # points a millimetre


class NotLocated(Exception):
    """The page could not be found on the image: the reason, in Vietnamese."""

    def __init__(self, reason: str, qr_text: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.qr_text = reason, qr_text


@dataclass(frozen=True)
class Located:
    sheet_code: str
    page: int
    homography: np.ndarray  # 3×3, page points from the top-left (y down) -> image pixels
    px_per_pt: float  # the image's scale near the page, roughly


def _qr_corners(page_w: float, page_h: float, text: str) -> np.ndarray:
    """The page QR's symbol corners in page points from the top-left (quiet zone
    excluded), in zxing-cpp's order: top-left, top-right, bottom-right, bottom-left."""
    x0, y0, x1, y1 = qr_box(page_w)
    top, bottom = page_h - y1, page_h - y0
    return np.array([(x0, top), (x1, top), (x1, bottom), (x0, bottom)], np.float64)


@dataclass(frozen=True)
class PageQr:
    """The page's QR as found on the image: its text and the symbol's corners."""

    text: str
    corners: np.ndarray  # image pixels: top-left, top-right, bottom-right, bottom-left

    @property
    def code_and_page(self) -> tuple[str, int]:
        return parse_page_qr(self.text)  # type: ignore[return-value]  # ours: it parsed


def page_qr(gray: np.ndarray) -> PageQr:
    """The page's QR; NotLocated when there is none of ours."""
    found = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)
    ours = [b for b in found if parse_page_qr(b.text)]
    if not ours:
        raise NotLocated(
            "không đọc được mã QR của trang (không phải bảng ký tên TapHuan, ảnh mờ hoặc bị cắt góc)"
        )
    if len({b.text for b in ours}) > 1:
        raise NotLocated("có hơn một mã QR trang trên cùng một ảnh")
    b = ours[0]
    p = b.position
    corners = [p.top_left, p.top_right, p.bottom_right, p.bottom_left]
    return PageQr(b.text, np.array([(c.x, c.y) for c in corners], np.float64))


def _mark_candidates(gray: np.ndarray, side_px: float) -> list[tuple[float, float]]:
    """Centres of dark, filled, square-ish blobs about a corner mark's size."""
    small = cv2.GaussianBlur(gray, (3, 3), 0)
    block = int(side_px * 4) | 1
    ink = cv2.adaptiveThreshold(
        small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, max(block, 15), 12
    )
    count, _labels, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    area_min, area_max = (side_px * 0.55) ** 2, (side_px * 1.7) ** 2
    out = []
    for i in range(1, count):
        _x, _y, w, h, area = stats[i]
        if not (area_min <= area <= area_max) or min(w, h) < 0.45 * max(w, h):
            continue
        if area < 0.7 * w * h * 0.75:  # a filled square: not a ring, not a stroke
            continue
        out.append((float(centroids[i][0]), float(centroids[i][1])))
    return out


def locate(gray: np.ndarray, page_w: float, page_h: float, qr: PageQr | None = None) -> Located:
    """Where the printed page lies on the image, from its page QR (found again when not
    given) and corner marks."""
    qr = qr if qr is not None else page_qr(gray)
    text, image_qr = qr.text, qr.corners
    code, page = qr.code_and_page
    printed_qr = _qr_corners(page_w, page_h, text)
    px_per_pt = float(
        np.linalg.norm(image_qr[1] - image_qr[0]) / np.linalg.norm(printed_qr[1] - printed_qr[0])
    )
    expected = [(x, page_h - y) for x, y in mark_centres(page_w, page_h)]
    candidates = _mark_candidates(gray, MARK * px_per_pt)
    # Nearest first (bottom-right, bottom-left, then the top two), each predicted from
    # what is found so far: a similarity from the QR alone, then an affine map.
    found: dict[int, tuple[float, float]] = {}
    for k in (2, 3, 1, 0):
        src = [tuple(x) for x in printed_qr] + [expected[i] for i in found]
        dst = [tuple(x) for x in image_qr] + [found[i] for i in found]
        guess = _predict(src, dst, expected[k])
        near = [c for c in candidates if c not in found.values()]
        if not near:
            break
        best = min(near, key=lambda c: (c[0] - guess[0]) ** 2 + (c[1] - guess[1]) ** 2)
        # A similarity from the small QR turns a little wrong: far from it, the error
        # grows with the distance (perspective, shear), so does the reach.
        far = min(np.hypot(*(np.array(expected[k]) - np.array(s))) for s in src)
        reach = max(15 * MM, 0.15 * far) if len(found) < 2 else 40 * MM
        reach *= px_per_pt
        if np.hypot(best[0] - guess[0], best[1] - guess[1]) > reach:
            break
        found[k] = best
    if len(found) < 4:
        raise NotLocated("không thấy đủ bốn dấu góc của trang (trang bị cắt, gấp hoặc che)", text)
    found_list = [found[i] for i in range(4)]
    src = np.array(expected + [tuple(x) for x in printed_qr], np.float64)
    dst = np.array(found_list + [tuple(x) for x in image_qr], np.float64)
    h, _ = cv2.findHomography(src, dst, 0)
    if h is None:
        raise NotLocated("không dựng lại được hình trang từ các dấu góc", text)
    back = cv2.perspectiveTransform(src.reshape(-1, 1, 2), h).reshape(-1, 2)
    if float(np.max(np.hypot(*(back - dst).T))) > 1.5 * MM * px_per_pt:
        raise NotLocated("các dấu góc không khớp với nhau (trang cong, gấp hoặc bị cắt)", text)
    return Located(code, page, h, px_per_pt)


def _predict(
    src: list[tuple[float, float]], dst: list[tuple[float, float]], point: tuple[float, float]
) -> np.ndarray:
    """Where point (page) should be on the image, from the pairs found so far: a
    similarity from the QR and the mark beside it, an affine map with the other bottom
    mark, a perspective with three (a phone photo's far corners are out of an affine
    map's reach)."""
    if len(src) <= 5:  # the QR, and the mark beside it
        fit = _similarity(np.array(src), np.array(dst))
        return fit @ np.array([point[0], point[1], 1.0])
    if len(src) == 6:
        a = np.hstack([np.float64(src), np.ones((len(src), 1))])
        fit, *_ = np.linalg.lstsq(a, np.float64(dst), rcond=None)  # least squares, all points
        return np.array([point[0], point[1], 1.0]) @ fit
    h, _ = cv2.findHomography(np.float64(src), np.float64(dst), 0)
    return cv2.perspectiveTransform(np.float64([[point]]), h)[0, 0]


def _similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """A 2×3 rotation + scale + shift fitted from src to dst points."""
    m, _ = cv2.estimateAffinePartial2D(src.astype(np.float32), dst.astype(np.float32))
    return m

"""Synthetic scans of our own sign-in sheets, with the truth beside them (issue 19).

Deterministic: every page comes from its seed. A sheet is rendered at 150 or 300 dpi
(pypdfium2), a random subset of its person cells signed with synthetic pen strokes
(varied width, pressure, blue or black ink; some overflowing into the next cell), some
blank walk-in rows given a handwritten-looking name, then the page is turned (k·90° and up
to ±10°), sheared, photographed in perspective, blurred, JPEG-compressed, lit unevenly
and folded. No binary scan is stored: tests and bench/scan_sheets.py generate them.

Sheets come from render_sign_in_sheet with a SheetLayout (sheet(), no database), or
from app.services.sign_sheets.print_sheet (pass its PDF and the register's Geometry to
scan_pages()).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib.pagesizes import A4

from app.documents.attendance_sheet import SignInRow, SignInSheet, render_sign_in_sheet
from app.documents.common import Heading
from app.documents.sheet_marks import SheetLayout
from app.scan.ink import SIGNED, UNCERTAIN
from app.scan.read import Geometry, PageReading, PrintedRow

FULL_SEEDS = range(20)  # the bench's set: at least 40 pages
TEST_SEEDS = (1, 2)  # the unit test's subset: a phone photo and a scanner, a few pages
BLUE, BLACK, BLUE_BLACK = (150, 40, 20), (30, 30, 30), (120, 60, 40)  # BGR
INKS = (BLUE, BLACK, BLUE_BLACK)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
MIDDLE = ("Thị", "Văn", "Ngọc", "Thanh", "Hoàng Phương", "Minh", "Quốc", "Thị Thanh")
GIVEN = ("Hương", "An", "Bình", "Ánh", "Khánh", "Mai", "Thảo", "Dũng", "Tuấn", "Xuân Mỹ")
WORKPLACES = ("Hội Liên hiệp Phụ nữ xã Đại Điền", "UBND xã Tân Phong", "Đoàn Thanh niên ấp")


@dataclass(frozen=True)
class ScanPage:
    """One generated page: its picture (BGR) and what is truly on it."""

    image: np.ndarray
    sheet_code: str
    page: int
    dpi: int
    phone: bool  # a phone photo (saved as JPEG); else an office scanner's page
    truth: dict[int, bool]  # row number -> signed, for the person rows of this page
    walk_in_names: frozenset[int]  # blank rows of this page with a handwritten name


@dataclass(frozen=True)
class Case:
    """One sheet and its scanned pages."""

    seed: int
    pdf: bytes
    geometry: Geometry
    pages: list[ScanPage] = field(default_factory=list)


def _people(rng: np.random.Generator, n: int) -> list[SignInRow]:
    def name() -> str:
        return " ".join(str(rng.choice(x)) for x in (SURNAMES, MIDDLE, GIVEN))

    return [
        SignInRow(name(), str(rng.integers(1960, 2004)), str(rng.choice(WORKPLACES)),
                  "Chi hội trưởng", "0903111222", f"AB{i:06d}")
        for i in range(n)
    ]  # fmt: skip


def sheet(
    seed: int, people: int = 30, qr: bool = False, blank: int = 5, code: str | None = None
) -> tuple[bytes, Geometry]:
    """A sheet rendered without a database (its code from the seed unless given), and
    its geometry."""
    rng = np.random.default_rng(10_000 + seed)
    heading = Heading("UBND tỉnh Vĩnh Long", "Sở Khoa học và Công nghệ", "Vĩnh Long")
    data = SignInSheet(
        heading, "TH-2026-01", "Kỹ năng số cơ bản", "Buổi 2", datetime(2026, 3, 2, 7, 30),
        datetime(2026, 3, 2, 11), "Hội trường UBND xã", "Lê Văn An", "Trung tâm CNS",
        _people(rng, people), blank_rows=blank, show_qr=qr, sheet_code=code or f"K{seed:05d}X",
    )  # fmt: skip
    layout = SheetLayout(*A4)
    out = io.BytesIO()
    render_sign_in_sheet(data, out, layout)
    return out.getvalue(), geometry_of_layout(layout, people)


def geometry_of_layout(layout: SheetLayout, people: int) -> Geometry:
    """The Geometry the register would keep for this layout (rows after `people`: blank)."""
    rows = tuple(
        PrintedRow(r.row_no, r.page, r.y_bottom, r.y_top, r.row_no > people) for r in layout.rows
    )
    return Geometry(layout.pages, layout.page_w, layout.page_h, layout.sign_x, layout.name_x, rows)


def render(pdf: bytes, page: int, dpi: int) -> np.ndarray:
    """One page of the PDF as a BGR picture."""
    doc = pdfium.PdfDocument(pdf)
    try:
        bitmap = doc[page - 1].render(scale=dpi / 72)
        return np.ascontiguousarray(bitmap.to_numpy()[:, :, :3])  # pdfium draws BGRx
    finally:
        doc.close()


def _stroke(img: np.ndarray, xs: np.ndarray, ys: np.ndarray, colour: tuple, width: float) -> None:
    """A pen line through the points, thicker in the middle (pressure)."""
    n = len(xs)
    for i in range(n - 1):
        pressure = 0.55 + 0.45 * math.sin(math.pi * i / (n - 1))
        thick = max(1, round(width * pressure))
        p, q = (round(xs[i]), round(ys[i])), (round(xs[i + 1]), round(ys[i + 1]))
        cv2.line(img, p, q, colour, thick, cv2.LINE_AA)


def signature(
    img: np.ndarray, box: tuple[float, float, float, float], rng: np.random.Generator,
    colour: tuple, px_mm: float, overflow: bool = False,
) -> None:  # fmt: skip
    """A scrawl across the box (x0, y0, x1, y1 pixels, y down); overflowing: it runs into
    the row above or below."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    n = int(rng.integers(40, 90))
    t = np.linspace(0, 1, n)
    start, end = x0 + w * rng.uniform(0.05, 0.3), x0 + w * rng.uniform(0.55, 0.95)
    freq = rng.uniform(2, 6)
    xs = start + (end - start) * t + rng.normal(0, w * 0.01, n)
    xs += rng.uniform(0, 0.06) * w * np.sin(4 * math.pi * freq * t)  # loops
    amp = h * rng.uniform(0.12, 0.32) * (1.5 if overflow else 1)
    ys = y0 + h * rng.uniform(0.4, 0.6) + amp * np.sin(2 * math.pi * freq * t + rng.uniform(0, 6))
    ys += rng.normal(0, h * 0.02, n)
    if overflow:
        ys += h * rng.choice([-0.15, 0.15])
    _stroke(img, xs, ys, colour, rng.uniform(0.3, 0.7) * px_mm)


def handwritten_name(
    img: np.ndarray, box: tuple[float, float, float, float], rng: np.random.Generator,
    colour: tuple, px_mm: float,
) -> None:  # fmt: skip
    """Two to four small cursive words along the cell's middle line."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    x = x0 + w * rng.uniform(0.03, 0.1)
    for _ in range(int(rng.integers(2, 5))):
        length = w * rng.uniform(0.12, 0.22)
        if x + length > x1 - w * 0.03:
            break
        n = int(rng.integers(20, 40))
        t = np.linspace(0, 1, n)
        xs = x + length * t + 0.04 * w * np.sin(2 * math.pi * rng.uniform(3, 6) * t)
        ys = y0 + h * 0.55 + h * rng.uniform(0.1, 0.2) * np.sin(2 * math.pi * rng.uniform(3, 7) * t)
        _stroke(img, xs, ys, colour, rng.uniform(0.25, 0.45) * px_mm)
        x += length + w * rng.uniform(0.03, 0.06)


def _box(geometry: Geometry, x: tuple[float, float], row: PrintedRow, dpi: int) -> tuple:
    s = dpi / 72
    return (
        x[0] * s,
        (geometry.page_h - row.y_top) * s,
        x[1] * s,
        (geometry.page_h - row.y_bottom) * s,
    )


def sign_page(
    img: np.ndarray, geometry: Geometry, page: int, dpi: int, rng: np.random.Generator,
    share: float = 0.6,
) -> tuple[dict[int, bool], frozenset[int]]:  # fmt: skip
    """Sign a random subset of the page's person cells (one in five overflowing) and write
    a name on some of its blank rows; (truth per person row, blank rows written)."""
    px_mm = dpi / 25.4
    truth: dict[int, bool] = {}
    names: set[int] = set()
    for row in (r for r in geometry.rows if r.page == page):
        colour = INKS[int(rng.integers(0, len(INKS)))]
        if row.walk_in:
            if rng.random() < 0.5:
                names.add(row.row_no)
                handwritten_name(img, _box(geometry, geometry.name_x, row, dpi), rng, colour, px_mm)
                signature(img, _box(geometry, geometry.sign_x, row, dpi), rng, colour, px_mm)
            continue
        truth[row.row_no] = signed = bool(rng.random() < share)
        if signed:
            box = _box(geometry, geometry.sign_x, row, dpi)
            signature(img, box, rng, colour, px_mm, overflow=bool(rng.random() < 0.2))
    return truth, frozenset(names)


def distort(
    img: np.ndarray, rng: np.random.Generator, *, turns: int, angle: float, shear: float,
    perspective: float, blur: float, jpeg: int, light: float, fold: bool,
) -> np.ndarray:  # fmt: skip
    """The page as a scanner or a phone sees it: on a darker table, turned by `angle`
    degrees, sheared, in perspective (corners moved up to `perspective` of the page),
    folded, lit unevenly, blurred, turned by turns·90°, JPEG-compressed at quality jpeg
    (0: not compressed)."""
    h, w = img.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = src + rng.uniform(-perspective, perspective, (4, 2)).astype(np.float32) * np.float32(
        [w, h]
    )
    dst[:, 0] += shear * (dst[:, 1] - h / 2)  # a sheared scan: rows drift sideways
    a = math.radians(angle)
    turn = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = (dst - np.float32([w / 2, h / 2])) @ turn.T
    margin = 0.04 * max(w, h)
    dst += margin - dst.min(axis=0)
    size = (int(dst[:, 0].max() + margin), int(dst[:, 1].max() + margin))
    table = tuple(int(v) for v in rng.integers(40, 120, 3))
    m = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(img, m, size, borderValue=table).astype(np.float32)
    big_h, big_w = out.shape[:2]
    if fold:  # a vertical or horizontal crease's shadow
        along = rng.random() < 0.5
        n = big_w if along else big_h
        pos = np.arange(n) - rng.uniform(0.3, 0.7) * n
        shade = 1 - rng.uniform(0.2, 0.4) * np.exp(-((pos / (0.02 * n)) ** 2))
        out *= shade[None, :, None] if along else shade[:, None, None]
    if light:  # brighter on one side
        gy, gx = np.mgrid[0:big_h, 0:big_w].astype(np.float32)
        fx, fy = rng.uniform(-1, 1, 2)
        out *= (1 - light * (0.5 + 0.5 * (fx * gx / big_w + fy * gy / big_h) / 2))[:, :, None]
    out = out.clip(0, 255).astype(np.uint8)
    if blur:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    out = np.ascontiguousarray(np.rot90(out, turns))
    if jpeg:
        _ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, jpeg])
        out = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return out


def scan_pages(
    seed: int, pdf: bytes, geometry: Geometry, code: str, dpi: int | None = None
) -> list[ScanPage]:
    """Every page of the sheet signed and scanned: even seeds an office scanner (a little
    crooked, sharp, even light), odd seeds a phone photo (±10°, perspective, blur, JPEG,
    uneven light)."""
    rng = np.random.default_rng(seed)
    dpi = dpi or (150, 300)[seed // 2 % 2]
    phone = seed % 2 == 1
    out = []
    for page in range(1, geometry.pages + 1):
        img = render(pdf, page, dpi)
        truth, names = sign_page(img, geometry, page, dpi, rng)
        turns = int(rng.integers(0, 4))
        if phone:
            img = distort(
                img, rng, turns=turns, angle=rng.uniform(-10, 10), shear=rng.uniform(-0.03, 0.03),
                perspective=rng.uniform(0, 0.05), blur=rng.uniform(0, 1.2),
                jpeg=int(rng.integers(45, 95)), light=rng.uniform(0, 0.4),
                fold=bool(rng.random() < 0.3),
            )  # fmt: skip
        else:
            img = distort(
                img, rng, turns=turns, angle=rng.uniform(-3, 3), shear=rng.uniform(-0.01, 0.01),
                perspective=0, blur=rng.uniform(0, 0.6), jpeg=0, light=0,
                fold=bool(rng.random() < 0.2),
            )  # fmt: skip
        out.append(ScanPage(img, code, page, dpi, phone, truth, names))
    return out


def case(seed: int) -> Case:
    """A sheet without a database (a QR column on one seed in three), signed and scanned."""
    pdf, geometry = sheet(seed, people=22 + seed % 3 * 8, qr=seed % 3 == 0)
    return Case(seed, pdf, geometry, scan_pages(seed, pdf, geometry, f"K{seed:05d}X"))


def write_case(c: Case, folder: Path) -> dict[tuple[str, int], ScanPage]:
    """The case's pages as files, as they come to the program: each phone photo a JPEG,
    a scanner's pages one PDF (backwards on one sheet in two: any page order is fine).
    Returns the page behind each (file name, page of the file)."""
    out: dict[tuple[str, int], ScanPage] = {}
    scanned = [p for p in c.pages if not p.phone]
    if c.seed % 4 == 0:
        scanned.reverse()
    if scanned:
        path = write_pdf(scanned, folder / f"quet-{c.seed:02d}.pdf")
        out |= {(path.name, i): p for i, p in enumerate(scanned, start=1)}
    for p in (p for p in c.pages if p.phone):
        path = folder / f"anh-{c.seed:02d}-{p.page}.jpg"
        _ok, data = cv2.imencode(".jpg", p.image, [cv2.IMWRITE_JPEG_QUALITY, 92])
        path.write_bytes(data.tobytes())
        out[(path.name, 1)] = p
    return out


def write_pdf(pages: list[ScanPage], path: Path) -> Path:
    """Scanned pages as one PDF of images, as an office scanner makes it."""
    images = [Image.fromarray(cv2.cvtColor(p.image, cv2.COLOR_BGR2RGB)) for p in pages]
    images[0].save(path, "PDF", resolution=float(pages[0].dpi), save_all=True,
                   append_images=images[1:])  # fmt: skip
    return path


@dataclass
class Tally:
    """Readings against the truth: person cells only (blank rows are not marks)."""

    cells: int = 0  # person cells on the pages read
    correct: int = 0  # decided signed/empty, as the truth says
    errors: list[str] = field(default_factory=list)  # decided against the truth: silent
    uncertain: int = 0
    pages_read: int = 0
    refused: list[str] = field(default_factory=list)  # pages listed with a reason
    walk_ins_missed: list[str] = field(default_factory=list)  # a name written, not shown

    @property
    def decided(self) -> int:
        return self.correct + len(self.errors)

    def add(self, page: ScanPage, reading: PageReading) -> None:
        where = f"{reading.source.name} trang {reading.index}"
        if reading.problem is not None:
            self.refused.append(f"{where}: {reading.problem}")
            return
        assert (reading.sheet_code, reading.page) == (page.sheet_code, page.page), where
        self.pages_read += 1
        for cell in reading.cells:
            signed = page.truth.get(cell.row_no)
            if signed is None:
                continue  # a blank row
            self.cells += 1
            if cell.state == UNCERTAIN:
                self.uncertain += 1
            elif (cell.state == SIGNED) == signed:
                self.correct += 1
            else:
                self.errors.append(f"{where} dòng {cell.row_no}: {cell.state}, {cell.ink_mm2} mm²")
        shown = {c.row_no for c in reading.walk_ins}
        self.walk_ins_missed += [f"{where} dòng {n}" for n in sorted(page.walk_in_names - shown)]

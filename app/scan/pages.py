"""The pages of a scanned file: each page of a PDF from an office scanner, or a JPEG/PNG
photo from a phone, as a grey image (the darkest of the colour channels: blue and black
ink alike come out dark)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

DPI = 200  # a scanned PDF's pages are drawn at this resolution
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"}
MAX_PIXELS = 60_000_000  # a photo larger than this is not a page: refused, not decoded


@dataclass(frozen=True)
class PageImage:
    source: Path
    index: int  # 1-based page of the file (1 for a photo)
    gray: np.ndarray | None  # None: the page could not be read (problem says why)
    problem: str | None = None


def _darkest(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    return image[:, :, :3].min(axis=2)


def _pdf_pages(path: Path) -> Iterator[PageImage]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:  # pdfium says "Failed to load document" for many reasons
        yield PageImage(path, 1, None, "tệp PDF bị hỏng hoặc có mật khẩu")
        return
    try:
        for i in range(len(doc)):
            page = doc[i]
            try:
                w, h = page.get_size()
                scale = DPI / 72
                if w * h * scale * scale > MAX_PIXELS:
                    scale = (MAX_PIXELS / (w * h)) ** 0.5
                bitmap = page.render(scale=scale, grayscale=True)
                yield PageImage(path, i + 1, _darkest(bitmap.to_numpy()).copy())
            except Exception:  # one broken page does not stop the others
                yield PageImage(path, i + 1, None, "trang PDF không vẽ được")
            finally:
                page.close()
    finally:
        doc.close()


def _pixels(data: np.ndarray) -> int | None:
    """The image's size in pixels from its header alone (nothing decoded), or None when
    it is no image. A PNG is decoded whole even when asked for an eighth of it: a small
    file can hold a 20000×20000 page of white, 400 MB once decoded."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data.tobytes())) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        return MAX_PIXELS + 1
    except Exception:  # Pillow says UnidentifiedImageError, or others for a broken header
        return None
    return width * height


def _frames(path: Path, data: np.ndarray) -> Iterator[PageImage] | None:
    """The pages of a multi-page TIFF (a scanner's "one file" setting), or None when the
    image has one page."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data.tobytes()))
        frames = getattr(image, "n_frames", 1)
    except Exception:  # _pixels has said what it is
        return None
    if frames <= 1:
        image.close()
        return None

    def pages() -> Iterator[PageImage]:
        with image:
            for i in range(frames):
                image.seek(i)
                width, height = image.size
                if width * height > MAX_PIXELS:
                    yield PageImage(path, i + 1, None, "ảnh quá lớn")
                    continue
                try:
                    yield PageImage(path, i + 1, np.asarray(image.convert("L")).copy())
                except Exception:  # a broken frame
                    yield PageImage(path, i + 1, None, "trang ảnh không đọc được")

    return pages()


def _photos(path: Path) -> Iterator[PageImage]:
    data = np.fromfile(str(path), np.uint8)  # cv2.imread cannot open non-ASCII paths on Windows
    if _pixels(data) is not None:
        frames = _frames(path, data)
        if frames is not None:
            yield from frames
            return
    yield _photo(path, data)


def _photo(path: Path, data: np.ndarray) -> PageImage:
    pixels = _pixels(data)
    if pixels is None:
        return PageImage(path, 1, None, "không phải tệp ảnh đọc được")
    if pixels > MAX_PIXELS:
        return PageImage(path, 1, None, "ảnh quá lớn")
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)  # turned as the phone's EXIF says
    if image is None:
        return PageImage(path, 1, None, "không phải tệp ảnh đọc được")
    return PageImage(path, 1, _darkest(image))


def load(path: Path) -> Iterator[PageImage]:
    """Every page of the file, each as an image or a problem."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError:
        yield PageImage(path, 1, None, "không mở được tệp")
        return
    if not head:
        yield PageImage(path, 1, None, "tệp rỗng (0 byte)")
    elif head.startswith(b"%PDF"):
        yield from _pdf_pages(path)
    elif path.suffix.lower() in IMAGE_SUFFIXES or head[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0"):
        yield from _photos(path)
    else:
        yield PageImage(path, 1, None, "không phải tệp PDF hay ảnh (JPEG, PNG)")

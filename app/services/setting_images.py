"""The certificate's images (logo, signature, seal, background): checked before they are
kept, and kept at the resolution a printed certificate needs.

A file is refused, in Vietnamese, when it is larger than MAX_BYTES, when it is not a PNG
or JPEG, when it claims more than MAX_PIXELS (a decompression bomb: a small file that
unpacks to gigabytes; Pillow's own warning and error are turned into this refusal, so no
English text reaches the console) or when it cannot be decoded. An image larger than its
place on the paper needs at 300 dpi is scaled down once, here, so every certificate drawn
with it stays fast and small.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from app.errors import InvalidValue, os_reason

MAX_BYTES = 3 * 1024 * 1024
MAX_PIXELS = 25_000_000  # 25 Mpx: a 5,000 × 5,000 scan; far more than any place needs
# The longest side kept, in pixels: the place on the page at 300 dpi, with some room.
LONGEST = {"logo": 600, "signature": 1200, "seal": 1000, "background": 3508}
KINDS = ("PNG", "JPEG")


def read(path: Path, label: str, key: str | None = None) -> bytes:
    """A file's bytes checked and made ready to keep (see check); its size is looked at
    before it is read, so a huge file is never loaded."""
    try:
        if not path.is_file():
            raise InvalidValue(f"{label}: không tìm thấy tệp {path}.")
        if path.stat().st_size > MAX_BYTES:
            raise InvalidValue(_too_big_file(label))
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidValue(f"{label}: không đọc được tệp {path} ({os_reason(exc)}).") from exc
    return check(data, label, key)


def _too_big_file(label: str) -> str:
    return f"{label}: ảnh lớn quá {MAX_BYTES // (1024 * 1024)} MB."


def _too_many_pixels(label: str, size: tuple[int, int] | None) -> str:
    shown = f" ({size[0]:,} × {size[1]:,} điểm ảnh)".replace(",", ".") if size else ""
    return (
        f"{label}: ảnh quá lớn{shown}; chỉ nhận ảnh tới {MAX_PIXELS // 1_000_000} triệu điểm "
        "ảnh. Hãy thu nhỏ ảnh (ví dụ 1.000 điểm ảnh mỗi chiều là đủ cho giấy chứng nhận) "
        "rồi chọn lại."
    )


def check(data: bytes, label: str, key: str | None = None) -> bytes:
    """The bytes to keep for an image setting, or InvalidValue naming what is wrong: the
    file as it is, or scaled down to LONGEST[key] when it is larger."""
    if len(data) > MAX_BYTES:
        raise InvalidValue(_too_big_file(label))
    from PIL import Image, UnidentifiedImageError

    not_image = InvalidValue(f"{label}: tệp không phải là ảnh (PNG hoặc JPEG).")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as img:
                kind, size = img.format, img.size
                if size[0] * size[1] > MAX_PIXELS:
                    raise InvalidValue(_too_many_pixels(label, size))
                if kind not in KINDS:
                    raise InvalidValue(
                        f"{label}: chỉ nhận ảnh PNG hoặc JPEG (tệp là {kind or 'loại khác'})."
                    )
                img.load()  # decoded whole: a truncated or damaged file fails here
                return _fitted(img, kind, data, LONGEST.get(key or "", max(LONGEST.values())))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise InvalidValue(_too_many_pixels(label, None)) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise not_image from exc


def _fitted(img, kind: str, data: bytes, longest: int) -> bytes:  # type: ignore[no-untyped-def]
    """The image's own bytes when it fits; else scaled down to longest, same kind."""
    if max(img.size) <= longest:
        return data
    from PIL import Image

    if img.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
        img = img.convert("RGBA" if "A" in img.getbands() else "RGB")
    if kind == "JPEG" and img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    img = img.copy()
    img.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        img.save(out, "JPEG", quality=90, optimize=True)
    else:
        img.save(out, "PNG", optimize=True)
    return out.getvalue()

"""Reading signed sign-in sheets back from scans and phone photos (issue 19): OpenCV for
the geometry and the ink, zxing-cpp for the page QR, pypdfium2 for scanned PDFs. No Qt,
no database: the register's part is app.services.sheet_scan."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from app.scan.read import Geometry, PageReading, read_page


def read_files(
    paths: Iterable[Path], geometry_of: Callable[[str], Geometry | None]
) -> Iterator[PageReading]:
    """Every page of every file, read (or with the reason it could not be)."""
    from app.scan.pages import load

    for path in paths:
        for image in load(path):
            yield read_page(image, geometry_of)

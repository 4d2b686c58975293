"""Where the bundled data files are, installed, in a checkout or in a frozen build."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def path(*parts: str) -> Path:
    """A file under resources/ as a real path (ReportLab and Qt want file names)."""
    base = Path(str(resources.files("resources")))
    return base.joinpath(*parts)


def fonts_dir() -> Path:
    return path("fonts")


def translations_dir() -> Path:
    return path("translations")


def docs_dir() -> Path:
    """docs/ (the user guide and its pictures): beside resources/ in a checkout and in
    the frozen bundle alike."""
    return path().parent / "docs"


def guide() -> Path:
    return docs_dir() / "huong-dan-su-dung.md"

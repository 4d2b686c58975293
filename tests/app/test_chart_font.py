"""Charts draw Vietnamese with the bundled Liberation Sans, chosen by file: a PC may have
its own, older "Liberation Sans" without the Vietnamese letters, which matplotlib would
otherwise take by its name ("Glyph 7889 missing", ố, and boxes in the printed report)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import matplotlib
import pytest
from fontTools import subset
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties

from app import resources
from app.documents import charts
from app.services.reports import CountRow, Dashboard

REGULAR, BOLD = (
    str(resources.fonts_dir() / f"LiberationSans-{f}.ttf") for f in ("Regular", "Bold")
)


def ascii_only_liberation_sans(folder: Path) -> Path:
    """Liberation Sans cut down to ASCII, as an older release without Vietnamese: the
    same family name, the same style, none of the letters."""
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the family name
    font = subset.load_font(REGULAR, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=range(0x20, 0x7F))
    subsetter.subset(font)
    out = folder / "LiberationSans-Regular.ttf"
    subset.save_font(font, str(out), options)
    return out


@pytest.fixture
def older_font_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The older font where matplotlib meets it first, as a font of the PC's own; charts
    styled afresh. Everything is put back afterwards."""
    old = ascii_only_liberation_sans(tmp_path)
    ttflist = list(font_manager.fontManager.ttflist)
    monkeypatch.setattr(font_manager.fontManager, "ttflist", ttflist)
    font_manager.fontManager.addfont(str(old))  # also forgets earlier look-ups
    ttflist.insert(0, ttflist.pop())
    assert ttflist[0].name == "Liberation Sans" and ttflist[0].fname == str(old)
    charts.style.cache_clear()
    with matplotlib.rc_context():
        yield old
    charts.style.cache_clear()
    font_manager.fontManager._findfont_cached.cache_clear()  # no look-up of the old font kept


def test_the_older_font_really_lacks_vietnamese(older_font_installed: Path) -> None:
    cmap = font_manager.get_font(str(older_font_installed)).get_charmap()
    assert ord("A") in cmap and ord("ố") not in cmap and ord("đ") not in cmap


def test_charts_use_the_bundled_files_beside_an_older_font_of_the_same_name(
    older_font_installed: Path,
) -> None:
    charts.style()
    family = matplotlib.rcParams["font.family"]
    assert font_manager.findfont(FontProperties(family=family)) == REGULAR
    assert font_manager.findfont(FontProperties(family=family, weight="bold")) == BOLD
    rows = [CountRow("2026-01", "01/2026", 12), CountRow("2026-02", "02/2026", 30)]
    dashboard = cast(Dashboard, cast(Any, SimpleNamespace(months=rows)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = charts.png(charts.CHARTS[0], dashboard, 6, 3, dpi=50)  # "Số người…": ố is 7889
    assert png.startswith(b"\x89PNG")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []

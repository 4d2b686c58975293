"""A LongTable whose rows are measured once and whose few spanned and unsplittable cells
cost what they are, not what the whole table is.

ReportLab measures a long table's rows anew at every page: wrapping the rest of the
table to fill a page measures that page's rows, splitting it there measures them again,
and drawing them wraps every cell once more; a paragraph is broken into lines three times.
Here every row is measured once, by ReportLab's own code, before the first page, and the
heights go with the table's parts from page to page (as ReportLab's LongTable already
hands on the heights it has measured); a cell drawn at the width it was measured at is not
wrapped again. The pages hold the same rows with the same heights.

ReportLab maps every cell of a table with a SPAN or NOSPLIT command to its range (and to
its rectangle), and does it again for the rest of the table at every page break: a
500-row sign-in sheet over 37 pages builds a few hundred thousand entries for the one
spanned row at its end. Here only the cells that commands name are stored; every other
cell answers as ReportLab's own maps would (its own 1×1 range, its grid rectangle), so
the drawing is the same, byte for byte.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import LongTable, Paragraph

_MEASURE_ALL = 0x7FFFFFFF  # no early stop: every row measured


class _Ranges(dict):  # type: ignore[type-arg]
    """(col, row) -> (col0, row0, col1, row1), or None where a span covers the cell; a
    cell no command names is its own range. Iterating yields the named cells only."""

    def __init__(self, ncols: int, nrows: int) -> None:
        super().__init__()
        self.ncols, self.nrows = ncols, nrows

    def _own(self, key: Any) -> tuple[int, int, int, int] | None:
        x, y = key
        return (x, y, x, y) if 0 <= x < self.ncols and 0 <= y < self.nrows else None

    def __missing__(self, key: Any) -> tuple[int, int, int, int]:
        own = self._own(key)
        if own is None:
            raise KeyError(key)
        return own

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or self._own(key) is not None

    def get(self, key: Any, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        own = self._own(key)
        return default if own is None else own


class _Rects(dict):  # type: ignore[type-arg]
    """(col, row) -> (x, y, width, height) of a cell: as stored for spanned cells,
    from the table's grid for the others (the rows laid out so far)."""

    def __init__(self, table: LongTable) -> None:
        super().__init__()
        self.table = table

    def _own(self, key: Any) -> tuple[float, float, float, float] | None:
        col, row = key
        cols, rows = self.table._colpositions, self.table._rowpositions
        if not (0 <= col < len(cols) - 1 and 0 <= row < len(rows) - 1):
            return None
        return cols[col], rows[row + 1], cols[col + 1] - cols[col], rows[row] - rows[row + 1]

    def __missing__(self, key: Any) -> tuple[float, float, float, float]:
        own = self._own(key)
        if own is None:
            raise KeyError(key)
        return own

    def get(self, key: Any, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        own = self._own(key)
        return default if own is None else own


class SpanningLongTable(LongTable):
    """LongTable with the maps above, its rows measured once (the rest of ReportLab's
    layout untouched)."""

    def _calc(self, availWidth: float, availHeight: float) -> None:
        if None in self._argH and self._measurable():
            self._measure(availWidth)
        elif getattr(self, "_measured_at", availWidth) != availWidth:
            self._argH = self._given_heights  # another width: measured again, as ReportLab would
            self._measure(availWidth)
        super()._calc(availWidth, availHeight)

    def _measurable(self) -> bool:
        """Whether measuring all rows at once gives what ReportLab's page by page measure
        gives: not when a span covers rows (their extra height is shared out among the
        rows measured so far) nor when a row may be split inside."""
        if self.splitInRow or self._rowSplitRange:
            return False
        return all(y0 == y1 for _cmd, (_x0, y0), (_x1, y1) in self._spanCmds)

    def _measure(self, availWidth: float) -> None:
        """ReportLab's own measure of every row (LongTable stops at a page's worth), kept
        as the table's given heights: its parts on later pages inherit them."""
        self._given_heights = self._argH
        optimize = self._longTableOptimize
        self._longTableOptimize = 0
        try:
            super()._calc(availWidth, _MEASURE_ALL)
        finally:
            self._longTableOptimize = optimize
        self._argH = list(self._rowHeights)
        self._measured_at = availWidth

    def _listCellGeom(  # type: ignore[override]
        self,
        V: Any,
        w: float,
        s: Any,
        W: list[float] | None = None,
        H: list[float] | None = None,
        aH: float = 72000,
    ) -> tuple[float, float]:
        """As ReportLab's, but a paragraph already wrapped at this width (when its row was
        measured) answers from that wrap instead of being broken into lines again: the
        lines it keeps are the ones a new wrap would make."""
        if (
            isinstance(V, str)
            or not V
            or not all(_wrapped(v, w - s.leftPadding - s.rightPadding) for v in V)
        ):
            return super()._listCellGeom(V, w, s, W, H, aH)
        t = width = 0.0
        first = None
        after = 0.0
        for v in V:
            before, after = v.getSpaceBefore(), v.getSpaceAfter()
            if W is not None:
                W.append(v.width)
            if H is not None:
                H.append(v.height)
            width = max(width, v.width)
            t += v.height + after + before
            if first is None:
                first = before
        return width, t - (first or 0.0) - after

    def _named(
        self, cmds: list[Any]
    ) -> tuple[_Ranges, list[tuple[int, int]], list[tuple[int, int]]]:
        ncols, nrows = self._ncols, self._nrows
        ranges = _Ranges(ncols, nrows)
        across: list[tuple[int, int]] = []
        down: list[tuple[int, int]] = []
        for _cmd, (x0, y0), (x1, y1) in cmds:  # normalised as ReportLab does
            x0, x1 = x0 + ncols if x0 < 0 else x0, x1 + ncols if x1 < 0 else x1
            y0, y1 = y0 + nrows if y0 < 0 else y0, y1 + nrows if y1 < 0 else y1
            x0, x1 = min(x0, x1), max(x0, x1)
            y0, y1 = min(y0, y1), max(y0, y1)
            if x0 == x1 and y0 == y1:
                continue
            cells = [(x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
            if x0 != x1:
                across += cells
            if y0 != y1:
                down += cells
            for cell in cells:
                ranges[cell] = None
            ranges[x0, y0] = (x0, y0, x1, y1)
        return ranges, across, down

    def _calcSpanRanges(self) -> None:
        self._spanRanges, self._colSpanCells, self._rowSpanCells = self._named(self._spanCmds)

    def _calcNoSplitRanges(self) -> None:
        ranges, across, down = self._named(self._nosplitCmds)
        self._nosplitRanges, self._colNoSplitCells, self._rowNoSplitCells = ranges, across, down

    def _calcSpanRects(self) -> None:
        if not isinstance(getattr(self, "_spanRects", None), _Rects):
            self._spanRects = _Rects(self)
        super()._calcSpanRects()  # over the named cells only: _Ranges iterates those


def _wrapped(v: Any, width: float) -> bool:
    """Whether v is a plain paragraph whose last wrap was at this width (Paragraph.wrap
    keeps the width it was given, the lines it made and their height)."""
    return (
        type(v).wrap is Paragraph.wrap
        and getattr(v, "width", None) == width
        and hasattr(v, "blPara")
        and hasattr(v, "height")
    )

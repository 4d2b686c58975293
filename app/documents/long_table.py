"""A LongTable whose few spanned and unsplittable cells cost what they are, not what the
whole table is.

ReportLab maps every cell of a table with a SPAN or NOSPLIT command to its range (and to
its rectangle), and does it again for the rest of the table at every page break: a
500-row sign-in sheet over 37 pages builds a few hundred thousand entries for the one
spanned row at its end. Here only the cells that commands name are stored; every other
cell answers as ReportLab's own maps would (its own 1×1 range, its grid rectangle), so
the drawing is the same, byte for byte.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import LongTable


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
    """LongTable with the maps above (the rest of ReportLab's layout untouched)."""

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

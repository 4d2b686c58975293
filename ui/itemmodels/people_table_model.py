"""The people table: the matching ids come from one indexed, sorted SQL query; rows
are fetched by id a page at a time as the user scrolls (canFetchMore/fetchMore).

Holding the ids (as Anki's browser does) keeps every page as cheap as the first: no
OFFSET that grows with the scroll position. Rows are plain tuples prepared once when
fetched, so data() is a lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app import labels
from app.services.people import PeopleFilter, PersonRow
from app.vn.ids import mask_citizen_id

PAGE = 200
COLUMNS = [
    ("name", "Họ và tên"),
    ("birth_date", "Ngày sinh"),
    ("gender", "Giới tính"),
    ("citizen_id", "Số CCCD"),
    ("phone", "Số điện thoại"),
    ("unit", "Đơn vị hành chính"),
    ("workplace", "Đơn vị công tác"),
    ("position", "Chức vụ"),
    ("teams", "Tổ CNSCĐ"),
    ("courses", "Số khóa đã học"),
]

FindIds = Callable[[PeopleFilter], list[int]]
FetchRows = Callable[[list[int]], list[PersonRow]]
Index = QModelIndex | QPersistentModelIndex


class PeopleTableModel(QAbstractTableModel):
    def __init__(self, find_ids: FindIds, fetch_rows: FetchRows, parent: Any = None) -> None:
        super().__init__(parent)
        self._find_ids, self._fetch_rows = find_ids, fetch_rows
        self.filter = PeopleFilter()
        self.unmasked = False
        self.ids: list[int] = []
        self.rows: list[PersonRow] = []
        self._cells: list[tuple[str, ...]] = []
        self.held = False  # a page not yet on screen: filters and sorts are only kept

    # -- loading -------------------------------------------------------------------

    def set_filter(self, f: PeopleFilter) -> None:
        """Start over with another search, filter or sort. A search the services refuse
        (UserError) leaves the table as it was."""
        if self.held:
            self.filter = f
            return
        ids = self._find_ids(f)
        self.beginResetModel()
        self.filter = f
        self.ids = ids
        self.rows, self._cells = [], []
        self._load(PAGE)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_filter(self.filter)

    def set_unmasked(self, unmasked: bool) -> None:
        self.unmasked = unmasked
        self._cells = [self._render(r) for r in self.rows]
        if self.rows:
            col = 3
            self.dataChanged.emit(self.index(0, col), self.index(len(self.rows) - 1, col))

    @property
    def total(self) -> int:
        return len(self.ids)

    def _load(self, n: int) -> list[PersonRow]:
        start = len(self.rows)
        fresh = self._fetch_rows(self.ids[start : start + n])
        self.rows.extend(fresh)
        self._cells.extend(self._render(r) for r in fresh)
        return fresh

    def _render(self, r: PersonRow) -> tuple[str, ...]:
        cid = r.citizen_id or ""
        return (
            r.full_name,
            r.birth_text,
            labels.GENDER.get(r.gender or "", ""),
            cid if self.unmasked else mask_citizen_id(cid),
            r.phone or "",
            r.unit,
            r.workplace or "",
            r.position or "",
            r.teams,
            str(r.courses_attended) if r.courses_attended else "",
        )

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        want = min(PAGE, self.total - len(self.rows))
        if want <= 0:
            return
        start = len(self.rows)
        asked = self.ids[start : start + want]
        fresh = self._fetch_rows(asked)
        if len(fresh) < len(asked):  # some rows vanished meanwhile (deleted by another user)
            self.ids[start : start + want] = [r.id for r in fresh]
        if not fresh:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
        self.rows.extend(fresh)
        self._cells.extend(self._render(r) for r in fresh)
        self.endInsertRows()

    # -- Qt's questions ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (1, 9):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()].id
        if role == Qt.ItemDataRole.ForegroundRole and self.rows[index.row()].archived:
            from PySide6.QtGui import QColor

            return QColor("gray")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][0]
        self.set_filter(
            replace(self.filter, sort=key, descending=order == Qt.SortOrder.DescendingOrder)
        )

    def person_id(self, row: int) -> int:
        return self.rows[row].id

"""A table cell that sorts by a key (a date, a number, a name's sort key) rather than by
its text, so that "02/03/2026" comes after "28/02/2026", a score of 10 after 9, and
"Lê Văn An" before "Nguyễn Thị Bình" (Vietnamese order: given name first)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

from app.vn import names

SORT_KEY = Qt.ItemDataRole.UserRole + 7


class SortItem(QTableWidgetItem):
    def __init__(self, text: str, key: date | float | str | None = None) -> None:
        super().__init__(text)
        if key is not None:  # None (an empty cell) sorts before every value
            if isinstance(key, date):
                key = key.toordinal()
            self.setData(SORT_KEY, key if isinstance(key, str) else float(key))

    @classmethod
    def name(cls, full_name: str) -> SortItem:
        return cls(full_name, names.sort_key(names.split(full_name)))

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_KEY), other.data(SORT_KEY)
        if mine is None and theirs is None:
            return self.text() < other.text()
        return (mine is not None, mine or 0) < (theirs is not None, theirs or 0)

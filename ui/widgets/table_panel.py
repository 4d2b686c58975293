"""A row of buttons over a read-only, sortable table: the shape of a page's detail tab.
Every column title shows whole, one column takes the room left, and an empty table says
what to do next."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.columns import fit_titles
from ui.widgets.empty_state import EmptyState, show_when_empty


class TablePanel(QWidget):
    def __init__(
        self,
        headers: list[str],
        stretch: int,
        empty: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        """`stretch`: the column that takes what the others leave; `empty`: what an empty
        table says."""
        super().__init__(parent)
        t = self.table = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.verticalHeader().hide()
        t.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        t.setSortingEnabled(True)
        fit_titles(t.horizontalHeader(), stretch=stretch, least=200)
        self.empty: EmptyState = show_when_empty(t, empty)
        self.buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.buttons)
        layout.addWidget(t, 1)

    def add_buttons(self, buttons: list[tuple[str, Callable[[], object]]]) -> None:
        for text, slot in buttons:
            b = QPushButton(text)
            b.clicked.connect(slot)
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)

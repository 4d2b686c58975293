"""A row of buttons over a read-only, sortable table: the shape of a page's detail tab."""

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


class TablePanel(QWidget):
    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        t = self.table = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.verticalHeader().hide()
        t.horizontalHeader().setStretchLastSection(True)
        t.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        t.setSortingEnabled(True)
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

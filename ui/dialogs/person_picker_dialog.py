"""Chọn học viên: search the people table and pick one or more."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from app.errors import UserError
from app.services.people import MAX_SEARCH_CHARS, PersonRow
from ui.dialogs.form_dialog import FormDialog

Search = Callable[[str], list[PersonRow]]


class PersonPickerDialog(FormDialog[list[tuple[int, str]]]):
    def __init__(
        self, search: Search, title: str = "Chọn học viên", parent: QWidget | None = None
    ) -> None:
        super().__init__(title, parent, save_text="Chọn")
        self.search = search
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Gõ tên, số điện thoại hoặc CCCD…")
        self.edit.setMaxLength(MAX_SEARCH_CHARS)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemDoubleClicked.connect(lambda _i: self._accept())
        self.timer = QTimer(self, singleShot=True, interval=200)
        self.timer.timeout.connect(self._refresh)
        self.edit.textChanged.connect(lambda _t: self.timer.start())
        self.body.addWidget(self.edit)
        self.body.addWidget(self.message)
        self.body.addWidget(self.list, 1)
        self.resize(520, 480)
        self._refresh()

    def _refresh(self) -> None:
        try:
            found = self.search(self.edit.text())
        except UserError as exc:  # a search too long, or one the account may not run
            self.message.setText(exc.message)
            self.message.show()
            return
        self.message.hide()
        self.list.clear()
        for r in found:
            text = (
                r.full_name
                + (f" – {r.birth_text}" if r.birth_text else "")
                + (f" – {r.unit}" if r.unit else "")
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.list.addItem(item)

    def collect(self) -> list[tuple[int, str]]:
        return [
            (i.data(Qt.ItemDataRole.UserRole), i.text().split(" – ")[0])
            for i in self.list.selectedItems()
        ]

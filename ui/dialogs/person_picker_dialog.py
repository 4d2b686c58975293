"""Chọn học viên: search the people table and pick one or more."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services.people import MAX_SEARCH_CHARS, PersonRow

Search = Callable[[str], list[PersonRow]]


class PersonPickerDialog(QDialog):
    def __init__(
        self, search: Search, title: str = "Chọn học viên", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
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
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        self.timer = QTimer(self, singleShot=True, interval=200)
        self.timer.timeout.connect(self._refresh)
        self.edit.textChanged.connect(lambda _t: self.timer.start())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
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

    def chosen(self) -> list[tuple[int, str]]:
        return [
            (i.data(Qt.ItemDataRole.UserRole), i.text().split(" – ")[0])
            for i in self.list.selectedItems()
        ]

    @classmethod
    def ask(
        cls, parent: QWidget | None, search: Search, title: str = "Chọn học viên"
    ) -> list[tuple[int, str]]:
        dialog = cls(search, title, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else []

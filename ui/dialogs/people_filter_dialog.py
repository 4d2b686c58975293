"""Ghi danh theo bộ lọc: who, by unit, team role kind and what they have not learned yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app import labels
from app.services.people import PeopleFilter


class PeopleFilterDialog(QDialog):
    def __init__(
        self,
        units: list[tuple[int, str]],
        topics: list[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ghi danh theo bộ lọc")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Tên (không bắt buộc)")
        self.unit_combo = QComboBox()
        self.unit_combo.setEditable(True)
        self.unit_combo.addItem("", None)
        for uid, label in units:
            self.unit_combo.addItem(label, uid)
        self.unit_combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.unit_combo.lineEdit().setPlaceholderText("Mọi đơn vị")
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("Mọi người", None)
        for key, text in labels.MEMBER_KIND.items():
            self.kind_combo.addItem(text, key)
        self.topic_combo = QComboBox()
        self.topic_combo.addItem("(không xét)", None)
        for tid, name in topics:
            self.topic_combo.addItem(name, tid)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Ghi danh")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Đơn vị (cả đơn vị cũ trước 2025)", self.unit_combo)
        form.addRow("Thành phần trong tổ", self.kind_combo)
        form.addRow("Chưa học chủ đề", self.topic_combo)
        form.addRow("Tên", self.search_edit)
        form.addRow(self.note)
        form.addRow(buttons)
        self.setMinimumWidth(520)

    def people_filter(self) -> PeopleFilter:
        index = self.unit_combo.findText(
            self.unit_combo.currentText().strip(), Qt.MatchFlag.MatchExactly
        )
        return PeopleFilter(
            search=self.search_edit.text(),
            unit_id=self.unit_combo.itemData(index) if index > 0 else None,
            member_kind=self.kind_combo.currentData(),
            not_topic_id=self.topic_combo.currentData(),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, units: list[tuple[int, str]], topics: list[tuple[int, str]]
    ) -> PeopleFilter | None:
        dialog = cls(units, topics, parent)
        return dialog.people_filter() if dialog.exec() == QDialog.DialogCode.Accepted else None

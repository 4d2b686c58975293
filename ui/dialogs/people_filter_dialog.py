"""Ghi danh theo bộ lọc: who, by unit, team role kind and what they have not learned yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app import labels
from app.services.people import MAX_SEARCH_CHARS, PeopleFilter
from ui.dialogs.form_dialog import FormDialog


class PeopleFilterDialog(FormDialog[PeopleFilter]):
    def __init__(
        self,
        units: list[tuple[int, str]],
        topics: list[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Ghi danh theo bộ lọc", parent, save_text="Ghi danh")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Tên (không bắt buộc)")
        self.search_edit.setMaxLength(MAX_SEARCH_CHARS)
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
        form = QFormLayout()
        self.body.addLayout(form)
        form.addRow("Đơn vị (cả đơn vị cũ trước 2025)", self.unit_combo)
        form.addRow("Thành phần trong tổ", self.kind_combo)
        form.addRow("Chưa học chủ đề", self.topic_combo)
        form.addRow("Tên", self.search_edit)
        form.addRow(self.note)
        self.setMinimumWidth(520)

    def collect(self) -> PeopleFilter:
        index = self.unit_combo.findText(
            self.unit_combo.currentText().strip(), Qt.MatchFlag.MatchExactly
        )
        return PeopleFilter(
            search=self.search_edit.text(),
            unit_id=self.unit_combo.itemData(index) if index > 0 else None,
            member_kind=self.kind_combo.currentData(),
            not_topic_id=self.topic_combo.currentData(),
        )

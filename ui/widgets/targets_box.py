"""Cài đặt's box of this year's targets (shown against the year's figures on Tổng quan):
a line each, empty for no target; the service checks the values when the page saves."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from app.services import settings, targets

LABELS = {
    targets.PEOPLE: "Số người được tập huấn",
    targets.SHARES["province"]: "Tỷ lệ thành viên Tổ cấp tỉnh (%)",
    targets.SHARES["commune"]: "Tỷ lệ thành viên Tổ cấp xã (%)",
    targets.SHARES["hamlet"]: "Tỷ lệ thành viên Tổ cấp ấp, khu phố (%)",
    targets.CERTIFICATES: "Số giấy chứng nhận cấp",
}


class TargetsBox(QGroupBox):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(f"Chỉ tiêu năm {date.today().year} (trang Tổng quan)", parent)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.edits: dict[str, QLineEdit] = {}
        for key in targets.KEYS:
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setPlaceholderText("chưa đặt")
            edit.setToolTip(settings.KEYS[key].label + "; để trống nếu không đặt chỉ tiêu")
            edit.setMaximumWidth(140)
            edit.textEdited.connect(lambda _t: self.edited.emit())
            self.edits[key] = edit
            form.addRow(LABELS[key] + ":", edit)
        note = QLabel(
            "Số nguyên lớn hơn 0 (ví dụ 1.500); tỷ lệ từ 1 đến 100. Trang Tổng quan so số liệu của năm "
            "với các chỉ tiêu này."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        form.addRow(note)

    def set_values(self, saved: dict[str, str]) -> None:
        for key, edit in self.edits.items():
            edit.setText(saved.get(key, ""))

    def values(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.edits.items()}

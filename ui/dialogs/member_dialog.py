"""Thành viên tổ: role, kind, join and leave dates."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from app import labels
from app.services.teams import MembershipForm
from ui.widgets.date_edit import DateEdit


class MemberDialog(QDialog):
    def __init__(
        self, name: str, initial: MembershipForm | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Thành viên tổ: {name}")
        initial = initial or MembershipForm()
        self.role_combo = QComboBox()
        for key, label in labels.TEAM_ROLE.items():
            self.role_combo.addItem(label, key)
        self.role_combo.setCurrentIndex(self.role_combo.findData(initial.role))
        self.kind_combo = QComboBox()
        for key, label in labels.MEMBER_KIND.items():
            self.kind_combo.addItem(label, key)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(initial.kind))
        self.joined_edit = DateEdit(initial.joined_on)
        self.left_edit = DateEdit(initial.left_on)
        self.left_edit.setPlaceholderText("dd/mm/yyyy – để trống nếu còn trong tổ")
        self.error_label = QLabel("")
        self.error_label.setStyleSheet("color:#b00020")
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Vai trò", self.role_combo)
        form.addRow("Thành phần", self.kind_combo)
        form.addRow("Ngày vào tổ", self.joined_edit)
        form.addRow("Ngày rời tổ", self.left_edit)
        form.addRow(self.error_label)
        form.addRow(buttons)
        self.result_form: MembershipForm | None = None

    def _accept(self) -> None:
        joined, e1 = self.joined_edit.date_or_error()
        left, e2 = self.left_edit.date_or_error()
        if e1 or e2:
            self.error_label.setText(e1 or e2 or "")
            return
        if joined and left and left < joined:
            self.error_label.setText("Ngày rời tổ phải sau ngày vào tổ.")
            return
        self.result_form = MembershipForm(
            self.role_combo.currentData(), self.kind_combo.currentData(), joined, left
        )
        self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, name: str, initial: MembershipForm | None = None
    ) -> MembershipForm | None:
        dialog = cls(name, initial, parent)
        return dialog.result_form if dialog.exec() == QDialog.DialogCode.Accepted else None

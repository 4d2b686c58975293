"""Thành viên tổ: role, kind, join and leave dates."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from app import labels
from app.services.teams import MembershipForm
from ui.dialogs.form_dialog import FormDialog, Invalid
from ui.widgets.date_edit import DateEdit


class MemberDialog(FormDialog[MembershipForm]):
    def __init__(
        self, name: str, initial: MembershipForm | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(f"Thành viên tổ: {name}", parent)
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
        form = QFormLayout()
        self.body.addLayout(form)
        form.addRow("Vai trò", self.role_combo)
        form.addRow("Thành phần", self.kind_combo)
        form.addRow("Ngày vào tổ", self.joined_edit)
        form.addRow("Ngày rời tổ", self.left_edit)

    def collect(self) -> MembershipForm:
        joined, e1 = self.joined_edit.date_or_error()
        left, e2 = self.left_edit.date_or_error()
        if e1 or e2:
            raise Invalid(e1 or e2 or "")
        if joined and left and left < joined:
            raise Invalid("Ngày rời tổ phải sau ngày vào tổ.")
        return MembershipForm(
            self.role_combo.currentData(), self.kind_combo.currentData(), joined, left
        )

"""In danh sách ký tên: what the sheet of one session shows before it is previewed.

Phone numbers are off unless ticked: the sheet is passed round a room of people."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QSpinBox, QWidget

from ui.dialogs.form_dialog import FormDialog

MAX_BLANK_ROWS = 100  # as the command line's --blank


@dataclass(frozen=True)
class SheetOptions:
    phones: bool = False
    qr: bool = True
    blank_rows: int = 5


class SignInSheetDialog(FormDialog[SheetOptions]):
    def __init__(
        self, session_label: str, initial: SheetOptions | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("In danh sách ký tên", parent, save_text="Xem trước")
        initial = initial or SheetOptions()
        self.phones_box = QCheckBox("In số điện thoại")
        self.phones_box.setChecked(initial.phones)
        self.phones_box.setToolTip(
            "Danh sách được chuyền tay trong lớp: chỉ in số điện thoại khi thật cần."
        )
        self.qr_box = QCheckBox("Thêm cột mã QR điểm danh")
        self.qr_box.setChecked(initial.qr)
        self.blank_spin = QSpinBox()
        self.blank_spin.setRange(0, MAX_BLANK_ROWS)
        self.blank_spin.setValue(initial.blank_rows)
        form = QFormLayout()
        self.body.addLayout(form)
        form.addRow(QLabel(session_label))
        form.addRow(self.phones_box)
        form.addRow(self.qr_box)
        form.addRow("Số dòng trống cho người đến lớp", self.blank_spin)
        self.setMinimumWidth(380)

    def collect(self) -> SheetOptions:
        return SheetOptions(
            self.phones_box.isChecked(), self.qr_box.isChecked(), self.blank_spin.value()
        )

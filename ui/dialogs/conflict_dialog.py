"""Hai người cùng sửa một hồ sơ: the second save shows both versions side by side and
asks which to keep. Never a silent overwrite."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import labels
from app.services.person_edit import PersonForm
from app.vn.dates import format_date, format_datetime

FIELDS = (
    ("full_name", "Họ và tên"), ("birth_date", "Ngày sinh"), ("gender", "Giới tính"),
    ("citizen_id", "Số CCCD"), ("phone", "Số điện thoại"), ("email", "Thư điện tử"),
    ("unit_id", "Đơn vị (mã)"), ("workplace", "Đơn vị công tác"), ("position", "Chức vụ"),
    ("is_trainer", "Giảng viên"), ("note", "Ghi chú"),
)  # fmt: skip
KEEP_MINE, KEEP_THEIRS = 1, 2


def _text(form: PersonForm, field: str) -> str:
    value = getattr(form, field)
    if field == "birth_date" and value is not None:
        return str(value.year) if form.birth_year_only else format_date(value)
    if field == "gender":
        return labels.GENDER.get(value or "", "")
    if field == "is_trainer":
        return "Có" if value else "Không"
    return "" if value is None else str(value)


class ConflictDialog(QDialog):
    def __init__(self, name: str, mine: PersonForm, theirs: PersonForm, who: str | None,
                 when: object, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Hồ sơ vừa được người khác sửa")
        by = f" bởi {who}" if who else ""
        at = f" lúc {format_datetime(when)}" if when else ""  # type: ignore[arg-type]
        intro = QLabel(
            f"Trong lúc bạn sửa, hồ sơ “{name}” đã được lưu{by}{at}. Chưa có gì được ghi "
            "đè. Các ô khác nhau được tô màu; hãy chọn giữ bản nào."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(FIELDS), 2)
        self.table.setHorizontalHeaderLabels(["Bản bạn vừa sửa", "Bản đã lưu"])
        self.table.setVerticalHeaderLabels([label for _f, label in FIELDS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.differing: list[str] = []
        for r, (field, label) in enumerate(FIELDS):
            a, b = _text(mine, field), _text(theirs, field)
            for c, value in enumerate((a, b)):
                item = QTableWidgetItem(value)
                if a != b:
                    item.setBackground(QBrush(QColor("#fff1c2")))
                self.table.setItem(r, c, item)
            if a != b:
                self.differing.append(label)
        buttons = QDialogButtonBox()
        mine_button = QPushButton("Giữ bản của tôi")
        mine_button.setToolTip("Ghi bản bạn vừa sửa đè lên bản đã lưu (ghi vào nhật ký)")
        theirs_button = QPushButton("Giữ bản đã lưu")
        buttons.addButton(mine_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(theirs_button, QDialogButtonBox.ButtonRole.RejectRole)
        mine_button.clicked.connect(lambda: self.done(KEEP_MINE))
        theirs_button.clicked.connect(lambda: self.done(KEEP_THEIRS))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(680, 460)

"""Thêm / sửa học viên: collects and checks the fields, returns a PersonForm."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services.person_edit import DuplicateHint, PersonForm, validate_input
from app.vn.dates import format_date
from ui.dialogs.form_dialog import ERROR_STYLE, FormDialog, Invalid
from ui.widgets.screen import fit_contents

CheckDuplicates = Callable[[PersonForm], list[DuplicateHint]]
WARNING_STYLE = "color: #8a5300; background: #fff4d6; padding: 6px; border-radius: 3px;"


class PersonDialog(FormDialog[PersonForm]):
    def __init__(
        self,
        initial: PersonForm | None = None,
        units: list[tuple[int, str]] | None = None,
        check_duplicates: CheckDuplicates | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Sửa học viên" if initial else "Thêm học viên", parent)
        self.check_duplicates = check_duplicates
        self._acknowledged: set[int] = set()

        self.name_edit = QLineEdit()
        self.birth_edit = QLineEdit()
        self.birth_edit.setPlaceholderText("dd/mm/yyyy, hoặc chỉ năm sinh")
        self.gender_combo = QComboBox()
        for text, value in (("", None), ("Nam", "male"), ("Nữ", "female")):
            self.gender_combo.addItem(text, value)
        self.citizen_id_edit = QLineEdit()
        self.citizen_id_edit.setPlaceholderText("12 chữ số")
        self.phone_edit = QLineEdit()
        self.email_edit = QLineEdit()
        self.unit_combo = QComboBox()
        self.unit_combo.setEditable(True)
        self.unit_combo.addItem("", None)
        for uid, label in units or []:
            self.unit_combo.addItem(label, uid)
        completer = QCompleter(self.unit_combo.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.unit_combo.setCompleter(completer)
        self.workplace_edit = QLineEdit()
        self.position_edit = QLineEdit()
        self.trainer_check = QCheckBox("Là giảng viên, báo cáo viên")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setFixedHeight(60)

        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label, widget in (
            ("full_name", "Họ và tên *", self.name_edit),
            ("birth_date", "Ngày sinh", self.birth_edit),
            ("gender", "Giới tính", self.gender_combo),
            ("citizen_id", "Số CCCD", self.citizen_id_edit),
            ("phone", "Số điện thoại", self.phone_edit),
            ("email", "Thư điện tử", self.email_edit),
            ("unit", "Đơn vị hành chính", self.unit_combo),
            ("workplace", "Đơn vị công tác", self.workplace_edit),
            ("position", "Chức vụ", self.position_edit),
            ("is_trainer", "", self.trainer_check),
            ("note", "Ghi chú", self.note_edit),
        ):
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(widget)
            error = QLabel("")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            box.addWidget(error)
            self.errors[key] = error
            form.addRow(label, box)
        self.duplicate_label = QLabel("")
        self.duplicate_label.setStyleSheet(WARNING_STYLE)
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.hide()
        self.body.addLayout(form)
        self.body.addWidget(self.duplicate_label)
        fit_contents(self, 520)
        for edit in (
            self.name_edit,
            self.birth_edit,
            self.citizen_id_edit,
            self.phone_edit,
            self.email_edit,
        ):
            edit.editingFinished.connect(self._validate_quietly)
        if initial is not None:
            self._fill(initial)

    def _fill(self, f: PersonForm) -> None:
        self.name_edit.setText(f.full_name)
        if f.birth_date:
            self.birth_edit.setText(
                str(f.birth_date.year) if f.birth_year_only else format_date(f.birth_date)
            )
        self.gender_combo.setCurrentIndex(max(0, self.gender_combo.findData(f.gender)))
        self.citizen_id_edit.setText(f.citizen_id or "")
        self.phone_edit.setText(f.phone or "")
        self.email_edit.setText(f.email or "")
        if f.unit_id is not None:
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(f.unit_id)))
        self.workplace_edit.setText(f.workplace or "")
        self.position_edit.setText(f.position or "")
        self.trainer_check.setChecked(f.is_trainer)
        self.note_edit.setPlainText(f.note or "")

    def _raw(self) -> dict[str, str]:
        return {
            "full_name": self.name_edit.text(),
            "birth_date": self.birth_edit.text(),
            "gender": self.gender_combo.currentData() or "",
            "citizen_id": self.citizen_id_edit.text(),
            "phone": self.phone_edit.text(),
            "email": self.email_edit.text(),
            "workplace": self.workplace_edit.text(),
            "position": self.position_edit.text(),
            "is_trainer": "1" if self.trainer_check.isChecked() else "",
            "note": self.note_edit.toPlainText(),
        }

    def _unit_id(self) -> tuple[int | None, str | None]:
        text = self.unit_combo.currentText().strip()
        if not text:
            return None, None
        index = self.unit_combo.findText(text, Qt.MatchFlag.MatchExactly)
        if index < 0:
            return None, f"Không có đơn vị “{text}” trong danh mục; hãy chọn trong danh sách."
        return self.unit_combo.itemData(index), None

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        self.error_label.setText("Hãy sửa các ô báo đỏ." if errors else "")

    def _validate_quietly(self) -> None:
        # While typing, only fields already filled are judged; an empty name is not yet an error.
        _, errors = validate_input(self._raw())
        if not self.name_edit.text().strip():
            errors.pop("full_name", None)
        self._show_errors(errors)

    def collect(self) -> PersonForm:
        unit_id, unit_error = self._unit_id()
        form, errors = validate_input(self._raw(), unit_id)
        if unit_error:
            errors["unit"] = unit_error
            form = None
        self._show_errors(errors)
        if form is None:
            raise Invalid("Hãy sửa các ô báo đỏ.")
        if self.check_duplicates is not None:
            try:
                found = self.check_duplicates(form)
            except UserError as exc:  # e.g. an account past its citizen-ID lookups today
                self.duplicate_label.setText(exc.message)
                self.duplicate_label.show()
                raise Invalid("") from None
            hints = [h for h in found if h.person_id not in self._acknowledged]
            if hints:
                lines = [
                    f"• {h.full_name}"
                    + (f", sinh {format_date(h.birth_date)}" if h.birth_date else "")
                    + f" (mã {h.person_id}): {h.reason}"
                    if h.person_id
                    else f"• {h.reason}"  # whose it is, only an administrator is told
                    for h in hints
                ]
                self.duplicate_label.setText(
                    "Có thể đã có người này:\n"
                    + "\n".join(lines)
                    + "\nBấm “Lưu” lần nữa nếu đây đúng là người khác."
                )
                self.duplicate_label.show()
                self._acknowledged.update(h.person_id for h in hints)
                raise Invalid("")
        return form

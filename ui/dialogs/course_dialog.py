"""Khóa học: the course editor; returns a CourseForm or None."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.services.courses import CourseForm
from ui.dialogs.form_dialog import FormDialog, Invalid
from ui.widgets.check_list import CheckList
from ui.widgets.date_edit import DateEdit
from ui.widgets.screen import fit_contents


class CourseDialog(FormDialog[CourseForm]):
    def __init__(
        self,
        initial: CourseForm,
        topics: list[tuple[int, str]],
        venues: list[tuple[int, str, int | None]],
        title: str = "Khóa học",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        f = initial
        self.code_edit = QLineEdit(f.code)
        self.title_edit = QLineEdit(f.title)
        self.title_edit.setCursorPosition(0)  # a long title shows its start, not its tail
        self.organiser_edit = QLineEdit(f.organiser)
        self.co_organiser_edit = QLineEdit(f.co_organiser or "")
        self.audience_edit = QLineEdit(f.audience or "")
        self.audience_edit.setPlaceholderText("Ví dụ: thành viên Tổ công nghệ số cộng đồng cấp xã")
        self.topics = CheckList(topics, f.topic_ids)
        self.start_edit = DateEdit(f.start_date)
        self.end_edit = DateEdit(f.end_date)
        self.venue_combo = QComboBox()
        self.venue_combo.addItem("(chưa chọn)", None)
        for vid, name, cap in venues:
            self.venue_combo.addItem(f"{name}" + (f" ({cap} chỗ)" if cap else ""), vid)
        self.venue_combo.setCurrentIndex(max(0, self.venue_combo.findData(f.default_venue_id)))
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(0, 5000)
        self.capacity_spin.setSpecialValueText("không giới hạn")
        self.capacity_spin.setValue(f.capacity or 0)
        self.min_spin = QSpinBox()
        self.min_spin.setRange(0, 5000)
        self.min_spin.setSpecialValueText("không đặt")
        self.min_spin.setValue(f.min_enrolment or 0)
        self.attendance_spin = QSpinBox()
        self.attendance_spin.setRange(0, 100)
        self.attendance_spin.setSuffix(" %")
        self.attendance_spin.setValue(f.min_attendance_pct)
        self.scale_combo = QComboBox()
        self.scale_combo.addItem("Thang 10", 10)
        self.scale_combo.addItem("Thang 100", 100)
        self.scale_combo.setCurrentIndex(self.scale_combo.findData(f.score_scale))
        self.pass_spin = QDoubleSpinBox()
        self.pass_spin.setRange(0, 100)
        self.pass_spin.setDecimals(1)
        self.pass_spin.setValue(f.pass_score or 0)
        # No test: completion is decided on attendance alone and no pass score is saved.
        self.no_test_check = QCheckBox("Không có bài kiểm tra (xét theo chuyên cần)")
        self.no_test_check.toggled.connect(lambda on: self.pass_spin.setEnabled(not on))
        self.no_test_check.setChecked(f.pass_score is None)
        self.validity_spin = QSpinBox()
        self.validity_spin.setRange(0, 120)
        self.validity_spin.setSuffix(" tháng")
        self.validity_spin.setSpecialValueText("không thời hạn")
        self.validity_spin.setValue(f.validity_months or 0)
        self.online_check = QCheckBox("Học trực tuyến (ví dụ trên nền tảng OneTouch)")
        self.online_check.setChecked(f.is_online)
        self.note_edit = QPlainTextEdit(f.note or "")
        self.note_edit.setFixedHeight(50)
        self._certificate_wording(f)
        dates = QHBoxLayout()
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel("đến"))
        dates.addWidget(self.end_edit)
        rule = QHBoxLayout()
        rule.addWidget(QLabel("chuyên cần ≥"))
        rule.addWidget(self.attendance_spin)
        rule.addWidget(QLabel("và điểm cuối khóa ≥"))
        rule.addWidget(self.pass_spin)
        rule.addWidget(self.scale_combo)
        form = QFormLayout()
        form.addRow("Mã khóa học *", self.code_edit)
        form.addRow("Tên khóa học *", self.title_edit)
        form.addRow("Đơn vị tổ chức", self.organiser_edit)
        form.addRow("Đơn vị phối hợp", self.co_organiser_edit)
        form.addRow("Đối tượng", self.audience_edit)
        form.addRow("Chủ đề dự kiến", self.topics)
        form.addRow("Thời gian *", dates)
        form.addRow("Địa điểm chính", self.venue_combo)
        form.addRow("Sĩ số tối đa", self.capacity_spin)
        form.addRow("Số tối thiểu để mở lớp", self.min_spin)
        form.addRow("Điều kiện hoàn thành", rule)
        form.addRow("", self.no_test_check)
        form.addRow("Hiệu lực giấy chứng nhận", self.validity_spin)
        form.addRow("Căn cứ in trên giấy", self.basis_edit)
        form.addRow("Xếp loại", self.grades_row)
        form.addRow("", self.online_check)
        form.addRow("Ghi chú", self.note_edit)
        self.body.addLayout(form)
        fit_contents(self, 620)

    def _certificate_wording(self, f: CourseForm) -> None:
        """The legal-basis line and the grade bands the course's certificates print."""
        self.basis_edit = QLineEdit(f.legal_basis or "")
        self.basis_edit.setPlaceholderText(
            "Ví dụ: Căn cứ Quyết định số 123/QĐ-SKHCN ngày 20/02/2026 của Giám đốc Sở …"
        )
        self.basis_edit.setCursorPosition(0)
        self.grades_check = QCheckBox("theo điểm cuối khóa:")
        self.grades_check.setChecked(f.grade_excellent is not None)
        self.excellent_spin, self.good_spin = QDoubleSpinBox(), QDoubleSpinBox()
        for spin, value, default in (
            (self.excellent_spin, f.grade_excellent, 8.0),
            (self.good_spin, f.grade_good, 6.5),
        ):
            spin.setRange(0, 100)
            spin.setDecimals(1)
            spin.setValue(value if value is not None else default)
            spin.setEnabled(self.grades_check.isChecked())
            self.grades_check.toggled.connect(spin.setEnabled)
        self.grades_row = QHBoxLayout()
        self.grades_row.addWidget(self.grades_check)
        self.grades_row.addWidget(QLabel("Giỏi từ"))
        self.grades_row.addWidget(self.excellent_spin)
        self.grades_row.addWidget(QLabel("Khá từ"))
        self.grades_row.addWidget(self.good_spin)
        self.grades_row.addWidget(QLabel("còn lại Đạt"))
        self.grades_row.addStretch(1)

    def collect(self) -> CourseForm:
        start, e1 = self.start_edit.date_or_error()
        end, e2 = self.end_edit.date_or_error()
        problems = [e for e in (e1, e2) if e]
        if not start or not end:
            problems.append("Hãy nhập ngày bắt đầu và ngày kết thúc.")
        elif end < start:
            problems.append(f"Ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}.")
        if not self.code_edit.text().strip() or not self.title_edit.text().strip():
            problems.append("Mã và tên khóa học không được để trống.")
        if problems:
            raise Invalid(" ".join(problems))
        assert start and end
        return CourseForm(
            code=self.code_edit.text().strip(),
            title=self.title_edit.text(),
            start_date=start,
            end_date=end,
            organiser=self.organiser_edit.text(),
            co_organiser=self.co_organiser_edit.text() or None,
            audience=self.audience_edit.text() or None,
            capacity=self.capacity_spin.value() or None,
            min_enrolment=self.min_spin.value() or None,
            is_online=self.online_check.isChecked(),
            min_attendance_pct=self.attendance_spin.value(),
            score_scale=self.scale_combo.currentData(),
            pass_score=None if self.no_test_check.isChecked() else self.pass_spin.value(),
            default_venue_id=self.venue_combo.currentData(),
            note=self.note_edit.toPlainText() or None,
            topic_ids=self.topics.checked(),
            validity_months=self.validity_spin.value() or None,
            legal_basis=self.basis_edit.text().strip() or None,
            grade_excellent=self.excellent_spin.value() if self.grades_check.isChecked() else None,
            grade_good=self.good_spin.value() if self.grades_check.isChecked() else None,
        )

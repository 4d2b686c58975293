"""Buổi học: one session, or a series on chosen weekdays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from app.services.scheduling import WEEKDAYS, SeriesPattern, SessionForm
from ui.dialogs.form_dialog import FormDialog, Invalid
from ui.widgets.check_list import CheckList
from ui.widgets.date_edit import DateEdit
from ui.widgets.screen import fit_contents

WEEKDAY_BOXES = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")  # the series' weekday boxes


def _time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    return edit


class SessionDialog(FormDialog[SessionForm]):
    """With `series=True` it asks for weekdays and a count or an end date as well."""

    def __init__(
        self,
        initial: SessionForm,
        venues: list[tuple[int, str, int | None]],
        trainers: list[tuple[int, str]],
        topics: list[tuple[int, str]],
        series: bool = False,
        parent: QWidget | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__(title or ("Thêm chuỗi buổi học" if series else "Buổi học"), parent)
        self.series = series
        f = initial
        self.day_edit = DateEdit(f.day)
        self.start_edit = _time_edit(f.start)
        self.end_edit = _time_edit(f.end)
        self.venue_combo = QComboBox()
        self.venue_combo.addItem("(chưa chọn)", None)
        for vid, name, cap in venues:
            self.venue_combo.addItem(name + (f" ({cap} chỗ)" if cap else ""), vid)
        self.venue_combo.setCurrentIndex(max(0, self.venue_combo.findData(f.venue_id)))
        self.mode_combo = QComboBox()
        self.mode_combo.addItem("Trực tiếp", "in_person")
        self.mode_combo.addItem("Trực tuyến", "online")
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(f.mode))
        self.link_edit = QLineEdit(f.online_link or "")
        self.link_edit.setPlaceholderText("Đường dẫn phòng học trực tuyến")
        self.trainers = CheckList(trainers, f.trainer_ids)
        self.topics = CheckList(topics, f.topic_ids or ())
        self.title_edit = QLineEdit(f.title or "")
        self.grace_spin = QSpinBox()
        self.grace_spin.setRange(0, 120)
        self.grace_spin.setSuffix(" phút")
        self.grace_spin.setValue(f.grace_minutes)
        times = QHBoxLayout()
        times.addWidget(self.start_edit)
        times.addWidget(QLabel("đến"))
        times.addWidget(self.end_edit)
        times.addStretch(1)
        form = QFormLayout()
        form.addRow("Từ ngày" if series else "Ngày", self.day_edit)
        if series:
            self.weekday_checks = []
            for short, name in zip(WEEKDAY_BOXES, WEEKDAYS, strict=True):
                check = QCheckBox(short)  # "T2": seven whole words fit one row
                check.setToolTip(name)
                self.weekday_checks.append(check)
            days = QHBoxLayout()
            for check in self.weekday_checks:
                days.addWidget(check)
            self.weekday_checks[f.day.weekday()].setChecked(True)
            self.count_radio = QRadioButton("Số buổi")
            self.count_radio.setChecked(True)
            self.count_spin = QSpinBox()
            self.count_spin.setRange(1, 200)
            self.count_spin.setValue(4)
            self.until_radio = QRadioButton("Đến ngày")
            self.until_edit = DateEdit(None)
            end = QHBoxLayout()
            for w in (self.count_radio, self.count_spin, self.until_radio, self.until_edit):
                end.addWidget(w)
            form.addRow("Các thứ", days)
            form.addRow("Kết thúc", end)
            holidays = QLabel("Ngày lễ, Tết được bỏ qua và báo lại.")
            holidays.setWordWrap(True)
            form.addRow("", holidays)
        form.addRow("Giờ", times)
        form.addRow("Địa điểm", self.venue_combo)
        form.addRow("Hình thức", self.mode_combo)
        form.addRow("Đường dẫn", self.link_edit)
        form.addRow("Giảng viên", self.trainers)
        form.addRow("Chủ đề (để trống: theo kế hoạch khóa)", self.topics)
        form.addRow("Tên buổi", self.title_edit)
        form.addRow("Cho phép đến muộn", self.grace_spin)
        self.body.addLayout(form)
        fit_contents(self, 560)
        self.result_pattern: SeriesPattern | None = None

    def collect(self) -> SessionForm:
        day, error = self.day_edit.date_or_error()
        if error or day is None:
            raise Invalid(error or "Hãy nhập ngày.")
        start = self.start_edit.time().toPython()
        end = self.end_edit.time().toPython()
        if end <= start:
            raise Invalid(f"Giờ kết thúc {end:%H:%M} phải sau giờ bắt đầu {start:%H:%M}.")
        topics = self.topics.checked()
        form = SessionForm(
            day=day,
            start=start,
            end=end,
            venue_id=self.venue_combo.currentData(),
            mode=self.mode_combo.currentData(),
            online_link=self.link_edit.text() or None,
            trainer_ids=self.trainers.checked(),
            topic_ids=topics or None,
            title=self.title_edit.text() or None,
            grace_minutes=self.grace_spin.value(),
        )
        if self.series:
            weekdays = frozenset(i for i, c in enumerate(self.weekday_checks) if c.isChecked())
            until: date | None = None
            if self.until_radio.isChecked():
                until, error = self.until_edit.date_or_error()
                if error or until is None:
                    raise Invalid(error or "Hãy nhập ngày kết thúc của chuỗi.")
            self.result_pattern = SeriesPattern(
                weekdays,
                day,
                count=self.count_spin.value() if self.count_radio.isChecked() else None,
                until=until,
            )
        return form

    @classmethod
    def ask_series(
        cls,
        parent: QWidget | None,
        initial: SessionForm,
        venues: list[tuple[int, str, int | None]],
        trainers: list[tuple[int, str]],
        topics: list[tuple[int, str]],
        saver: Callable[[tuple[SessionForm, SeriesPattern]], str | None] | None = None,
    ) -> tuple[SessionForm, SeriesPattern] | None:
        """A series: the session form and the weekdays pattern, or None when cancelled.
        With a saver, Lưu runs it on both and a refusal keeps the dialog open."""
        dialog = cls(initial, venues, trainers, topics, series=True, parent=parent)
        if saver is not None:
            save = saver
            dialog.saver = lambda form: save((form, dialog.result_pattern))  # type: ignore[arg-type]
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_form is None:
            return None
        assert dialog.result_pattern is not None
        return dialog.result_form, dialog.result_pattern

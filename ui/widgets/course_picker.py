"""The one way to choose a course: newest start date first, then by code."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from app.services.courses import CourseRow


def not_cancelled(row: CourseRow) -> bool:
    return row.status != "cancelled"


def course_order(rows: Iterable[CourseRow]) -> list[CourseRow]:
    """Newest start date first, then by code: the order of every course picker."""
    return sorted(rows, key=lambda r: (-r.start_date.toordinal(), r.code))


def course_label(row: CourseRow) -> str:
    return f"{row.code} – {row.title} ({row.start_date:%d/%m/%Y})"


class CoursePicker(QComboBox):
    """A combo of courses fed by set_courses(); keeps the chosen course across refills."""

    course_changed = Signal(object)  # the course id, or None

    def __init__(
        self,
        everything: str | None = None,
        keep: Callable[[CourseRow], bool] = not_cancelled,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.everything, self.keep = everything, keep
        self.rows: list[CourseRow] = []
        self.setMinimumContentsLength(40)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.currentIndexChanged.connect(lambda _i: self.course_changed.emit(self.course_id()))
        if everything is not None:
            self.addItem(everything, None)

    def set_courses(self, rows: Iterable[CourseRow], everything: str | None = None) -> None:
        """Refill; the chosen course stays chosen, and course_changed fires only if it went."""
        before = self.course_id()
        if everything is not None:
            self.everything = everything
        self.rows = course_order(r for r in rows if self.keep(r))
        self.blockSignals(True)
        self.clear()
        if self.everything is not None:
            self.addItem(self.everything, None)
        for r in self.rows:
            self.addItem(course_label(r), r.id)
        index = self.findData(before) if before is not None else -1
        self.setCurrentIndex(max(index, 0) if self.count() else -1)
        self.blockSignals(False)
        if self.course_id() != before:
            self.course_changed.emit(self.course_id())

    def course_id(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None

    def course(self) -> CourseRow | None:
        cid = self.course_id()
        return next((r for r in self.rows if r.id == cid), None)

    def select(self, course_id: int | None) -> bool:
        index = self.findData(course_id)
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0

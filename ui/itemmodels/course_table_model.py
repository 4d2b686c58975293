"""The course catalogue: a few thousand rows at most, held whole and sorted in place."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app import labels
from app.services.courses import CourseRow
from app.vn.dates import format_date

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Mã", "Tên khóa học", "Bắt đầu", "Kết thúc", "Trạng thái", "Số buổi", "Ghi danh",
           "Chuyên cần", "Hoàn thành", "Chứng nhận")  # fmt: skip


def _sort_key(r: CourseRow, column: int) -> Any:
    return (r.code, r.title, r.start_date, r.end_date, r.status, r.sessions, r.enrolled,
            r.attendance_rate if r.attendance_rate is not None else -1, r.completed, r.certificates)[column]  # fmt: skip


class CourseTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[CourseRow] = []
        self._sort = (2, Qt.SortOrder.DescendingOrder)

    def set_rows(self, rows: list[CourseRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._apply_sort()
        self.endResetModel()

    def _apply_sort(self) -> None:
        column, order = self._sort
        self.rows.sort(
            key=lambda r: _sort_key(r, column), reverse=order == Qt.SortOrder.DescendingOrder
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and COLUMNS[section] == "Chứng nhận"):  # fmt: skip
            return "Giấy chứng nhận còn hiệu lực (không tính giấy đã thu hồi hoặc đã được cấp lại)"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return r.code
            if col == 1:
                return r.title
            if col == 2:
                return format_date(r.start_date)
            if col == 3:
                return format_date(r.end_date)
            if col == 4:
                text = labels.COURSE_STATUS[r.status]
                return text + " (tạm)" if r.tentative and r.status in ("planned", "open") else text
            if col == 5:
                return str(r.sessions)
            if col == 6:
                text = f"{r.enrolled}/{r.capacity}" if r.capacity else str(r.enrolled)
                return text + (f" +{r.waitlisted} chờ" if r.waitlisted else "")
            if col == 7:
                return f"{r.attendance_rate * 100:.0f} %" if r.attendance_rate is not None else ""
            if col == 8:
                return str(r.completed) if r.completed else ""
            return str(r.certificates) if r.certificates else ""
        if role == Qt.ItemDataRole.ForegroundRole and col == 4:
            return {
                "cancelled": QColor("gray"),
                "running": QColor("#1b6e20"),
                "draft": QColor("#8a5300"),
            }.get(r.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and r.tentative:
            return f"Chưa đủ số tối thiểu để mở lớp: {r.enrolled}/{r.min_enrolment}"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.beginResetModel()
        self._sort = (column, order)
        self._apply_sort()
        self.endResetModel()

    def row_for(self, course_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == course_id), None)

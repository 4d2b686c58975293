"""People by sessions: each cell a mark; then both percentages, scores and the result."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from app import labels
from app.services.attendance import AttendanceGrid, Mark

Index = QModelIndex | QPersistentModelIndex
SYMBOL = {"present": "✓", "late": "M", "excused": "P", "absent": "V"}
COLOUR = {"present": "#d7f5dc", "late": "#fff1bf", "excused": "#dbe9ff", "absent": "#ffd9d9"}
RESULT = {"completed": "Hoàn thành", "not_completed": "Chưa hoàn thành", "in_progress": "Đang học",
          None: ""}  # fmt: skip


class AttendanceGridModel(QAbstractTableModel):
    score_edited = Signal(int, str, object)  # row, "pre"/"post", the number or None

    def __init__(self, grid: AttendanceGrid, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid = grid

    # -- layout: name | sessions… | % held | % planned | pre | post | result -----------

    @property
    def first_session(self) -> int:
        return 1

    @property
    def n_sessions(self) -> int:
        return len(self.grid.sessions)

    def session_at(self, column: int) -> int | None:
        k = column - self.first_session
        return self.grid.sessions[k].id if 0 <= k < self.n_sessions else None

    def column_of(self, session_id: int) -> int:
        return self.first_session + next(
            i for i, c in enumerate(self.grid.sessions) if c.id == session_id
        )

    def extra(self, column: int) -> str | None:
        k = column - self.first_session - self.n_sessions
        return ("held", "planned", "pre", "post", "gain", "result")[k] if 0 <= k < 6 else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.grid.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + self.n_sessions + 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Họ và tên"
            sid = self.session_at(section)
            if sid is not None:
                c = self.grid.sessions[section - self.first_session]
                return f"B{c.number}\n{c.starts_at:%d/%m}"
            scale = self.grid.score_scale
            return {"held": f"% đã học\n({self.grid.held} buổi)", "planned": f"% kế hoạch\n({self.n_sessions} buổi)",
                    "pre": f"Đầu vào\n(/{scale})", "post": f"Cuối khóa\n(/{scale})", "gain": "Tăng",
                    "result": "Kết quả"}[self.extra(section) or "result"]  # fmt: skip
        if role == Qt.ItemDataRole.ToolTipRole:
            sid = self.session_at(section)
            if sid is not None:
                c = self.grid.sessions[section - self.first_session]
                return (
                    f"Buổi {c.number}: {c.starts_at:%H:%M}–{c.ends_at:%H:%M} {c.starts_at:%d/%m/%Y}"
                )
            if self.extra(section) == "held":
                return "Tỷ lệ có mặt trên các buổi đã diễn ra tới nay"
            if self.extra(section) == "planned":
                return "Tỷ lệ có mặt trên mọi buổi của khóa (dùng để xét hoàn thành)"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.grid.rows[index.row()]
        col = index.column()
        sid = self.session_at(col)
        if sid is not None:
            mark = row.marks.get(sid, Mark(None))
            if role == Qt.ItemDataRole.DisplayRole:
                return SYMBOL.get(mark.status or "", "") + (" •" if mark.note else "")
            if role == Qt.ItemDataRole.BackgroundRole and mark.status:
                return QColor(COLOUR[mark.status])
            if role == Qt.ItemDataRole.ToolTipRole:
                parts = [labels.ATTENDANCE_STATUS.get(mark.status or "", "Chưa điểm danh")]
                if mark.check_in_at:
                    parts.append(f"quét mã lúc {mark.check_in_at:%H:%M}")
                if mark.note:
                    parts.append(f"ghi chú: {mark.note}")
                return "; ".join(parts)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.EditRole:
            if col == 0:
                return row.full_name
            kind = self.extra(col)
            if kind == "held":
                value = self.grid.pct_held(row)
                return "" if value is None else f"{value:.0f} %"
            if kind == "planned":
                value = self.grid.pct_planned(row)
                return "" if value is None else f"{value:.0f} %"
            if kind == "pre":
                return (
                    labels.score(row.pre_score)
                    if role == Qt.ItemDataRole.DisplayRole
                    else row.pre_score
                )
            if kind == "post":
                return (
                    labels.score(row.post_score)
                    if role == Qt.ItemDataRole.DisplayRole
                    else row.post_score
                )
            if kind == "gain":
                if row.pre_score is None or row.post_score is None:
                    return ""
                return f"{row.post_score - row.pre_score:+g}".replace(".", ",")
            if kind == "result":
                text = RESULT[self.grid.result(row)]
                return text + (" (quyết định riêng)" if row.override else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return row.birth_text
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.extra(index.column()) in ("pre", "post"):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        kind = self.extra(index.column())
        if role != Qt.ItemDataRole.EditRole or kind not in ("pre", "post"):
            return False
        text = str(value).strip().replace(",", ".") if value is not None else ""
        try:
            number = float(text) if text else None
        except ValueError:
            return False
        self.score_edited.emit(index.row(), kind, number)  # the page saves, then calls set_scores
        return True

    # -- updates after a save --------------------------------------------------------

    def set_mark(self, row: int, session_id: int, mark: Mark) -> None:
        marks = self.grid.rows[row].marks
        if mark.status is None and not mark.note:
            marks.pop(session_id, None)
        else:
            marks[session_id] = mark
        first = self.column_of(session_id)
        self.dataChanged.emit(self.index(row, first), self.index(row, self.columnCount() - 1))

    def set_scores(self, row: int, pre: float | None, post: float | None) -> None:
        r = self.grid.rows[row]
        r.pre_score, r.post_score = pre, post
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def set_override(self, row: int, result: str | None) -> None:
        self.grid.rows[row].override = result
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

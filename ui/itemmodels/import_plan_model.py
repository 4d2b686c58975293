"""The rows of an import plan in the wizard's preview: result, details, and a choice per match."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget

from app.services import imports
from app.services.import_columns import FIELD_LABELS
from app.services.import_rows import display

ACTIONS = {"update": "Cập nhật người đã có", "skip": "Bỏ qua", "create": "Tạo hồ sơ mới"}
Index = QModelIndex | QPersistentModelIndex


class ImportPlanTableModel(QAbstractTableModel):
    """The rows of an import plan, with the choice for each person already recorded."""

    HEADERS = ("Dòng", "Họ và tên", "Kết quả", "Chi tiết", "Xử lý")

    def __init__(self, plan: imports.ImportPlan) -> None:
        super().__init__()
        self.plan = plan
        self.actions: dict[int, str] = {r.row: "update" for r in plan.rows if r.match_id and r.ok}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.plan.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.plan.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and col == 2:
            return (
                QColor("#b00020")
                if not r.ok
                else QColor("#8a5300")
                if r.match_id
                else QColor("#1b6e20")
            )
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.EditRole,
        ):
            return None
        if col == 0:
            return str(r.row)
        if col == 1:
            return r.values.get("full_name", "")
        if col == 2:
            if not r.ok:
                return "Lỗi"
            return f"Trùng {r.match_text()}" if r.match_id else "Thêm mới"
        if col == 3:
            parts = [i.describe() for i in r.issues]
            if r.fills:
                parts.append("Bổ sung: " + ", ".join(FIELD_LABELS.get(f, f) for f in r.fills))
            parts += [
                r.difference_text(FIELD_LABELS.get(f, f) + ":", display(f, a), display(f, b))
                for f, (a, b) in r.differences.items()
            ]
            if r.folded_rows:
                parts.append("Gộp các dòng trùng: " + ", ".join(map(str, r.folded_rows)))
            return "; ".join(parts)
        if col == 4 and r.row in self.actions:
            return ACTIONS[self.actions[r.row]]
        return ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 4 and self.plan.rows[index.row()].row in self.actions:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row = self.plan.rows[index.row()].row
        if index.column() == 4 and row in self.actions and value in ACTIONS:
            self.actions[row] = value
            self.dataChanged.emit(index, index)
            return True
        return False


class ActionDelegate(QStyledItemDelegate):
    """A combo box only while a cell is edited: no widget per row for 10,000 rows."""

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:
        combo = QComboBox(parent)
        for key, label in ACTIONS.items():
            combo.addItem(label, key)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findText(index.data())))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData())

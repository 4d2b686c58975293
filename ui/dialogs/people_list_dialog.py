"""The people behind a chart bar: a sortable list, with export to Excel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.labels import number
from app.vn.dates import format_date
from ui.files import EXCEL_OR_CSV, ask_save_path
from ui.widgets.columns import fit_titles
from ui.widgets.sort_item import SortItem

# Writes the list to a file (the export is recorded); False when refused (already said).
Export = Callable[[QWidget, str, list, Path], bool]  # type: ignore[type-arg]

HEADERS = ("Họ và tên", "Ngày sinh", "Nơi ở / công tác", "Số buổi có mặt")


class PeopleListDialog(QDialog):
    def __init__(
        self,
        export: Export,
        title: str,
        total: int,
        lines: list,  # type: ignore[type-arg]  # reports.PersonLine
        settings: QSettings,
        file_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.write, self.settings, self.file_name, self.lines = export, settings, file_name, lines
        self.setWindowTitle(title)
        shown = (
            f"{number(total)} người"
            if total == len(lines)
            else f"{number(total)} người (hiện {number(len(lines))} người đầu theo tên)"
        )
        self.count = QLabel(shown)
        self.table = QTableWidget(len(lines), len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        for r, x in enumerate(lines):
            items = (
                SortItem.name(x.full_name),
                SortItem(format_date(x.birth_date), x.birth_date),
                SortItem(x.unit),
                SortItem(str(x.sessions), x.sessions),
            )
            items[3].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for c, item in enumerate(items):
                item.setData(Qt.ItemDataRole.UserRole, x.person_id)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        fit_titles(header, stretch=2, least=160)
        self.table.setSortingEnabled(True)
        self.table.sortItems(0, Qt.SortOrder.AscendingOrder)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = QPushButton("Xuất Excel…")
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.export)
        self.export_button.setEnabled(bool(lines))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 560)

    def export(self) -> Path | None:
        path = ask_save_path(
            self, self.settings, "export", "Xuất danh sách", self.file_name, EXCEL_OR_CSV,
            (".xlsx", ".csv"),
        )  # fmt: skip
        if path is None:
            return None
        return path if self.write(self, self.windowTitle(), self.lines, path) else None

"""Ai đã học gì: people × topics, learned cells green with the date; export to Excel."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.outcomes import TopicMatrix
from ui.files import EXCEL_OR_CSV, ask_save_path
from ui.widgets.columns import fit_titles
from ui.widgets.screen import resize_within_screen

LEARNED = QColor("#c6efce")
MISSING = QColor("#fbe3e3")


# Writes the matrix to a file (recorded in the audit trail): the count, or None if refused.
Export = Callable[[QWidget, Path], int | None]


class TopicMatrixDialog(QDialog):
    def __init__(self, matrix: TopicMatrix, title: str, settings: QSettings, export: Export,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.matrix, self.title, self.settings, self.write = matrix, title, settings, export
        self.setWindowTitle(f"Ma trận chủ đề – {title}")
        n_people = len(matrix.people)
        self.table = QTableWidget(n_people + 1, len(matrix.topics) + 1)
        # Topic names over two or three lines: QHeaderView does not wrap by itself.
        self.table.setHorizontalHeaderLabels(
            ["Họ và tên"] + [textwrap.fill(name, 18) for _, name in matrix.topics]
        )
        self.table.verticalHeader().hide()
        self.table.setItem(0, 0, QTableWidgetItem("Đã học / tổng số"))
        for c, (tid, _name) in enumerate(matrix.topics, start=1):
            self.table.setItem(0, c, QTableWidgetItem(f"{matrix.coverage(tid)}/{n_people}"))
        for r, (pid, name) in enumerate(matrix.people, start=1):
            self.table.setItem(r, 0, QTableWidgetItem(name))
            for c, (tid, _name) in enumerate(matrix.topics, start=1):
                day = matrix.learned.get((pid, tid))
                item = QTableWidgetItem(f"{day:%d/%m/%Y}" if day else "")
                item.setBackground(LEARNED if day else MISSING)
                self.table.setItem(r, c, item)
        self.table.setColumnWidth(0, 200)
        for c in range(1, len(matrix.topics) + 1):
            self.table.setColumnWidth(c, 110)
        self.table.setWordWrap(True)
        fit_titles(self.table.horizontalHeader())
        export = QPushButton("Xuất Excel…")
        export.clicked.connect(self.export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(export, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"{title}: {n_people} người; ô xanh là chủ đề đã học (ngày học đầu tiên).")
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        resize_within_screen(self, 1100, 650)

    def export(self) -> None:
        path = ask_save_path(
            self, self.settings, "matrix", "Xuất ma trận chủ đề", "ma-tran-chu-de.xlsx",
            EXCEL_OR_CSV, (".xlsx", ".csv"),
        )  # fmt: skip
        if path is None:
            return
        n = self.write(self, path)
        if n is not None:
            QMessageBox.information(self, "Đã xuất", f"Đã xuất {n} người vào {path}")

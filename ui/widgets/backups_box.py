"""Sao lưu và khôi phục (Cài đặt): the kept copies, a copy now, a restore from one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import backups
from app.db import Database, restore
from app.errors import UserError
from app.services import access
from ui.prompter import Prompter
from ui.workers import TaskRunner


class BackupsBox(QGroupBox):
    def __init__(self, db: Database, runner: TaskRunner, prompter: Prompter,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__("Sao lưu và khôi phục", parent)
        self.db, self.runner, self.prompter = db, runner, prompter
        self.list = QListWidget()
        self.list.setMinimumHeight(100)
        self.list.setMaximumHeight(160)
        self.backup_button = QPushButton("Sao lưu ngay")
        self.restore_button = QPushButton("Khôi phục bản đã chọn…")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        if self.db.path is None:
            return
        for b in backups.listing(backups.folder_of(self.db.path)):
            size = b.path.stat().st_size / 1024 / 1024
            item = QListWidgetItem(f"{b.taken:%d/%m/%Y %H:%M}  –  {b.kind}  ({size:.1f} MB)")
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            self.list.addItem(item)

    def backup_now(self) -> None:
        """A checked copy, made in the worker (a large file takes seconds)."""
        path = self.db.path
        assert path is not None
        self.backup_button.setEnabled(False)

        def done(_made: object) -> None:
            self.backup_button.setEnabled(True)
            self.reload()

        def failed(exc: BaseException, _details: str) -> None:
            self.backup_button.setEnabled(True)
            self.prompter.warn(self, "Sao lưu", getattr(exc, "message", str(exc)))

        self.runner.start(lambda _t: backups.make(path, "thu-cong"), done, failed)

    def restore_selected(self) -> bool:
        item = self.list.currentItem()
        if item is None or self.db.path is None:
            self.prompter.inform(self, "Khôi phục", "Hãy chọn một bản sao lưu trong danh sách.")
            return False
        try:
            with self.db.transaction(readonly=True) as s:
                access.require(s, "restore")
        except UserError as exc:
            self.prompter.warn(self, "Khôi phục", exc.message)
            return False
        if not self.prompter.confirm(
            self, "Khôi phục",
            f"Thay toàn bộ dữ liệu hiện tại bằng bản sao lưu {item.text()}?\n\n"
            "Dữ liệu hiện tại được sao lưu trước (“trước khi khôi phục”). TapHuan sẽ đóng; "
            "hãy mở lại để làm việc trên dữ liệu đã khôi phục.",
            default_no=True,
        ):  # fmt: skip
            return False
        from pathlib import Path

        target = str(self.db.path)
        self.db.close()
        try:
            restore(target, Path(item.data(Qt.ItemDataRole.UserRole)))
        except UserError as exc:
            self.prompter.warn(self, "Khôi phục", exc.message)
            return False
        self.prompter.inform(self, "Khôi phục", "Đã khôi phục. TapHuan sẽ đóng; hãy mở lại.")
        QApplication.closeAllWindows()
        return True

"""An uncaught exception: logged in full, shown in Vietnamese with "Sao chép chi tiết"."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from app import logs

log = logging.getLogger("taphuan")


def setup_logging() -> None:
    logs.setup_logging()


def show_error(title: str, message: str, details: str | None = None) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, title, message)
    if details:
        box.setDetailedText(details)
        copy = box.addButton("Sao chép chi tiết", QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()
        copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
    box.addButton(QMessageBox.StandardButton.Ok)
    box.exec()


def _hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    details = "".join(traceback.format_exception(kind, value, tb))
    log.error("uncaught exception\n%s", details)
    if QApplication.instance() is None:
        sys.__excepthook__(kind, value, tb)
        return
    show_error(
        "Lỗi không mong muốn",
        "TapHuan gặp một lỗi chưa lường trước. Dữ liệu đã lưu không bị ảnh hưởng; thao tác "
        "vừa rồi có thể chưa hoàn tất.\nHãy sao chép chi tiết và gửi cho bộ phận kỹ thuật.",
        details,
    )


def install() -> None:
    sys.excepthook = _hook

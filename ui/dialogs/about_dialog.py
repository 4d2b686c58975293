"""Giới thiệu: version, licence, database in use, where the data lives."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app import __version__, config
from ui.widgets.screen import fit_contents


class AboutDialog(QDialog):
    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Giới thiệu TapHuan")
        title = QLabel(f"<h2>TapHuan {__version__}</h2>")
        body = QLabel(
            "<p>Quản lý tập huấn chuyển đổi số cho Tổ công nghệ số cộng đồng: khóa học, "
            "buổi học, điểm danh, kết quả học tập và giấy chứng nhận.</p>"
            f"<p><b>Cơ sở dữ liệu:</b> {database}<br>"
            f"<b>Thư mục dữ liệu:</b> {config.data_dir()}</p>"
            "<p>Phần mềm tự do theo Giấy phép Công cộng GNU (GPL) phiên bản 3 trở lên. "
            "Danh mục đơn vị hành chính từ gói vietnam-provinces (GPL); phông chữ Liberation "
            "theo giấy phép SIL Open Font License 1.1.</p>"
            f"<p style='color:gray'>Python {platform.python_version()}, "
            f"PySide6 {pyside_version}</p>"
        )
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addWidget(self.buttons)
        fit_contents(self, 520)

"""Trợ giúp → Hướng dẫn sử dụng: the user guide (docs/huong-dan-su-dung.md with its
pictures), shown offline in a text browser."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app import resources

PICTURE_WIDTH = 880  # screenshots are 1280 wide: shown smaller, sharp enough to read


class GuideBrowser(QTextBrowser):
    def loadResource(self, kind: int, name: QUrl) -> Any:
        """Pictures scaled to fit the page instead of running off it."""
        if kind == QTextDocument.ResourceType.ImageResource.value:
            local = name.toLocalFile() if name.isLocalFile() else ""
            image = QImage(local or str(resources.docs_dir() / name.toString()))
            if not image.isNull():
                if image.width() > PICTURE_WIDTH:
                    image = image.scaledToWidth(
                        PICTURE_WIDTH, Qt.TransformationMode.SmoothTransformation
                    )
                return image
        return super().loadResource(kind, name)


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sử dụng TapHuan")
        self.browser = GuideBrowser()
        self.browser.setOpenExternalLinks(True)
        guide = resources.guide()
        if guide.is_file():
            self.browser.setSource(
                QUrl.fromLocalFile(str(guide)), QTextDocument.ResourceType.MarkdownResource
            )
        else:
            self.browser.setPlainText(f"Không tìm thấy tệp hướng dẫn {guide}.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(980, 760)

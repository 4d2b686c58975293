"""Xem trước khi in: the PDF's pages on screen, then print (Qt print dialog) or save."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSettings, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import os_reason
from app.files import write_atomic
from ui.files import ask_save_path
from ui.widgets.screen import resize_within_screen

SCREEN_DPI, PRINT_DPI = 96, 200
PAGE_ROOM = 60  # the scroll bar, the margins and the page border around a page


def page_images(pdf: bytes, dpi: int) -> list[QImage]:
    """Each page as an image (PDFium), for the screen or the printer."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    images = []
    for page in doc:
        pil = page.render(scale=dpi / 72).to_pil().convert("RGB")
        data = pil.tobytes("raw", "RGB")
        images.append(
            QImage(data, pil.width, pil.height, 3 * pil.width, QImage.Format.Format_RGB888).copy()
        )
        page.close()
    doc.close()
    return images


class PdfPreviewDialog(QDialog):
    def __init__(
        self,
        pdf: bytes,
        title: str,
        file_name: str,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.pdf, self.file_name, self.settings = pdf, file_name, settings
        self.setWindowTitle(f"Xem trước – {title}")
        self.pages = page_images(pdf, SCREEN_DPI)
        column = QWidget()
        layout = QVBoxLayout(column)
        self.page_labels: list[QLabel] = []
        self._fitted_to = -1
        for i, image in enumerate(self.pages, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            self.page_labels.append(label)
            label.setStyleSheet("background: white; border: 1px solid #bbb;")
            layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(
                QLabel(f"Trang {i}/{len(self.pages)}"), 0, Qt.AlignmentFlag.AlignHCenter
            )
        self.scroll = scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("QScrollArea { background: #606770; }")
        buttons = QDialogButtonBox()
        self.print_button = QPushButton("In…")
        self.save_button = QPushButton("Lưu PDF…")
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_pages)
        self.save_button.clicked.connect(self.save)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(buttons)
        # As wide as the widest page (a landscape certificate too), within the screen.
        widest = max((image.width() for image in self.pages), default=700)
        resize_within_screen(self, widest + PAGE_ROOM, 900)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_pages()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_pages()

    def fit_pages(self) -> None:
        """Each page as wide as the window lets it be, never larger than its own size."""
        room = self.scroll.viewport().width() - PAGE_ROOM // 2
        if room == self._fitted_to or room <= 0:
            return
        self._fitted_to = room
        for label, image in zip(self.page_labels, self.pages, strict=True):
            shown = (
                image
                if image.width() <= room
                else image.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)
            )
            label.setPixmap(QPixmap.fromImage(shown))

    def save(self) -> Path | None:
        target = ask_save_path(
            self, self.settings, "print", "Lưu PDF", self.file_name, "PDF (*.pdf)", (".pdf",)
        )
        if target is None:
            return None
        try:
            write_atomic(target, self.pdf)
        except OSError as exc:
            QMessageBox.warning(
                self, "Không lưu được", f"Không ghi được {target}: {os_reason(exc)}."
            )
            return None
        return target

    def print_pages(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.file_name)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("In")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        print_to(printer, self.pdf)


def print_to(printer: QPrinter, pdf: bytes) -> int:
    """Paint every page on the printer, fitted to its page; returns the page count."""
    images = page_images(pdf, PRINT_DPI)
    painter = QPainter(printer)
    for i, image in enumerate(images):
        if i:
            printer.newPage()
        area = QRectF(painter.viewport())
        scale = min(area.width() / image.width(), area.height() / image.height())
        target = QRectF(0, 0, image.width() * scale, image.height() * scale)
        painter.drawImage(target, image)
    painter.end()
    return len(images)

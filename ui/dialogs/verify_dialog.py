"""Tra cứu giấy chứng nhận: type the code or serial, or scan the QR with a USB scanner
(which types the text and presses Enter); or drop a signed PDF on the dialog (or choose
it with "Chọn tệp PDF…") to check its digital signature against the register, in the
worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import verification
from ui.workers import TaskRunner

if TYPE_CHECKING:  # pyHanko is loaded only when a PDF is checked
    from app.services import pdf_verification

COLOURS = {True: "#1b5e20", False: "#b00020"}
VerifyPdf = Callable[[Path], "pdf_verification.PdfVerification"]


def dropped_pdf(event: QDragEnterEvent | QDropEvent) -> Path | None:
    """The one local .pdf file being dragged, if that is what it is."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() == ".pdf" else None


class VerifyDialog(QDialog):
    def __init__(
        self,
        verify: Callable[[str], verification.Verification],
        parent: QWidget | None = None,
        verify_pdf: VerifyPdf | None = None,
        runner: TaskRunner | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.verify = verify  # the page's read-only look-up
        self.verify_pdf = verify_pdf  # the page's read-only check of a PDF file
        self.runner = runner
        self.settings = settings
        self.setWindowTitle("Tra cứu giấy chứng nhận")
        self.entry = QLineEdit()
        self.entry.setPlaceholderText("Mã xác minh, số hiệu, hoặc quét mã QR trên giấy")
        self.entry.returnPressed.connect(self.check)
        button = QPushButton("Tra cứu")
        button.clicked.connect(self.check)
        row = QHBoxLayout()
        row.addWidget(self.entry, 1)
        row.addWidget(button)
        self.verdict = QLabel()
        font = self.verdict.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.verdict.setFont(font)
        self.verdict.setWordWrap(True)  # a PDF's verdict is a sentence
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(self.details.textInteractionFlags()
                                             | Qt.TextInteractionFlag.TextSelectableByMouse)  # fmt: skip
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Nhập hoặc quét:"))
        layout.addLayout(row)
        self.pdf_button = QPushButton("Chọn tệp PDF…")
        self.pdf_button.clicked.connect(self.choose_pdf)
        if verify_pdf is not None:
            self.setAcceptDrops(True)
            pdf_row = QHBoxLayout()
            pdf_row.addWidget(
                QLabel("Hoặc kéo thả tệp PDF đã ký số vào đây để kiểm tra chữ ký số:"), 1
            )
            pdf_row.addWidget(self.pdf_button)
            layout.addLayout(pdf_row)
        layout.addWidget(self.verdict)
        layout.addWidget(self.details)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(680, 380)
        self.result: verification.Verification | None = None
        self.pdf_result: pdf_verification.PdfVerification | None = None

    def check(self) -> None:
        text = self.entry.text().strip()
        if not text:
            return
        self.result = self.verify(text)
        lines = self.result.message.split("\n")
        verdict = "Không hợp lệ" if self.result.refused else "Không tìm thấy"
        self.verdict.setText(lines[0] if self.result.found else verdict)
        self.verdict.setStyleSheet(f"color: {COLOURS[self.result.valid]};")
        self.details.setText("\n".join(lines[1:]) if self.result.found else lines[0])
        self.entry.selectAll()  # the next scan replaces this one

    # -- a signed PDF -------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.verify_pdf is not None and dropped_pdf(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_pdf(event)
        if self.verify_pdf is None or path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.check_pdf(path)

    def choose_pdf(self) -> None:
        last = str(Path.home())
        if self.settings is not None:
            last = str(self.settings.value("verify/last_folder", last))
        path, _ = QFileDialog.getOpenFileName(
            self, "Chọn tệp PDF đã ký số", last, "Tệp PDF (*.pdf);;Mọi tệp (*)",
            options=QFileDialog.Option.DontUseNativeDialog,
        )  # fmt: skip
        if path:
            if self.settings is not None:
                self.settings.setValue("verify/last_folder", str(Path(path).parent))
            self.check_pdf(Path(path))

    def check_pdf(self, path: Path) -> None:
        """Check the file in the worker; the verdict shows when it is done."""
        verify_pdf = self.verify_pdf
        if verify_pdf is None:
            return
        self.pdf_result = None
        self.verdict.setText(f"Đang kiểm tra “{path.name}”…")
        self.verdict.setStyleSheet("")
        self.details.setText("")
        self.pdf_button.setEnabled(False)
        if self.runner is None:
            try:
                self._show_pdf(verify_pdf(path))
            except Exception as exc:
                self._pdf_failed(exc, "")
            return
        self.runner.start(lambda _task: verify_pdf(path), self._show_pdf, self._pdf_failed)

    def _show_pdf(self, result: pdf_verification.PdfVerification) -> None:
        self.pdf_button.setEnabled(True)
        self.pdf_result = result
        verdict, *details = result.message.split("\n")
        self.verdict.setText(verdict)
        self.verdict.setStyleSheet(f"color: {COLOURS[result.valid]};")
        self.details.setText("\n".join(details))

    def _pdf_failed(self, exc: BaseException, _details: str) -> None:
        self.pdf_button.setEnabled(True)
        self.verdict.setText("Không kiểm tra được tệp")
        self.verdict.setStyleSheet(f"color: {COLOURS[False]};")
        said = str(exc) if isinstance(exc, UserError) else f"Lỗi không lường trước: {exc}"
        self.details.setText(said)

"""Cài đặt: the certificate's issuing body, signer, serial pattern, design and images, with
a live preview of the real PDF page as it would be printed; whether trainers may issue the
certificates of the courses they teach; ký số (ui/widgets/sign_box.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.documents.certificate import render_one
from app.errors import UserError
from app.services import certificate_preview, certificate_rights, setting_images, settings
from ui.changes import SETTINGS
from ui.context import UiContext
from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog, page_images
from ui.pages.base import Page
from ui.widgets.backups_box import BackupsBox
from ui.widgets.sign_box import SignBox
from ui.widgets.targets_box import TargetsBox

TEXT_KEYS = ("issuer_parent", "issuer", "place", "signer_name", "serial_pattern", "verify_url")
TEMPLATES = (("classic", "Cổ điển – viền kép"), ("modern", "Hiện đại – đơn giản"))
TRAINERS_NOTE = (
    "Khi bật, giảng viên cấp được giấy chứng nhận cho khóa đã kết thúc mà mình dạy; mỗi lần "
    "cấp ghi vào nhật ký thao tác với tài khoản của giảng viên. Thu hồi, cấp lại và cấp giấy "
    "mới thay giấy đã thu hồi vẫn chỉ cán bộ và quản trị làm được. Khi tắt, giảng viên chỉ "
    "xem, in lại và lưu giấy chứng nhận của khóa mình dạy."
)
PREVIEW_DPI = 96
SHORT_LABELS = {  # the page has the example line and tooltips for the rest
    "issuer_parent": "Cơ quan chủ quản",
    "issuer": "Cơ quan cấp",
    "place": "Địa danh (dòng ngày tháng)",
    "signer_title": "Chức danh người ký",
    "signer_name": "Họ tên người ký",
    "serial_pattern": "Mẫu số hiệu",
    "verify_url": "Địa chỉ tra cứu",
    "logo": "Logo",
    "signature": "Chữ ký (PNG nền trong)",
    "seal": "Con dấu (PNG nền trong)",
    "background": "Hình nền / khung viền",
}


class SettingsPage(Page):
    shows = frozenset({SETTINGS})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "cai-dat", parent)
        self.save_action = self._action("Lưu", "Ctrl+S", self.save, "Lưu thiết lập (Ctrl+S)")
        self._action("Hoàn tác", "", self.reload, "Bỏ các thay đổi chưa lưu")
        self._action("Xem trước cỡ thật…", "Ctrl+P", self.full_preview)

        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key in TEXT_KEYS:
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.textChanged.connect(self._edited)
            self.edits[key] = edit
            edit.setToolTip(settings.KEYS[key].label)
            form.addRow(SHORT_LABELS[key] + ":", edit)
            if key == "issuer_parent":
                edit.setPlaceholderText("UBND TỈNH VĨNH LONG")
            elif key == "issuer":
                edit.setPlaceholderText("SỞ KHOA HỌC VÀ CÔNG NGHỆ")
        self.signer_title = QPlainTextEdit()
        self.signer_title.setObjectName("signer_title")
        self.signer_title.setPlaceholderText(
            "GIÁM ĐỐC  (hoặc hai dòng: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC)"
        )
        self.signer_title.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.signer_title.textChanged.connect(self._edited)
        form.insertRow(3, SHORT_LABELS["signer_title"] + ":", self.signer_title)
        self.serial_example = QLabel()
        self.serial_example.setWordWrap(True)
        self.serial_example.setStyleSheet("color: palette(mid);")
        form.insertRow(6, "", self.serial_example)
        self.template = QComboBox()
        for value, text in TEMPLATES:
            self.template.addItem(text, value)
        self.template.currentIndexChanged.connect(self._edited)
        form.addRow("Mẫu giấy chứng nhận:", self.template)

        self.images: dict[str, bytes | None] = {}
        self.picked: dict[str, str] = {}  # key -> chosen file path, or "" to remove
        self.image_labels: dict[str, QLabel] = {}
        for key in settings.IMAGE_KEYS:
            label = QLabel()
            choose, remove = QPushButton("Chọn ảnh…"), QPushButton("Bỏ ảnh")
            choose.clicked.connect(lambda _c=False, k=key: self.choose_image(k))
            remove.clicked.connect(lambda _c=False, k=key: self.remove_image(k))
            row = QHBoxLayout()
            row.addWidget(label, 1)
            row.addWidget(choose)
            row.addWidget(remove)
            self.image_labels[key] = label
            form.addRow(SHORT_LABELS[key] + ":", row)

        box = QGroupBox("Giấy chứng nhận")
        box.setLayout(form)
        report_box = self._report_box()
        key = certificate_rights.SETTING
        self.trainers_issue = QCheckBox(settings.KEYS[key].label)
        self.trainers_issue.setObjectName(key)
        self.trainers_issue.toggled.connect(self._edited)
        note = QLabel(TRAINERS_NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        trainers = QGroupBox("Quyền của giảng viên")
        trainers_layout = QVBoxLayout(trainers)
        trainers_layout.addWidget(self.trainers_issue)
        trainers_layout.addWidget(note)
        self.targets_box = TargetsBox()
        self.targets_box.edited.connect(self._edited)
        self.sign_box = SignBox(self.runner, self.prompter, self.settings, self._look)
        self.sign_box.edited.connect(self._edited)
        self.message = QLabel()
        self.message.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(box)
        left_layout.addWidget(report_box)
        left_layout.addWidget(trainers)
        left_layout.addWidget(self.targets_box)
        left_layout.addWidget(self.sign_box)
        left_layout.addWidget(self.message)
        self.backups_box: BackupsBox | None = None
        if self.db.path is not None:
            self.backups_box = BackupsBox(self.db, self.runner, self.prompter)
            left_layout.addWidget(self.backups_box)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(480)

        self.preview = QLabel("Đang dựng bản xem trước…")
        self.preview.setObjectName("certificatePreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(420, 300)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(
            QLabel("Xem trước (giấy mẫu: người học, số hiệu và mã xác minh giả):")
        )
        right_layout.addWidget(self.preview, 1)

        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.refresh_preview)
        self.reload()

    def _report_box(self) -> QGroupBox:
        """The periodic report's number and symbol and its "Nơi nhận:" (Decree 30/2020)."""
        number = QLineEdit()
        number.setObjectName("report_number")
        number.setPlaceholderText("…/BC-SKHCN  (bỏ trống số để điền tay khi vào sổ)")
        number.setToolTip(settings.KEYS["report_number"].label)
        number.textChanged.connect(self._edited)
        self.edits["report_number"] = number
        self.report_recipients = QPlainTextEdit()
        self.report_recipients.setObjectName("report_recipients")
        self.report_recipients.setPlaceholderText("- UBND tỉnh (để báo cáo);\n- Lưu: VT.")
        self.report_recipients.setToolTip(settings.KEYS["report_recipients"].label)
        self.report_recipients.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.report_recipients.textChanged.connect(self._edited)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Số, ký hiệu:", number)
        form.addRow("Nơi nhận (mỗi nơi một dòng):", self.report_recipients)
        box = QGroupBox("Báo cáo định kỳ")
        box.setLayout(form)
        return box

    # -- the form --------------------------------------------------------------------

    def reload(self) -> None:
        with self.db.transaction(readonly=True) as s:
            saved = settings.all_settings(s)
            self.images = {k: settings.image(s, k) for k in settings.IMAGE_KEYS}
        self.picked = {}
        for key, edit in self.edits.items():
            edit.blockSignals(True)
            edit.setText(saved[key])
            edit.blockSignals(False)
        self.signer_title.blockSignals(True)
        self.signer_title.setPlainText(saved["signer_title"])
        self.signer_title.blockSignals(False)
        self.report_recipients.blockSignals(True)
        self.report_recipients.setPlainText(saved["report_recipients"])
        self.report_recipients.blockSignals(False)
        self.template.blockSignals(True)
        self.template.setCurrentIndex(max(0, self.template.findData(saved["template"])))
        self.template.blockSignals(False)
        self.trainers_issue.blockSignals(True)
        self.trainers_issue.setChecked(saved[certificate_rights.SETTING] == "on")
        self.trainers_issue.blockSignals(False)
        self.targets_box.set_values(saved)
        self.sign_box.set_values(saved)
        self._show_images()
        self.message.clear()
        self.refresh_preview()

    def values(self) -> dict[str, str]:
        """The text settings on the form (the preview draws the certificate's)."""
        out = {key: edit.text() for key, edit in self.edits.items()}
        out["signer_title"] = self.signer_title.toPlainText()
        out["report_recipients"] = self.report_recipients.toPlainText()
        out["template"] = str(self.template.currentData())
        return out

    def _show_images(self) -> None:
        for key, label in self.image_labels.items():
            data = self.images.get(key)
            if key in self.picked:
                label.setText(Path(self.picked[key]).name if self.picked[key] else "(sẽ bỏ)")
            else:
                label.setText(f"ảnh {max(1, len(data) // 1024)} KB" if data else "(chưa đặt)")

    def _edited(self) -> None:
        self.timer.start()

    def choose_image(self, key: str) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            settings.KEYS[key].label,
            str(self.settings.value("settings/image_folder", str(Path.home()))),
            "Ảnh (*.png *.jpg *.jpeg)",
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if not path:
            return
        try:
            data = setting_images.read(Path(path), settings.KEYS[key].label, key)
        except UserError as exc:
            self.prompter.warn(self, "Không dùng được ảnh", exc.message)
            return
        self.settings.setValue("settings/image_folder", str(Path(path).parent))
        self.images[key], self.picked[key] = data, path
        self._show_images()
        self.refresh_preview()

    def remove_image(self, key: str) -> None:
        self.images[key], self.picked[key] = None, ""
        self._show_images()
        self.refresh_preview()

    # -- preview ---------------------------------------------------------------------

    def _pdf(self) -> bytes:
        """The sample certificate with what is on the form now (nothing saved)."""
        with self.db.transaction(readonly=True) as s:
            data = certificate_preview.preview(s, self.values(), self.images)
        return render_one(data)

    def refresh_preview(self) -> None:
        """Rendered in the GUI thread: one page takes ~30 ms, after a 300 ms pause in typing."""
        try:
            pdf = self._pdf()
        except UserError as exc:
            self.message.setStyleSheet("color: #b00020;")
            self.message.setText(exc.message)
            return
        self.message.setStyleSheet("")
        self.message.setText("Các thay đổi chưa lưu." if self.dirty() else "")
        values = self.values()
        year = date.today().year
        self.serial_example.setText(
            "Ví dụ: "
            + values["serial_pattern"].format(seq=123, year=year)
            + (
                "   ({seq}: số thứ tự trong năm, {year}: năm)"
                if "{year}" in values["serial_pattern"]
                else "   ({seq}: số thứ tự, không đếm lại mỗi năm vì mẫu không có {year})"
            )
            if "{seq" in values["serial_pattern"]
            else ""
        )
        (image,) = page_images(pdf, PREVIEW_DPI)
        pixmap = QPixmap.fromImage(image)
        width = max(self.preview.width(), 420)
        self.preview.setPixmap(
            pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        )

    def full_preview(self) -> None:
        try:
            pdf = self._pdf()
        except UserError as exc:
            self.prompter.warn(self, "Chưa xem trước được", exc.message)
            return
        PdfPreviewDialog(pdf, "Giấy chứng nhận mẫu", "giay-chung-nhan-mau.pdf", self.settings,
                         self).exec()  # fmt: skip

    # -- saving ----------------------------------------------------------------------

    def dirty(self) -> bool:
        with self.db.transaction(readonly=True) as s:
            saved = settings.all_settings(s)
        return bool(self.picked) or any(
            saved[k].strip() != v.strip() for k, v in {**self.values(), **self.flags()}.items()
        )

    def flags(self) -> dict[str, str]:
        """The settings that are not on the certificate: the trainers' right, the targets,
        ký số."""
        on = "on" if self.trainers_issue.isChecked() else "off"
        return {
            certificate_rights.SETTING: on,
            **self.targets_box.values(),
            **self.sign_box.values(),
        }

    def _look(self) -> object:
        """What "Thử ký" draws: the agency and the seal and signature on the form."""
        from app.signing.pdf import Look

        return Look(self.values()["issuer"], self.images.get("seal"), self.images.get("signature"))

    def save(self) -> None:
        values = {**self.values(), **self.flags(), **self.picked}
        changed = self.ctx.op(self, lambda s: settings.set_many(s, values), {SETTINGS})
        if changed is None:
            return
        self.reload()
        self.status.emit(
            f"Đã lưu {len(changed)} thiết lập." if changed else "Không có gì thay đổi để lưu."
        )

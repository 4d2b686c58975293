"""Before issuing: who is eligible and why, who already holds one, a preview of the real
page for the selected person, and where to put one file per person.

Someone whose certificate was revoked is shown but not ticked, and cannot be ticked until
the explicit choice "Cấp giấy mới thay giấy đã bị thu hồi" is made (unticked by default);
a trainer is not offered that choice (certificate_rights)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.documents.certificate import CertificateData, render_one
from app.errors import UserError
from app.services import certificates
from ui.dialogs.pdf_preview_dialog import page_images
from ui.widgets.screen import resize_within_screen

# The page's read of the certificate as it would be printed for an enrolment.
Preview = Callable[[int], CertificateData]


@dataclass(frozen=True)
class IssueChoices:
    """What the dialog offers, read by the page: who is eligible, what the settings lack,
    and whether the account may issue anew after a revocation."""

    rows: list[certificates.Eligible]
    missing: list[str]
    replaces: bool
    sign_key: str = ""  # the key the Ký số settings name ("" when none is set)


NO_KEY = "Chưa đặt chứng thư số: đặt tệp .p12/.pfx hoặc thiết bị ký số ở trang Cài đặt → Ký số."


COLUMNS = ("Cấp", "Họ và tên", "Ngày sinh", "Đủ điều kiện vì", "Đã có giấy số")


class IssueDialog(QDialog):
    def __init__(
        self, choices: IssueChoices, preview: Preview, title: str, settings_: QSettings,
        parent: QWidget,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.settings, self.preview_of = settings_, preview
        self.setWindowTitle(f"Cấp giấy chứng nhận – {title}")
        self.rows, missing, replaces = choices.rows, choices.missing, choices.replaces

        self.table = QTableWidget(len(self.rows), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        for r, x in enumerate(self.rows):
            tick = QTableWidgetItem()
            free = x.certified is None and x.revoked is None
            tick.setFlags(
                Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                if free
                else Qt.ItemFlag.ItemIsEnabled
            )
            tick.setCheckState(Qt.CheckState.Checked if free else Qt.CheckState.Unchecked)
            self.table.setItem(r, 0, tick)
            held = x.certified or (f"{x.revoked} (đã thu hồi)" if x.revoked else "")
            for c, value in enumerate((x.full_name, x.birth, x.why, held), start=1):
                self.table.setItem(r, c, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.table.itemChanged.connect(lambda _i: self._count())
        self.table.currentCellChanged.connect(lambda *_a: self.show_preview())

        self.preview = QLabel("Chọn một người để xem trước.")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumWidth(460)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 460])

        self.per_person = QCheckBox("Lưu thêm mỗi người một tệp PDF vào thư mục:")
        self.folder = QLabel(str(self.settings.value("certificates/folder", str(Path.home()))))
        pick = QPushButton("Chọn thư mục…")
        pick.clicked.connect(self.choose_folder)
        files = QHBoxLayout()
        files.addWidget(self.per_person)
        files.addWidget(self.folder, 1)
        files.addWidget(pick)

        self.sign = QCheckBox("Ký số")
        self.sign_key = choices.sign_key
        self.sign.setToolTip(
            f"Ký số tệp của từng người bằng chứng thư số đặt ở trang Cài đặt ({self.sign_key}); "
            "mật khẩu hoặc mã PIN được hỏi một lần cho cả đợt. Tệp gộp để in không ký."
            if self.sign_key
            else NO_KEY
        )
        self.per_person.toggled.connect(lambda _on: self._offer_sign())
        files.addWidget(self.sign)
        self._offer_sign()

        revoked = sum(1 for x in self.rows if x.certified is None and x.revoked)
        self.after_revoked = QCheckBox(
            f"{certificates.AFTER_REVOKED_CHOICE} ({revoked} người; giấy mới ghi rõ thay số cũ)"
        )
        self.after_revoked.setVisible(revoked > 0 and replaces)
        self.after_revoked.toggled.connect(self._offer_revoked)

        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00020;")
        if missing:
            self.warning.setText(
                "Chưa cấp được: hãy đặt ở trang Cài đặt " + "; ".join(missing) + "."
            )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.missing = bool(missing)

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Những người đã hoàn thành khóa học. Bỏ chọn ai chưa cấp lần này; "
            "người đã có giấy thì dùng “Cấp lại” ở trang Chứng nhận; người có giấy đã bị "
            "thu hồi chỉ được cấp khi chọn rõ ở ô bên dưới."
        )
        intro.setWordWrap(True)  # one line set the dialog's least width beyond the screen
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.after_revoked)
        layout.addLayout(files)
        layout.addWidget(self.warning)
        layout.addWidget(buttons)
        resize_within_screen(self, 1260, 640)
        self._count()
        if self.rows:
            self.table.setCurrentCell(0, 1)

    def chosen(self) -> list[int]:
        return [
            x.enrolment_id
            for r, x in enumerate(self.rows)
            if self.table.item(r, 0).checkState() == Qt.CheckState.Checked
        ]

    def include_revoked(self) -> bool:
        """The explicit choice to issue anew to people whose certificate was revoked."""
        return self.after_revoked.isChecked()

    def _offer_revoked(self, on: bool) -> None:
        for r, x in enumerate(self.rows):
            if x.certified is None and x.revoked:
                tick = self.table.item(r, 0)
                flags = Qt.ItemFlag.ItemIsEnabled
                tick.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable if on else flags)
                tick.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _offer_sign(self) -> None:
        """Ký số only for one file a person, and only when a key is set."""
        self.sign.setEnabled(bool(self.sign_key) and self.per_person.isChecked())
        if not self.sign.isEnabled():
            self.sign.setChecked(False)

    def signed(self) -> bool:
        return self.sign.isChecked() and self.sign.isEnabled()

    def out_dir(self) -> Path | None:
        return Path(self.folder.text()) if self.per_person.isChecked() else None

    def _count(self) -> None:
        n = len(self.chosen())
        self.ok.setText(f"Cấp {n} giấy chứng nhận")
        self.ok.setEnabled(n > 0 and not self.missing)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, "Thư mục lưu giấy chứng nhận", self.folder.text(),
            QFileDialog.Option.DontUseNativeDialog | QFileDialog.Option.ShowDirsOnly,
        )  # fmt: skip
        if path:
            self.folder.setText(path)
            self.per_person.setChecked(True)
            self.settings.setValue("certificates/folder", path)

    def show_preview(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        try:
            data = self.preview_of(self.rows[row].enrolment_id)
        except UserError as exc:
            self.preview.setText(exc.message)
            return
        (image,) = page_images(render_one(data), 72)
        self.preview.setPixmap(
            QPixmap.fromImage(image).scaledToWidth(460, Qt.TransformationMode.SmoothTransformation)
        )

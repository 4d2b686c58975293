"""Cài đặt's "Ký số" box: where the key is (a .p12/.pfx file, or a USB token's PKCS#11
library and label), the timestamp server, the signature's place per template, and "Thử ký":
the password or PIN asked (never kept), a sample page signed in the worker."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.services import settings
from ui.prompter import Prompter
from ui.workers import TaskRunner

KEYS = ("sign_p12", "sign_pkcs11", "sign_pkcs11_token", "sign_tsa_url", "sign_box_classic",
        "sign_box_modern")  # fmt: skip
LABELS = {
    "sign_p12": "Tệp chứng thư số (.p12/.pfx)",
    "sign_pkcs11": "Thiết bị ký số: thư viện PKCS#11",
    "sign_pkcs11_token": "Nhãn thiết bị (bỏ trống: thiết bị đầu tiên)",
    "sign_tsa_url": "Máy chủ dấu thời gian (không bắt buộc)",
    "sign_box_classic": "Chỗ ký trên mẫu cổ điển (mm)",
    "sign_box_modern": "Chỗ ký trên mẫu hiện đại (mm)",
}
PLACEHOLDERS = {
    "sign_p12": "C:\\ChungThu\\so-khcn.p12",
    "sign_pkcs11": "C:\\Windows\\System32\\vnpt-ca_csp11.dll",
    "sign_tsa_url": "http://…",
    "sign_box_classic": "bỏ trống: chỗ sẵn của mẫu; hoặc “x y rộng cao”, ví dụ 175 24 90 30",
    "sign_box_modern": "bỏ trống: chỗ sẵn của mẫu; hoặc “x y rộng cao”",
}
PICK = {
    "sign_p12": "Tệp chứng thư số (*.p12 *.pfx)",
    "sign_pkcs11": "Thư viện PKCS#11 (*.dll *.so *.dylib)",
}


class SignBox(QGroupBox):
    edited = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        prompter: Prompter,
        qsettings: QSettings,
        look: object,
        parent: QWidget | None = None,
    ) -> None:
        """look: a callable giving the app.signing.pdf.Look of the form (agency, images)."""
        super().__init__("Ký số", parent)
        self.runner, self.prompter, self.qsettings, self.look = runner, prompter, qsettings, look
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.edits: dict[str, QLineEdit] = {}
        for key in KEYS:
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setToolTip(settings.KEYS[key].label)
            edit.setPlaceholderText(PLACEHOLDERS.get(key, ""))
            edit.textEdited.connect(lambda _t: self.edited.emit())
            self.edits[key] = edit
            if key in PICK:
                row = QHBoxLayout()
                row.addWidget(edit, 1)
                choose = QPushButton("Chọn tệp…")
                choose.setObjectName(f"{key}_choose")
                choose.clicked.connect(lambda _c=False, k=key: self.choose(k))
                row.addWidget(choose)
                form.addRow(LABELS[key] + ":", row)
            else:
                form.addRow(LABELS[key] + ":", edit)
        note = QLabel(
            "Mật khẩu tệp chứng thư số và mã PIN không bao giờ được lưu: hỏi mỗi lần ký "
            "(một lần cho cả lô). Khi đặt cả tệp và thiết bị, dùng thiết bị."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        form.addRow(note)
        self.try_button = QPushButton("Thử ký…")
        self.try_button.setObjectName("sign_try")
        self.try_button.clicked.connect(self.try_signing)
        self.result = QLabel()
        self.result.setObjectName("sign_result")
        self.result.setWordWrap(True)
        form.addRow(self.try_button, self.result)

    def set_values(self, saved: dict[str, str]) -> None:
        for key, edit in self.edits.items():
            edit.setText(saved.get(key, ""))

    def values(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.edits.items()}

    def choose(self, key: str) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            settings.KEYS[key].label,
            str(self.qsettings.value("settings/sign_folder", str(Path.home()))),
            PICK[key],
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            self.qsettings.setValue("settings/sign_folder", str(Path(path).parent))
            self.edits[key].setText(path)
            self.edited.emit()

    def try_signing(self) -> None:
        """Asks the password or PIN, signs a sample page in the worker, says who and until when."""
        from app.signing.keys import KeySource

        v = self.values()
        source = KeySource(p12=v["sign_p12"], pkcs11=v["sign_pkcs11"], token=v["sign_pkcs11_token"])
        if source.kind is None:
            self.prompter.warn(self, "Thử ký", "Chưa đặt tệp chứng thư số hoặc thiết bị ký số.")
            return
        secret = self.prompter.text(
            self, "Thử ký", f"Nhập {source.secret_name} (không được lưu):", password=True
        )
        if secret is None:
            return
        look, tsa = self.look(), v["sign_tsa_url"]  # type: ignore[operator]
        self.try_button.setEnabled(False)
        self.result.setText("Đang ký thử…")

        def work(_task: object) -> object:
            from app import sign_trial
            from app.signing.pdf import VIETNAM

            return sign_trial.try_signing(source, secret, tsa, look, datetime.now(VIETNAM)).cert

        def done(cert: object) -> None:
            from app.signing.pdf import VIETNAM

            self.try_button.setEnabled(True)
            until = cert.valid_to.astimezone(VIETNAM)  # type: ignore[attr-defined]
            self.result.setText(
                f"Ký được. Chứng thư số: {cert.subject}; số hiệu {cert.serial}; "  # type: ignore[attr-defined]
                f"có hiệu lực đến {until:%d/%m/%Y %H:%M}."
            )

        def failed(exc: BaseException, _details: str) -> None:
            self.try_button.setEnabled(True)
            self.result.setText("")
            self.prompter.warn(self, "Thử ký", getattr(exc, "message", str(exc)))

        self.runner.start(work, done, failed)

"""Kết nối máy chủ dùng chung: the PostgreSQL server of a shared office. The password
goes to the system's credential store, never to a file; "Dùng tệp trên máy này" goes
back to the SQLite file."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import server
from app.errors import UserError
from ui.widgets.screen import fit_contents


class ServerDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kết nối máy chủ dùng chung")
        current = server.load()
        self.host = QLineEdit(current.host if current else "")
        self.host.setPlaceholderText("ví dụ: 192.168.1.10")
        self.port = QLineEdit(str(current.port) if current else "5432")
        self.database = QLineEdit(current.database if current else "taphuan")
        self.user = QLineEdit(current.user if current else "")
        self.password = QLineEdit(server.stored_password(current) or "" if current else "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Lưu mật khẩu trong kho mật khẩu của Windows")
        self.remember.setChecked(True)
        form = QFormLayout()
        for label, widget in (("Máy chủ:", self.host), ("Cổng:", self.port),
                              ("Cơ sở dữ liệu:", self.database), ("Tên đăng nhập:", self.user),
                              ("Mật khẩu:", self.password), ("", self.remember)):  # fmt: skip
            form.addRow(label, widget)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.test_button = QPushButton("Kiểm tra kết nối")
        self.test_button.clicked.connect(self.test)
        self.local_button = QPushButton("Dùng tệp trên máy này")
        self.local_button.setToolTip("Thôi dùng máy chủ; mở lại tệp dữ liệu SQLite của máy này")
        self.local_button.clicked.connect(self.use_local)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.local_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        intro = QLabel(
            "Nhiều cán bộ cùng làm việc trên một cơ sở dữ liệu PostgreSQL. Mật khẩu không "
            "được ghi vào tệp nào của TapHuan. Thay đổi có hiệu lực khi mở lại TapHuan."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        fit_contents(self, 480)
        self.saved: server.Server | None = None

    def _server(self) -> server.Server:
        return server.check(self.host.text(), self.port.text(), self.database.text(),
                            self.user.text())  # fmt: skip

    def _say(self, text: str, bad: bool) -> None:
        self.message.setStyleSheet(f"color: {'#b00020' if bad else '#1b5e20'};")
        self.message.setText(text)

    def test(self) -> bool:
        try:
            self._say(server.try_connect(self._server(), self.password.text()), False)
        except UserError as exc:
            self._say(exc.message, True)
            return False
        return True

    def save(self) -> None:
        if not self.test():
            return
        chosen = self._server()
        server.save(chosen)
        if self.remember.isChecked() and not server.store_password(chosen, self.password.text()):
            self._say("Máy này không có kho mật khẩu: TapHuan sẽ hỏi mật khẩu mỗi lần mở.", True)
        self.saved = chosen
        self.accept()

    def use_local(self) -> None:
        server.save(None)
        self.saved = None
        self.accept()

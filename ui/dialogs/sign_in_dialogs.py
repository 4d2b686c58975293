"""Signing in: the first administrator, the sign-in dialog, changing one's password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import UserError
from app.services import users
from app.services.access import Actor
from ui.widgets.screen import fit_contents


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _Form(QDialog):
    """A small form with a red message line and OK/Cancel in Vietnamese."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        fit_contents(self, 420)
        self.actor: Actor | None = None

    def submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def fail(self, message: str, focus: QLineEdit | None = None) -> None:
        self.message.setText(message)
        if focus is not None:
            focus.selectAll()
            focus.setFocus()


class FirstAdminDialog(_Form):
    """The first start: who administers this database."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            "Tạo tài khoản quản trị",
            "Lần đầu dùng TapHuan trên cơ sở dữ liệu này: hãy tạo tài khoản quản trị. "
            "Người quản trị thêm tài khoản cho cán bộ và giảng viên sau.",
            "Tạo tài khoản",
            parent,
        )
        self.db = db
        self.full_name, self.username = QLineEdit(), QLineEdit()
        self.username.setPlaceholderText("ví dụ: nguyen.tam")
        self.password, self.again = _password_field(), _password_field()
        self.single = QCheckBox("Chỉ mình tôi dùng máy này: mở thẳng, không hỏi đăng nhập")
        self.single.setVisible(db.is_sqlite)
        self.form.addRow("Họ và tên:", self.full_name)
        self.form.addRow("Tên đăng nhập:", self.username)
        self.form.addRow("Mật khẩu:", self.password)
        self.form.addRow("Nhập lại mật khẩu:", self.again)
        self.form.addRow("", self.single)

    def submit(self) -> None:
        try:
            with self.db.transaction() as s:
                actor = users.create_first_admin(
                    s, self.username.text(), self.full_name.text(), self.password.text(),
                    self.again.text(),
                )  # fmt: skip
                if self.single.isChecked():
                    s.info["actor"] = actor
                    users.set_sign_in_required(s, False, shared=not self.db.is_sqlite)
        except UserError as exc:
            self.fail(exc.message)
            return
        self.actor = actor
        self.accept()


class SignInDialog(_Form):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            "Đăng nhập TapHuan", f"Cơ sở dữ liệu: {db.describe()}", "Đăng nhập", parent
        )
        self.db = db
        self.username, self.password = QLineEdit(), _password_field()
        self.form.addRow("Tên đăng nhập:", self.username)
        self.form.addRow("Mật khẩu:", self.password)
        self.must_change = False

    def submit(self) -> None:
        if not self.username.text().strip() or not self.password.text():
            self.fail("Hãy nhập tên đăng nhập và mật khẩu.")
            return
        with self.db.transaction() as s:  # a refusal commits the count of failed attempts
            result = users.login(s, self.username.text(), self.password.text())
        if result.actor is None:
            self.password.clear()
            self.fail(result.message, self.password)
            return
        self.actor, self.must_change = result.actor, result.must_change_password
        self.accept()


class ChangePasswordDialog(_Form):
    def __init__(self, db: Database, actor: Actor, forced: bool = False,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(
            "Đổi mật khẩu",
            "Mật khẩu này do người quản trị đặt: hãy đổi sang mật khẩu của riêng bạn."
            if forced
            else "",
            "Đổi mật khẩu",
            parent,
        )
        self.db, self.user = db, actor
        self.old, self.new, self.again = _password_field(), _password_field(), _password_field()
        self.form.addRow("Mật khẩu hiện tại:", self.old)
        self.form.addRow("Mật khẩu mới:", self.new)
        self.form.addRow("Nhập lại mật khẩu mới:", self.again)

    def submit(self) -> None:
        try:
            with self.db.transaction() as s:
                users.change_own_password(
                    s, self.user.username, self.old.text(), self.new.text(), self.again.text()
                )
        except UserError as exc:
            self.fail(exc.message)
            return
        self.accept()


def sign_in(db: Database, parent: QWidget | None = None) -> Actor | None:
    """Who is working: the first administrator on a new database, the local administrator
    on a single-user file that skips signing in, else whoever signs in. None: cancelled."""
    with db.transaction(readonly=True) as s:
        count = users.count(s)
        skip = users.opens_without_sign_in(s, shared=not db.is_sqlite)
        local = users.local_admin(s) if skip else None
    if count == 0:
        first = FirstAdminDialog(db, parent)
        return first.actor if first.exec() == QDialog.DialogCode.Accepted else None
    if local is not None:
        return local
    dialog = SignInDialog(db, parent)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
        return None
    if dialog.must_change:
        change = ChangePasswordDialog(db, dialog.actor, forced=True, parent=parent)
        if change.exec() != QDialog.DialogCode.Accepted:
            return None
    return dialog.actor

"""Signing in: the first administrator, the sign-in dialog, changing one's password.

These only ask; ui/sign_in.py gives each a saver that checks the answer in the database."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.services.access import Actor
from ui.dialogs.form_dialog import FormDialog, Invalid
from ui.widgets.screen import fit_contents


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


@dataclass(frozen=True)
class FirstAdminForm:
    username: str
    full_name: str
    password: str
    again: str
    single_user: bool


@dataclass(frozen=True)
class SignInForm:
    username: str
    password: str


@dataclass(frozen=True)
class PasswordForm:
    old: str
    new: str
    again: str


class _SmallForm(FormDialog):  # type: ignore[type-arg]
    """An introduction line above a form layout, with the button named for the action."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(title, parent, save_text=ok_text)
        self.message = self.error_label
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            self.body.addWidget(label)
        self.form = QFormLayout()
        self.body.addLayout(self.form)
        fit_contents(self, 420)


class FirstAdminDialog(_SmallForm):
    """The first start: who administers this database."""

    actor: Actor | None = None  # set by the saver once the account is made

    def __init__(self, offer_single_user: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(
            "Tạo tài khoản quản trị",
            "Lần đầu dùng TapHuan trên cơ sở dữ liệu này: hãy tạo tài khoản quản trị. "
            "Người quản trị thêm tài khoản cho cán bộ và giảng viên sau.",
            "Tạo tài khoản",
            parent,
        )
        self.full_name, self.username = QLineEdit(), QLineEdit()
        self.username.setPlaceholderText("ví dụ: nguyen.tam")
        self.password, self.again = _password_field(), _password_field()
        self.single = QCheckBox("Chỉ mình tôi dùng máy này: mở thẳng, không hỏi đăng nhập")
        self.single.setVisible(offer_single_user)
        self.form.addRow("Họ và tên:", self.full_name)
        self.form.addRow("Tên đăng nhập:", self.username)
        self.form.addRow("Mật khẩu:", self.password)
        self.form.addRow("Nhập lại mật khẩu:", self.again)
        self.form.addRow("", self.single)

    def collect(self) -> FirstAdminForm:
        return FirstAdminForm(self.username.text(), self.full_name.text(), self.password.text(),
                              self.again.text(), self.single.isChecked())  # fmt: skip


class SignInDialog(_SmallForm):
    actor: Actor | None = None  # set by the saver once signed in
    must_change = False  # the password was set by an administrator

    def __init__(self, where: str, parent: QWidget | None = None) -> None:
        super().__init__("Đăng nhập TapHuan", f"Cơ sở dữ liệu: {where}", "Đăng nhập", parent)
        self.username, self.password = QLineEdit(), _password_field()
        self.form.addRow("Tên đăng nhập:", self.username)
        self.form.addRow("Mật khẩu:", self.password)

    def collect(self) -> SignInForm:
        if not self.username.text().strip() or not self.password.text():
            raise Invalid("Hãy nhập tên đăng nhập và mật khẩu.")
        return SignInForm(self.username.text(), self.password.text())


class ChangePasswordDialog(_SmallForm):
    def __init__(self, forced: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(
            "Đổi mật khẩu",
            "Mật khẩu này do người quản trị đặt: hãy đổi sang mật khẩu của riêng bạn."
            if forced
            else "",
            "Đổi mật khẩu",
            parent,
        )
        self.old, self.new, self.again = _password_field(), _password_field(), _password_field()
        self.form.addRow("Mật khẩu hiện tại:", self.old)
        self.form.addRow("Mật khẩu mới:", self.new)
        self.form.addRow("Nhập lại mật khẩu mới:", self.again)

    def collect(self) -> PasswordForm:
        return PasswordForm(self.old.text(), self.new.text(), self.again.text())

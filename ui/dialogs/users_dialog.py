"""Tài khoản người dùng (administrators): accounts, roles, password resets, and whether
this database asks who is working. The dialogs only ask: the account functions they are
given (ui/accounts.py) read and write, each write through the window's op."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.access import ROLE_NAMES
from app.services.users import UserForm, UserRow
from app.vn.dates import format_datetime
from ui.dialogs.form_dialog import FormDialog
from ui.prompter import Prompter
from ui.widgets.columns import fit_titles
from ui.widgets.screen import fit_contents

HEADERS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Hồ sơ giảng viên", "Trạng thái",
           "Đăng nhập gần nhất")  # fmt: skip


@dataclass(frozen=True)
class AccountForm:
    user: UserForm
    password: str  # only for a new account


class AccountFunctions(Protocol):
    """What the account window may do; each returns a refusal's message or None."""

    prompter: Prompter
    asks_sign_in_here: bool  # a SQLite file may open without asking who works

    def listing(self) -> list[UserRow]: ...
    def trainers(self) -> list[tuple[int, str]]: ...
    def sign_in_required(self) -> bool: ...
    def save(self, row: UserRow | None, form: AccountForm) -> str | None: ...
    def reset_password(self, row: UserRow, password: str) -> str | None: ...
    def set_sign_in_required(self, required: bool) -> str | None: ...


class UserFormDialog(FormDialog[AccountForm]):
    def __init__(self, row: UserRow | None, trainers: list[tuple[int, str]],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__("Sửa tài khoản" if row else "Thêm tài khoản", parent)
        self.row = row
        self.message = self.error_label
        self.username, self.full_name = QLineEdit(), QLineEdit()
        self.role = QComboBox()
        for key, label in ROLE_NAMES.items():
            self.role.addItem(label, key)
        self.person = QComboBox()
        self.person.addItem("(không gắn)", None)
        for pid, name in trainers:
            self.person.addItem(name, pid)
        self.active = QCheckBox("Đang hoạt động (bỏ chọn để khóa tài khoản)")
        self.active.setChecked(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Họ và tên:", self.full_name)
        form.addRow("Vai trò:", self.role)
        form.addRow("Hồ sơ giảng viên:", self.person)
        form.addRow("", self.active)
        if row is None:
            form.addRow("Mật khẩu ban đầu:", self.password)
            self.role.setCurrentIndex(self.role.findData("staff"))  # the least power by default
        else:
            self.username.setText(row.username)
            self.username.setReadOnly(True)
            self.full_name.setText(row.full_name)
            self.role.setCurrentIndex(self.role.findData(row.role))
            self.person.setCurrentIndex(max(0, self.person.findText(row.person)))
            self.active.setChecked(row.active)
        self.body.addLayout(form)
        fit_contents(self, 460)

    def collect(self) -> AccountForm:
        user = UserForm(self.username.text(), self.full_name.text(), self.role.currentData(),
                        self.person.currentData(), self.active.isChecked())  # fmt: skip
        return AccountForm(user, self.password.text())


class UsersDialog(QDialog):
    def __init__(self, accounts: AccountFunctions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.setWindowTitle("Tài khoản người dùng")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        fit_titles(self.table.horizontalHeader(), stretch=len(HEADERS) - 1)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        add, edit, reset = (
            QPushButton("Thêm…"),
            QPushButton("Sửa…"),
            QPushButton("Đặt lại mật khẩu…"),
        )
        add.clicked.connect(self.add)
        edit.clicked.connect(self.edit)
        reset.clicked.connect(self.reset)
        self.ask = QCheckBox("Hỏi đăng nhập mỗi khi mở TapHuan trên cơ sở dữ liệu này")
        self.ask.setVisible(accounts.asks_sign_in_here)
        self.ask.setChecked(accounts.sign_in_required())
        self.ask.toggled.connect(self.set_ask)
        row = QHBoxLayout()
        for button in (add, edit, reset):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.ask)
        layout.addWidget(close)
        self.resize(860, 420)
        self.rows: list[UserRow] = []
        self.load()

    def load(self) -> None:
        self.rows = self.accounts.listing()
        self.table.setRowCount(len(self.rows))
        for r, u in enumerate(self.rows):
            state = "Đang hoạt động" if u.active else "Đã khóa"
            if u.locked:
                state += " (tạm chờ vì nhập sai mật khẩu)"
            if u.must_change:
                state += ", phải đổi mật khẩu tạm"
            for c, text in enumerate((u.username, u.full_name, ROLE_NAMES[u.role], u.person,
                                      state, format_datetime(u.last_login_at))):  # fmt: skip
                self.table.setItem(r, c, QTableWidgetItem(text))

    def selected(self) -> UserRow | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            self.accounts.prompter.inform(self, "Tài khoản", "Hãy chọn một tài khoản trong bảng.")
            return None
        return self.rows[rows.pop()]

    def form_dialog(self, row: UserRow | None) -> UserFormDialog:
        """The account form, saving through the account functions (a refusal shown inline)."""
        dialog = UserFormDialog(row, self.accounts.trainers(), self)
        dialog.saver = lambda form: self.accounts.save(row, form)
        return dialog

    def add(self) -> None:
        if self.form_dialog(None).exec() == QDialog.DialogCode.Accepted:
            self.load()

    def edit(self) -> None:
        row = self.selected()
        if row and self.form_dialog(row).exec() == QDialog.DialogCode.Accepted:
            self.load()

    def reset(self) -> None:
        row = self.selected()
        if row is None:
            return
        password = self.accounts.prompter.text(
            self, "Đặt lại mật khẩu",
            f"Mật khẩu mới cho “{row.username}” (người đó phải đổi ở lần đăng nhập tới):",
            password=True,
        )  # fmt: skip
        if password is None:
            return
        refusal = self.accounts.reset_password(row, password)
        if refusal is not None:
            self.accounts.prompter.warn(self, "Đặt lại mật khẩu", refusal)
            return
        self.load()

    def set_ask(self, required: bool) -> None:
        refusal = self.accounts.set_sign_in_required(required)
        if refusal is not None:
            self.accounts.prompter.warn(self, "Tài khoản", refusal)
            self.ask.blockSignals(True)
            self.ask.setChecked(not required)
            self.ask.blockSignals(False)

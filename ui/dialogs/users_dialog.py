"""Tài khoản người dùng (administrators): accounts, roles, password resets, and whether
this database asks who is working."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import UserError
from app.services import scheduling, users
from app.services.access import ROLE_NAMES
from app.services.users import UserForm, UserRow
from app.vn.dates import format_datetime
from ui.widgets.columns import fit_titles
from ui.widgets.screen import fit_contents

HEADERS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Hồ sơ giảng viên", "Trạng thái",
           "Đăng nhập gần nhất")  # fmt: skip


class UserFormDialog(QDialog):
    def __init__(self, db: Database, row: UserRow | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.row = db, row
        self.setWindowTitle("Sửa tài khoản" if row else "Thêm tài khoản")
        self.username, self.full_name = QLineEdit(), QLineEdit()
        self.role = QComboBox()
        for key, label in ROLE_NAMES.items():
            self.role.addItem(label, key)
        self.person = QComboBox()
        self.person.addItem("(không gắn)", None)
        with db.transaction(readonly=True) as s:
            for pid, name in scheduling.trainers(s):
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
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        fit_contents(self, 460)

    def form(self) -> UserForm:
        return UserForm(self.username.text(), self.full_name.text(), self.role.currentData(),
                        self.person.currentData(), self.active.isChecked())  # fmt: skip

    def submit(self) -> None:
        try:
            with self.db.transaction() as s:
                if self.row is None:
                    users.create(s, self.form(), self.password.text())
                else:
                    users.update(s, self.row.id, self.form(), self.row.version)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.accept()


class UsersDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
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
        self.ask.setVisible(db.is_sqlite)
        with db.transaction(readonly=True) as s:
            self.ask.setChecked(users.sign_in_required(s))
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
        with self.db.transaction(readonly=True) as s:
            self.rows = users.listing(s)
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
            QMessageBox.information(self, "Tài khoản", "Hãy chọn một tài khoản trong bảng.")
            return None
        return self.rows[rows.pop()]

    def add(self) -> None:
        if UserFormDialog(self.db, None, self).exec() == QDialog.DialogCode.Accepted:
            self.load()

    def edit(self) -> None:
        row = self.selected()
        if row and UserFormDialog(self.db, row, self).exec() == QDialog.DialogCode.Accepted:
            self.load()

    def reset(self) -> None:
        row = self.selected()
        if row is None:
            return
        password, ok = QInputDialog.getText(
            self, "Đặt lại mật khẩu",
            f"Mật khẩu mới cho “{row.username}” (người đó phải đổi ở lần đăng nhập tới):",
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        if not ok:
            return
        try:
            with self.db.transaction() as s:
                users.reset_password(s, row.id, password)
        except UserError as exc:
            QMessageBox.warning(self, "Đặt lại mật khẩu", exc.message)
            return
        self.load()

    def set_ask(self, required: bool) -> None:
        try:
            with self.db.transaction() as s:
                users.set_sign_in_required(s, required, shared=not self.db.is_sqlite)
        except UserError as exc:
            QMessageBox.warning(self, "Tài khoản", exc.message)
            self.ask.blockSignals(True)
            self.ask.setChecked(not required)
            self.ask.blockSignals(False)

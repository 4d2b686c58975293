"""Nhật ký thao tác (administrators): who did what and when, before and after; filtered
by person, account, date and action; exported to Excel. Read-only: nobody edits it. Its
hash chain is checked in the worker each time the page reloads: a clear warning names
the first entry changed, removed or added behind the program's back."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.labels import number
from app.services import audit_log, audit_verify
from app.services.audit_log import ACTIONS, AuditFilter, AuditRow
from app.services.audit_text import target
from app.services.audit_verify import ChainReport
from app.vn.dates import format_datetime
from ui.changes import AUDIT
from ui.context import UiContext
from ui.files import EXCEL_OR_CSV, ask_save_path
from ui.pages.base import Page
from ui.widgets.date_edit import DateEdit
from ui.widgets.empty_state import show_when_empty
from ui.widgets.sort_item import SortItem
from ui.workers import Task

SEQ_ROLE = Qt.ItemDataRole.UserRole + 1
DB_ROLE = Qt.ItemDataRole.UserRole + 2  # PostgreSQL: the server role that inserted it
ACCOUNT = Qt.ItemDataRole.UserRole + 3  # the account's name as stored
HEADERS = ("Thời điểm", "Tài khoản", "Thao tác", "Đối tượng", "Thay đổi")
GROUPS = (
    ("person.", "Học viên"),
    ("team.", "Tổ CNSCĐ"),
    ("course.", "Khóa học"),
    ("session.", "Buổi học"),
    ("enrolment.", "Ghi danh"),
    ("attendance.", "Điểm danh"),
    ("scores.", "Điểm kiểm tra"),
    ("certificate.", "Giấy chứng nhận"),
    ("export.", "Xuất dữ liệu cá nhân"),
    ("print.", "In dữ liệu cá nhân"),
    ("user.", "Tài khoản, đăng nhập"),
    ("settings.", "Thiết lập"),
)


class AuditPage(Page):
    shows = frozenset({AUDIT})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "nhat-ky", parent)
        self._action("Làm mới", "", self.reload, "Làm mới (F5: cả chương trình)")
        self.export_action = self._action("Xuất Excel…", "Ctrl+E", self.export)

        self.start_edit, self.end_edit = DateEdit(), DateEdit()
        self.account = QComboBox()
        self.action_combo = QComboBox()
        self.action_combo.addItem("Mọi thao tác", None)
        for prefix, label in GROUPS:
            self.action_combo.addItem(f"{label} (mọi thao tác)", prefix)
        for key, label in sorted(ACTIONS.items(), key=lambda kv: kv[1]):
            self.action_combo.addItem(label, key)
        self.person = QLineEdit()
        self.person.setPlaceholderText("Học viên: tên, số điện thoại hoặc CCCD")
        self.person.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        for label, widget in (("Từ ngày", self.start_edit), ("đến ngày", self.end_edit),
                              ("Tài khoản:", self.account), ("Thao tác:", self.action_combo)):  # fmt: skip
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.person, 1)
        for edit in (self.start_edit, self.end_edit):
            edit.setMaximumWidth(110)
            edit.editingFinished.connect(self._schedule)
        self.account.currentIndexChanged.connect(self._schedule)
        self.action_combo.currentIndexChanged.connect(self._schedule)
        self.person.textChanged.connect(self._schedule)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        show_when_empty(self.table, self._empty_text)
        self.count = QLabel()
        self.chain = QLabel()
        self.chain.setWordWrap(True)
        self.chain.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chain.hide()
        self.chain_report: ChainReport | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.chain)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.timer = QTimer(self, singleShot=True, interval=300)
        self.timer.timeout.connect(self.load)
        self.rows: list[AuditRow] = []
        self.reload()

    def _schedule(self) -> None:
        self.timer.start()

    def _empty_text(self) -> str:
        if any((self.start_edit.text().strip(), self.end_edit.text().strip(),
                self.person.text().strip(), self.account.currentData(),
                self.action_combo.currentData())):  # fmt: skip
            return ("Không có mục nhật ký nào khớp với bộ lọc. Xóa ngày, tên đã gõ hoặc chọn "
                    "“Mọi …” ở các bộ lọc.")  # fmt: skip
        return ("Nhật ký chưa có mục nào. Mỗi lần thêm, sửa, xóa dữ liệu, điểm danh hay cấp "
                "giấy chứng nhận đều được ghi ở đây.")  # fmt: skip

    def current_filter(self) -> AuditFilter:
        start, start_error = self.start_edit.date_or_error()
        end, end_error = self.end_edit.date_or_error()
        if start_error or end_error:
            raise UserError(start_error or end_error or "")
        person_ids: tuple[int, ...] = ()
        if self.person.text().strip():
            with self.db.transaction(readonly=True) as s:
                person_ids = audit_log.find_people(s, self.person.text()) or (-1,)
        return AuditFilter(start, end, self.account.currentData(), self.action_combo.currentData(),
                           person_ids)  # fmt: skip

    def reload(self) -> None:
        keep = self.account.currentData()
        with self.db.transaction(readonly=True) as s:
            accounts = audit_log.users_seen(s)
        self.account.blockSignals(True)
        self.account.clear()
        self.account.addItem("Mọi tài khoản", None)
        for name in accounts:
            self.account.addItem(name, name)
        self.account.setCurrentIndex(max(0, self.account.findData(keep)))
        self.account.blockSignals(False)
        self.load()
        self.check_chain()

    def check_chain(self) -> None:
        """Verify the hash chain off the GUI thread (a second or so per 100,000 entries)."""

        def work(_task: Task) -> ChainReport:
            with self.db.transaction(readonly=True) as s:
                return audit_verify.check(s)

        def failed(exc: BaseException, _details: str) -> None:
            self._show_chain(None, getattr(exc, "message", str(exc)))

        self.runner.start(work, self._show_chain, failed)

    def _show_chain(self, report: ChainReport | None, error: str = "") -> None:
        self.chain_report = report
        if report is not None and report.ok:
            self.chain.setStyleSheet("color: palette(mid);")
            self.chain.setText(f"Chuỗi mã băm của nhật ký: {report.describe()}.")
        else:
            self.chain.setStyleSheet(
                "QLabel { background: #fdecea; color: #8a1c12; border: 1px solid #e0a49c;"
                " border-radius: 3px; padding: 6px; font-weight: bold; }"
            )
            what = report.describe() if report is not None else f"Không kiểm tra được: {error}"
            self.chain.setText(
                f"⚠ {what} Hãy báo người quản trị hệ thống và giữ nguyên cơ sở dữ liệu (một bản "
                "sao lưu) để kiểm tra."
            )
        self.chain.show()
        self._mark_broken()

    def _mark_broken(self) -> None:
        """The first broken entry, and every entry a server role other than the program's
        added, if on screen, in the warning's colour."""
        report = self.chain_report
        bad = report.first_bad if report else None
        strangers = report.stranger_roles if report else frozenset()
        for r in range(self.table.rowCount()):
            first = self.table.item(r, 0)
            if first is None:
                continue
            role = first.data(DB_ROLE)
            stranger = role is not None and role in strangers
            if stranger:
                account = self.table.item(r, 1)
                account.setText(f"{account.data(ACCOUNT)} (vai trò máy chủ {role})")
                account.setToolTip(
                    f"Mục này được thêm thẳng vào cơ sở dữ liệu bằng vai trò máy chủ “{role}”, "
                    "không phải tài khoản của chương trình."
                )
            if stranger or (bad is not None and first.data(SEQ_ROLE) == bad):
                for c in range(self.table.columnCount()):
                    self.table.item(r, c).setBackground(QColor("#f6c6c0"))

    def load(self) -> None:
        self.timer.stop()
        try:
            f = self.current_filter()
        except UserError as exc:
            self.count.setText(exc.message)
            return
        with self.db.transaction(readonly=True) as s:
            total, self.rows = audit_log.listing(s, f)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            items = (
                SortItem(format_datetime(row.at), row.at),
                SortItem(row.user),
                SortItem(row.label),
                SortItem(target(row.entity, row.entity_id)),
                SortItem(row.change),
            )
            items[0].setData(SEQ_ROLE, row.seq)
            items[0].setData(DB_ROLE, row.db_role)
            items[1].setData(ACCOUNT, row.user)
            for c, item in enumerate(items):
                if c == 4:
                    item.setToolTip(row.change)
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        self.table.sortItems(0, Qt.SortOrder.DescendingOrder)
        self._mark_broken()
        shown = number(len(self.rows))
        self.count.setText(
            f"{number(total)} mục"
            if total == len(self.rows)
            else f"{number(total)} mục (hiện {shown} mục mới nhất)"
        )

    def export(self) -> None:
        try:
            f = self.current_filter()
        except UserError as exc:
            self.prompter.warn(self, "Nhật ký thao tác", exc.message)
            return
        path = ask_save_path(self, self.settings, "export", "Xuất nhật ký thao tác",
                             "nhat-ky-thao-tac.xlsx", EXCEL_OR_CSV, (".xlsx", ".csv"))  # fmt: skip
        if path is None:
            return

        def work(_task: Task) -> int:
            with self.db.transaction() as s:
                return audit_log.export(s, f, path)

        def done(n: int) -> None:
            self.status.emit(f"Đã xuất {number(n)} mục nhật ký vào {path}")
            self.load()

        def failed(exc: BaseException, _details: str) -> None:
            self.prompter.warn(self, "Không xuất được", getattr(exc, "message", str(exc)))

        self.runner.start(work, done, failed)

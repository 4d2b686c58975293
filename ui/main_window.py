"""The shell: navigation, menus, status bar. Each page owns its own actions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from app import config
from app.labels import number
from ui.changes import COURSES, PEOPLE, TEAMS
from ui.crash import show_error
from ui.pages import PAGES, PageInfo, shortcut
from ui.prompter import Prompter
from ui.widgets.lazy_page import LazyPage
from ui.widgets.navigation import Navigation
from ui.workers import Task, TaskRunner

if TYPE_CHECKING:  # the pages and the database load after the shell is on screen
    from app.db import Database
    from app.services import overview
    from app.services.access import Actor
    from ui.context import UiContext
    from ui.dialogs.about_dialog import AboutDialog
    from ui.pages.overview_page import OverviewPage
    from ui.pages.people_page import PeoplePage
    from ui.pages.teams_page import TeamsPage

OVERVIEW = frozenset({PEOPLE, TEAMS, COURSES})  # what the status line counts
APP_TITLE = "TapHuan – Quản lý tập huấn Tổ công nghệ số cộng đồng"


# Built on first visit, each page's module loaded only then (imports inside functions,
# which the bundle's analysis still sees): the reports' brings matplotlib (half a second),
# attendance's the spreadsheet and PDF code.
def _teams_page(ctx: UiContext) -> QWidget:
    from ui.pages.teams_page import TeamsPage

    return TeamsPage(ctx)


def _courses_page(ctx: UiContext) -> QWidget:
    from ui.pages.courses_page import CoursesPage

    return CoursesPage(ctx)


def _calendar_page(ctx: UiContext) -> QWidget:
    from ui.pages.calendar_page import CalendarPage

    return CalendarPage(ctx)


def _attendance_page(ctx: UiContext) -> QWidget:
    from ui.pages.attendance_page import AttendancePage

    return AttendancePage(ctx)


def _certificates_page(ctx: UiContext) -> QWidget:
    from ui.pages.certificates_page import CertificatesPage

    return CertificatesPage(ctx)


def _reports_page(ctx: UiContext) -> QWidget:
    from ui.pages.reports_page import ReportsPage

    return ReportsPage(ctx)


def _audit_page(ctx: UiContext) -> QWidget:
    from ui.pages.audit_page import AuditPage

    return AuditPage(ctx)


def _settings_page(ctx: UiContext) -> QWidget:
    from ui.pages.settings_page import SettingsPage

    return SettingsPage(ctx)


# What each role may open (the services check again, whatever the window shows).
ROLE_PAGES = {
    "trainer": {"khoa-hoc", "lich", "diem-danh", "chung-nhan"},
    "staff": {p.slug for p in PAGES} - {"cai-dat", "nhat-ky"},
}


def _not_for_role(info: PageInfo) -> QWidget:
    label = QLabel(f"Tài khoản này không dùng trang “{info.title}”.")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


LOADING = "Đang mở dữ liệu…"


def _loading_page() -> QLabel:
    """What the first page shows while the database opens in the worker."""
    label = QLabel(LOADING)
    label.setObjectName("loadingPage")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class MainWindow(QMainWindow):
    """Built in two steps so that start-up paints at once: the shell (title, menus, the
    navigation, "Đang mở dữ liệu…") needs no database; `attach` adds the pages once the
    worker has opened it. Given a database, the constructor does both."""

    overview_loaded = Signal(object)

    def __init__(
        self,
        db: Database | None,
        runner: TaskRunner,
        settings: QSettings,
        demo: bool = False,
        parent: QWidget | None = None,
        prompter: Prompter | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.settings = runner, settings
        self._prompter = prompter
        self.setWindowTitle(APP_TITLE + (" (dữ liệu mẫu)" if demo else ""))
        self.setMinimumSize(720, 480)

        self.nav = Navigation()
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self.lazy: dict[str, LazyPage] = {}
        self.people_page: PeoplePage | None = None
        self.loading: QLabel | None = _loading_page()
        self.stack.addWidget(self.loading)
        for info in PAGES:
            self.nav.add_page(info.slug, info.title)
        self.nav.setCurrentRow(0)
        self.nav.setEnabled(False)  # until the pages are there
        self.nav.setFixedWidth(max(190, self.nav.needed_width()))

        centre = QWidget()
        layout = QHBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(centre)

        self._build_menus()
        self._restore_geometry()
        if db is not None:
            self.attach(db)

    def attach(self, db: Database) -> None:
        """The opened database (its actor signed in): the pages, the role's menus, the
        status bar and the first page's data (loaded in the worker)."""
        from app.services.access import acting
        from ui.context import UiContext
        from ui.pages.people_page import PeoplePage

        self.db = db
        self.actor: Actor = acting(db.actor)
        signed_in = self.actor.user_id is not None
        user = self.actor.username if signed_in else config.current_user()
        self.role = self.actor.role
        self.allowed = ROLE_PAGES.get(self.role, {p.slug for p in PAGES})
        self.ctx = ctx = UiContext(
            db, self.runner, self.settings, user, self._prompter or Prompter()
        )
        ctx.bus.changed.connect(self._on_changed)
        if "hoc-vien" in self.allowed:
            self.people_page = PeoplePage(ctx, fill=False)  # read when first shown
            self.people_page.status.connect(self.show_status)
        self.lazy = {
            slug: LazyPage(lambda build=build: self._connected(build(ctx)))
            for slug, build in (
                ("tong-quan", self._overview_page),
                ("to-cnscd", _teams_page),
                ("khoa-hoc", _courses_page),
                ("lich", _calendar_page),
                ("diem-danh", _attendance_page),
                ("chung-nhan", _certificates_page),
                ("bao-cao", _reports_page),
                ("nhat-ky", _audit_page),
                ("cai-dat", _settings_page),
            )
        }
        built: dict[str, QWidget] = {**self.lazy}
        if self.people_page is not None:
            built["hoc-vien"] = self.people_page
        for row, info in enumerate(PAGES):
            page = built[info.slug] if info.slug in self.allowed else _not_for_role(info)
            self.pages[info.slug] = page
            self.stack.insertWidget(row, page)  # before "Đang mở dữ liệu…", gone below
            self.nav.item(row).setHidden(info.slug not in self.allowed)
        self.nav.setFixedWidth(max(190, self.nav.needed_width()))
        self._apply_role()

        # The file's name (the whole path in the tooltip): a long path pushed the counts
        # on the left of the status bar out of sight.
        self.db_label = QLabel(f"Cơ sở dữ liệu: {db.path.name if db.path else db.describe()}")
        self.db_label.setToolTip(db.describe())
        self.db_label.setObjectName("dbLabel")
        self.statusBar().addPermanentWidget(self.db_label)
        self.user_label = QLabel(f"Người dùng: {self.actor.label if signed_in else user}")
        self.user_label.setObjectName("userLabel")
        self.statusBar().addPermanentWidget(self.user_label)

        self.nav.currentRowChanged.connect(self._on_nav)
        self.nav.setEnabled(True)
        self._restore_page()
        if self.loading is not None:
            self.stack.removeWidget(self.loading)
            self.loading.deleteLater()
            self.loading = None
        self.refresh_overview()

    def show_loading_problem(self, text: str) -> None:
        """The database could not be opened: the shell says so until it closes."""
        if self.loading is not None:
            self.loading.setText(text)

    # -- navigation ----------------------------------------------------------------

    def _build_menus(self) -> None:
        """Every action, disabled until `attach` knows who works (_apply_role)."""
        file_menu = self.menuBar().addMenu("&Tệp")
        backup = QAction("&Sao lưu cơ sở dữ liệu…", self)
        backup.setShortcut(QKeySequence("Ctrl+Shift+S"))
        backup.setEnabled(False)
        backup.triggered.connect(self.backup)
        file_menu.addAction(backup)
        self.backup_action = backup
        shared = QAction("&Kết nối máy chủ dùng chung…", self)
        shared.setEnabled(False)
        shared.triggered.connect(self.choose_server)
        file_menu.addAction(shared)
        self.shared_action = shared
        file_menu.addSeparator()
        password = QAction("Đổi &mật khẩu…", self)
        password.setEnabled(False)
        password.triggered.connect(self.change_password)
        file_menu.addAction(password)
        self.password_action = password
        accounts = QAction("&Tài khoản người dùng…", self)
        accounts.setEnabled(False)
        accounts.triggered.connect(self.manage_users)
        file_menu.addAction(accounts)
        self.accounts_action = accounts
        file_menu.addSeparator()
        quit_action = QAction("T&hoát", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&Xem")
        group = QActionGroup(self)
        self.page_actions: dict[str, QAction] = {}
        for info in PAGES:
            action = QAction(info.title, self, checkable=True)
            action.setShortcut(QKeySequence(shortcut(info.slug)))
            action.triggered.connect(lambda _=False, slug=info.slug: self.show_page(slug))
            action.setEnabled(False)
            group.addAction(action)
            view_menu.addAction(action)
            self.page_actions[info.slug] = action
        view_menu.addSeparator()
        refresh = QAction("&Làm mới", self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.setEnabled(False)
        refresh.triggered.connect(self.refresh_all)
        view_menu.addAction(refresh)
        self.refresh_action = refresh

        help_menu = self.menuBar().addMenu("Trợ &giúp")
        guide = QAction("&Hướng dẫn sử dụng", self)
        guide.setShortcut(QKeySequence("F1"))
        guide.triggered.connect(self.show_guide)
        help_menu.addAction(guide)
        self.guide_action = guide
        about = QAction("&Giới thiệu TapHuan", self)
        about.setEnabled(False)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        self.about_action = about

    def _apply_role(self) -> None:
        from app.services.access import can

        self.backup_action.setEnabled(self.db.path is not None)
        self.backup_action.setVisible(
            can(self.actor, "backup")
        )  # an administrator's (the CLI's rule too)
        self.shared_action.setEnabled(self.role == "admin")
        self.password_action.setEnabled(self.actor.user_id is not None)
        self.accounts_action.setEnabled(self.role == "admin")
        for slug, action in self.page_actions.items():
            action.setEnabled(slug in self.allowed)
        self.refresh_action.setEnabled(True)
        self.about_action.setEnabled(True)

    def show_page(self, slug: str) -> None:
        if slug not in self.allowed:
            slug = next(p.slug for p in PAGES if p.slug in self.allowed)
        row = [p.slug for p in PAGES].index(slug)
        self.nav.setCurrentRow(row)

    def current_page(self) -> PageInfo:
        return PAGES[self.stack.currentIndex()]

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        slug = PAGES[row].slug
        self.page_actions[slug].setChecked(True)
        self.settings.setValue("main/page", slug)

    # -- data ----------------------------------------------------------------------

    @property
    def teams_page(self) -> TeamsPage:
        from ui.pages.teams_page import TeamsPage

        page = self.lazy["to-cnscd"].ensure()
        assert isinstance(page, TeamsPage)
        return page

    def _overview_page(self, ctx: UiContext) -> OverviewPage:
        from ui.pages.overview_page import OverviewPage

        page = OverviewPage(ctx)
        page.open_requested.connect(self.open_target)
        return page

    def open_target(self, slug: str, course_id: int, session_id: int | None = None) -> None:
        """Tổng quan's lines: the page they name, on their course (and session)."""
        from ui.pages.attendance_page import AttendancePage
        from ui.pages.certificates_page import CertificatesPage
        from ui.pages.courses_page import CoursesPage

        self.show_page(slug)
        if slug != self.current_page().slug or slug not in self.lazy:
            return  # a page this account does not use
        page = self.lazy[slug].ensure()
        if isinstance(page, AttendancePage):
            page.select_course(course_id)
            if session_id is not None:
                page.select_session(session_id)
        elif isinstance(page, CoursesPage):
            page.reveal_course(course_id)
        elif isinstance(page, CertificatesPage):
            page.select_course(course_id)

    def _connected(self, page: QWidget) -> QWidget:
        page.status.connect(self.show_status)  # type: ignore[attr-defined]
        return page

    def _on_changed(self, kinds: frozenset[str], _origin: object) -> None:
        if kinds & OVERVIEW:
            self.refresh_overview()

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def refresh_all(self) -> None:
        """F5: everything built re-reads the database (another user may have written)."""
        if self.people_page is not None and not self.people_page.model.held:
            self.people_page.reload_lists()
            self.people_page.apply_filter()
        for lazy in self.lazy.values():
            page = lazy.page
            if page is not None and hasattr(page, "reload"):
                page.reload()
        self.refresh_overview()

    def refresh_overview(self) -> None:
        from app.services import overview

        def load(_task: Task) -> overview.Counts:
            with self.db.transaction(readonly=True) as s:
                return overview.counts(s)

        self.runner.start(load, self._show_overview, self._task_failed)

    def _show_overview(self, o: overview.Counts) -> None:
        self.statusBar().showMessage(
            f"{number(o.people)} người · {number(o.teams)} tổ · {number(o.courses)} khóa học", 0
        )
        # The lists that grow with the work show their size beside their name.
        for slug, count in (("hoc-vien", o.people), ("to-cnscd", o.teams), ("khoa-hoc", o.courses)):
            self.nav.set_count(slug, count)
        self.nav.setFixedWidth(max(190, self.nav.needed_width()))
        self.overview_loaded.emit(o)

    def _task_failed(self, exc: BaseException, details: str) -> None:
        message = getattr(exc, "message", None) or "Không đọc được dữ liệu."
        show_error("Lỗi", message, details)

    # -- actions -------------------------------------------------------------------

    def daily_backup(self) -> None:
        """The first start of the day keeps a checked copy of the file (in the worker)."""

        def done(made: object) -> None:
            if made:
                self.show_status(f"Đã sao lưu hằng ngày vào {made}")

        self.runner.start(lambda _t: self.db.daily_backup(), done, self._task_failed)

    def backup(self) -> None:
        from app.services.access import require
        from ui.files import ask_save_path

        path = ask_save_path(
            self, self.settings, "main", "Sao lưu cơ sở dữ liệu", "taphuan-sao-luu.db",
            "Cơ sở dữ liệu TapHuan (*.db)", (".db",),
        )  # fmt: skip
        if path is None:
            return

        def copy(_task: Task) -> Path:
            with self.db.transaction(readonly=True) as s:  # the role as it is now
                require(s, "backup")
            return self.db.backup(path)

        self.runner.start(
            copy,
            lambda dest: self.statusBar().showMessage(f"Đã sao lưu vào {dest}", 8000),
            self._task_failed,
        )

    def change_password(self) -> None:
        from ui.sign_in import change_password_dialog

        if change_password_dialog(self.db, self.actor.username, parent=self).exec():
            self.show_status("Đã đổi mật khẩu.")

    def choose_server(self) -> None:
        from ui.dialogs.server_dialog import ServerDialog

        if ServerDialog(self).exec():
            self.ctx.prompter.inform(
                self,
                "Kết nối máy chủ dùng chung",
                "Đã lưu. Hãy mở lại TapHuan để dùng kết nối mới.",
            )

    def manage_users(self) -> None:
        from ui.accounts import Accounts
        from ui.dialogs.users_dialog import UsersDialog

        UsersDialog(Accounts(self.ctx, self), self).exec()

    def show_guide(self) -> QWidget:
        from ui.dialogs.guide_dialog import GuideDialog

        dialog = GuideDialog(self)
        dialog.open()
        return dialog

    def show_about(self) -> AboutDialog:
        from ui.dialogs.about_dialog import AboutDialog

        dialog = AboutDialog(self.db.describe(), self)
        dialog.open()
        return dialog

    # -- state ---------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 740)

    def _restore_page(self) -> None:
        # The window opens on Tổng quan; an account without it, on the page it last used.
        slug = PAGES[0].slug
        if slug not in self.allowed:
            slug = str(self.settings.value("main/page", slug))
        self.show_page(slug if slug in self.pages else PAGES[0].slug)
        self._on_nav(self.nav.currentRow())  # the row may have been current already

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.sync()
        super().closeEvent(event)

"""Start the GUI: Vietnamese first, then the database, then the main window."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QProgressDialog

from app import resources, running
from app.db import Database
from app.demo import generate
from app.errors import UserError
from app.services import overview
from app.vn.names import fold
from ui import crash, i18n, startup
from ui.main_window import MainWindow
from ui.pages import PAGES
from ui.settings import ui_settings
from ui.workers import Cancelled, Task, TaskRunner

EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR = 0, 2, 3


def page_slug(name: str | None) -> str | None:
    """ "Điểm danh", "diem danh" and "diem-danh" all name the same page."""
    if not name:
        return None
    wanted = fold(name).replace(" ", "-")
    for info in PAGES:
        if wanted in (info.slug, fold(info.title).replace(" ", "-")):
            return info.slug
    return None


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("TapHuan")
    app.setOrganizationName("TapHuan")
    icon = resources.path("icons", "taphuan.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    if not hasattr(app, "_taphuan_translator"):
        app._taphuan_translator = i18n.install(app)  # type: ignore[attr-defined]
        i18n.use_ui_font(app)
    return app


def run(db_target: str, demo: bool, screenshot: Path | None, page: str | None) -> int:
    slug = page_slug(page)
    if page and slug is None:
        names = ", ".join(p.slug for p in PAGES)
        print(f"Lỗi: không có trang “{page}”. Các trang: {names}.", file=sys.stderr)
        return EXIT_USAGE
    app = application()
    running.hold()  # taken already by the entry point; here for other ways in
    crash.setup_logging()
    if screenshot is None:
        crash.install()
    runner = TaskRunner()
    if screenshot is not None:
        try:
            db = Database(db_target)
            db.upgrade()
        except UserError as exc:
            print(f"Lỗi: {exc.message}", file=sys.stderr)
            return EXIT_USER_ERROR
        lock = None
    else:
        lock = startup.lock_for(db_target)
        if lock is not None and not startup.acquire(lock, db_target):
            return EXIT_USER_ERROR
        with_password = startup.ask_server_password(db_target)
        if with_password is None:
            return EXIT_OK
        opened = startup.open_database(with_password)
        if opened is None:
            return EXIT_USER_ERROR
        db = opened
    if demo and not _fill_demo_if_empty(app, db, runner):
        return EXIT_OK
    if screenshot is None:
        from ui.sign_in import sign_in

        actor = sign_in(db)
        if actor is None:  # cancelled: nothing to do
            runner.wait()
            db.close()
            return EXIT_OK
        db.actor = actor
    else:  # a picture of the window: as the administrator, without asking
        from app.services import users

        with db.transaction(readonly=True) as s:
            db.actor = users.local_admin(s)
    window = MainWindow(db, runner, ui_settings(), demo=demo)
    if slug:
        window.show_page(slug)
    if screenshot is not None:
        return _screenshot(app, window, screenshot)
    window.show()
    window.daily_backup()
    code = app.exec()
    runner.wait()
    db.close()
    if lock is not None:
        lock.unlock()
    return code


def _screenshot(app: QApplication, window: MainWindow, path: Path) -> int:
    loop = QEventLoop()
    window.overview_loaded.connect(loop.quit)
    QTimer.singleShot(10_000, loop.quit)
    window.resize(1280, 800)  # a typical office screen, whatever geometry was saved
    window.show()
    loop.exec()
    deadline = time.monotonic() + 30  # pages loading in the worker (the report's figures)
    while window.runner.busy() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(path), "PNG")
    window.close()
    window.runner.wait()
    window.db.close()
    if not ok:
        print(f"Lỗi: không ghi được ảnh vào {path}.", file=sys.stderr)
        return EXIT_USER_ERROR
    print(f"Đã lưu ảnh màn hình vào {path}")
    return EXIT_OK


def _fill_demo_if_empty(app: QApplication, db: Database, runner: TaskRunner) -> bool:
    """First use of --demo: fill the demo database, with progress and Hủy. False if cancelled."""
    with db.transaction(readonly=True) as s:
        if overview.counts(s).people:
            return True
    dialog = QProgressDialog("Đang tạo dữ liệu mẫu lần đầu…", "Hủy", 0, 0)
    dialog.setWindowTitle("TapHuan – dữ liệu mẫu")
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(420)
    loop = QEventLoop()
    outcome: dict[str, object] = {}

    def work(task: Task) -> generate.Summary:
        return generate.fill(db, progress=task.report)

    def done(result: object) -> None:
        outcome["ok"] = result
        loop.quit()

    def failed(exc: BaseException, details: str) -> None:
        outcome["error"] = (exc, details)
        loop.quit()

    task = runner.start(work, done, failed, lambda step: dialog.setLabelText(step + "…"))
    dialog.canceled.connect(task.cancel)
    dialog.show()
    loop.exec()
    dialog.close()
    if "error" in outcome:
        exc, details = outcome["error"]  # type: ignore[misc]
        if isinstance(exc, Cancelled):
            return False
        crash.show_error("Không tạo được dữ liệu mẫu", str(exc), str(details))
        return False
    return True

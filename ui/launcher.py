"""Start the GUI: Vietnamese first, the window's shell painted at once, then the
database opened in the worker (SQLAlchemy, the schema check, the pages all load there,
after the first paint), then who works, then the pages."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QLockFile, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QProgressDialog

from app import resources, running
from app.errors import UserError
from app.vn.names import fold
from ui import crash, i18n, startup
from ui.main_window import MainWindow
from ui.pages import PAGES
from ui.settings import ui_settings
from ui.workers import Cancelled, Task, TaskRunner

if TYPE_CHECKING:
    from app.db import Database


def _load_first_pages() -> None:
    """What the window needs once the database is open, loaded in the worker beside it."""
    import ui.context
    import ui.pages.overview_page
    import ui.pages.people_page
    import ui.sign_in  # noqa: F401


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
    interactive = screenshot is None
    if interactive:
        crash.install()
        with_password = startup.ask_server_password(db_target)
        if with_password is None:
            return EXIT_OK
        db_target = with_password
    runner = TaskRunner()
    window = shell(app, runner, demo, size=None if interactive else (1280, 800))
    opened = open_in_worker(app, runner, db_target, interactive)
    if opened.locked:
        assert opened.lock is not None
        startup.refuse(opened.lock, db_target)
        return _give_up(window, EXIT_USER_ERROR)
    if isinstance(opened.error, UserError):
        if not interactive:
            print(f"Lỗi: {opened.error.message}", file=sys.stderr)
        else:
            window.show_loading_problem(opened.error.message)
            crash.show_error("Không mở được cơ sở dữ liệu", opened.error.message)
        return _give_up(window, EXIT_USER_ERROR, opened.lock)
    if opened.error is not None:
        _give_up(window, EXIT_USER_ERROR, opened.lock)
        raise opened.error  # a bug: the crash handler's, as before the shell
    db = opened.db
    if interactive and not window.isVisible():  # closed while the database was opening
        if db is not None:
            db.close()
        return _give_up(window, EXIT_OK, opened.lock)
    if db is None:  # the file failed its check: the newest good backup is offered
        if not interactive:  # pragma: no cover - open_quietly(ask=False) raised instead
            return _give_up(window, EXIT_USER_ERROR, opened.lock)
        db = startup.open_database(db_target)
        if db is None:
            return _give_up(window, EXIT_USER_ERROR, opened.lock)
    code = _run_window(app, window, db, demo, screenshot, slug, interactive)
    if opened.lock is not None:
        opened.lock.unlock()
    return code


def _run_window(
    app: QApplication,
    window: MainWindow,
    db: Database,
    demo: bool,
    screenshot: Path | None,
    slug: str | None,
    interactive: bool,
) -> int:
    runner = window.runner
    if demo and not _fill_demo_if_empty(app, db, runner):
        db.close()
        return _give_up(window, EXIT_OK)
    if interactive:
        from ui.sign_in import sign_in

        actor = sign_in(db, window)
        if actor is None:  # cancelled: nothing to do
            runner.wait()
            db.close()
            return _give_up(window, EXIT_OK)
        db.actor = actor
    else:  # a picture of the window: as the administrator, without asking
        from app.services import users

        with db.transaction(readonly=True) as s:
            db.actor = users.local_admin(s)
    window.attach(db)
    if slug:
        window.show_page(slug)
    if screenshot is not None:
        return _screenshot(app, window, screenshot)
    window.daily_backup()
    code = app.exec()
    runner.wait()
    db.close()
    return code


def shell(
    app: QApplication, runner: TaskRunner, demo: bool = False, size: tuple[int, int] | None = None
) -> MainWindow:
    """The main window without its database, shown and painted."""
    window = MainWindow(None, runner, ui_settings(), demo=demo)
    if size is not None:
        window.resize(*size)
    window.show()
    app.processEvents()  # the first paint, before anything heavy loads
    return window


@dataclass
class Opening:
    """What the worker found: the file's lock (SQLite), the database or why not."""

    lock: QLockFile | None = None
    locked: bool = False
    db: Database | None = None
    error: BaseException | None = None


def open_in_worker(
    app: QApplication, runner: TaskRunner, db_target: str, interactive: bool = True
) -> Opening:
    """Take the file's lock, open, check and upgrade the database in the worker while the
    shell stays live; the questions it may need are asked afterwards, here."""

    def work(_task: Task) -> Opening:
        opening = Opening()
        try:
            opening.lock = startup.lock_for(db_target) if interactive else None
            if opening.lock is not None and not opening.lock.tryLock(startup.LOCK_WAIT_MS):
                opening.locked = True
                return opening
            opening.db = startup.open_quietly(db_target, ask=interactive)
            _load_first_pages()
        except Exception as exc:
            opening.error = exc
        return opening

    loop = QEventLoop()
    outcome: list[Opening] = []

    def done(result: Opening) -> None:
        outcome.append(result)
        loop.quit()

    def failed(exc: BaseException, _details: str) -> None:  # pragma: no cover - caught above
        outcome.append(Opening(error=exc))
        loop.quit()

    runner.start(work, done, failed)
    if not outcome:
        loop.exec()
    return outcome[0]


def wait_idle(runner: TaskRunner, seconds: float) -> None:
    """Until the worker is done and its results are shown (or the time is up), the event
    loop running without spinning: the worker keeps the processor."""
    loop = QEventLoop()
    deadline = time.monotonic() + seconds

    def check() -> None:
        if not runner.busy() or time.monotonic() > deadline:
            loop.quit()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(10)
    check()
    if runner.busy() and time.monotonic() <= deadline:
        loop.exec()
    timer.stop()


def _give_up(window: MainWindow, code: int, lock: QLockFile | None = None) -> int:
    window.close()
    window.runner.wait()
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
    wait_idle(window.runner, 30)  # pages loading in the worker (the report's figures)
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
    from app.demo import generate
    from app.services import overview

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

    def work(task: Task) -> object:
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

"""Opening the database at start: one window per SQLite file, a quick integrity check
with the newest good backup offered when it fails, and the schema upgrade."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from app.errors import CorruptDatabase, UserError
from ui import crash

if TYPE_CHECKING:  # app.db brings SQLAlchemy: loaded in the worker, after the first paint
    from app.db import Database

LOCK_WAIT_MS = 3000  # a window closing as another opens: wait that long for it


def lock_for(db_target: str) -> QLockFile | None:
    """Hold the file's lock for this window's life; None for PostgreSQL."""
    from app.db import sqlite_path

    path = sqlite_path(db_target)
    if path is None:
        return None
    lock = QLockFile(str(path) + ".lock")
    lock.setStaleLockTime(0)  # stale only if its process is gone, however long it has run
    return lock


def acquire(lock: QLockFile, db_target: str, wait_ms: int = LOCK_WAIT_MS) -> bool:
    """Take the lock, waiting briefly; else say clearly who holds it."""
    if lock.tryLock(wait_ms):
        return True
    refuse(lock, db_target)
    return False


def refuse(lock: QLockFile, db_target: str) -> None:
    """Another window holds the file: say clearly who."""
    from app.db import sqlite_path

    info = lock.getLockInfo()  # PySide6: (pid, hostname, appname), or False
    who = f" (máy {info[1]}, tiến trình {info[0]})" if isinstance(info, tuple) else ""
    QMessageBox.warning(
        None,
        "Tệp dữ liệu đang được dùng",
        f"Tệp dữ liệu {sqlite_path(db_target)} đang được mở ở một cửa sổ TapHuan khác{who}.\n\n"
        "Hãy dùng cửa sổ đó, hoặc đóng nó rồi mở lại. Hai cửa sổ cùng ghi một tệp "
        "có thể làm người này ghi đè việc của người kia.",
    )


def ask_server_password(db_target: str) -> str | None:
    """A shared server without a stored password (no credential store on this PC):
    ask for it for this session. None: cancelled."""
    if not db_target.startswith("postgresql"):
        return db_target  # a file (server.missing_password's first test, without SQLAlchemy)
    from app import server

    wanted = server.missing_password(db_target)
    if wanted is None:
        return db_target
    try:
        server.try_connect(wanted, "")  # a server that trusts this PC needs none
        return db_target
    except server.PasswordRefused:
        pass
    except UserError:
        return db_target  # unreachable: opening it says so
    password, ok = QInputDialog.getText(
        None, "Mật khẩu máy chủ dùng chung",
        f"Mật khẩu của “{wanted.user}” trên máy chủ {wanted.host}:{wanted.port} "
        f"(cơ sở dữ liệu {wanted.database}):",
        QLineEdit.EchoMode.Password,
    )  # fmt: skip
    return server.with_typed_password(db_target, password) if ok and password else None


def open_quietly(db_target: str, check: bool = True, ask: bool = True) -> Database | None:
    """In the worker, asking nothing: the database, checked and upgraded; None when the
    file fails its check (then `open_database` offers a backup). A UserError (a file that
    is not TapHuan's, a database newer than the program, …) is raised for the window to say.
    ask=False (a screenshot, nobody to answer): a broken file is a CorruptDatabase too,
    its message naming the newest good backup, never None."""
    from app.db import Database

    try:
        db = Database(db_target)
        if check and not db.quick_check():
            if not ask:
                _refuse_broken(db)  # raises, db closed
            db.close()
            return None
    except CorruptDatabase:
        if not ask:
            raise
        return None
    try:
        db.upgrade()
    except BaseException:
        db.close()
        raise
    return db


def _refuse_broken(db: Database) -> None:
    """Raise the CorruptDatabase that says how to restore (db closed first)."""
    try:
        db.require_intact()
    finally:
        db.close()
    name = db.path.name if db.path is not None else "dữ liệu"
    raise CorruptDatabase(  # quick_check failed, require_intact passed: a check that flickers
        f"Tệp cơ sở dữ liệu {name} không qua được kiểm tra toàn vẹn; không ghi gì vào nó."
    )


def open_database(db_target: str, interactive: bool = True) -> Database | None:
    """The database, checked and upgraded; None when it cannot be used (already said)."""
    from app.db import Database

    try:
        db = Database(db_target)
        healthy = db.quick_check()
    except CorruptDatabase:
        db, healthy = None, False
    if not healthy:
        if db is not None:
            db.close()
        if not interactive or not _offer_backup(db_target):
            return None
        db = Database(db_target)
    try:
        db.upgrade()
    except UserError as exc:
        db.close()
        crash.show_error("Không mở được cơ sở dữ liệu", exc.message)
        return None
    return db


def _offer_backup(db_target: str) -> bool:
    """The file failed its check: restore the newest good copy, if the user agrees."""
    from app import backups
    from app.db import restore, sqlite_path

    path = sqlite_path(db_target)
    assert path is not None
    good = backups.newest_good(backups.folder_of(path))
    if good is None:
        crash.show_error(
            "Tệp dữ liệu bị hỏng",
            f"Tệp {path} không qua được kiểm tra toàn vẹn và không có bản sao lưu nào còn tốt "
            f"trong {backups.folder_of(path)}. Đừng ghi thêm vào tệp này; hãy liên hệ người "
            "quản trị để cứu dữ liệu.",
        )
        return False
    answer = QMessageBox.question(
        None,
        "Tệp dữ liệu bị hỏng",
        f"Tệp {path.name} không qua được kiểm tra toàn vẹn.\n\n"
        f"Bản sao lưu còn tốt mới nhất: {good.taken:%d/%m/%Y %H:%M} ({good.kind}).\n"
        "Khôi phục từ bản đó? Tệp hỏng được giữ lại trong backups/tep-hong để cứu dữ liệu "
        "ghi sau thời điểm sao lưu.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    backups.keep_broken(path)
    restore(db_target, good.path)
    return True

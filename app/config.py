"""Where the data lives and which database to open."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "TapHuan"
DB_ENV = "TAPHUAN_DB"
DATA_DIR_ENV = "TAPHUAN_DATA_DIR"  # tests and portable installs move the data folder


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    return path


def log_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, False))


def default_db_path() -> Path:
    return data_dir() / "taphuan.db"


def demo_db_path() -> Path:
    return data_dir() / "taphuan-demo.db"


def resolve_db(arg: str | None, demo: bool = False) -> str:
    """The database to open: --db, then TAPHUAN_DB, then the shared server chosen in
    "Kết nối máy chủ dùng chung", then the file in the data folder. A PostgreSQL URL
    without a password gets the one in the system's credential store."""
    from app import server

    if arg:
        return server.with_password(arg)
    if demo:
        return str(demo_db_path())
    if os.environ.get(DB_ENV):
        return server.with_password(os.environ[DB_ENV])
    configured = server.load()
    if configured is not None:
        return configured.url(server.stored_password(configured))
    return str(default_db_path())


def current_user() -> str:
    """Who is at the keyboard, for the audit trail (until sign-in arrives)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "người dùng"


def holidays():  # type: ignore[no-untyped-def]
    """The holiday list in force: the data folder's ngay-le.csv, else the shipped one."""
    from app import resources
    from app.vn import holidays as vn_holidays

    return vn_holidays.load(
        resources.path("data", vn_holidays.FILE_NAME), data_dir() / vn_holidays.FILE_NAME
    )

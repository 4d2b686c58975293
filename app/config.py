"""Where the data lives and which database to open."""

from __future__ import annotations

import os

from app.paths import (  # noqa: F401 - where callers have always found them
    APP_NAME,
    DATA_DIR_ENV,
    data_dir,
    default_db_path,
    demo_db_path,
    log_dir,
)

DB_ENV = "TAPHUAN_DB"


def resolve_db(arg: str | None, demo: bool = False) -> str:
    """The database to open: --db, then TAPHUAN_DB, then the shared server chosen in
    "Kết nối máy chủ dùng chung", then the file in the data folder. A PostgreSQL URL
    without a password gets the one in the system's credential store."""
    from app import server  # keyring and SQLAlchemy's URL: loaded when a database is chosen

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

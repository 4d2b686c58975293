"""What --db names: a path becomes a SQLite URL; a PostgreSQL URL gets the driver. Anything
else (another engine, an in-memory database, a server URL without its host) is refused in
Vietnamese before any connection is tried."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.errors import DatabaseProblem

DRIVER = "postgresql+psycopg"
EXAMPLE = "postgresql://taphuan_app@maychu:5432/taphuan"
WHAT_WORKS = (
    "TapHuan dùng một tệp SQLite (đường dẫn tệp, ví dụ D:\\TapHuan\\taphuan.db) hoặc một máy "
    f"chủ PostgreSQL (ví dụ {EXAMPLE})"
)


def to_url(target: str) -> str:
    """A path becomes a SQLite URL; a postgresql:// URL gets the psycopg driver."""
    if "://" not in target:
        return "sqlite+pysqlite:///" + str(Path(target).expanduser().absolute())
    if target.startswith("postgresql://") or target.startswith("postgres://"):
        return f"{DRIVER}://" + target.split("://", 1)[1]
    return target


def _shown(target: str) -> str:
    text = target if len(target) <= 60 else target[:57] + "…"
    try:  # never a password in a message
        url = make_url(text)
    except (ArgumentError, ValueError):
        return text.split("@")[-1]
    return url.render_as_string(hide_password=True) if url.password else text


def checked_url(target: str) -> URL:
    """The URL of a SQLite file or a PostgreSQL database (with its host and name);
    anything else raises DatabaseProblem saying what works."""
    try:
        url = make_url(to_url(target))
    except (ArgumentError, ValueError):
        raise DatabaseProblem(
            f"“{_shown(target)}” không phải đường dẫn tệp hay địa chỉ cơ sở dữ liệu. {WHAT_WORKS}."
        ) from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            raise DatabaseProblem(
                f"“{_shown(target)}” không chỉ tệp nào (cơ sở dữ liệu trong bộ nhớ sẽ mất khi "
                f"lệnh kết thúc). {WHAT_WORKS}."
            )
        return url.set(drivername="sqlite+pysqlite")
    if backend == "postgresql":
        if not url.host or not url.database:
            missing = "tên máy chủ" if not url.host else "tên cơ sở dữ liệu"
            raise DatabaseProblem(
                f"Địa chỉ máy chủ “{_shown(target)}” thiếu {missing}; hãy viết đủ, ví dụ {EXAMPLE}."
            )
        return url.set(drivername=DRIVER)
    raise DatabaseProblem(
        f"TapHuan không dùng được cơ sở dữ liệu loại “{url.drivername}”. {WHAT_WORKS}."
    )


def display(url: URL) -> str:
    """A server database as people write it (postgresql://user@host:port/name), without
    the password or the driver's name."""
    if url.get_backend_name() == "postgresql":
        url = url.set(drivername="postgresql")
    return url.render_as_string(hide_password=True)

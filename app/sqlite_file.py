"""The SQLite file itself, before and beside any connection of the program's: where it
may live, what it is (probed over a read-only connection), copying it, and restoring it
from a backup.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from app import backups, commands
from app.db_url import checked_url
from app.errors import (
    CorruptDatabase,
    DatabaseProblem,
    NotADatabase,
    UnsafeLocation,
    os_reason,
)
from app.files import folder_refusal
from app.schema import SCHEMA_HEAD, known_revisions, too_new

SQLITE_HEADER = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-shm")


def is_network_path(path: Path) -> bool:
    """A UNC path or a mapped network drive: SQLite's locking is unsafe there."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0]
        if drive:
            drive_remote = 4
            return bool(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote)
    return False


def has_content(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def folder_writable(folder: Path) -> bool:
    return folder_refusal(folder) is None


def check_location(path: Path) -> None:
    """A local folder TapHuan may write in (made if missing), and no folder in the way."""
    if is_network_path(path):
        raise UnsafeLocation(
            f"Không dùng tệp SQLite trên ổ mạng ({path}): nhiều máy cùng ghi sẽ làm hỏng dữ "
            "liệu. Hãy dùng máy chủ PostgreSQL cho văn phòng dùng chung "
            "(--db postgresql://...)."
        )
    if path.is_dir():
        raise NotADatabase(f"{path} là một thư mục, không phải tệp cơ sở dữ liệu.")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UnsafeLocation(f"Không tạo được thư mục {folder}: {os_reason(exc)}.") from exc
    writable = folder_writable(folder) and (not path.exists() or os.access(path, os.W_OK))
    if not writable:
        raise UnsafeLocation(
            f"Thư mục {folder} chỉ cho đọc: TapHuan cần quyền ghi ở đó để lưu dữ liệu "
            "an toàn. Hãy chọn thư mục khác hoặc xin quyền ghi."
        )


def sqlite_reason(exc: BaseException) -> str:
    """What SQLite said, in Vietnamese (its own words are English)."""
    text = str(exc).lower()
    for words, reason in (
        (("malformed", "corrupt"), "cấu trúc bên trong tệp bị hỏng"),
        (("not a database", "encrypted"), "tệp không phải cơ sở dữ liệu SQLite hoặc đã bị ghi đè"),
        (("locked", "busy"), "tệp đang bị một chương trình khác khóa"),
        (("readonly", "read-only"), "tệp chỉ cho đọc"),
        (("unable to open",), "không mở được tệp"),
        (("disk i/o", "full"), "lỗi đọc ghi ổ đĩa hoặc ổ đã đầy"),
    ):
        if any(word in text for word in words):
            return reason
    return "SQLite không đọc được tệp"


def _damaged(path: Path, exc: sqlite3.DatabaseError) -> CorruptDatabase:
    return CorruptDatabase(
        f"Tệp cơ sở dữ liệu {path.name} bị hỏng ({sqlite_reason(exc)}). Hãy khôi phục từ bản "
        f"sao lưu ({commands.command(str(path), 'restore TỆP_SAO_LƯU')}) và giữ lại tệp hỏng "
        "để kiểm tra."
    )


def probe(path: Path, require_taphuan: bool = False) -> str | None:
    """Check an existing file over a read-only connection; return its revision."""
    if not path.exists() or path.stat().st_size == 0:
        if require_taphuan:
            raise NotADatabase(f"Tệp {path.name} trống, không phải cơ sở dữ liệu TapHuan.")
        return None
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise NotADatabase(
            f"Tệp {path.name} không phải là cơ sở dữ liệu TapHuan (không phải tệp SQLite)."
        )
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as con:
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from exc
    if tables and "alembic_version" not in tables:
        raise NotADatabase(f"Tệp {path.name} là cơ sở dữ liệu SQLite nhưng không phải của TapHuan.")
    if (tables or require_taphuan) and revision is None:
        raise NotADatabase(f"Tệp {path.name} không phải là cơ sở dữ liệu TapHuan hoàn chỉnh.")
    if revision is not None and revision != SCHEMA_HEAD and revision not in known_revisions():
        raise too_new(revision)
    return revision


def revision(path: Path) -> str | None:
    """The revision a SQLite file records, read over a read-only connection."""
    if not has_content(path):
        return None
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as con:
            found = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            row = (
                con.execute("SELECT version_num FROM alembic_version").fetchone() if found else None
            )
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from exc
    return str(row[0]) if row else None


def copy_sqlite(src: Path, dest: Path) -> None:
    """Copy a live SQLite file page by page, check it, then move it into place."""
    backups.checked_copy(src, dest)


def remove_sqlite_file(path: Path) -> None:
    """Delete a SQLite file with its WAL companions (tests and demo rebuilds)."""
    for p in (path, *(Path(str(path) + suffix) for suffix in COMPANIONS)):
        p.unlink(missing_ok=True)


def sqlite_path(db_target: str) -> Path | None:
    """The file behind a target, or None for a server database."""
    url = checked_url(db_target)
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    return Path(url.database).absolute()


def restore(db_target: str, source: Path) -> Path | None:
    """Replace a SQLite database with a backup; the replaced file is kept in backups/.

    Returns where the replaced file was kept (None if there was none).
    """
    source = source.expanduser().absolute()
    if not source.is_file():
        raise NotADatabase(f"Không tìm thấy tệp {source}.")
    target = sqlite_path(db_target)
    if target is None:
        raise DatabaseProblem(
            "Khôi phục chỉ dành cho tệp SQLite; với PostgreSQL hãy dùng pg_restore."
        )
    check_location(target)
    if probe(source, require_taphuan=True) is None:
        raise NotADatabase(f"Tệp {source.name} không phải là bản sao lưu của TapHuan.")
    if not backups.integrity_ok(source):
        raise CorruptDatabase(f"Tệp {source.name} bị hỏng, không thể khôi phục từ nó.")
    kept: Path | None = None
    if has_content(target):
        with target.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise NotADatabase(
                    f"Tệp {target} không phải cơ sở dữ liệu SQLite nên TapHuan không thay nó "
                    "bằng bản sao lưu; hãy kiểm tra lại đường dẫn --db."
                )
        if backups.integrity_ok(target, quick=True):
            kept = backups.make(target, "truoc-khoi-phuc")
        else:  # a broken file cannot be copied through SQLite: it is moved aside whole
            kept = backups.keep_broken(target)
    copy_sqlite(source, target)
    for suffix in COMPANIONS:
        Path(str(target) + suffix).unlink(missing_ok=True)
    return kept

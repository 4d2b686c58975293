"""The database: engine, SQLite pragmas, transactions, migrations, the check and backups.

SQLite is the embedded default; PostgreSQL is the same code with another URL. The SQLite
file itself (where it may live, probing it, restoring it) is app.sqlite_file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app import backups, commands, config, sqlite_file
from app import facts as _facts  # noqa: F401 - its session hooks keep the facts in step
from app.actor import Actor, unsigned
from app.db_url import checked_url, display, to_url  # noqa: F401 - to_url: callers'
from app.errors import (
    CorruptDatabase,
    DatabaseBusy,
    DatabaseMissing,
    DatabaseProblem,
    EditConflict,
    NotADatabase,
    UnsafeLocation,
    os_reason,
)
from app.schema import (  # noqa: F401 - where callers have always found them
    SCHEMA_HEAD,
    alembic_config,
    head_revision,
    known_revisions,
    too_new,
)
from app.sqlite_file import (  # noqa: F401 - where callers have always found them
    check_location,
    copy_sqlite,
    folder_writable,
    has_content,
    is_network_path,
    remove_sqlite_file,
    restore,
    sqlite_path,
    sqlite_reason,
)
from models import Base

if TYPE_CHECKING:
    from app.services.audit_verify import ChainReport

BUSY_TIMEOUT_MS = 30_000
INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE for "permission denied", "must be owner"
BUSY_RETRIES = 5  # each after waiting BUSY_TIMEOUT_MS: minutes before giving up
CONNECT_TIMEOUT_S = 10  # a server that does not answer: said in seconds, not minutes
log = logging.getLogger("taphuan.db")


UNREADABLE = -1  # a row count that could not be read (a damaged table)


@dataclass(frozen=True)
class CheckReport:
    revision: str | None
    head: str
    integrity: str
    foreign_key_problems: int
    counts: dict[str, int]
    audit: ChainReport | None = None  # the audit trail's hash chain (None: not checked)

    @property
    def ok(self) -> bool:
        return (
            self.revision == self.head
            and self.integrity == "ok"
            and self.foreign_key_problems == 0
            and (self.audit is None or self.audit.ok)
        )


class Database:
    """One database, SQLite file or PostgreSQL server, and how to talk to it safely."""

    def __init__(self, target: str, must_exist: bool = False) -> None:
        """must_exist: a missing or empty SQLite file is refused (DatabaseMissing) before
        any folder is made, for commands that only read or change an existing record."""
        self.url = checked_url(target)
        self.path: Path | None = None
        if self.is_sqlite:
            assert self.url.database
            self.path = Path(self.url.database)
            try:
                if must_exist and not has_content(self.path):
                    raise DatabaseMissing(
                        f"Chưa có cơ sở dữ liệu tại {self.path}; {_create_hint(self.url)}"
                    )
                check_location(self.path)
                sqlite_file.probe(self.path)
            except OSError as exc:
                raise UnsafeLocation(
                    f"Không mở được tệp cơ sở dữ liệu {self.path}: {os_reason(exc)}."
                ) from exc
            self.engine = _sqlite_engine(self.path)
        else:
            self.engine = create_engine(
                self.url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}
            )
        self._readonly = self.engine.execution_options(taphuan_readonly=True)
        self._actor = nobody_signed_in()

    @property
    def actor(self) -> Actor:
        """Who acts in every transaction (put on its session: app.actor): the account
        signed in, else the local administrator under the system's user name."""
        return self._actor

    @actor.setter
    def actor(self, actor: Actor | None) -> None:
        """None: nobody signed in."""
        self._actor = nobody_signed_in() if actor is None else actor

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def describe(self) -> str:
        """What the status bar shows: the file, or the server without the password."""
        if self.path is not None:
            return str(self.path)
        return display(self.url)

    def close(self, optimize: bool = True) -> None:
        """optimize: let SQLite refresh its statistics first, if it can without waiting
        (a command that only read passes False: it writes nothing at all)."""
        if self.is_sqlite and optimize:
            try:  # what SQLite asks long-lived programs to do before closing
                with self.engine.connect() as conn:
                    raw = conn.connection.driver_connection
                    raw.execute("PRAGMA busy_timeout=0")  # never wait for a writer for this
                    raw.execute("PRAGMA optimize")
            except Exception:
                pass
        self.engine.dispose()

    def analyze(self) -> None:
        """Refresh the planner's statistics after a bulk load (demo, big import, upgrade)."""
        with self.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    @contextmanager
    def transaction(self, readonly: bool = False) -> Iterator[Session]:
        """One user action: commits at the end, rolls back on any exception.

        A writer takes SQLite's lock before the action starts (BEGIN IMMEDIATE); if
        another program holds it past the busy timeout, it says so and tries again,
        so no write is lost and the action never runs half under a lock it lacks."""
        bind = self._readonly if readonly else self.engine
        with Session(bind, expire_on_commit=False) as s:
            for attempt in range(1, BUSY_RETRIES + 1):
                s.begin()
                try:
                    s.connection()  # BEGIN now, not at the action's first statement
                    break
                except OperationalError as exc:
                    s.rollback()
                    if not self.is_sqlite:
                        raise self._unreachable() from exc
                    if not _is_busy(exc):
                        raise
                    if attempt == BUSY_RETRIES:
                        raise DatabaseBusy(
                            f"Cơ sở dữ liệu {self.describe()} đang bận: một chương trình khác giữ "
                            "quyền ghi quá lâu. Không ghi gì; hãy thử lại sau."
                        ) from exc
                    log.warning("Cơ sở dữ liệu đang bận, thử lại (lần %d)…", attempt)
            s.info["actor"] = self._actor
            try:
                yield s
                s.commit()
            except StaleDataError as exc:  # another program saved the same row meanwhile
                s.rollback()
                raise EditConflict(
                    "Bản ghi này vừa được người khác lưu trong lúc bạn sửa; không ghi gì. "
                    "Hãy mở lại để xem bản mới rồi sửa tiếp."
                ) from exc
            except OperationalError as exc:
                s.rollback()
                if _is_deadlock(exc):  # two desks each waiting for the other (PostgreSQL)
                    raise EditConflict(
                        "Một máy khác đang ghi cùng những dữ liệu này và hai bên chờ nhau, nên "
                        "thao tác này dừng lại; không ghi gì. Hãy thử lại."
                    ) from exc
                raise
            except BaseException:
                s.rollback()
                raise

    # -- schema --------------------------------------------------------------------

    def _reader(self) -> Connection:
        """A connection that takes no write lock; a server that cannot be reached says so."""
        try:
            return self._readonly.connect()
        except OperationalError as exc:
            if self.is_sqlite:
                raise
            raise self._unreachable() from exc

    def require_schema(self) -> None:
        """A server database TapHuan never set up (no schema version) is "chưa có cơ sở dữ
        liệu", as a missing SQLite file is: a command other than init creates nothing in it."""
        if self.path is None and self.current_revision() is None:
            raise DatabaseMissing(
                f"Chưa có cơ sở dữ liệu TapHuan trong {self.describe()}; {_create_hint(self.url)}"
            )

    def current_revision(self) -> str | None:
        with self._reader() as conn:
            return _read_revision(conn)

    def needs_upgrade(self) -> bool:
        """Whether the schema is behind this version, read without SQLite's write lock (a
        SQLite file over a read-only connection: not even its journal mode is touched)."""
        if self.path is not None:
            return sqlite_file.revision(self.path) != SCHEMA_HEAD
        with self._reader() as probe:
            current = _read_revision(probe)
            probe.rollback()
        return current != SCHEMA_HEAD

    def _unreachable(self) -> DatabaseProblem:
        return DatabaseProblem(
            f"Không kết nối được cơ sở dữ liệu {self.describe()}: máy chủ tắt, sai địa "
            "chỉ, sai mật khẩu hoặc tường lửa chặn."
        )

    def upgrade(self) -> bool:
        """Bring the schema to this version's head; back up a SQLite file first.

        Returns whether any migration ran. A database already at the head is only read,
        without SQLite's write lock, so a reader never waits for a writer here.
        """
        if not self.needs_upgrade():
            return False
        try:
            conn = self.engine.connect()
        except OperationalError as exc:
            raise self._unreachable() from exc
        with conn:
            current = _read_revision(conn)
            if current is None and set(inspect(conn).get_table_names()) - {"alembic_version"}:
                conn.rollback()
                raise NotADatabase(
                    "Cơ sở dữ liệu này đã có bảng nhưng không phải của TapHuan; không thể dùng nó."
                )
            conn.rollback()
            if current == SCHEMA_HEAD:
                return False
            if current is not None and current not in known_revisions():
                raise too_new(current)
            if self.path is not None and current is not None:
                self.backup_before_upgrade(current)
            from alembic import command

            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            try:
                command.upgrade(cfg, "head")
            except ProgrammingError as exc:  # a login role that may not alter the schema
                if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
                    raise
                raise DatabaseProblem(
                    f"Cơ sở dữ liệu cần nâng cấp lên phiên bản {SCHEMA_HEAD}, nhưng tài khoản "
                    f"máy chủ “{self.url.username}” không được đổi cấu trúc bảng; chưa có gì "
                    "bị thay đổi. Người quản trị máy chủ hãy chạy “taphuan --db "
                    f"postgresql://QUẢN_TRỊ@{self.url.host}:{self.url.port or 5432}/"
                    f"{self.url.database} server setup --owner CHỦ --app-user "
                    f"{self.url.username}” (xem README, phần Máy chủ dùng chung)."
                ) from exc
        self.analyze()
        return True

    def check(self) -> CheckReport:
        """Schema revision, integrity check, row counts and the audit trail's hash chain,
        without writing anything."""
        from app.services import audit_verify

        with self._reader() as conn:
            revision = _read_revision(conn)
            if self.is_sqlite:
                try:
                    integrity = "; ".join(
                        r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
                    )
                    fk_problems = len(conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
                except DBAPIError as exc:  # so damaged that the check itself stops
                    integrity = f"tệp bị hỏng nặng ({sqlite_reason(exc.orig)})"
                    fk_problems = UNREADABLE
            else:
                integrity, fk_problems = "ok", 0  # PostgreSQL enforces both itself
            counts: dict[str, int] = {}
            present = set(inspect(conn).get_table_names())
            for name, table in Base.metadata.tables.items():
                if name in present:
                    try:
                        counts[name] = conn.execute(
                            select(func.count()).select_from(table)
                        ).scalar_one()
                    except DBAPIError:  # a damaged table: the integrity line says why
                        counts[name] = UNREADABLE
            # the chain is read only from a file whose pages are sound
            chain = (
                audit_verify.verify(conn) if revision == SCHEMA_HEAD and integrity == "ok" else None
            )
            conn.rollback()
        return CheckReport(revision, SCHEMA_HEAD, integrity, fk_problems, counts, chain)

    # -- backups -------------------------------------------------------------------

    def backup_dir(self) -> Path:
        assert self.path is not None
        return backups.folder_of(self.path)

    def backup(self, dest: Path) -> Path:
        """A consistent copy of the SQLite file, made with SQLite's backup API."""
        if self.path is None:
            raise DatabaseProblem(
                "Sao lưu trong TapHuan chỉ dành cho tệp SQLite; với máy chủ PostgreSQL "
                "hãy dùng pg_dump."
            )
        dest = dest.expanduser().absolute()
        if dest.resolve() == self.path.resolve():
            raise DatabaseProblem("Tệp sao lưu không được trùng với tệp cơ sở dữ liệu đang dùng.")
        if not dest.parent.is_dir() or not folder_writable(dest.parent):
            raise UnsafeLocation(f"Không ghi được vào thư mục {dest.parent}.")
        copy_sqlite(self.path, dest)
        return dest

    def backup_before_upgrade(self, revision: str) -> Path:
        assert self.path is not None
        return backups.make(self.path, f"truoc-nang-cap-{revision}")

    def daily_backup(self) -> Path | None:
        """The first start of each day keeps a checked copy (SQLite only)."""
        return None if self.path is None else backups.daily(self.path)

    def quick_check(self) -> bool:
        """A fast integrity check at start (PRAGMA quick_check); PostgreSQL, and a file not
        made yet (the first start), have nothing to check: true."""
        if self.path is None or not has_content(self.path):
            return True
        return backups.integrity_ok(self.path, quick=True)

    def require_intact(self) -> None:
        """Before a write to a SQLite file: PRAGMA quick_check. A malformed file is refused
        with the way out (restore the newest good backup), so nothing is written into it."""
        if self.path is None or not has_content(self.path) or self.quick_check():
            return
        good = backups.newest_good(self.backup_dir())
        again = commands.command(self.url, f'restore "{good.path}"' if good else "")
        way_out = (
            f"Bản sao lưu tốt mới nhất: {good.path} ({good.taken:%d/%m/%Y %H:%M}); khôi phục "
            f"bằng: {again}"
            if good
            else f"Không có bản sao lưu tốt trong {self.backup_dir()}; hãy khôi phục bằng "
            f"“{commands.command(self.url, 'restore TỆP_SAO_LƯU')}” từ một bản sao lưu khác"
        )
        raise CorruptDatabase(
            f"Tệp cơ sở dữ liệu {self.path.name} bị hỏng (kiểm tra nhanh không đạt); không ghi "
            f"gì vào nó. {way_out}. Tệp hỏng sẽ được giữ lại trong backups/tep-hong."
        )


def _create_hint(url: URL) -> str:
    """How to make the missing database: the demo is filled, any other created."""
    if commands.is_demo(url):
        return (
            f"hãy nạp dữ liệu mẫu bằng “{commands.command(url, 'demo')}” (hoặc mở cửa sổ "
            f"chương trình bằng “{commands.prefix(url)}”)."
        )
    return f"hãy chạy “{commands.command(url, 'init')}” (hoặc chọn đúng tệp bằng --db)."


def nobody_signed_in() -> Actor:
    """The local administrator, named in the audit trail as the system's user."""
    return unsigned(config.current_user())


def _is_deadlock(exc: OperationalError) -> bool:
    """PostgreSQL gave up one of two transactions waiting for each other (40P01), or
    could not serialize it (40001): the loser wrote nothing and may simply try again."""
    return getattr(exc.orig, "sqlstate", None) in ("40P01", "40001")


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


# -- SQLite details ----------------------------------------------------------------


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (the pysqlite recipe), and set
        # the pragmas on every connection: foreign keys are off by default and the pragma
        # is ignored inside a transaction.
        dbapi_connection.isolation_level = None
        for pragma in (
            "foreign_keys=ON",
            "journal_mode=WAL",
            "synchronous=FULL",
            f"busy_timeout={BUSY_TIMEOUT_MS}",
        ):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock up front, so two writers wait instead of failing midway.
        readonly = conn.get_execution_options().get("taphuan_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def _read_revision(conn: Any) -> str | None:
    try:
        if not inspect(conn).has_table("alembic_version"):
            return None
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return str(revision) if revision is not None else None
    except OperationalError as exc:
        raise CorruptDatabase(f"Không đọc được cơ sở dữ liệu: {sqlite_reason(exc.orig)}.") from exc
    except DBAPIError as exc:
        raise NotADatabase(f"Không đọc được cơ sở dữ liệu: {sqlite_reason(exc.orig)}.") from exc

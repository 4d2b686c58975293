"""SQLite details that keep the record safe."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.db import BACKUPS_KEPT, SCHEMA_HEAD, Database, is_network_path, to_url
from models import Base, Setting


def test_every_connection_gets_the_safety_pragmas(sqlite_db: Database) -> None:
    for _ in range(3):  # fresh pooled connections too
        with sqlite_db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw.execute("PRAGMA foreign_keys").fetchone() == (1,)
            assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert raw.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
            assert raw.execute("PRAGMA busy_timeout").fetchone() == (30000,)
        sqlite_db.engine.dispose()


def test_two_writers_wait_for_each_other_instead_of_failing(sqlite_db: Database) -> None:
    order: list[str] = []
    first_has_lock = threading.Event()

    def first() -> None:
        with sqlite_db.transaction() as s:
            s.add(Setting(key="a", value=1))
            s.flush()
            first_has_lock.set()
            time.sleep(0.5)
            order.append("first commits")

    thread = threading.Thread(target=first)
    thread.start()
    first_has_lock.wait(5)
    with sqlite_db.transaction() as s:
        s.execute(select(1))  # the first statement sends BEGIN IMMEDIATE: it waits here
        order.append("second begins")
        s.add(Setting(key="b", value=2))
    thread.join()
    assert order == ["first commits", "second begins"]
    with sqlite_db.transaction(readonly=True) as s:
        assert sorted(s.scalars(select(Setting.key))) == ["a", "b"]


def test_readers_do_not_take_the_write_lock(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as writer:
        writer.add(Setting(key="a", value=1))
        writer.flush()
        with sqlite_db.transaction(readonly=True) as reader:
            assert reader.scalar(select(Setting.key)) is None  # WAL: sees the last commit


def test_backups_before_upgrade_keep_the_last_ten(sqlite_db: Database) -> None:
    made = [sqlite_db.backup_before_upgrade(SCHEMA_HEAD) for _ in range(BACKUPS_KEPT + 3)]
    kept = sorted(sqlite_db.backup_dir().glob("*.db"))
    assert kept == sorted(made[-BACKUPS_KEPT:])
    probe = Database(str(kept[-1]))
    assert probe.current_revision() == SCHEMA_HEAD
    probe.close()


def test_backup_is_a_complete_copy_without_wal(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.transaction() as s:
        s.add(Setting(key="issuing_body", value="Sở Khoa học và Công nghệ tỉnh Vĩnh Long"))
    dest = sqlite_db.backup(tmp_path / "copy.db")
    assert not Path(str(dest) + "-wal").exists()
    copy = Database(str(dest))
    with copy.transaction(readonly=True) as s:
        assert s.get_one(Setting, "issuing_body").value == "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"
    copy.close()


def test_every_foreign_key_is_indexed() -> None:
    missing = []
    for table in Base.metadata.tables.values():
        leading = {tuple(c.name for c in idx.columns)[:1] for idx in table.indexes}
        leading |= {
            tuple(c.name for c in con.columns)[:1]
            for con in table.constraints
            if hasattr(con, "columns")
            and con.__class__.__name__ in ("PrimaryKeyConstraint", "UniqueConstraint")
        }
        pk_cols = [c.name for c in table.primary_key.columns]
        for fk in table.foreign_keys:
            col = fk.parent.name
            if (col,) not in leading and not (col in pk_cols and pk_cols[0] == col):
                missing.append(f"{table.name}.{col}")
    assert missing == []


@pytest.mark.parametrize(
    "path", ["\\\\fileserver\\chung\\taphuan.db", "//fileserver/chung/taphuan.db"]
)
def test_network_paths_are_recognised(path: str) -> None:
    assert is_network_path(Path(path))


def test_urls() -> None:
    assert to_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert to_url("/tmp/x.db") == "sqlite+pysqlite:////tmp/x.db"


def test_postgresql_rejects_a_foreign_database(pg_empty: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(pg_empty.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE khach_hang (id int)"))
    engine.dispose()
    db = Database(pg_empty)
    with pytest.raises(Exception) as err:
        db.upgrade()
    assert "không phải của TapHuan" in str(err.value)
    db.close()

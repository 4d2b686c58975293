"""SQLite details that keep the record safe."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.db import SCHEMA_HEAD, Database, is_network_path, to_url
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


def test_backup_before_upgrade_is_a_checked_copy(sqlite_db: Database) -> None:
    made = sqlite_db.backup_before_upgrade(SCHEMA_HEAD)
    assert made.parent == sqlite_db.backup_dir() and f"truoc-nang-cap-{SCHEMA_HEAD}" in made.name
    probe = Database(str(made))
    assert probe.current_revision() == SCHEMA_HEAD
    probe.close()


def test_kept_backups_daily_then_weekly_then_monthly(tmp_path: Path) -> None:
    """A copy a day for 400 days: all of the last 14 days, one per week for 13 weeks, one
    per month for two years; the newest whatever its age."""
    from datetime import datetime, timedelta

    from app import backups

    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime(2026, 11, 28, 9, 0)
    for day in range(400):
        taken = now - timedelta(days=day, hours=1)
        (folder / f"taphuan-{taken:%Y%m%d-%H%M%S}-000000-hang-ngay.db").write_bytes(b"")
    removed = backups.prune(folder, now)
    kept = backups.listing(folder)
    assert len(kept) + len(removed) == 400
    ages = [(now - b.taken).days for b in kept]
    assert ages[:14] == list(range(14))  # every day of the last two weeks
    weekly = [b for b in kept if 14 <= (now - b.taken).days < 91]
    assert len({b.taken.isocalendar()[:2] for b in weekly}) == len(weekly)  # one per week
    assert 10 <= len(weekly) <= 12
    monthly = [b for b in kept if (now - b.taken).days >= 91]
    assert len({(b.taken.year, b.taken.month) for b in monthly}) == len(monthly)
    assert max(ages) < 400 and len(monthly) >= 9
    # The newest copy stays even when it is old.
    for b in kept:
        b.path.unlink()
    old = folder / "taphuan-20200101-080000-000000-hang-ngay.db"
    old.write_bytes(b"")
    assert backups.prune(folder, now) == [] and old.exists()


def test_daily_backup_once_a_day_and_a_bad_copy_replaces_nothing(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import backups
    from app.errors import CorruptDatabase

    first = sqlite_db.daily_backup()
    assert first is not None and "hang-ngay" in first.name
    assert sqlite_db.daily_backup() is None  # the second start of the day
    assert sqlite_db.quick_check()
    monkeypatch.setattr(backups, "integrity_ok", lambda _path, quick=False: False)
    with pytest.raises(CorruptDatabase, match="không qua được kiểm tra toàn vẹn"):
        sqlite_db.backup_before_upgrade(SCHEMA_HEAD)
    assert [p.name for p in sqlite_db.backup_dir().iterdir()] == [first.name]  # no temp left


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

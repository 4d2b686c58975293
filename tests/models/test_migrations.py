"""The migrations are the schema: autogenerate finds nothing new, and the chain runs both ways."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from app.db import SCHEMA_HEAD, Database, alembic_config, head_revision
from models import Base


def _diff(db: Database) -> list:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, Base.metadata)


def test_schema_head_constant_is_the_newest_migration() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_models_match_migrations_on_sqlite(sqlite_db: Database) -> None:
    assert _diff(sqlite_db) == []


def test_models_match_migrations_on_postgresql(pg_empty: str) -> None:
    db = Database(pg_empty)
    db.upgrade()
    assert _diff(db) == []
    db.close()


def _chain_down_and_up(db: Database) -> None:
    db.upgrade()
    assert db.current_revision() == head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    cfg = alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    assert db.current_revision() is None
    assert db.upgrade() is True
    assert db.current_revision() == head_revision()


def test_chain_upgrades_and_downgrades_on_sqlite(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "chain.db"))
    _chain_down_and_up(db)
    db.close()


def test_chain_upgrades_and_downgrades_on_postgresql(pg_empty: str) -> None:
    db = Database(pg_empty)
    _chain_down_and_up(db)
    db.close()


def test_upgrade_from_0001_keeps_every_child_row_and_backs_up_first(tmp_path: Path) -> None:
    """0002 rebuilds `people` (a batch copy on SQLite); attendance must survive it."""
    path = tmp_path / "old.db"
    db = Database(str(path))
    cfg = alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    now = "2026-03-02 07:30:00"
    with db.engine.begin() as conn:
        for sql in (
            "INSERT INTO people (id, full_name, family_name, middle_name, given_name, sort_key,"
            " search_key, birth_year_only, is_trainer, version, created_at, updated_at)"
            f" VALUES (1, 'Nguyễn Thị Hà', 'Nguyễn', 'Thị', 'Hà', 'k', 'nguyen thi ha', 0, 0, 1,"
            f" '{now}', '{now}')",
            "INSERT INTO courses (id, code, title, organiser, start_date, end_date, status,"
            " is_online, min_attendance_pct, score_scale, version, created_at, updated_at)"
            " VALUES (1, 'TH-2026-001', 'Tập huấn', 'Sở', '2026-03-02', '2026-03-06', 'running',"
            f" 0, 80, 10, 1, '{now}', '{now}')",
            "INSERT INTO sessions (id, course_id, starts_at, ends_at, mode, grace_minutes,"
            f" version, created_at, updated_at) VALUES (1, 1, '{now}', '2026-03-02 11:00:00',"
            f" 'in_person', 15, 1, '{now}', '{now}')",
            "INSERT INTO enrolments (id, course_id, person_id, status, registered_at, source,"
            f" pre_score, version, created_at, updated_at) VALUES (1, 1, 1, 'registered', '{now}',"
            f" 'manual', 4.5, 1, '{now}', '{now}')",
            "INSERT INTO attendance (id, session_id, enrolment_id, status, method, version,"
            f" created_at, updated_at) VALUES (1, 1, 1, 'present', 'manual', 1, '{now}', '{now}')",
        ):
            conn.exec_driver_sql(sql)
    assert db.upgrade() is True
    assert db.current_revision() == head_revision()
    with db.engine.connect() as conn:
        counts = [
            conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
            for t in ("people", "enrolments", "attendance")
        ]
        assert counts == [1, 1, 1]
        # 0004 gave the person already recorded a check-in code.
        code = conn.exec_driver_sql("SELECT checkin_code FROM people").scalar()
        assert code and len(code) == 8 and not set(code) & set("01OI")
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    backups = list((tmp_path / "backups").glob("*truoc-nang-cap-0001.db"))
    assert len(backups) == 1
    db.close()

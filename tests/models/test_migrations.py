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

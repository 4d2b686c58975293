"""Alembic environment: batch mode and foreign keys off for SQLite, checks after."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from models import Base

config = context.config
target_metadata = Base.metadata


class MigrationBroke(RuntimeError):
    pass


def _driver(connection: Connection):  # type: ignore[no-untyped-def]
    return connection.connection.driver_connection


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A batch migration copies tables; with foreign keys on, dropping the old copy
        # runs ON DELETE CASCADE and silently wipes child rows. The pragma is ignored
        # inside a transaction, so it is set on the driver connection before one begins.
        assert not connection.in_transaction(), "hand env.py a connection outside a transaction"
        _driver(connection).execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            transactional_ddl=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise MigrationBroke(f"foreign_key_check after migration: {problems[:5]}")
                integrity = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
                if [r[0] for r in integrity] != ["ok"]:
                    raise MigrationBroke(f"integrity_check after migration: {integrity[:5]}")
    finally:
        if sqlite:
            _driver(connection).execute("PRAGMA foreign_keys=ON")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Developer use: `alembic -x url=sqlite:///dev.db upgrade head`.
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    engine = create_engine(url)
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            _driver(conn).isolation_level = None
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("TapHuan migrations run online only.")
run_migrations_online()

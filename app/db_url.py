"""What --db names: a path becomes a SQLite URL; a PostgreSQL URL gets the driver."""

from __future__ import annotations

from pathlib import Path


def to_url(target: str) -> str:
    """A path becomes a SQLite URL; a postgresql:// URL gets the psycopg driver."""
    if "://" not in target:
        return "sqlite+pysqlite:///" + str(Path(target).expanduser().absolute())
    if target.startswith("postgresql://") or target.startswith("postgres://"):
        return "postgresql+psycopg://" + target.split("://", 1)[1]
    return target

"""Shared fixtures: a migrated temporary database, on SQLite and (when set) PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.db import Database

PG_URL = os.environ.get("TAPHUAN_TEST_PG_URL")
PG_SKIP = "TAPHUAN_TEST_PG_URL is not set: no PostgreSQL server for the shared-office tests"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real data folder or the user's TAPHUAN_DB."""
    folder = tmp_path / "data"
    monkeypatch.setenv("TAPHUAN_DATA_DIR", str(folder))
    monkeypatch.delenv("TAPHUAN_DB", raising=False)
    return folder


class PgServer:
    """Creates throwaway databases on the test server, each from a migrated template."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.template: str | None = None

    def url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        name = f"taphuan_t_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {name}{clause}"))
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def migrated_template(self) -> str:
        if self.template is None:
            name = self.create()
            db = Database(self.url_for(name))
            db.upgrade()
            db.close()
            self.template = name
        return self.template


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    if not PG_URL:
        yield None
        return
    server = PgServer(PG_URL)
    yield server
    if server.template:
        server.drop(server.template)
    server.admin.dispose()


@pytest.fixture
def pg_empty(pg_server: PgServer | None) -> Iterator[str]:
    """The URL of an empty PostgreSQL database."""
    if pg_server is None:
        pytest.skip(PG_SKIP)
    name = pg_server.create()
    yield pg_server.url_for(name)
    pg_server.drop(name)


def _sqlite_db(path: Path) -> Database:
    db = Database(str(path))
    db.upgrade()
    return db


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """A SQLite file built by the migrations."""
    db = _sqlite_db(tmp_path / "taphuan.db")
    yield db
    db.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(
    request: pytest.FixtureRequest, tmp_path: Path, pg_server: PgServer | None
) -> Iterator[Database]:
    """The same test on a migrated SQLite file and on a migrated PostgreSQL database."""
    if request.param == "sqlite":
        database = _sqlite_db(tmp_path / "taphuan.db")
        yield database
        database.close()
        return
    if pg_server is None:
        pytest.skip(PG_SKIP)
    name = pg_server.create(template=pg_server.migrated_template())
    database = Database(pg_server.url_for(name))
    yield database
    database.close()
    pg_server.drop(name)

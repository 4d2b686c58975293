"""The command a message tells someone to run, written for the database in use, so that
copying it works: `taphuan` for the database plain `taphuan` opens, `taphuan --demo` for
the demo's file, `taphuan --db "<file>"` for any other file, and for a server
`taphuan --db postgresql://user@host:port/name` (never a password: the stored one is used).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from app import paths
from app.config import DB_ENV
from app.db_url import checked_url

PROGRAM = "taphuan"


class HasUrl(Protocol):
    @property
    def url(self) -> URL: ...


Where = URL | Session | HasUrl | str


def _url(where: Where) -> URL:
    if isinstance(where, URL):
        return where
    if isinstance(where, Session):
        return where.get_bind().url
    if isinstance(where, str):
        return checked_url(where)
    return where.url


def _same(a: Path, b: Path) -> bool:
    return a.expanduser().resolve() == b.expanduser().resolve()


def _plain_file() -> Path | None:
    """The file plain `taphuan` opens: TAPHUAN_DB, else the data folder's, unless a
    shared server was chosen (then no file)."""
    from app import server

    chosen = os.environ.get(DB_ENV)
    if chosen:
        url = checked_url(chosen)
        return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
    if server.load() is not None:
        return None
    return paths.default_db_path()


def is_demo(where: Where) -> bool:
    url = _url(where)
    return (
        url.get_backend_name() == "sqlite"
        and bool(url.database)
        and _same(Path(str(url.database)), paths.demo_db_path())
    )


def prefix(where: Where) -> str:
    """`taphuan` with what chooses the database in use: nothing, --demo, or --db."""
    url = _url(where)
    if url.get_backend_name() != "sqlite":
        # set(password=None) would keep it: None there means "unchanged".
        shown = URL.create(
            "postgresql", url.username, None, url.host, url.port, url.database, url.query
        )
        return f"{PROGRAM} --db {shown.render_as_string(hide_password=False)}"
    path = Path(str(url.database))
    if is_demo(url):
        return f"{PROGRAM} --demo"
    plain = _plain_file()
    if plain is not None and _same(path, plain):
        return PROGRAM
    return f"{PROGRAM} --db {_quoted(str(path))}"


def _quoted(path: str) -> str:
    """The path as one word to paste into a shell. Windows (cmd, PowerShell): in double
    quotes, which its file names never hold. Elsewhere in single quotes when double ones
    would let the shell expand or end it ($, `, \\, ")."""
    if os.name == "nt" or not any(ch in path for ch in '"$`\\'):
        return f'"{path}"'
    return "'" + path.replace("'", "'\\''") + "'"


def command(where: Where, words: str) -> str:
    """The command line to run `words` (e.g. "certificates reissue SỐ_HIỆU") on the
    database in use."""
    return f"{prefix(where)} {words}"

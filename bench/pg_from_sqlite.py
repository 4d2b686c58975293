"""Copy a demo SQLite file into a new PostgreSQL database, for bench/pg_overview.py when
`demo --scale 25` on the server takes too long (45 minutes on the busy 2-core test
machine; this copy about 4). Same rows, same ids; the audit trail is left out (the
dashboards never read it; its chain starts empty, so `taphuan check` stays clean).

    python bench/pg_from_sqlite.py DEMO.db postgresql+psycopg://postgres@127.0.0.1:54329/pgdesk_c25

The database is created (it must not exist) and migrated; both must be at the same
schema revision. Reads the SQLite file read-only. A bench tool, not a product feature.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time

import psycopg
from common import ROOT  # noqa: F401  (puts the project on sys.path)
from sqlalchemy.engine import make_url

from app.db import Database
from models import Base

LEFT_OUT = {"audit_entries", "audit_chain_head"}  # the chain is the server's own


def plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sqlite_file")
    parser.add_argument("url")
    args = parser.parse_args()
    target = make_url(args.url)
    admin = target.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(plain(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target.database}"')  # type: ignore[arg-type]
    db = Database(args.url)
    db.upgrade()
    src = sqlite3.connect(f"file:{args.sqlite_file}?mode=ro", uri=True)
    theirs = src.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    if theirs != db.current_revision():
        raise SystemExit(
            f"{args.sqlite_file} is at {theirs}, the server at {db.current_revision()}"
        )
    started = time.perf_counter()
    with psycopg.connect(plain(args.url)) as conn:
        conn.execute("SET session_replication_role = replica")  # no triggers, no FK checks
        for table in Base.metadata.sorted_tables:
            if table.name in LEFT_OUT:
                continue
            cols = ", ".join(f'"{c.name}"' for c in table.columns)
            conn.execute(f'DELETE FROM "{table.name}"')  # type: ignore[arg-type]
            rows = 0
            with conn.cursor().copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:  # type: ignore[arg-type]
                for row in src.execute(f'SELECT {cols} FROM "{table.name}"'):
                    copy.write_row(row)
                    rows += 1
            if "id" in table.columns:
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # type: ignore[arg-type]
                    f'(SELECT coalesce(max(id), 0) + 1 FROM "{table.name}"), false) '
                    f"WHERE pg_get_serial_sequence('\"{table.name}\"', 'id') IS NOT NULL"
                )
            print(f"  {table.name}: {rows:,}", file=sys.stderr, flush=True)
        conn.commit()
    db.analyze()
    db.close()
    print(
        f"copied {args.sqlite_file} into {target.database} in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

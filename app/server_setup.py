"""`taphuan server setup`: two PostgreSQL roles for a shared office.

The owner role owns the schema: migrations run as it, and only it may alter tables or
their triggers. The login role is what every PC connects with: it reads and writes the
training data, but on the audit trail it may only read and add (no UPDATE, DELETE,
TRUNCATE, no ALTER, no trigger to drop), and the chain head it may only read: the
database itself chains each entry added (a trigger running as the owner sets its place,
hash, time and role, and moves the head). Run with an administrator's connection (a
superuser, usually `postgres`).

Passwords are never put in a statement in clear: the role gets a SCRAM-SHA-256 verifier
computed here, as psql's \\password does, so no server log ever holds one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.exc import OperationalError

from app.db import Database
from app.db_url import checked_url, display
from app.errors import DatabaseProblem, InvalidValue

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
DATABASE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$")
SCRAM_ITERATIONS = 4096
# What the login role may do besides SELECT, INSERT, UPDATE, DELETE on every table.
LIMITED = {
    "audit_entries": "SELECT, INSERT",  # the trail: read and add, nothing else
    "audit_chain_head": "SELECT",  # moved only by the chaining trigger, as the owner
    "alembic_version": "SELECT",  # the schema's version: only the owner's upgrades change it
}
DANGEROUS = ("rolsuper", "rolcreaterole", "rolcreatedb", "rolreplication", "rolbypassrls")


@dataclass(frozen=True)
class SetupResult:
    server: str  # the administrator's URL, without password
    database: str
    owner_created: bool
    app_created: bool
    app_stripped: tuple[str, ...]  # dangerous attributes taken from the login role
    objects_moved: int  # tables, sequences, functions handed over to the owner
    upgraded: bool
    revision: str | None
    app_url: str  # what the PCs connect with (no password)


def scram_verifier(password: str, salt: bytes | None = None) -> str:
    """The SCRAM-SHA-256 secret PostgreSQL stores (RFC 5802/7677), from SASLprep'd text."""
    salt = salt or secrets.token_bytes(16)
    normalized = unicodedata.normalize("NFKC", password).encode("utf-8")
    salted = hashlib.pbkdf2_hmac("sha256", normalized, salt, SCRAM_ITERATIONS)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    salt_b64, stored_b64, server_b64 = (
        base64.b64encode(b).decode() for b in (salt, stored_key, server_key)
    )
    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{salt_b64}${stored_b64}:{server_b64}"


def check_roles(owner: str, app_user: str) -> None:
    for role in (owner, app_user):
        if not ROLE_NAME.match(role):
            raise InvalidValue(
                f"Tên vai trò “{role}” không hợp lệ: dùng chữ thường không dấu, chữ số và _ "
                "(ví dụ: taphuan_chu, taphuan_app)."
            )
    if owner == app_user:
        raise InvalidValue(
            "Chủ sở hữu cấu trúc (--owner) và tài khoản chương trình (--app-user) phải là hai "
            "vai trò khác nhau."
        )


def setup(
    admin_target: str,
    owner: str,
    app_user: str,
    password_for: Callable[[str, bool], str | None],
    say: Callable[[str], None] = lambda _line: None,
) -> SetupResult:
    """Create or take over the two roles and the database, upgrade the schema as the
    owner, and grant the login role what the program needs. password_for(role, exists)
    gives a new password for a role (required when it does not exist yet), or None."""
    check_roles(owner, app_user)
    url = checked_url(admin_target)
    if url.get_backend_name() != "postgresql" or not url.database:
        raise InvalidValue(
            "“server setup” cần URL PostgreSQL của người quản trị máy chủ và tên cơ sở dữ "
            "liệu, ví dụ: --db postgresql://postgres@maychu:5432/taphuan."
        )
    database = url.database
    if not DATABASE_NAME.match(database):
        raise InvalidValue(
            f"Tên cơ sở dữ liệu “{database}” không hợp lệ: dùng chữ không dấu, chữ số, _ và -."
        )
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            roles = (owner, app_user)
            exists = {r: _exists(c, r) for r in roles}
            passwords = {r: password_for(r, exists[r]) for r in roles}  # all asked first
            for role in roles:
                if not exists[role] and not passwords[role]:
                    raise InvalidValue(f"Cần mật khẩu cho vai trò mới “{role}”.")
            for role in roles:
                _role(c, role, exists[role], passwords[role])
            stripped = _harden(c, app_user, owner)
            if not c.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"),
                             {"d": database}).first():  # fmt: skip
                c.execute(text(f'CREATE DATABASE "{database}" OWNER "{owner}"'))
                say(f"Đã tạo cơ sở dữ liệu {database}.")
            else:
                c.execute(text(f'ALTER DATABASE "{database}" OWNER TO "{owner}"'))
            c.execute(text(f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO "{app_user}"'))
    except OperationalError as exc:
        raise DatabaseProblem(
            f"Không kết nối được máy chủ {display(url)} bằng tài "
            "khoản quản trị (máy chủ tắt, sai địa chỉ, sai mật khẩu hoặc tường lửa chặn)."
        ) from exc
    finally:
        admin.dispose()

    target = create_engine(url, isolation_level="AUTOCOMMIT")
    with target.connect() as c:
        c.execute(text(f'ALTER SCHEMA public OWNER TO "{owner}"'))
        c.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        moved = _hand_over(c, owner)
    target.dispose()

    db = Database(url.render_as_string(hide_password=False))
    event.listen(db.engine, "connect", lambda dbapi, _rec: _set_role(dbapi, owner))
    try:
        say(f"Nâng cấp lược đồ bằng vai trò {owner}…")
        upgraded = db.upgrade()
        from app.services import units

        with db.transaction() as s:
            units.seed_official(s)
        revision = db.current_revision()
    finally:
        db.close()

    target = create_engine(url, isolation_level="AUTOCOMMIT")
    with target.connect() as c:
        _grant(c, owner, app_user)
    target.dispose()
    app_url = url.set(username=app_user, password=None)
    return SetupResult(
        display(url), database, not exists[owner], not exists[app_user], stripped, moved,
        upgraded, revision, display(app_url),
    )  # fmt: skip


def _set_role(dbapi_connection: object, role: str) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute(f'SET ROLE "{role}"')
    cursor.close()
    dbapi_connection.commit()  # type: ignore[attr-defined]


def _exists(c: Connection, role: str) -> bool:
    return (
        c.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        is not None
    )


def _role(c: Connection, role: str, exists: bool, password: str | None) -> None:
    """Create the role (with its password), or set a new password if one is given."""
    if password:
        verb = "ALTER" if exists else "CREATE"
        # A verifier is base64, digits and '$:': no quote to escape.
        c.exec_driver_sql(f"{verb} ROLE \"{role}\" LOGIN PASSWORD '{scram_verifier(password)}'")


def _harden(c: Connection, app_user: str, owner: str) -> tuple[str, ...]:
    """The login role may not be a superuser, create roles or databases, or be the owner
    by membership."""
    row = c.execute(
        text(f"SELECT {', '.join(DANGEROUS)} FROM pg_roles WHERE rolname = :r"), {"r": app_user}
    ).one()
    held = tuple(name for name, value in zip(DANGEROUS, row, strict=True) if value)
    if held:
        words = " ".join("NO" + name.removeprefix("rol").upper() for name in held)
        c.execute(text(f'ALTER ROLE "{app_user}" {words}'))
    if c.execute(
        text("SELECT pg_has_role(:a, :o, 'MEMBER')"), {"a": app_user, "o": owner}
    ).scalar():
        c.execute(text(f'REVOKE "{owner}" FROM "{app_user}"'))
        if c.execute(text("SELECT pg_has_role(:a, :o, 'MEMBER')"),
                     {"a": app_user, "o": owner}).scalar():  # fmt: skip
            raise InvalidValue(
                f"Vai trò “{app_user}” là thành viên của “{owner}” qua một vai trò khác; hãy "
                "gỡ quan hệ đó trước."
            )
    return held


def _hand_over(c: Connection, owner: str) -> int:
    """Tables, views, sequences and functions of the schema made the owner's (an office
    set up before had one role owning everything)."""
    moved = 0
    for kinds, verb in ((("r", "p", "v", "m"), "TABLE"), (("S",), "SEQUENCE")):
        # A sequence owned by a table column moves with its table: asked after the tables.
        names = c.execute(text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = ANY(:k) "
            "AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = :o)"
        ), {"k": list(kinds), "o": owner}).scalars().all()  # fmt: skip
        for name in names:
            c.execute(text(f'ALTER {verb} public."{name}" OWNER TO "{owner}"'))
        moved += len(names)
    functions = c.execute(text(
        "SELECT p.oid::regprocedure::text FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' "
        "AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = :o)"
    ), {"o": owner}).scalars().all()  # fmt: skip
    for signature in functions:
        c.execute(text(f'ALTER FUNCTION {signature} OWNER TO "{owner}"'))
    return moved + len(functions)


def _grant(c: Connection, owner: str, app: str) -> None:
    for statement in (
        f'GRANT USAGE ON SCHEMA public TO "{app}"',
        f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{app}"',
        f'REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM "{app}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{app}"',
        *(f'REVOKE ALL ON public."{t}" FROM "{app}"' for t in LIMITED),
        *(f'GRANT {rights} ON public."{t}" TO "{app}"' for t, rights in LIMITED.items()),
        # setval() moves a sequence past rows loaded with their ids (the demo data)
        f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{app}"',
        # Tables a later upgrade adds are usable at once; `server setup` again narrows them.
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA public '
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{app}"',
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA public '
        f'GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "{app}"',
    ):
        c.execute(text(statement))

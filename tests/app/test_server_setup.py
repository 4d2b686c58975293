"""`taphuan server setup`: a schema-owner role apart from the login role the PCs use.
Connected as the login role, the program does its daily work, and nothing it can do
alters, disables or deletes the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from app.db import Database
from app.errors import DatabaseProblem
from app.schema import SCHEMA_HEAD
from app.server_setup import scram_verifier
from app.services import audit_verify, exports, people, person_edit, reports, users
from app.services.people import PeopleFilter
from app.services.person_edit import PersonForm
from app.services.reports import ReportFilter
from models import AuditEntry
from tests.app.clirun import run
from tests.conftest import PG_SKIP, PgServer


class Office:
    """A database and two roles with unique names, dropped at the end."""

    def __init__(self, server: PgServer) -> None:
        tag = uuid.uuid4().hex[:8]
        self.server = server
        self.database = f"taphuan_s_{tag}"
        self.owner, self.app = f"taphuan_o_{tag}", f"taphuan_a_{tag}"
        self.admin_url = server.url_for(self.database)

    def url(self, role: str) -> str:
        url = self.server.url.set(database=self.database, username=role, password="mat-khau-app")
        return url.render_as_string(hide_password=False)

    def engine(self, role: str) -> Engine:
        return create_engine(self.url(role), isolation_level="AUTOCOMMIT")

    def drop(self) -> None:
        self.server.drop(self.database)
        with self.server.admin.connect() as c:
            for role in (self.app, self.owner):
                c.execute(text(f"DROP ROLE IF EXISTS {role}"))


@pytest.fixture
def office(pg_server: PgServer | None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Office]:
    if pg_server is None:
        pytest.skip(PG_SKIP)
    o = Office(pg_server)
    monkeypatch.setenv("TAPHUAN_OWNER_PASSWORD", "mat-khau-chu")
    monkeypatch.setenv("TAPHUAN_APP_PASSWORD", "mat-khau-app")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    yield o
    o.drop()


def _setup(office: Office, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run(capsys, "--db", office.admin_url, "server", "setup",
                         "--owner", office.owner, "--app-user", office.app)  # fmt: skip
    assert code == 0, err
    return out


# What the login role must not be able to do to the trail, each in its own transaction.
REFUSED = (
    "ALTER TABLE audit_entries ADD COLUMN forged integer",
    "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only",
    "ALTER TABLE audit_entries DISABLE TRIGGER USER",
    "DROP TRIGGER audit_entries_append_only ON audit_entries",
    "UPDATE audit_entries SET \"user\" = 'khac'",
    "DELETE FROM audit_entries",
    "TRUNCATE audit_entries",
    "DROP TABLE audit_entries",
    "DELETE FROM audit_chain_head",
    "INSERT INTO audit_chain_head (id, seq, hash) VALUES (2, 0, 'x')",
    "ALTER TABLE audit_chain_head DISABLE TRIGGER USER",
    "DROP FUNCTION taphuan_audit_append_only() CASCADE",
    "CREATE OR REPLACE FUNCTION taphuan_audit_append_only() RETURNS trigger LANGUAGE plpgsql"
    " AS $$ BEGIN RETURN NEW; END $$",
    "UPDATE alembic_version SET version_num = '0001'",
    "CREATE TABLE public.forged (id integer)",
    # The chain is the server's: its head is not the login role's to move or lock, and
    # the chaining trigger is not its to call, drop or replace.
    "UPDATE audit_chain_head SET seq = 2147483647",
    "UPDATE audit_chain_head SET seq = seq + 1",
    "SELECT seq FROM audit_chain_head FOR UPDATE",
    "SELECT taphuan_audit_chain()",
    "DROP TRIGGER audit_entries_chain ON audit_entries",
    "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_chain",
    "ALTER FUNCTION taphuan_audit_chain() SECURITY INVOKER",
    "CREATE OR REPLACE FUNCTION taphuan_audit_chain() RETURNS trigger LANGUAGE plpgsql"
    " AS $$ BEGIN RETURN NEW; END $$",
)


def test_the_login_role_cannot_touch_the_trail_but_does_the_days_work(
    office: Office, capsys: pytest.CaptureFixture[str], tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    out = _setup(office, capsys)
    assert f"Chủ sở hữu cấu trúc: {office.owner} (đã tạo)" in out
    assert f"Tài khoản chương trình: {office.app} (đã tạo)" in out
    assert f"Lược đồ: {SCHEMA_HEAD} (đã nâng cấp)" in out
    assert f"Các máy kết nối bằng: postgresql://{office.app}@" in out  # no driver's name
    with office.server.admin.connect() as c:  # stored as a SCRAM verifier, never in clear
        secret = c.execute(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": office.app}
        ).scalar()
    assert secret.startswith("SCRAM-SHA-256$4096:") and "mat-khau-app" not in secret

    # The day's work, as the login role: first administrator, sign-in, people, a report,
    # an export (audited), the check.
    db = Database(office.url(office.app))
    assert db.upgrade() is False
    with db.transaction() as s:
        db.actor = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1",
                                            "mat-khau-1")  # fmt: skip
    with db.transaction() as s:
        db.actor = users.login(s, "quantri", "mat-khau-1").actor
    with db.transaction() as s:
        ha = person_edit.create(s, PersonForm(full_name="Nguyễn Thị Hà")).id
    with db.transaction() as s:
        record = person_edit.get(s, ha)
        form = record.form.__class__(**{**record.form.__dict__, "phone": "0903111222"})
        person_edit.update(s, ha, form, record.version)
    with db.transaction() as s:
        assert people.count(s, PeopleFilter()) == 1
        reports.dashboard(s, ReportFilter(date(2026, 1, 1), date(2026, 12, 31)))  # temp table
        exports.export_people(s, tmp_path / "ds.xlsx")
    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-1")  # the details: an administrator's
    code, check_out, err = run(capsys, "--db", office.url(office.app), "--user", "quantri",
                               "check")  # fmt: skip
    assert code == 0, err
    assert "Nhật ký thao tác: nguyên vẹn (5 mục" in check_out
    db.close()

    app = office.engine(office.app)
    with app.connect() as c:
        for statement in REFUSED:
            with pytest.raises(DBAPIError, match=r"permission denied|must be owner"):
                c.exec_driver_sql(statement)
        # Granting itself rights on the trail grants nothing (a warning, not an error);
        # making itself the owner's member is refused.
        c.exec_driver_sql(f"GRANT UPDATE, DELETE, TRUNCATE ON audit_entries TO {office.app}")
        with pytest.raises(DBAPIError, match=r"permission denied|must have admin option"):
            c.exec_driver_sql(f"GRANT {office.owner} TO {office.app}")
        rights = c.execute(
            text(
                "SELECT has_table_privilege(current_user, 'audit_entries', 'UPDATE'),"
                " has_table_privilege(current_user, 'audit_entries', 'DELETE'),"
                " has_table_privilege(current_user, 'audit_entries', 'TRUNCATE'),"
                " pg_has_role(current_user, :owner, 'MEMBER'),"
                " has_table_privilege(current_user, 'audit_entries', 'INSERT'),"
                " has_table_privilege(current_user, 'audit_chain_head', 'UPDATE'),"
                " has_table_privilege(current_user, 'audit_chain_head', 'SELECT')"
            ),
            {"owner": office.owner},
        ).one()
        assert tuple(rights) == (False, False, False, False, True, False, True)
        with pytest.raises(DBAPIError, match="permission denied"):
            c.exec_driver_sql(f"SET ROLE {office.owner}")
    app.dispose()
    check = Database(office.url(office.app))
    with check.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 5
        assert audit_verify.verify(s.connection()).ok
    check.close()


def test_an_office_set_up_with_one_role_is_handed_to_the_owner(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: the program's own role created and owned every table. After setup with it
    as the login role, the tables are the owner's and the login role cannot alter them;
    an upgrade the login role cannot run says so in Vietnamese and changes nothing."""
    with office.server.admin.connect() as c:
        c.execute(text(f"CREATE ROLE {office.app} LOGIN"))
        c.execute(text(f"CREATE DATABASE {office.database} OWNER {office.app}"))
    old = Database(office.url(office.app))
    old.upgrade()
    with old.transaction() as s:
        users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1")
    old.close()

    out = _setup(office, capsys)
    assert f"Tài khoản chương trình: {office.app} (đã có)" in out
    assert "Đã chuyển" in out and f"sang {office.owner}" in out
    assert f"Lược đồ: {SCHEMA_HEAD} (mới nhất)" in out
    again = _setup(office, capsys)  # a second run changes nothing it need not
    assert "(đã có)" in again and "Đã chuyển" not in again

    app = office.engine(office.app)
    with app.connect() as c:
        owners = c.execute(text(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
        )).scalars().all()  # fmt: skip
        assert owners == [office.owner]
        with pytest.raises(DBAPIError, match="must be owner"):
            c.exec_driver_sql("ALTER TABLE audit_entries DISABLE TRIGGER USER")
    app.dispose()

    admin = create_engine(office.admin_url)  # as if this TapHuan were newer than the data
    with admin.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    admin.dispose()
    db = Database(office.url(office.app))
    with pytest.raises(DatabaseProblem) as err:
        db.upgrade()
    assert f"tài khoản máy chủ “{office.app}” không được đổi cấu trúc bảng" in err.value.message
    assert db.current_revision() == "0007"
    db.close()


def test_bad_setups_are_refused_before_anything_is_written(
    office: Office, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capsys, "--db", office.admin_url, "server", "setup",
                       "--owner", "taphuan", "--app-user", "taphuan")  # fmt: skip
    assert code == 3 and "phải là hai vai trò khác nhau" in err
    code, _, err = run(capsys, "--db", office.admin_url, "server", "setup",
                       "--owner", "Chủ", "--app-user", office.app)  # fmt: skip
    assert code == 3 and "Tên vai trò “Chủ” không hợp lệ" in err
    monkeypatch.delenv("TAPHUAN_APP_PASSWORD")
    code, _, err = run(capsys, "--db", office.admin_url, "server", "setup",
                       "--owner", office.owner, "--app-user", office.app)  # fmt: skip
    assert code == 3 and "đặt mật khẩu cho nó trong biến môi trường TAPHUAN_APP_PASSWORD" in err
    with office.server.admin.connect() as c:
        made = c.execute(
            text("SELECT count(*) FROM pg_roles WHERE rolname IN (:o, :a)"),
            {"o": office.owner, "a": office.app},
        ).scalar()
        databases = c.execute(
            text("SELECT count(*) FROM pg_database WHERE datname = :d"), {"d": office.database}
        ).scalar()
    assert (made, databases) == (0, 0)


def test_the_verifier_is_what_postgresql_computes(pg_server: PgServer | None) -> None:
    """PostgreSQL hashes a password itself; ours, with its salt, is the same secret."""
    if pg_server is None:
        pytest.skip(PG_SKIP)
    import base64

    role = f"taphuan_v_{uuid.uuid4().hex[:8]}"
    password = "Mật-khẩu-dài 2026"
    with pg_server.admin.connect() as c:
        c.execute(text("SET password_encryption = 'scram-sha-256'"))
        c.exec_driver_sql(f"CREATE ROLE {role} PASSWORD '{password}'")
        try:
            stored = c.execute(
                text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": role}
            ).scalar()
        finally:
            c.execute(text(f"DROP ROLE {role}"))
    salt = base64.b64decode(stored.split("$")[1].split(":")[1])
    assert scram_verifier(password, salt) == stored

"""Issue 13 §4 (7): on a shared PostgreSQL server the login role every PC holds may add an
audit entry and nothing more. The server chains it: its place, previous hash, hash, time
(the server's clock) and inserting role are the database's, whatever the client sent;
the head is not the login role's to move; an entry added by another role (psql as the
owner or a superuser) is named by `taphuan check`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.db import Database
from app.services import audit, users
from models.audit import text_hash
from tests.app import world
from tests.app.clirun import run
from tests.app.test_server_setup import Office, _setup, office  # noqa: F401 - the fixture

FORGED = (
    'INSERT INTO audit_entries (at, "user", action, entity, entity_id, before, after, note,'
    " seq, prev_hash, hash) VALUES ('2025-03-14 08:30:00', 'admin', 'certificate.revoke',"
    ' \'certificates\', 1, \'{"status":"valid"}\', \'{"status":"revoked"}\','
    " 'gian lận khi thi', :seq, :prev, 'deadbeef')"
)
ROW = (
    'SELECT seq, prev_hash, hash, at, "user", action, entity, entity_id, CAST(before AS TEXT),'
    " CAST(after AS TEXT), note FROM audit_entries"
)
ROLE = "SELECT db_role FROM audit_entries WHERE seq = :seq"


def _head(c) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    seq, digest = c.execute(text("SELECT seq, hash FROM audit_chain_head")).one()
    return int(seq), str(digest)


def _rehashed(c, row) -> str:  # type: ignore[no-untyped-def]
    """The hash of the stored entry as the checker computes it, with its role."""
    seq, prev, _, at, user, action, entity, entity_id, before, after, note = row
    role = c.execute(text(ROLE), {"seq": seq}).scalar_one()
    return text_hash(prev, seq, at, user, action, entity, entity_id, before, after, note, role)


@pytest.fixture
def program(
    office: Office,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Database]:
    """After `server setup`, the program's day as the login role: an administrator (who
    also runs `check`: its details are an administrator's)."""
    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-1")
    _setup(office, capsys)
    db = Database(office.url(office.app))
    with db.transaction() as s:
        db.actor = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1",
                                            "mat-khau-1")  # fmt: skip
    yield db
    db.close()


def test_a_forged_entry_gets_the_servers_place_time_hash_and_role(
    office: Office,  # noqa: F811
    program: Database,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = office.engine(office.app)
    with app.connect() as c:
        before = _head(c)
        server_now = c.execute(text("SELECT clock_timestamp() AT TIME ZONE 'UTC'")).scalar_one()
        # back-dated, with a made-up hash; then another claiming the first place
        c.execute(text(FORGED), {"seq": before[0] + 1, "prev": before[1]})
        first = c.execute(text(f"{ROW} ORDER BY seq DESC LIMIT 1")).one()
        seq, prev, digest, at, user, *_ = first
        assert abs(at - server_now) < timedelta(minutes=1)  # the server's clock, not 2025
        assert (seq, prev) == (before[0] + 1, before[1])  # the next place, chained
        assert digest == _rehashed(c, first) != "deadbeef"
        assert c.execute(text(ROLE), {"seq": seq}).scalar_one() == office.app  # who did
        c.execute(text(FORGED), {"seq": 1, "prev": "0" * 64})  # claiming the first place
        second = c.execute(text(f"{ROW} ORDER BY seq DESC LIMIT 1")).one()
        assert (second[0], second[1]) == (seq + 1, digest)  # the next place all the same
        assert _head(c) == (second[0], second[2])  # the head moved with them
    app.dispose()
    seq = second[0]
    # So it cannot break the chain or pass for an older entry: the check finds the chain
    # whole, the entry in its true place (it still says "admin": the login role may add
    # entries, which is why its password must stay in the office; see README).
    code, out, err = run(capsys, "--db", office.url(office.app), "--user", "quantri", "check")
    assert code == 0, err
    assert f"Nhật ký thao tác: nguyên vẹn ({seq} mục; mục cuối số {seq}," in out
    assert user == "admin"


def test_the_login_role_cannot_move_the_head_and_the_work_goes_on(
    office: Office,  # noqa: F811
    program: Database,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The attack that stopped the office: the head set to 2147483647."""
    app = office.engine(office.app)
    with app.connect() as c:
        head = _head(c)
        for statement in (
            "UPDATE audit_chain_head SET seq = 2147483647",
            "UPDATE audit_chain_head SET seq = seq + 1, hash = 'x'",
            "INSERT INTO audit_chain_head (id, seq, hash) VALUES (2, 2147483647, 'x')",
            "DELETE FROM audit_chain_head",
        ):
            with pytest.raises(DBAPIError, match="permission denied"):
                c.exec_driver_sql(statement)
        assert _head(c) == head
    app.dispose()
    with program.transaction() as s:  # signing in and writing still work
        program.actor = users.login(s, "quantri", "mat-khau-1").actor
    with program.transaction() as s:
        world.person(s, "Nguyễn Thị Hà")
    code, out, err = run(capsys, "--db", office.url(office.app), "--user", "quantri", "check")
    assert code == 0 and f"mục cuối số {head[0] + 2}," in out, err


TRICKY = [
    'nhập "lạ" \\ \\\\ / \n\t\r\b\f',
    "\x01\x07\x1b\x1f\x7f ký tự điều khiển",
    "Đặng Thị Ánh 🌾 Tôn Nữ Âu Dương \u2028\u2029 \ufeff",
    "",
]


def test_the_server_hashes_tricky_text_as_python_does(
    office: Office,  # noqa: F811
    program: Database,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Quotes, backslashes, control characters, emoji, Vietnamese and nulls: the hash the
    trigger made is the one the checker recomputes."""
    with program.transaction() as s:
        for n, note in enumerate(TRICKY):
            audit.record(s, f"x.{note[:5]}", entity=note[:40],
                         entity_id=None if n % 2 else n,
                         before=None if n == 3 else {"ghi chú": note, "số": [1.5, None, True]},
                         after={note: {"z": "🌾", "a": None}} if note else None,
                         note=note if n != 2 else None)  # fmt: skip
    app = office.engine(office.app)
    with app.connect() as c:
        rows = c.execute(text(f"{ROW} ORDER BY seq")).all()
        times = [
            datetime(2026, 11, 28, 9, 0, 0), datetime(2026, 11, 28, 9, 0, 0, 5),
            datetime(2026, 11, 28, 23, 59, 59, 999999), datetime(1, 1, 1, 0, 0),
        ]  # fmt: skip
        written = [
            c.execute(text("SELECT taphuan_audit_time(:t)"), {"t": t}).scalar_one() for t in times
        ]
        assert len(rows) == 1 + len(TRICKY)
        assert [r[2] for r in rows] == [_rehashed(c, r) for r in rows]
    app.dispose()
    assert written == [t.isoformat() for t in times]
    code, out, err = run(capsys, "--db", office.url(office.app), "--user", "quantri", "check")
    assert code == 0 and "nguyên vẹn" in out, err


def test_an_entry_added_by_another_role_is_named(
    office: Office,  # noqa: F811
    program: Database,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """psql as the schema's owner, or as a superuser: the chain is whole (the server
    chained them) but they are not the program's, and check says which (exit 3)."""
    admin = Database(office.admin_url)  # a superuser (the test server's administrator)
    with admin.engine.begin() as c:
        c.execute(text('INSERT INTO audit_entries ("user", action, entity) VALUES '
                       "('admin', 'person.delete', 'people')"))  # fmt: skip
    admin.close()
    url = office.server.url.set(database=office.database, username=office.owner,
                                password="mat-khau-chu")  # fmt: skip
    owner = Database(url.render_as_string(hide_password=False))  # signed in as the owner
    with owner.engine.begin() as c:
        c.execute(text('INSERT INTO audit_entries ("user", action, entity) VALUES '
                       "('admin', 'certificate.revoke', 'certificates')"))  # fmt: skip
    owner.close()
    code, out, err = run(capsys, "--db", office.url(office.app), "--user", "quantri", "check")
    assert code == 3
    superuser = office.server.url.username
    assert err.strip() == (
        "Lỗi: Nhật ký thao tác bị can thiệp: mục số 2 ("
        + err.split("mục số 2 (", 1)[1].split(")", 1)[0]
        + f") được thêm thẳng vào cơ sở dữ liệu bằng vai trò máy chủ “{superuser}”, không phải"
        f" tài khoản chương trình (“{office.app}”); cả thảy 2 mục do vai trò khác thêm:"
        f" “{superuser}” 1 mục, “{office.owner}” 1 mục."
    )
    assert ", admin, Xóa học viên)" in err
    assert "Nhật ký thao tác bị can thiệp" in out

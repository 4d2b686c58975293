"""`backup` and the details of `check` are an administrator's where the database asks who
is working: a trainer or staff member is refused a copy of the whole database (exit 3,
nothing written) and reads only the verdicts of `check`, not the table counts nor the
audit trail's details. A database that needs no sign-in works as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app import commands
from app.db import Database
from app.services import users
from models import AuditEntry, User
from tests.app import two_trainers
from tests.app.clirun import run
from tests.app.test_audit_chain import TAMPERING, K, _unguard
from tests.app.test_cli_trainer_scope import target
from tests.app.two_trainers import PASSWORD


def signed_in(db: Database) -> list[tuple[object, ...]]:
    """The accounts' sign-in bookkeeping and the audit trail, as stored."""
    with db.transaction(readonly=True) as s:
        return [
            *(tuple(r) for r in s.execute(select(User.username, User.last_login_at,
                                                 User.failed_logins))),
            *(tuple(r) for r in s.execute(select(AuditEntry.id, AuditEntry.action))),
        ]  # fmt: skip


@pytest.fixture
def accounts(db: Database, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("TAPHUAN_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    two_trainers.build(db)
    return ["--db", target(db)]


def test_backup_needs_an_administrator_where_sign_in_is_needed(
    sqlite_db: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("TAPHUAN_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    two_trainers.build(sqlite_db)
    where, copy = ["--db", str(sqlite_db.path)], tmp_path / "sao-luu.db"
    before = signed_in(sqlite_db)
    for user, message in (
        ("lan", "Lỗi: Tài khoản Phạm Thị Lan (Giảng viên) không được sao lưu cơ sở dữ liệu.\n"),
        ("canbo", "Lỗi: Tài khoản Trần Thị Thu Trang (Cán bộ) không được sao lưu cơ sở dữ liệu.\n"),
        (None, "Lỗi: Cơ sở dữ liệu này cần đăng nhập: thêm --user TÊN_ĐĂNG_NHẬP và đặt mật khẩu "
               "trong biến môi trường TAPHUAN_PASSWORD (hoặc gõ khi được hỏi).\n"),
    ):  # fmt: skip
        code, out, err = run(capsys, *where, *(["--user", user] if user else []), "backup",
                             str(copy))  # fmt: skip
        assert (code, out, err) == (3, "", message)
    assert not copy.exists() and signed_in(sqlite_db) == before

    code, out, err = run(capsys, *where, "--user", "quantri", "backup", str(copy))
    assert (code, out) == (0, f"Đã sao lưu vào {copy}\n") and copy.exists(), err

    with sqlite_db.transaction() as s:  # a single-user file that opens without signing in
        s.info["actor"] = users.local_admin(s)
        users.set_sign_in_required(s, False, shared=False)
    again = tmp_path / "khong-dang-nhap.db"
    code, out, err = run(capsys, *where, "backup", str(again))
    assert (code, out) == (0, f"Đã sao lưu vào {again}\n") and again.exists(), err


def test_check_shows_others_only_the_verdicts(
    db: Database, accounts: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = signed_in(db)
    verdicts = []
    for who in (["--user", "lan"], ["--user", "canbo"], []):
        code, out, err = run(capsys, *accounts, *who, "check")
        assert (code, err) == (0, ""), (who, err)
        assert "Nhật ký thao tác: nguyên vẹn\n" in out and "mục cuối số" not in out
        assert "audit_entries" not in out and "certificates" not in out
        assert "chỉ người quản trị xem (--user)" in out
        verdicts.append(out)
    assert verdicts[0] == verdicts[1] == verdicts[2]
    code, out, err = run(capsys, *accounts, "--user", "quantri", "check")
    assert code == 0 and "Nhật ký thao tác: nguyên vẹn (" in out and "mục cuối số" in out
    assert "audit_entries" in out and "certificates" in out
    assert signed_in(db) == before  # check only reads, signing in included

    sql, _expected = TAMPERING["changed"]
    with db.engine.begin() as c:
        for unguard in _unguard(db):
            c.exec_driver_sql(unguard)
        c.exec_driver_sql(sql(db))
    code, out, err = run(capsys, *accounts, "--user", "lan", "check")
    assert code == 3 and f"mục số {K}" not in out + err
    assert err == (
        "Lỗi: Nhật ký thao tác bị can thiệp (chi tiết chỉ người quản trị xem: "
        f"{commands.command(db, '--user TÊN check')})\n"
    )
    code, out, err = run(capsys, *accounts, "--user", "quantri", "check")
    assert code == 3 and f"mục số {K} (" in err

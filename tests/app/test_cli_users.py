"""Commands run as an account: --user with TAPHUAN_PASSWORD, refused by role in the
services, and single-user files that skip signing in."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.services import users
from app.services.users import UserForm
from models import AuditEntry, Setting
from tests.app.accounts import own_passwords
from tests.app.clirun import run


def test_commands_sign_in_and_respect_roles(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.transaction() as s:
        s.info["actor"] = users.create_first_admin(
            s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1"
        )
        users.create(s, UserForm("canbo", "Trần Thị Thu Trang", "staff"), "mat-khau-2")
        own_passwords(s, "canbo")
    db = ["--db", str(sqlite_db.path)]
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)

    code, _, err = run(capsys, *db, "people", "list")
    assert code == 3 and "cần đăng nhập: thêm --user TÊN_ĐĂNG_NHẬP" in err
    monkeypatch.setenv("TAPHUAN_PASSWORD", "sai-mat-khau")
    code, _, err = run(capsys, *db, "--user", "canbo", "people", "list")
    assert (code, err.strip()) == (3, "Lỗi: Tên đăng nhập hoặc mật khẩu không đúng.")

    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-2")
    code, out, _ = run(capsys, *db, "--user", "canbo", "people", "list")
    assert (code == 0 and "(0 người)" in out) or code == 0
    with sqlite_db.transaction(readonly=True) as s:
        settings_before = s.scalar(select(func.count()).select_from(Setting))
    code, _, err = run(capsys, *db, "--user", "canbo", "settings", "set", "issuer", "SỞ KHÁC")
    assert code == 3 and "Trần Thị Thu Trang (Cán bộ) không được thay đổi thiết lập" in err
    with sqlite_db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Setting)) == settings_before

    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-1")
    code, _, _ = run(
        capsys, *db, "--user", "quantri", "settings", "set", "issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    )
    assert code == 0
    with sqlite_db.transaction(readonly=True) as s:
        who = s.scalars(select(AuditEntry.user).where(AuditEntry.action == "settings.set")).all()
    assert who == ["quantri"]  # the account, not "dòng lệnh"


def test_a_single_user_file_runs_commands_without_signing_in(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with sqlite_db.transaction() as s:
        s.info["actor"] = users.create_first_admin(
            s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1"
        )
        users.set_sign_in_required(s, False, shared=False)
    code, _, _ = run(capsys, "--db", str(sqlite_db.path), "settings", "set", "place", "Vĩnh Long")
    assert code == 0
    with sqlite_db.transaction(readonly=True) as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.user) == ("settings.set", "quantri")

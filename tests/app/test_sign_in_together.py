"""One account signing in from several programs at once: every sign-in works, and wrong
passwords given at once are each counted, so the wait after five still comes."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from app.db import Database
from app.services import users
from app.services.users import BAD_LOGIN, UserForm
from models import AuditEntry, User
from tests.app.accounts import own_passwords
from tests.app.crash import ROOT, env

NOW = datetime(2026, 11, 28, 9, 0)
TOGETHER = 6


def _accounts(db: Database) -> None:
    with db.transaction() as s:
        s.info["actor"] = users.create_first_admin(
            s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1"
        )
        users.create(s, UserForm("canbo", "Trần Thị Thu Trang", "staff"), "mat-khau-2")
        own_passwords(s, "canbo")


def _target(db: Database) -> str:
    return str(db.path) if db.path else db.url.render_as_string(hide_password=False)


def test_six_programs_sign_in_to_one_account_at_once(db: Database, tmp_path: Path) -> None:
    """Each a command that writes (an export is recorded), so each records its sign-in."""
    _accounts(db)
    run_env = {**env(), "TAPHUAN_PASSWORD": "mat-khau-2"}
    argv = [sys.executable, "-m", "app", "--db", _target(db), "--user", "canbo", "export",
            "people"]  # fmt: skip
    procs = [
        subprocess.Popen([*argv, str(tmp_path / f"ds-{n}.csv")], env=run_env, cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(TOGETHER)
    ]  # fmt: skip
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    for p in procs:
        p.stdout.close()  # type: ignore[union-attr]
        p.stderr.close()  # type: ignore[union-attr]
    assert [code for code, _ in results] == [0] * TOGETHER, results
    with db.transaction(readonly=True) as s:
        logins = s.scalar(
            select(func.count()).where(
                AuditEntry.action == "user.login", AuditEntry.user == "canbo"
            )
        )
        user = s.scalars(select(User).where(User.username == "canbo")).one()
    assert logins == TOGETHER
    assert user.last_login_at is not None and user.failed_logins == 0
    assert user.version == 1  # signing in is not an edit of the account


def _sign_in_together(db: Database, password: str) -> list[users.LoginResult]:
    """TOGETHER threads, each with its own connection, released at the same moment."""
    start = threading.Barrier(TOGETHER)
    results: list[users.LoginResult] = []
    errors: list[BaseException] = []

    def one() -> None:
        mine = Database(_target(db))
        try:
            start.wait()
            with mine.transaction() as s:
                results.append(users.login(s, "canbo", password, NOW))
        except BaseException as exc:  # what would reach the user
            errors.append(exc)
        finally:
            mine.close()

    threads = [threading.Thread(target=one) for _ in range(TOGETHER)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    return results


def test_wrong_passwords_at_once_are_each_counted(db: Database) -> None:
    """As if given one after another: five counted and refused, the sixth told to wait."""
    _accounts(db)
    refused = _sign_in_together(db, "sai-mat-khau")
    wait = "Đã nhập sai mật khẩu nhiều lần; hãy thử lại sau 31 giây."
    assert sorted(r.message for r in refused) == sorted(
        [BAD_LOGIN] * users.FREE_ATTEMPTS + [wait] * (TOGETHER - users.FREE_ATTEMPTS)
    )
    with db.transaction(readonly=True) as s:
        user = s.scalars(select(User).where(User.username == "canbo")).one()
        failed = s.scalar(select(func.count()).where(AuditEntry.action == "user.login_failed"))
    assert (user.failed_logins, failed) == (users.FREE_ATTEMPTS, users.FREE_ATTEMPTS)
    assert user.locked_until == NOW + users.FIRST_WAIT
    late = _sign_in_together(db, "mat-khau-2")  # the right password waits too
    assert [r.message for r in late] == [wait] * TOGETHER

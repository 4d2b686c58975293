"""Accounts from the command line: users add, list, lock, unlock, reset, role; temporary
passwords changed before a command runs; every change audited; the last administrator
kept; two administrators demoting each other at once cannot both succeed."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import UserError
from app.services import user_changes, users
from app.services.users import BAD_LOGIN, UserForm
from models import AuditEntry, User, UserRole
from tests.app import world
from tests.app.clirun import run

ADMIN_PW = "mat-khau-1"


def accounts(db: Database) -> dict[str, tuple[str, bool, bool, str | None]]:
    """username -> (role, active, must change, password hash) as stored."""
    with db.transaction(readonly=True) as s:
        return {
            u.username: (u.role.value, u.active, u.must_change_password, u.password_hash)
            for u in s.scalars(select(User))
        }


def audit_actions(db: Database) -> list[tuple[str, str]]:
    """(action, who) of every entry other than signing in."""
    with db.transaction(readonly=True) as s:
        rows = s.execute(
            select(AuditEntry.action, AuditEntry.user)
            .where(AuditEntry.action.like("user.%"), AuditEntry.action.not_like("user.login%"))
            .order_by(AuditEntry.id)
        )
        return [(a, u) for a, u in rows]


@pytest.fixture
def setup(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> tuple[Database, list[str], dict[str, int]]:
    with sqlite_db.transaction() as s:
        users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", ADMIN_PW, ADMIN_PW)
        people = {
            "lan": world.person(s, "Phạm Thị Lan", is_trainer=True),
            "ha": world.person(s, "Nguyễn Thị Hà"),
        }
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    monkeypatch.setenv("TAPHUAN_PASSWORD", ADMIN_PW)
    monkeypatch.delenv("TAPHUAN_NEW_PASSWORD", raising=False)
    return sqlite_db, ["--db", str(sqlite_db.path), "--user", "quantri"], people


def test_an_administrator_adds_lists_locks_unlocks_and_resets_accounts(
    setup: tuple[Database, list[str], dict[str, int]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, admin, people = setup
    before = accounts(db)
    lan = str(people["lan"])
    refusals = [
        (["add", "lan", "--role", "trainer", "--person", lan],
         "Hãy đặt mật khẩu ban đầu trong biến môi trường TAPHUAN_NEW_PASSWORD"),
        (["add", "lan", "--role", "trainer"], "Tài khoản giảng viên cần --person MÃ_NGƯỜI"),
        (["add", "ha", "--role", "trainer", "--person", str(people["ha"])],
         f"Nguyễn Thị Hà (mã {people['ha']}) không phải giảng viên đang làm việc"),
        (["add", "ha", "--role", "trainer", "--person", "999999"], "Không có hồ sơ người mã 999999"),
        (["add", "canbo", "--role", "staff"], "Hãy cho --full-name"),
        (["add", "Cán Bộ", "--role", "staff", "--full-name", "Trần Thị Thu Trang"],
         "Tên đăng nhập gồm 3–60 chữ cái không dấu"),
        (["add", "quantri", "--role", "staff", "--full-name", "Lê Văn Khác"],
         "Đã có tài khoản “quantri”"),
        (["lock", "khong-co"], "Không có tài khoản “khong-co”"),
    ]  # fmt: skip
    for i, (argv, message) in enumerate(refusals):
        if i == 1:
            monkeypatch.setenv("TAPHUAN_NEW_PASSWORD", "mat-khau-tam-1")
        code, out, err = run(capsys, *admin, "users", *argv)
        assert code == 3 and message in err and out == "", (argv, err)
    monkeypatch.setenv("TAPHUAN_NEW_PASSWORD", "ngan")
    code, _, err = run(capsys, *admin, "users", "add", "lan", "--role", "trainer", "--person", lan)
    assert code == 3 and "Mật khẩu cần ít nhất 8 ký tự." in err
    code, _, err = run(capsys, *admin, "users", "add", "lan", "--role", "boss", "--person", lan)
    assert code == 2 and "lựa chọn không hợp lệ" in err
    assert accounts(db) == before  # nothing written by any refusal

    monkeypatch.setenv("TAPHUAN_NEW_PASSWORD", "mat-khau-tam-1")
    code, out, _ = run(capsys, *admin, "users", "add", "lan", "--role", "trainer", "--person", lan)
    assert code == 0 and "Đã thêm tài khoản “lan”: Phạm Thị Lan, Giảng viên" in out
    code, out, _ = run(capsys, *admin, "users", "add", "canbo", "--role", "staff",
                       "--full-name", "Trần Thị Thu Trang")  # fmt: skip
    assert code == 0

    code, out, _ = run(capsys, *admin, "users", "list")
    assert code == 0 and "scrypt" not in out and "mat-khau" not in out
    lines = {line.split()[0]: line for line in out.splitlines()[1:-1]}
    assert set(lines) == {"quantri", "lan", "canbo"}
    assert re.search(r"Quản trị\s+đang hoạt động\s+\d\d/\d\d/\d{4} \d\d:\d\d$", lines["quantri"])
    assert re.search(
        r"Phạm Thị Lan\s+Giảng viên\s+đang hoạt động\s+\(chưa đăng nhập\)\s+phải đổi", lines["lan"]
    )
    assert out.splitlines()[-1] == "(3 tài khoản)"

    # The first password is temporary: a script is refused, a terminal asks for a new one.
    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-tam-1")
    code, out, err = run(capsys, "--db", str(db.path), "--user", "canbo", "course", "list")
    assert code == 3 and out == "" and "“canbo” đang dùng mật khẩu tạm" in err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    typed = iter(["mat-khau-tam-1", "mat-khau-tam-1", "mat-khau-rieng", "mat-khau-rieng"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(typed))
    code, _, err = run(capsys, "--db", str(db.path), "--user", "canbo", "course", "list")
    assert code == 3 and "Mật khẩu mới phải khác mật khẩu hiện tại." in err
    code, _, err = run(capsys, "--db", str(db.path), "--user", "canbo", "course", "list")
    assert code == 0 and "Đã đổi mật khẩu." in err
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-rieng")
    code, _, err = run(capsys, "--db", str(db.path), "--user", "canbo", "users", "list")
    assert code == 3 and "Trần Thị Thu Trang (Cán bộ) không được quản lý tài khoản" in err
    code, _, err = run(capsys, "--db", str(db.path), "--user", "canbo", "users", "lock", "lan")
    assert code == 3 and accounts(db)["lan"][1]

    monkeypatch.setenv("TAPHUAN_PASSWORD", ADMIN_PW)
    code, out, _ = run(capsys, *admin, "users", "lock", "canbo")
    assert (code, out.strip()) == (0, "Đã khóa tài khoản “canbo”.")
    code, out, _ = run(capsys, *admin, "users", "lock", "canbo")
    assert "đã bị khóa từ trước. Không thay đổi gì." in out
    with db.transaction() as s:
        assert users.login(s, "canbo", "mat-khau-rieng").message == BAD_LOGIN
    code, out, _ = run(capsys, *admin, "users", "unlock", "canbo")
    assert (code, out.strip()) == (0, "Đã mở khóa tài khoản “canbo”.")
    with db.transaction() as s:
        assert users.login(s, "canbo", "mat-khau-rieng").actor is not None

    code, out, err = run(capsys, *admin, "users", "reset", "canbo")
    assert code == 0 and re.fullmatch(r"[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){2}\n", out)
    assert "phải được đổi ở lần đăng nhập tới" in err
    with db.transaction() as s:
        assert users.login(s, "canbo", "mat-khau-rieng").actor is None
        result = users.login(s, "canbo", out.strip())
    assert result.actor is not None and result.must_change_password

    code, out, _ = run(capsys, *admin, "users", "role", "lan", "--role", "staff")
    assert code == 0 and accounts(db)["lan"][0] == "staff"
    assert audit_actions(db) == [
        ("user.create", "quantri"),
        ("user.create", "quantri"),
        ("user.create", "quantri"),
        ("user.password_changed", "canbo"),
        ("user.lock", "quantri"),
        ("user.unlock", "quantri"),
        ("user.password_reset", "quantri"),
        ("user.update", "quantri"),
    ]
    from app.services import audit_log

    with db.transaction(readonly=True) as s:  # as Nhật ký shows them
        _total, rows = audit_log.listing(s, audit_log.AuditFilter(action="user."))
    shown = {r.label: r.change for r in rows}
    assert "Đang hoạt động" in shown["Khóa tài khoản"]
    assert "Mở khóa tài khoản" in shown and "Đặt lại mật khẩu" in shown


def test_the_last_administrator_is_neither_locked_nor_demoted(
    setup: tuple[Database, list[str], dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    db, admin, _people = setup
    before = accounts(db), audit_actions(db)
    for argv in (["lock", "quantri"], ["role", "quantri", "--role", "staff"]):
        code, out, err = run(capsys, *admin, "users", *argv)
        assert code == 3 and out == ""
        assert "Không thể tự bỏ quyền quản trị hoặc khóa tài khoản của chính mình." in err
    assert (accounts(db), audit_actions(db)) == before
    with db.transaction() as s:  # working as no account (a database without sign-in)
        with pytest.raises(UserError, match="Phải còn ít nhất một tài khoản quản trị"):
            user_changes.set_locked(s, "quantri", True)
        with pytest.raises(UserError, match="Phải còn ít nhất một tài khoản quản trị"):
            user_changes.set_role(s, "quantri", "staff")
    assert (accounts(db), audit_actions(db)) == before


def test_two_administrators_demoting_each_other_at_once_leave_one(db: Database) -> None:
    """The second waits for the first, then sees it: one administrator stays."""
    with db.transaction() as s:
        s.info["actor"] = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", ADMIN_PW,
                                                   ADMIN_PW)  # fmt: skip
        users.create(s, UserForm("pho", "Lê Thị Mai", "admin"), ADMIN_PW)
        rows = {u.username: u for u in s.scalars(select(User))}
        actors = {name: users.actor_of(u) for name, u in rows.items()}
        versions = {name: (u.id, u.version) for name, u in rows.items()}
    target = str(db.path) if db.path else db.url.render_as_string(hide_password=False)
    first_changed, second_started = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def demote(me: str, other: str) -> None:
        mine = Database(target)
        mine.actor = actors[me]
        try:
            if me == "pho":
                second_started.set()
            with mine.transaction() as s:
                other_id, version = versions[other]
                users.update(s, other_id, UserForm(other, "Người khác", "staff"), version)
                if me == "quantri":  # changed, not committed: the second starts meanwhile
                    first_changed.set()
                    second_started.wait(10)
                    threading.Event().wait(0.5)
            outcome[me] = "done"
        except UserError as exc:
            outcome[me] = exc.message
        finally:
            mine.close()

    first = threading.Thread(target=demote, args=("quantri", "pho"))
    first.start()
    assert first_changed.wait(10)
    second = threading.Thread(target=demote, args=("pho", "quantri"))
    second.start()
    first.join(30)
    second.join(30)
    assert outcome["quantri"] == "done"
    assert outcome["pho"] != "done"  # refused: no longer an administrator, or the last one
    with db.transaction(readonly=True) as s:
        admins = s.scalars(
            select(User.username).where(User.role == UserRole.ADMIN, User.active.is_(True))
        ).all()
    assert admins == ["quantri"]


def test_the_window_keeps_the_rules_of_the_temporary_password(tmp_path: Path) -> None:
    """change_own_password refuses the temporary password itself as the new one."""
    db = Database(str(tmp_path / "t.db"))
    db.upgrade()
    with db.transaction() as s:
        users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", ADMIN_PW, ADMIN_PW)
    with db.transaction() as s, pytest.raises(UserError, match="phải khác mật khẩu hiện tại"):
        users.change_own_password(s, "quantri", ADMIN_PW, ADMIN_PW, ADMIN_PW)
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 1
    db.close()


def test_the_first_account_made_at_the_command_line_is_an_administrator(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A staff account first would leave a database that asks to sign in and nobody to
    manage its accounts."""
    monkeypatch.setenv("TAPHUAN_NEW_PASSWORD", "mat-khau-tam-1")
    db = ["--db", str(sqlite_db.path)]
    code, out, err = run(capsys, *db, "users", "add", "canbo", "--role", "staff",
                         "--full-name", "Trần Thị Thu Trang")  # fmt: skip
    assert (code, out) == (3, "") and "tài khoản đầu tiên phải là quản trị" in err
    assert accounts(sqlite_db) == {}
    code, out, _ = run(capsys, *db, "users", "add", "quantri", "--role", "admin",
                       "--full-name", "Nguyễn Văn Tâm")  # fmt: skip
    assert code == 0 and accounts(sqlite_db)["quantri"][:3] == ("admin", True, True)

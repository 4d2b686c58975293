"""Accounts from the command line, the rules the review found loose: a temporary password
refused to a script writes nothing; passwords of spaces or with spaces at either end and
usernames that only lowercase to ASCII (the Kelvin sign) or hold no letter are refused;
`users role --person` goes only with the trainer role and the message says what changed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import Database
from app.services import users
from app.services.users import UserForm
from models import AuditEntry, User
from tests.app import world
from tests.app.clirun import run
from tests.app.test_cli_trainer_scope import target

ADMIN_PW = "mat-khau-1"
KELVIN = "\u212aanbo"  # "Kanbo" with U+212A KELVIN SIGN, which lowercases to "k"


def stored(db: Database) -> list[tuple[object, ...]]:
    """Every account as stored (sign-in bookkeeping included) and the audit trail."""
    with db.transaction(readonly=True) as s:
        return [
            *(tuple(r) for r in s.execute(
                select(User.username, User.role, User.person_id, User.password_hash,
                       User.last_login_at, User.failed_logins, User.version).order_by(User.id))),
            *(tuple(r) for r in s.execute(select(AuditEntry.id, AuditEntry.action))),
        ]  # fmt: skip


@pytest.fixture
def setup(db: Database, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], dict[str, int]]:
    with db.transaction() as s:
        s.info["actor"] = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", ADMIN_PW,
                                                   ADMIN_PW)  # fmt: skip
        people = {
            "lan": world.person(s, "Phạm Thị Lan", is_trainer=True),
            "tuan": world.person(s, "Võ Minh Tuấn", is_trainer=True),
        }
        s.flush()
        users.create(s, UserForm("lan", "Phạm Thị Lan", "trainer", people["lan"]), "mat-khau-tam")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    monkeypatch.delenv("TAPHUAN_NEW_PASSWORD", raising=False)
    return ["--db", target(db)], people


def test_a_temporary_password_refused_to_a_script_writes_nothing(
    db: Database,
    setup: tuple[list[str], dict[str, int]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    where, _people = setup
    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-tam")
    before = stored(db)
    for argv in (["attendance-sheet", "--course", "KHONG-CO", "--out", "x.pdf"],  # a writer
                 ["course", "list"]):  # fmt: skip
        code, out, err = run(capsys, *where, "--user", "lan", *argv)
        assert (code, out) == (3, ""), (argv, err)
        assert err == f"Lỗi: {users.temporary_refused('lan')}\n"
    assert stored(db) == before  # no last sign-in, no user.login entry

    # A real sign-in of a command that writes is still recorded.
    monkeypatch.setenv("TAPHUAN_PASSWORD", ADMIN_PW)
    code, _, err = run(capsys, *where, "--user", "quantri", "users", "lock", "lan")
    assert code == 0, err
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(User.last_login_at).where(User.username == "quantri"))
        assert "user.login" in s.scalars(select(AuditEntry.action)).all()


def test_passwords_and_usernames_that_hide_what_they_are_are_refused(
    db: Database,
    setup: tuple[list[str], dict[str, int]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    where, _people = setup
    admin = [*where, "--user", "quantri"]
    monkeypatch.setenv("TAPHUAN_PASSWORD", ADMIN_PW)
    staff = ["--role", "staff", "--full-name", "Trần Thị Thu Trang"]
    spaces = "Mật khẩu không được bắt đầu hay kết thúc bằng khoảng trắng"
    before = stored(db)
    for password, message in (
        ("          ", "Mật khẩu không được để trống hay chỉ gồm khoảng trắng."),
        ("\t \t \t \t ", "Mật khẩu không được để trống hay chỉ gồm khoảng trắng."),
        (" mat-khau-2", spaces),
        ("mat-khau-2 ", spaces),
        ("mat-khau-2\t", spaces),
    ):
        monkeypatch.setenv("TAPHUAN_NEW_PASSWORD", password)
        code, out, err = run(capsys, *admin, "users", "add", "canbo", *staff)
        assert (code, out) == (3, "") and message in err, (password, err)
    monkeypatch.setenv("TAPHUAN_NEW_PASSWORD", "mat-khau-2")
    for name, message in (
        (KELVIN, "Tên đăng nhập không dùng chữ có dấu hay ký tự ngoài a–z, 0–9, . _ -"),
        ("...", "Tên đăng nhập cần ít nhất một chữ cái hoặc chữ số"),
        ("_-.", "Tên đăng nhập cần ít nhất một chữ cái hoặc chữ số"),
    ):
        code, out, err = run(capsys, *admin, "users", "add", name, *staff)
        assert (code, out) == (3, "") and message in err, (name, err)
    assert _only_sign_ins(before, stored(db))
    code, out, err = run(capsys, *admin, "users", "add", "can.bo-2", *staff)
    assert code == 0, err  # spaces inside a password, dots and dashes in a name: fine
    monkeypatch.setenv("TAPHUAN_NEW_PASSWORD", "mat khau hai")
    code, out, err = run(capsys, *admin, "users", "add", "canbo3", *staff)
    assert code == 0, err


def _only_sign_ins(before: list[tuple[object, ...]], after: list[tuple[object, ...]]) -> bool:
    """The same accounts and entries but the administrator's recorded sign-ins."""

    def strip(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        return [r for r in rows if r[0] != "quantri" and "user.login" not in r]

    return strip(before) == strip(after)


def test_users_role_takes_a_person_only_for_a_trainer_and_says_what_changed(
    db: Database,
    setup: tuple[list[str], dict[str, int]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    where, people = setup
    admin = [*where, "--user", "quantri"]
    monkeypatch.setenv("TAPHUAN_PASSWORD", ADMIN_PW)
    tuan = str(people["tuan"])
    before = stored(db)
    for role, name in (("admin", "Quản trị"), ("staff", "Cán bộ")):
        code, out, err = run(capsys, *admin, "users", "role", "lan", "--role", role,
                             "--person", tuan)  # fmt: skip
        assert (code, out) == (3, ""), err
        assert err == (
            "Lỗi: --person chỉ dùng với --role trainer: hồ sơ người dạy cho tài khoản giảng viên "
            f"thấy các khóa người đó dạy; vai trò {name} không cần. Bỏ --person rồi chạy lại.\n"
        )
    assert _only_sign_ins(before, stored(db))

    code, out, _ = run(capsys, *admin, "users", "role", "lan", "--role", "trainer",
                       "--person", tuan)  # fmt: skip
    assert (code, out) == (0, f"Đã đổi tài khoản “lan”: hồ sơ người dạy Phạm Thị Lan (mã "
                              f"{people['lan']}) → Võ Minh Tuấn (mã {tuan}).\n")  # fmt: skip
    code, out, _ = run(capsys, *admin, "users", "role", "lan", "--role", "staff")
    assert (code, out) == (0, "Đã đổi tài khoản “lan”: vai trò Giảng viên → Cán bộ.\n")
    code, out, _ = run(capsys, *admin, "users", "role", "lan", "--role", "staff")
    assert (code, out) == (0, "“lan” đã là Cán bộ. Không thay đổi gì.\n")
    code, out, _ = run(capsys, *admin, "users", "role", "lan", "--role", "trainer",
                       "--person", str(people["lan"]))  # fmt: skip
    assert (code, out) == (0, f"Đã đổi tài khoản “lan”: vai trò Cán bộ → Giảng viên; hồ sơ người "
                              f"dạy Võ Minh Tuấn (mã {tuan}) → Phạm Thị Lan (mã "
                              f"{people['lan']}).\n")  # fmt: skip
    with db.transaction(readonly=True) as s:
        row = s.execute(select(User.role, User.person_id).where(User.username == "lan")).one()
    assert (row.role.value, row.person_id) == ("trainer", people["lan"])

"""A trainer at the command line sees nothing of the courses they do not teach: `course
show`, `export ics`, certificates by serial and `verify` refuse (exit 3, Vietnamese, nothing
written), and a serial of another course is refused in the very words of one that does not
exist, so no answer tells which serials exist. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from models import AuditEntry, Certificate, User
from tests.app import two_trainers
from tests.app.clirun import run
from tests.app.two_trainers import PASSWORD, TwoTrainers

NOT_TAUGHT = "Phạm Thị Lan (Giảng viên) chỉ được xem khóa học và lịch học ở khóa mình dạy."


def target(db: Database) -> str:
    return str(db.path) if db.path else db.url.render_as_string(hide_password=False)


def state(db: Database) -> tuple[list[tuple[object, ...]], ...]:
    """Certificates and the audit trail other than signing in (a command that writes
    records its sign-in, refused or not), as stored."""
    with db.transaction(readonly=True) as s:
        return (
            [tuple(r) for r in s.execute(select(Certificate.serial, Certificate.status))],
            [tuple(r) for r in s.execute(select(AuditEntry.id, AuditEntry.action)
                                         .where(AuditEntry.action.not_like("user.login%")))],
        )  # fmt: skip


@pytest.fixture
def two(db: Database, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], TwoTrainers]:
    monkeypatch.setenv("TAPHUAN_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    return ["--db", target(db)], two_trainers.build(db)


def test_a_trainer_sees_no_course_they_do_not_teach(
    db: Database,
    two: tuple[list[str], TwoTrainers],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    where, t = two
    lan = [*where, "--user", "lan"]
    with db.transaction(readonly=True) as s:
        tuan = s.scalar(select(User.person_id).where(User.username == "tuan"))
        own = s.scalar(select(User.person_id).where(User.username == "lan"))
    before = state(db)
    refusals = [
        (["course", "show", "TH-2024-002"], NOT_TAUGHT),
        (["export", "ics", "--course", "TH-2024-002", str(tmp_path / "b.ics")], NOT_TAUGHT),
        (["export", "ics", "--trainer", str(tuan), str(tmp_path / "b.ics")],
         "Phạm Thị Lan (Giảng viên) chỉ được xuất lịch giảng của chính mình."),
        # a person who does not exist: the same words (nobody's existence told)
        (["export", "ics", "--trainer", "999999", str(tmp_path / "b.ics")],
         "Phạm Thị Lan (Giảng viên) chỉ được xuất lịch giảng của chính mình."),
    ]  # fmt: skip
    for argv, message in refusals:
        code, out, err = run(capsys, *lan, *argv)
        assert (code, out) == (3, ""), (argv, code, out, err)
        assert err == f"Lỗi: Tài khoản {message}\n", argv
    assert state(db) == before and not (tmp_path / "b.ics").exists()

    code, out, err = run(capsys, *lan, "course", "show", "TH-2024-001")
    assert code == 0 and out.startswith("TH-2024-001 – Tập huấn kỹ năng số"), err
    for argv in (["--course", "TH-2024-001"], ["--trainer", str(own)]):
        code, out, err = run(capsys, *lan, "export", "ics", *argv, str(tmp_path / "a.ics"))
        assert code == 0 and "BEGIN:VEVENT" in (tmp_path / "a.ics").read_text("utf-8"), err
    code, out, _ = run(capsys, *where, "--user", "canbo", "course", "show", "TH-2024-002")
    assert code == 0 and out.startswith("TH-2024-002 – Thanh toán không dùng tiền mặt")
    code, _, _ = run(capsys, *where, "--user", "canbo", "export", "ics", "--trainer", str(tuan),
                     str(tmp_path / "b.ics"))  # fmt: skip
    assert code == 0 and (tmp_path / "b.ics").exists()


def test_a_trainer_cannot_tell_which_serials_exist(
    db: Database,
    two: tuple[list[str], TwoTrainers],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    where, t = two
    lan = [*where, "--user", "lan"]
    other, missing = t.serials_b[0], "9999/GCN-SKHCN"
    out_pdf = str(tmp_path / "b.pdf")
    before = state(db)
    print_one = ["certificates", "print", "--course", "TH-2024-001", "--out", out_pdf, "--serial"]
    commands = {
        "print": lambda serial: [*print_one, serial],
        "reprint": lambda serial: ["certificates", "reprint", serial, "--out", out_pdf],
        "verify": lambda serial: ["verify", serial],
    }
    for name, argv in commands.items():
        said = []
        for serial in (other, missing):
            code, out, err = run(capsys, *lan, *argv(serial))
            assert (code, out) == (3, ""), (name, serial, code, out, err)
            said.append(err.replace(serial, "SỐ"))
        assert said[0] == said[1], name  # the same words: no oracle
        assert (said[0].startswith("Lỗi: ") and "SỐ" in said[0]) or name == "verify"
    code, _, err = run(capsys, *lan, "verify", other)
    assert err == (
        "Lỗi: Tra cứu bằng số hiệu chỉ dành cho cán bộ và quản trị. Hãy nhập mã xác minh in "
        "trên giấy hoặc quét mã QR.\n"
    )
    assert state(db) == before and not (tmp_path / "b.pdf").exists()

    # The staff still learn the status by serial (exit 0 valid, 1 not found).
    code, out, _ = run(capsys, *where, "--user", "canbo", "verify", other)
    assert code == 0 and out.startswith(f"Giấy chứng nhận số {other}: CÒN HIỆU LỰC")
    code, _, err = run(capsys, *where, "--user", "canbo", "verify", missing)
    assert code == 1 and "Không tìm thấy" in err
    # A verification code a trainer mistyped is simply not found (exit 1), as for anyone.
    code, _, err = run(capsys, *lan, "verify", "ABCDEFGHJK")
    assert code == 1 and err == "Không tìm thấy giấy chứng nhận nào khớp “ABCDEFGHJK”.\n"

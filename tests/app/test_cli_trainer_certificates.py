"""`taphuan certificates print` and the other certificate commands run by a trainer: the
certificates of the courses they teach, byte for byte as issued; nothing of another's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.db import Database
from tests.app import certificate_digests, two_trainers
from tests.app.clirun import run
from tests.app.test_certificate_files import printed
from tests.app.two_trainers import A_NAMES, B_NAMES, PASSWORD, TwoTrainers


@pytest.fixture
def two(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[str], Path, TwoTrainers]:
    monkeypatch.setenv("TAPHUAN_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    t = two_trainers.build(sqlite_db)
    assert sqlite_db.path is not None
    return ["--db", str(sqlite_db.path)], sqlite_db.path, t


def state(path: Path) -> tuple[list[tuple[str, str, str]], int]:
    """Every certificate (serial, status, issued by) and the count of audit entries other
    than signing in (each command signs in)."""
    with sqlite3.connect(path) as con:
        certs = list(con.execute("SELECT serial, status, issued_by FROM certificates ORDER BY id"))
        entries = con.execute(
            "SELECT count(*) FROM audit_entries WHERE action NOT LIKE 'user.login%'"
        ).fetchone()[0]
        return certs, entries


def test_a_trainer_prints_their_course_byte_for_byte_and_nothing_of_another(
    two: tuple[list[str], Path, TwoTrainers], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, path, t = two
    lan = [*db, "--user", "lan"]
    out, folder = tmp_path / "lop-a.pdf", tmp_path / "tung-nguoi"
    code, stdout, err = run(capsys, *lan, "certificates", "print", "--course", "TH-2024-001",
                            "--out", str(out), "--out-dir", str(folder))  # fmt: skip
    assert (code, err) == (0, "")
    assert f"Đã in {len(A_NAMES)} giấy chứng nhận" in stdout
    assert [serial for serial, _ in printed(out)] == t.serials_a
    files = sorted(folder.iterdir())
    assert len(files) == len(A_NAMES)
    for file in files:  # each person's file is the very one issued (its snapshot's)
        assert certificate_digests.problem(path, file.read_bytes()) is None

    # The staff's combined print of the course is the same file, byte for byte.
    again = tmp_path / "can-bo.pdf"
    code, _, _ = run(capsys, *db, "--user", "canbo", "certificates", "print", "--course",
                     "TH-2024-001", "--out", str(again))  # fmt: skip
    assert code == 0 and again.read_bytes() == out.read_bytes()

    code, stdout, _ = run(capsys, *lan, "certificates", "print", "--course", "TH-2024-001",
                          "--serial", t.serials_a[1], "--out", str(tmp_path / "mot.pdf"))  # fmt: skip
    assert code == 0 and [s for s, _ in printed(tmp_path / "mot.pdf")] == [t.serials_a[1]]

    code, stdout, _ = run(capsys, *lan, "certificates", "list")
    assert all(serial in stdout for serial in t.serials_a)
    assert not any(name in stdout for name in B_NAMES) and f"({len(A_NAMES)} giấy" in stdout

    before = state(path)
    refusals = [
        (["print", "--course", "TH-2024-002", "--out", str(tmp_path / "b.pdf")], "ở khóa mình dạy"),
        (["print", "--course", "TH-2024-001", "--serial", t.serials_b[0], "--out",
          str(tmp_path / "b.pdf")], f"Khóa TH-2024-001 không có giấy chứng nhận số “{t.serials_b[0]}”"),
        (["reprint", t.serials_b[0], "--out", str(tmp_path / "b.pdf")], "ở khóa mình dạy"),
        (["list", "--course", "TH-2024-002"], "ở khóa mình dạy"),
        (["revoke", t.serials_a[0], "--reason", "Sai tên"], "không được thu hồi hay cấp lại"),
        (["reissue", t.serials_a[0]], "không được thu hồi hay cấp lại"),
        (["issue", "--course", "TH-2024-001", "--out", str(tmp_path / "b.pdf")],
         "không được cấp giấy chứng nhận: việc cấp do cán bộ của Sở làm"),
    ]  # fmt: skip
    for argv, message in refusals:
        code, stdout, err = run(capsys, *lan, "certificates", *argv)
        assert code == 3 and message in err and stdout == "", (argv, err)
    assert state(path) == before
    assert not (tmp_path / "b.pdf").exists()


def test_with_the_setting_on_a_trainer_issues_for_their_course(
    two: tuple[list[str], Path, TwoTrainers], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db, path, t = two
    code, _, err = run(capsys, *db, "--user", "lan", "settings", "set", "trainers_issue", "có")
    assert code == 3 and "không được thay đổi thiết lập" in err
    code, _, _ = run(capsys, *db, "--user", "quantri", "settings", "set", "trainers_issue", "có")
    assert code == 0
    code, stdout, _ = run(capsys, *db, "--user", "quantri", "settings", "show")
    assert "Giảng viên được cấp giấy chứng nhận cho khóa mình dạy" in stdout

    before = state(path)
    code, _, err = run(capsys, *db, "--user", "tuan", "certificates", "issue", "--course",
                       "TH-2024-001", "--out", str(tmp_path / "b.pdf"))  # fmt: skip
    assert code == 3 and "chỉ được cấp giấy chứng nhận cho khóa mình dạy" in err
    assert state(path) == before

    out = tmp_path / "moi.pdf"
    code, stdout, err = run(capsys, *db, "--user", "lan", "certificates", "issue", "--course",
                            "TH-2024-001", "--out", str(out))  # fmt: skip
    assert code == 0, err
    (serial, status, by) = state(path)[0][-1]
    assert (status, by) == ("valid", "lan") and serial in stdout
    with sqlite3.connect(path) as con:
        who = con.execute(
            "SELECT user FROM audit_entries WHERE action = 'certificate.issue' ORDER BY id DESC"
        ).fetchone()
    assert who == ("lan",)

    # Printed again, by the trainer or the staff: the file issue wrote, byte for byte.
    for user in ("lan", "canbo"):
        again = tmp_path / f"in-lai-{user}.pdf"
        code, _, _ = run(capsys, *db, "--user", user, "certificates", "print", "--course",
                         "TH-2024-001", "--serial", serial, "--out", str(again))  # fmt: skip
        assert code == 0 and again.read_bytes() == out.read_bytes()

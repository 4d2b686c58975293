"""Issue 16: a course without a test (`course add` without --pass-score) completes on
attendance alone, and `course finish` says why people did not complete, with counts per
reason, never a bare "0 hoàn thành". On SQLite and PostgreSQL, through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.commands import command
from app.db import Database
from app.services.completion import NO_SESSIONS, FinishResult
from models import AuditEntry, Certificate, Course, Enrolment
from tests.app import world
from tests.app.clirun import run

CODE = "TH-2026-031"


def _course(
    capsys: pytest.CaptureFixture[str], db: Database, people: int, *extra: str
) -> tuple[list[str], list[int]]:
    """A course of three sessions with `people` enrolled, everyone present at each."""
    where = ["--db", str(db.path) if db.path else db.url.render_as_string(hide_password=False)]
    with db.transaction() as s:
        ids = [world.person(s, f"Nguyễn Văn {name}") for name in ("An", "Bình", "Cường", "Dũng")]
    ids = ids[:people]
    add = ["course", "add", "--code", CODE, "--title", "Tập huấn VNeID"]
    code, _out, err = run(capsys, *where, *add, "--start", "2026-03-02", "--end", "2026-03-04",
                          *extra)  # fmt: skip
    assert code == 0, err
    for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
        code, _out, err = run(capsys, *where, "session", "add", "--course", CODE, "--date", day,
                              "--start", "07:30", "--end", "11:00")  # fmt: skip
        assert code == 0, err
    code, _out, err = run(capsys, *where, "enrol", "--course", CODE, "--person",
                          *map(str, ids))  # fmt: skip
    assert code == 0, err
    return where, ids


def _mark(capsys: pytest.CaptureFixture[str], where: list[str], n: int, *who: str) -> None:
    mark = ["attendance", "mark", "--course", CODE, "--session", str(n)]
    code, _out, err = run(capsys, *where, *mark, *who)
    assert code == 0, err


def _results(db: Database) -> dict[int, str]:
    with db.transaction(readonly=True) as s:
        found = s.execute(
            select(Enrolment.person_id, Enrolment.status)
            .join(Course, Course.id == Enrolment.course_id)
            .where(Course.code == CODE)
        )
        return {pid: status.value for pid, status in found}


def test_a_course_without_a_pass_score_completes_on_attendance_alone(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    where, (an, binh) = _course(capsys, db, 2)
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(Course.pass_score).where(Course.code == CODE)) is None
    for n in (1, 2, 3):  # An at every session; Bình only at the first: 1 of 3 < 80 %
        _mark(capsys, where, n, "--person", str(an), "--status", "present")
        _mark(capsys, where, n, "--person", str(binh), "--status",
              "present" if n == 1 else "absent")  # fmt: skip
    code, out, err = run(capsys, *where, "course", "finish", CODE)
    assert code == 0, err
    assert f"Đã kết thúc {CODE}: 1 hoàn thành, 1 chưa hoàn thành" in out
    assert "không có bài kiểm tra" in out
    assert "Chưa hoàn thành vì: 1 người dự dưới 80% số buổi." in out
    assert _results(db) == {an: "completed", binh: "not_completed"}


def test_finish_says_why_nobody_completed(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    where, ids = _course(capsys, db, 4, "--pass-score", "5")
    for n in (1, 2, 3):  # everyone present, but the last one only at the first session
        _mark(capsys, where, n, "--person", str(ids[-1]), "--status",
              "present" if n == 1 else "absent")  # fmt: skip
        _mark(capsys, where, n, "--all", "--status", "present")
    code, out, err = run(capsys, *where, "course", "finish", CODE)
    assert code == 0, err
    assert f"Đã kết thúc {CODE}: 0 hoàn thành, 4 chưa hoàn thành" in out
    assert "điểm cuối khóa từ 5/10" in out
    assert "Chưa hoàn thành vì: 1 người dự dưới 80% số buổi; 4 người chưa có điểm cuối khóa." in out
    assert "Một người có thể thiếu nhiều điều kiện." in out
    assert set(_results(db).values()) == {"not_completed"}


def _state(db: Database) -> tuple[object, ...]:
    """What finishing would change: the course's status, each result, the certificates and
    the audit trail's length."""
    with db.transaction(readonly=True) as s:
        course = s.scalars(select(Course).where(Course.code == CODE)).one()
        certs = s.execute(
            select(Certificate.serial, Certificate.status).order_by(Certificate.serial)
        ).all()
        return (
            course.status.value,
            _results(db),
            [(serial, status.value) for serial, status in certs],
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def test_finish_again_refuses_to_leave_a_certificate_in_force_for_someone_not_completing(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The hostile review's case: a finished course with certificates issued, one holder
    marked absent after, `course finish` again kept the certificate CÒN HIỆU LỰC."""
    where, ids = _course(capsys, db, 4)
    for n in (1, 2, 3):
        _mark(capsys, where, n, "--all", "--status", "present")
    code, out, err = run(capsys, *where, "course", "finish", CODE)
    assert code == 0 and "4 hoàn thành, 0 chưa hoàn thành" in out, err
    for key, value in (("issuer", "Sở Khoa học và Công nghệ"), ("signer_name", "Trần Kim Ánh")):
        assert run(capsys, *where, "settings", "set", key, value)[0] == 0
    code, out, err = run(capsys, *where, "certificates", "issue", "--course", CODE,
                         "--out", str(tmp_path / "gcn.pdf"))  # fmt: skip
    assert code == 0, err
    with db.transaction(readonly=True) as s:
        serial = s.scalar(select(Certificate.serial).where(Certificate.person_id == ids[-1]))
    for n in (2, 3):  # Dũng now at 1 session of 3
        _mark(capsys, where, n, "--person", str(ids[-1]), "--status", "absent")
    before = _state(db)
    code, out, err = run(capsys, *where, "course", "finish", CODE, "--yes")
    assert code == 3 and out == ""
    assert f"giấy chứng nhận số {serial} của Nguyễn Văn Dũng" in err
    assert "dự dưới 80% số buổi" in err
    revoke = command(db, f"certificates revoke {serial} --reason …")
    assert f"thu hồi giấy bằng “{revoke}” hoặc sửa lại điểm danh/điểm" in err
    assert _state(db) == before
    assert dict(before[2])[serial] == "valid"  # type: ignore[call-overload]
    # Revoked as the message says, the course finishes with Dũng not completed.
    code, out, err = run(capsys, *where, "certificates", "revoke", serial, "--reason",
                         "Vắng 2 buổi, điểm danh nhập muộn")  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, *where, "course", "finish", CODE, "--yes")
    assert code == 0, err
    assert "3 hoàn thành, 1 chưa hoàn thành" in out
    assert _results(db)[ids[-1]] == "not_completed"


def test_finish_refuses_a_course_without_sessions(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--db", str(db.path) if db.path else db.url.render_as_string(hide_password=False)]
    with db.transaction() as s:
        ids = [world.person(s, name) for name in ("Nguyễn Văn An", "Trần Thị Bình")]
    code, _out, err = run(capsys, *where, "course", "add", "--code", CODE, "--title",
                          "Tập huấn VNeID", "--start", "2026-03-02", "--end", "2026-03-04")  # fmt: skip
    assert code == 0, err
    code, _out, err = run(capsys, *where, "enrol", "--course", CODE, "--person", *map(str, ids))
    assert code == 0, err
    before = _state(db)
    for extra in ((), ("--yes",)):
        code, out, err = run(capsys, *where, "course", "finish", CODE, *extra)
        assert code == 3 and out == ""
        assert f"Khóa học {CODE} chưa có buổi học nào; không kết thúc được." in err
        assert _state(db) == before
    assert before[0] != "finished" and set(before[1].values()) == {"registered"}  # type: ignore[union-attr]


def test_no_sessions_reason_reads_as_a_sentence() -> None:
    """If a result ever counts people of a course without sessions, the line is Vietnamese
    ("300 người khóa học chưa có buổi học nào" was not)."""
    result = FinishResult(0, 300, 0, CODE, reasons=((NO_SESSIONS, 300),))
    assert result.why() == ["300 người chưa dự được buổi nào vì khóa học chưa có buổi học nào"]

"""Issue 16: a course without a test (`course add` without --pass-score) completes on
attendance alone, and `course finish` says why people did not complete, with counts per
reason, never a bare "0 hoàn thành". On SQLite and PostgreSQL, through the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import Database
from models import Course, Enrolment
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

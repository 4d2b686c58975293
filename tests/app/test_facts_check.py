"""`taphuan check` recounts the training facts and says whether they agree with the marks;
`check --rebuild-facts` repairs them."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from app.db import Database
from models import AttendanceStatus
from tests.app import world
from tests.app.clirun import run

P = AttendanceStatus.PRESENT


def _facts(path: str) -> list[tuple]:  # type: ignore[type-arg]
    with closing(sqlite3.connect(path)) as con:
        return con.execute("SELECT * FROM training_facts ORDER BY 1, 2, 3, 4").fetchall()


def test_check_compares_the_facts_and_rebuild_repairs_them(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite_db.transaction() as s:
        w = world.build(s)
        for name in ("Nguyễn Thị Hà", "Lê Văn An"):
            world.enrol(s, w, world.person(s, name), [P, P, None])
    path = str(sqlite_db.path)
    sqlite_db.close()
    good = _facts(path)
    assert len(good) == 4  # two people: every topic, and the topic of the first session

    code, out, err = run(capsys, "--db", path, "check")
    assert code == 0, err
    assert "Số liệu tổng hợp của báo cáo: khớp với dữ liệu điểm danh" in out

    with closing(sqlite3.connect(path)) as con:  # changed behind the program's back
        con.execute("UPDATE training_facts SET sessions = 7 WHERE topic_id = 0")
        con.execute("DELETE FROM training_facts WHERE topic_id <> 0")
        con.commit()
    code, out, err = run(capsys, "--db", path, "check")
    assert code == 3
    assert "Số liệu tổng hợp của báo cáo: lệch 6 dòng so với dữ liệu điểm danh" in out
    assert "check --rebuild-facts" in err and "để tính lại" in err
    assert "Kiểm tra toàn vẹn: ok" in out  # the other lines as before
    assert _facts(path) != good  # check alone writes nothing

    code, out, err = run(capsys, "--db", path, "check", "--rebuild-facts")
    assert code == 0, err
    assert "Đã tính lại số liệu tổng hợp của báo cáo: 4 dòng." in out
    assert "khớp với dữ liệu điểm danh" in out
    assert _facts(path) == good

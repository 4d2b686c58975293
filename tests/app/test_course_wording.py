"""A course's legal basis and grade bands (issue 16): checked against its scale and pass
score with a message naming the field, nothing written when refused; set from the
command line by `course add` and `course edit`."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import InvalidValue
from app.services import courses
from models import AuditEntry, Course
from tests.app.clirun import run

FORM = courses.CourseForm(
    code="TH-2026-050",
    title="Tập huấn kỹ năng số",
    start_date=date(2026, 3, 2),
    end_date=date(2026, 3, 6),
    pass_score=5.0,
)
BASIS = "Căn cứ Quyết định số 123/QĐ-SKHCN ngày 20/02/2026 của Sở Khoa học và Công nghệ"


@pytest.mark.parametrize(
    ("excellent", "good", "scale", "message"),
    [
        (6.0, 8.0, 10, "điểm từ mức Giỏi (6) phải lớn hơn điểm từ mức Khá (8)"),
        (8.0, 8.0, 10, "điểm từ mức Giỏi (8) phải lớn hơn điểm từ mức Khá (8)"),
        (8.0, 4.5, 10, "điểm từ mức Khá (4,5) không được thấp hơn điểm đạt (5)"),
        (80.0, 65.0, 10, "điểm từ mức Giỏi (80) phải từ 0 đến 10 (thang điểm của khóa)"),
        (8.0, None, 10, "hãy đặt cả điểm từ mức Giỏi và từ mức Khá (đang thiếu mức Khá)"),
        (None, 6.5, 10, "(đang thiếu mức Giỏi)"),
    ],
)
def test_bad_bands_are_refused_naming_the_field_and_nothing_is_written(
    db: Database, excellent: float | None, good: float | None, scale: int, message: str
) -> None:
    bad = replace(FORM, grade_excellent=excellent, grade_good=good, score_scale=scale)
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        courses.create(s, bad)
    assert "Xếp loại: " in str(err.value) and message in str(err.value)
    with db.transaction(readonly=True) as s:
        assert s.scalars(select(Course)).all() == []
        assert s.scalars(select(AuditEntry)).all() == []


def test_bands_and_basis_are_saved_edited_and_audited(db: Database) -> None:
    good = replace(FORM, grade_excellent=80.0, grade_good=65.0, score_scale=100, pass_score=50)
    with db.transaction() as s:
        row = courses.create(s, replace(good, legal_basis=f"  {BASIS}  "))
    with db.transaction() as s:
        form, version, _ = courses.form_of(s, row.id)
        assert (form.legal_basis, form.grade_excellent, form.grade_good) == (BASIS, 80.0, 65.0)
        with pytest.raises(InvalidValue) as err:  # a later edit is checked the same way
            courses.update(s, row.id, replace(form, grade_good=40.0), version)
        assert "điểm từ mức Khá (40) không được thấp hơn điểm đạt (50)" in str(err.value)
    with db.transaction() as s:
        form, version, _ = courses.form_of(s, row.id)
        courses.update(s, row.id, replace(form, grade_excellent=None, grade_good=None), version)
    with db.transaction(readonly=True) as s:
        course = s.get_one(Course, row.id)
        assert (course.grade_excellent, course.grade_good, course.legal_basis) == (
            None,
            None,
            BASIS,
        )
        changed = s.scalars(select(AuditEntry).where(AuditEntry.action == "course.update")).one()
        assert changed.before == {"grade_excellent": 80.0, "grade_good": 65.0}


def test_course_add_and_edit_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cli.db"
    db = ["--db", str(path)]
    assert run(capsys, *db, "init")[0] == 0
    dates = ["--start", "2026-03-02", "--end", "2026-03-06"]
    code, out, err = run(
        capsys, *db, "course", "add", "--code", "TH-2026-051", "--title", "Kỹ năng số", *dates,
        "--legal-basis", BASIS, "--grade-excellent", "8", "--grade-good", "6,5",
    )  # fmt: skip
    assert code == 0, err

    def stored() -> tuple:  # type: ignore[type-arg]
        with sqlite3.connect(path) as con:
            return con.execute(
                "SELECT legal_basis, grade_excellent, grade_good, version FROM courses"
            ).fetchone()

    assert stored()[:3] == (BASIS, 8.0, 6.5)
    before = stored()
    code, out, err = run(capsys, *db, "course", "edit", "TH-2026-051", "--grade-good", "8.5")
    assert code == 3 and out == ""
    assert "Xếp loại: điểm từ mức Giỏi (8) phải lớn hơn điểm từ mức Khá (8,5)." in err
    assert stored() == before  # nothing written
    code, out, err = run(
        capsys, *db, "course", "edit", "TH-2026-051", "--grade-excellent", "9", "--grade-good",
        "7", "--legal-basis", "",
    )  # fmt: skip
    assert code == 0 and "Đã sửa khóa học TH-2026-051" in out, err
    assert stored()[:3] == (None, 9.0, 7.0)
    code, out, err = run(capsys, *db, "course", "edit", "TH-2026-051", "--no-grades")
    assert code == 0 and stored()[:3] == (None, None, None)


def test_a_legal_basis_longer_than_fits_is_refused_naming_the_limit(db: Database) -> None:
    from app.services.courses import MAX_LEGAL_BASIS

    assert MAX_LEGAL_BASIS <= 300  # what three lines of a certificate hold at 9,5 pt
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        courses.create(s, replace(FORM, legal_basis="Căn cứ " + "x" * 300))
    assert f"Căn cứ pháp lý dài quá {MAX_LEGAL_BASIS} ký tự" in str(err.value)
    with db.transaction(readonly=True) as s:
        assert s.scalars(select(Course)).all() == []

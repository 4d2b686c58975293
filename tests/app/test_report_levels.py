"""Coverage by the team levels of the period: province / district / commune / hamlet
before 01/07/2025, province / commune / hamlet from then; a period across the date says so."""

from __future__ import annotations

import io
from datetime import date, datetime

from pypdf import PdfReader

from app.db import Database
from app.report_data import ReportFilter
from app.services import report_file, reports
from models import (
    Attendance,
    AttendanceStatus,
    Course,
    Enrolment,
    MemberKind,
    Team,
    TeamMembership,
    TeamRole,
    UnitLevel,
    UnitScheme,
)
from models import Session as CourseSession
from tests.app.world import person, unit

FIRST_HALF = ReportFilter(date(2025, 1, 1), date(2025, 6, 30))
SECOND_HALF = ReportFilter(date(2025, 7, 1), date(2025, 12, 31))
YEAR = ReportFilter(date(2025, 1, 1), date(2025, 12, 31))
MERGED, DISSOLVED = date(2025, 7, 1), date(2025, 6, 30)


def build(db: Database) -> None:
    """Huyện Thạnh Phú's team until 30/06/2025 (and one member nobody took off it), Xã
    Tân Phong's team re-formed as Xã Đại Điền's; Hà trained in March, Lan in September."""
    with db.transaction() as s:
        province = unit(s, UnitScheme.Y2025, UnitLevel.PROVINCE, "Tỉnh Vĩnh Long", code="86")
        new = unit(s, UnitScheme.Y2025, UnitLevel.COMMUNE, "Xã Đại Điền", province, "29194")
        district = unit(s, UnitScheme.PRE2025, UnitLevel.DISTRICT, "Huyện Thạnh Phú", code="837")
        old = unit(s, UnitScheme.PRE2025, UnitLevel.COMMUNE, "Xã Tân Phong", district, "29200")
        teams = {}
        for key, level, unit_id in (
            ("district", UnitLevel.DISTRICT, district),
            ("old", UnitLevel.COMMUNE, old),
            ("new", UnitLevel.COMMUNE, new),
        ):
            team = Team(name=f"Tổ công nghệ số cộng đồng {key}", level=level, unit_id=unit_id)
            s.add(team)
            s.flush()
            teams[key] = team.id
        ha, lan, tuan = (person(s, n) for n in ("Lê Thị Hà", "Trần Thị Lan", "Võ Văn Tuấn"))
        for team, who, joined, left in (
            ("district", ha, date(2022, 3, 1), DISSOLVED),
            ("district", tuan, date(2022, 3, 1), None),  # never taken off the list
            ("old", lan, date(2022, 4, 1), DISSOLVED),
            ("new", lan, MERGED, None),
        ):
            s.add(
                TeamMembership(
                    team_id=teams[team], person_id=who, role=TeamRole.MEMBER,
                    kind=MemberKind.CIVIL_SERVANT, joined_on=joined, left_on=left,
                )
            )  # fmt: skip
        for code, day, who in (("TH-2025-001", date(2025, 3, 4), [ha, tuan]),
                               ("TH-2025-040", date(2025, 9, 9), [lan, tuan])):  # fmt: skip
            course = Course(code=code, title="Kỹ năng số", organiser="Sở", start_date=day,
                            end_date=day)  # fmt: skip
            s.add(course)
            s.flush()
            sitting = CourseSession(
                course_id=course.id,
                starts_at=datetime.combine(day, datetime.min.time()),
                ends_at=datetime.combine(day, datetime.max.time()),
            )
            s.add(sitting)
            s.flush()
            for pid in who:
                e = Enrolment(course_id=course.id, person_id=pid)
                s.add(e)
                s.flush()
                s.add(Attendance(session_id=sitting.id, enrolment_id=e.id,
                                 status=AttendanceStatus.PRESENT))  # fmt: skip


def rows(db: Database, f: ReportFilter) -> list[tuple[str, int, int]]:
    with db.transaction(readonly=True) as s:
        return [(r.level, r.members, r.trained) for r in reports.coverage(s, f)]


def test_coverage_before_the_merger_has_districts(db: Database) -> None:
    build(db)
    assert rows(db, FIRST_HALF) == [("district", 2, 2), ("commune", 1, 0)]
    with db.transaction(readonly=True) as s:
        levels = reports.dashboard(s, FIRST_HALF).levels
    assert not levels.straddles
    assert levels.note == "Các cấp trước ngày 01/07/2025: tỉnh, huyện, xã, ấp."


def test_coverage_after_the_merger_has_no_district(db: Database) -> None:
    build(db)
    # Tuấn is still on the dissolved district team's list: no "Cấp huyện" after 30/06/2025.
    assert rows(db, SECOND_HALF) == [("commune", 1, 1)]
    with db.transaction(readonly=True) as s:
        d = reports.dashboard(s, SECOND_HALF)
    assert [c.level for c in d.coverage] == ["commune"]
    assert d.levels.levels == ("province", "commune", "hamlet") and not d.levels.straddles
    assert d.levels.note == "Các cấp từ ngày 01/07/2025: tỉnh, xã, ấp (không còn cấp huyện)."


def test_a_year_across_the_merger_says_so(db: Database) -> None:
    build(db)
    assert rows(db, YEAR) == [("commune", 1, 1)]
    with db.transaction(readonly=True) as s:
        d = reports.dashboard(s, YEAR)
    assert d.levels.straddles
    assert d.levels.note == (
        "Kỳ báo cáo có cả trước và sau ngày 01/07/2025 (bỏ cấp huyện): độ phủ tính theo "
        "thành viên tổ ngày 31/12/2025, gồm cấp tỉnh, xã, ấp; tổ cấp huyện "
        "(đến 30/06/2025) không tính."
    )


def test_the_report_pdf_says_the_levels_of_its_period(db: Database) -> None:
    build(db)
    texts = {}
    for name, f in (("after", SECOND_HALF), ("across", YEAR)):
        out = io.BytesIO()
        with db.transaction(readonly=True) as s:
            report_file.render_pdf(s, f, out)
        out.seek(0)
        texts[name] = " ".join(" ".join(pg.extract_text().split()) for pg in PdfReader(out).pages)
    assert "Các cấp từ ngày 01/07/2025: tỉnh, xã, ấp (không còn cấp huyện)." in texts["after"]
    assert "Xã, phường Số người" in texts["after"] and "thị trấn" not in texts["after"]
    assert "Kỳ báo cáo có cả trước và sau ngày 01/07/2025" in texts["across"]
    assert "Xã, phường, thị trấn" in texts["across"]

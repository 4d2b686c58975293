"""Sổ cấp giấy chứng nhận (issue 16): STT, serial, number in the register, holder, result,
date, a column to sign; the course as a heading over its lines; 20 lines and more a page;
the signer's name; in .xlsx title rows, group rows and real date cells."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from app.db import Database
from app.documents.common import Heading, styles
from app.documents.register import RegisterLine, line_count, render_register, widths
from app.services import certificate_register, certificates
from models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    MemberKind,
    Team,
    TeamMembership,
    TeamRole,
    UnitLevel,
    UnitScheme,
)
from tests.app import world
from tests.app.test_certificate_wording import fonts_of
from tests.app.test_certificates import configure

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Tôn Nữ", "Dương"]
MIDDLE = ["Thị Thanh", "Văn", "Minh", "Thị Ngọc", "Hoàng Thị Thanh", "Quốc"]
GIVEN = ["Hà", "An", "Khoa", "Xuân", "Phương", "Bình", "Tâm", "Nhung"]
SERIAL = re.compile(r"\d{4}/GCN-SKHCN")


def _pages(pdf: bytes) -> list[str]:
    return [
        unicodedata.normalize("NFC", page.extract_text())
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def sixty(s, w) -> None:  # type: ignore[no-untyped-def]
    """60 people who completed: 40 in the first course, 20 in a second; most in a hamlet
    team of the 2025 units, the rest with a unit of their own; some without a gender."""
    province = world.unit(s, UnitScheme.Y2025, UnitLevel.PROVINCE, "Tỉnh Vĩnh Long", code="X6")
    commune = world.unit(s, UnitScheme.Y2025, UnitLevel.COMMUNE, "Phường Phú Khương", province)
    hamlet = world.unit(s, UnitScheme.Y2025, UnitLevel.HAMLET, "Khu phố 3", commune)
    team = Team(name="Tổ công nghệ số cộng đồng khu phố 3", level=UnitLevel.HAMLET, unit_id=hamlet)
    second = Course(
        code="TH-2024-002",
        title="Bảo đảm an toàn thông tin khi dùng dịch vụ công trực tuyến",
        organiser="Sở TT&TT",
        start_date=date(2024, 4, 1),
        end_date=date(2024, 4, 3),
        grade_excellent=8.0,
        grade_good=6.5,
    )
    s.add_all([team, second])
    s.flush()
    for i in range(60):
        name = f"{FAMILY[i % 10]} {MIDDLE[i % 6]} {GIVEN[i % 8]}"
        pid = world.person(
            s, name, gender=(None, "male", "female")[i % 3], birth_date=date(1980 + i % 20, 5, 2),
            unit_id=w.hamlet if i % 4 == 0 else None,
        )  # fmt: skip
        if i % 4:
            s.add(
                TeamMembership(
                    team_id=team.id, person_id=pid, role=TeamRole.MEMBER,
                    kind=MemberKind.YOUTH_UNION, joined_on=date(2023, 1, 1),
                )
            )  # fmt: skip
        course = w.course if i < 40 else second.id
        s.add(
            Enrolment(
                course_id=course, person_id=pid, status=EnrolmentStatus.COMPLETED,
                post_score=5 + (i % 6),
            )
        )  # fmt: skip
    s.flush()
    configure(s)
    certificates.issue(s, w.course, None, on=date(2024, 3, 8))
    certificates.issue(s, second.id, None, on=date(2024, 4, 5))


def test_register_pdf_twenty_lines_a_page_course_once_signer_named(
    sqlite_db: Database, tmp_path: Path
) -> None:
    with sqlite_db.transaction() as s:
        sixty(s, world.build(s))
    out = tmp_path / "so-cap.pdf"
    with sqlite_db.transaction() as s:
        assert certificate_register.write_register(s, out, 2024) == 60
    pdf = out.read_bytes()
    pages = _pages(pdf)
    counts = [len(SERIAL.findall(page)) for page in pages]
    assert sum(counts) == 60 and len(pages) >= 3
    assert all(n >= 20 for n in counts[:-1]), counts  # every full page
    whole = "\n".join(pages)
    for heading in ("STT", "Số hiệu", "Số vào sổ", "Họ và tên", "Ngày sinh", "Giới tính",
                    "Đơn vị", "Kết quả", "Ngày cấp", "Ký nhận"):  # fmt: skip
        assert heading in " ".join(pages[0].split()), heading  # a header may take two lines
    # Each course once, as a heading over its lines, not on every line.
    assert whole.count("TH-2024-001 – Tập huấn kỹ năng số") == 1
    assert whole.count("TH-2024-002 – Bảo đảm an toàn thông tin") == 1
    assert "Tổ CNSCĐ khu phố 3, phường Phú Khương, tỉnh Vĩnh Long" in whole
    assert "Giỏi" in whole and "Khá" in whole and "Hoàn thành" in whole
    assert "Nữ" in whole and "Nam" in whole
    assert "Nguyễn Văn Tâm" in pages[-1]  # the signer's name under the block
    found = fonts_of(pdf)
    assert all(found.values()) and not any("Helvetica" in f for f in found), found


def test_a_long_name_or_unit_takes_two_lines_at_most() -> None:
    st = styles(10)
    cols = widths([], st["cell"])
    name = "Tôn Nữ Hoàng Thị Thanh Xuân Mỹ Ngọc Bích Phương Quỳnh Như Ý"
    unit = (
        "Tổ CNSCĐ ấp Thạnh Hòa Đông, xã Tân Phong, huyện Thạnh Phú, tỉnh Bến Tre "
        "(trước ngày 01/07/2025)"
    )
    assert line_count(name, st["cell"], cols[3]) <= 2
    assert line_count(unit, st["cell"], cols[6]) <= 2
    assert line_count("Nguyễn Thị Thanh Hà", st["cell"], cols[3]) == 1
    assert line_count("Tổ CNSCĐ khu phố 3, phường Phú Khương, tỉnh Vĩnh Long", st["cell"],
                      cols[6]) == 1  # fmt: skip


def test_register_xlsx_title_rows_group_rows_date_cells(db: Database, tmp_path: Path) -> None:
    with db.transaction() as s:
        sixty(s, world.build(s))
    out = tmp_path / "so-cap.xlsx"
    with db.transaction() as s:
        assert certificate_register.write_register(s, out, 2024) == 60
    ws = load_workbook(out).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == "SỔ CẤP GIẤY CHỨNG NHẬN"
    assert rows[1][0] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ – Năm 2024"
    header = rows[3]
    assert header[:4] == ["STT", "Số hiệu", "Số vào sổ", "Họ và tên"] and "Ký nhận" in header
    groups = [r[0] for r in rows[4:] if r[0] and all(v is None for v in r[1:])]
    assert [g.split(" – ")[0] for g in groups] == ["TH-2024-001", "TH-2024-002"]
    lines = [r for r in rows[4:] if isinstance(r[0], int)]
    assert [r[0] for r in lines] == list(range(1, 61))
    assert [r[2] for r in lines] == list(range(1, 61))  # số vào sổ, in the register's order
    issued, born = header.index("Ngày cấp"), header.index("Ngày sinh")
    assert all(isinstance(r[issued], datetime) for r in lines)
    assert all(isinstance(r[born], datetime) for r in lines)
    assert lines[0][issued] == datetime(2024, 3, 8) and lines[-1][issued] == datetime(2024, 4, 5)
    cell = ws.cell(row=6, column=issued + 1)
    assert cell.is_date and cell.number_format.lower() == "dd/mm/yyyy"


def test_register_pdf_of_lines_as_given() -> None:
    lines = [
        RegisterLine(f"{n:04d}/GCN", str(n), "Lê Văn An", "1989", "", "", "K1 – Kỹ năng số",
                     "Hoàn thành", date(2026, 3, 6), "Đã thu hồi: sai tên" if n == 2 else "")
        for n in (1, 2)
    ]  # fmt: skip
    out = io.BytesIO()
    render_register(Heading("UBND", "SỞ", "Vĩnh Long"), "Năm 2026", lines, "Giám đốc", out,
                    date(2026, 3, 9), "Nguyễn Văn Tâm")  # fmt: skip
    (text,) = _pages(out.getvalue())
    assert "Đã thu hồi: sai tên" in " ".join(
        text.split()
    )  # in the narrow result column and text.count("K1 – Kỹ năng số") == 1
    assert "Vĩnh Long, ngày 09 tháng 3 năm 2026" in text

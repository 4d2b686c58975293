"""The periodic report as PDF (read back with pypdf) and .xlsx (read back with openpyxl),
and the `taphuan report` command."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from app.db import Database
from app.errors import UserError
from app.services import report_file, settings
from app.services.reports import ReportFilter
from tests.app import test_reports
from tests.app.clirun import run

YEAR_2024 = test_reports.YEAR_2024


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())  # one space between cells


def configure(db: Database) -> None:
    with db.transaction() as s:
        for key, value in (
            ("issuer_parent", "UBND TỈNH VĨNH LONG"),
            ("issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"),
            ("place", "Vĩnh Long"),
            ("signer_title", "GIÁM ĐỐC"),
            ("signer_name", "Nguyễn Văn Tâm"),
        ):
            settings.set_value(s, key, value)


def test_report_pdf_has_the_heading_figures_tables_charts_and_signer(
    db: Database, tmp_path: Path
) -> None:
    test_reports.build(db)
    configure(db)
    out = tmp_path / "bao-cao.pdf"
    with db.transaction(readonly=True) as s:
        what = report_file.write_report(s, YEAR_2024, out, date(2026, 11, 28))
    data = out.read_bytes()
    assert what == f"{len(PdfReader(io.BytesIO(data)).pages)} trang"
    text = pdf_text(data)
    for expected in (
        "UBND TỈNH VĨNH LONG",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Từ ngày 01/01/2024 đến ngày 31/12/2024",
        "Địa bàn: Toàn tỉnh",
        "I. SỐ LIỆU TỔNG HỢP",
        "Tỷ lệ chuyên cần (%) 37,5 50,0 41,7",  # in person, online, in all
        "Số người được tập huấn 2 2 3",
        "Cấp xã 1 1 100,0",
        "III. KẾT QUẢ THEO ĐƠN VỊ",
        "Xã Tân Phong 2 66,7",
        "Ứng dụng VNeID và định danh điện tử 2",
        "Vĩnh Long, ngày 28 tháng 11 năm 2026",
        "Nơi nhận: - UBND tỉnh (để báo cáo); - Lưu: VT. GIÁM ĐỐC",
        "Nguyễn Văn Tâm",
        "Số người được tập huấn theo tháng",  # a chart's title: charts are text, not images
    ):
        assert expected in text, expected
    assert sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages) == 0


def test_report_xlsx_one_sheet_per_table(db: Database, tmp_path: Path) -> None:
    w = test_reports.build(db)
    out = tmp_path / "bao-cao.xlsx"
    rolled = ReportFilter(YEAR_2024.start, YEAR_2024.end, unit_id=w.new_commune, roll_up=True)
    with db.transaction(readonly=True) as s:
        assert report_file.write_report(s, rolled, out) == "6 trang tính"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Độ phủ theo cấp",
        "Theo tháng",
        "Theo đơn vị",
        "Theo chuyên đề",
        "Theo khóa học",
    ]
    summary = wb["Tổng hợp"]
    assert summary["A2"].value == "Từ ngày 01/01/2024 đến ngày 31/12/2024"
    assert summary["A3"].value == "Địa bàn: Xã Đại Điền (gồm cả các đơn vị cũ đã sắp xếp vào)"
    assert [c.value for c in summary[5]] == ["Chỉ tiêu", "Trực tiếp", "Trực tuyến", "Tổng cộng"]
    assert [c.value for c in summary[6]] == ["Số người được tập huấn", 2, 2, 3]
    assert summary.freeze_panes == "A6"
    units = wb["Theo đơn vị"]
    assert [c.value for c in units[6]] == ["Xã Đại Điền", 3, 1.0]
    assert units["C6"].number_format == "0.0%"
    course = [c.value for c in wb["Theo khóa học"][6]]
    assert course[:4] == ["TH-2024-001", "Tập huấn kỹ năng số", course[2], "Trực tiếp"]
    assert course[2].date() == date(2024, 3, 6)
    # Cúc lives nowhere known, so 5 present marks of the other three's 9; 55.6 %.
    assert course[4:] == pytest.approx([0.556, 1, 2, 0.5, 4.0, 9.0])


def test_bad_period_or_file_type_writes_nothing(sqlite_db: Database, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with sqlite_db.transaction(readonly=True) as s:
        with pytest.raises(
            UserError, match=re.escape("Ngày bắt đầu (01/01/2025) ở sau ngày kết thúc (01/01/2024)")
        ):
            report_file.write_report(
                s, ReportFilter(date(2025, 1, 1), date(2024, 1, 1)), tmp_path / "a.pdf"
            )
        with pytest.raises(UserError, match=re.escape("tệp .pdf hoặc .xlsx (không phải “.docx”)")):
            report_file.write_report(s, YEAR_2024, tmp_path / "a.docx")
    assert list(tmp_path.iterdir()) == []


def test_cli_report(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    test_reports.build(sqlite_db)
    db = ["--db", str(sqlite_db.path)]
    pdf, xlsx = tmp_path / "bc.pdf", tmp_path / "bc.xlsx"
    period = ["--from", "2024-01-01", "--to", "2024-12-31"]
    code, out, _ = run(capsys, *db, "report", *period, "--unit", "29194", "--out", str(pdf))
    assert code == 0
    assert "Xã Đại Điền (gồm cả các đơn vị cũ đã sắp xếp vào)" in out
    assert "Xã Đại Điền 3 100,0" in pdf_text(pdf.read_bytes())  # Hà, Bình and An
    code, out, _ = run(
        capsys, *db, "report", *period, "--unit", "29194", "--no-roll-up", "--out", str(xlsx)
    )
    assert code == 0
    assert [c.value for c in openpyxl.load_workbook(xlsx)["Tổng hợp"][6]][-1] == 1  # An only
    before = sorted(tmp_path.iterdir())

    code, _, err = run(capsys, *db, "report", "--from", "2024-13-01", "--to", "2024-12-31",
                       "--out", str(tmp_path / "x.pdf"))  # fmt: skip
    assert (
        code,
        "tham số --from: cần một ngày có thật, dạng dd/mm/yyyy hoặc YYYY-MM-DD" in err,
    ) == (2, True)
    code, _, err = run(capsys, *db, "report", *period, "--unit", "00000", "--out",
                       str(tmp_path / "x.pdf"))  # fmt: skip
    assert (code, err.strip()) == (3, "Lỗi: Không có đơn vị hành chính mã “00000”.")
    code, _, err = run(capsys, *db, "report", "--from", "2024-12-31", "--to", "2024-01-01",
                       "--out", str(tmp_path / "x.xlsx"))  # fmt: skip
    assert code == 3 and "Ngày bắt đầu (31/12/2024) ở sau ngày kết thúc (01/01/2024)" in err
    code, _, err = run(capsys, *db, "report", *period, "--out", str(tmp_path / "x.csv"))
    assert code == 3 and "không phải “.csv”" in err
    assert sorted(tmp_path.iterdir()) == before

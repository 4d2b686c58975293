"""CLI: people list, import people, export — the contract departments script."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from tests.app import sheets
from tests.app.clirun import run


@pytest.fixture
def dbfile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "cli.db"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    return path


def count(path: Path) -> int:
    with sqlite3.connect(path) as con:
        return con.execute("SELECT count(*) FROM people").fetchone()[0]


def test_import_dry_run_then_real_then_list(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = sheets.messy_workbook(tmp_path / "ds.xlsx")
    code, out, _ = run(capsys, "--db", str(dbfile), "import", "people", str(xlsx), "--dry-run")
    assert code == 0
    assert "cột B “HỌ VÀ TÊN” → Họ và tên" in out
    assert "Thêm mới: 3" in out and "Chạy thử (--dry-run): không ghi gì." in out
    assert count(dbfile) == 0
    code, out, _ = run(capsys, "--db", str(dbfile), "import", "people", str(xlsx))
    assert code == 0 and "Thêm mới: 3" in out
    assert count(dbfile) == 3
    code, out, err = run(
        capsys, "--db", str(dbfile), "people", "list", "--search", "nguyen thi thanh ha"
    )
    assert code == 0
    assert "Nguyễn Thị Thanh Hà" in out and "********0123" in out
    assert "(1/1 người)" in err
    code, out, _ = run(capsys, "--db", str(dbfile), "people", "list")
    assert out.index("Lê Văn An") < out.index("Trần Văn Bình") < out.index("Nguyễn Thị Thanh Hà")


def test_import_with_a_bad_row_exits_3_and_writes_nothing(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = sheets.simple_workbook(
        tmp_path / "loi.xlsx",
        ["Họ và tên", "Số CCCD"],
        [["Lê Thị Bé", "083305000451"], ["Võ Hà", "08306200045X"]],
    )
    code, out, err = run(capsys, "--db", str(dbfile), "import", "people", str(xlsx))
    assert code == 3
    assert "Dòng 3, cột “Số CCCD”, giá trị “08306200045X”" in out
    assert "Không ghi gì: 1 dòng có lỗi" in err
    assert count(dbfile) == 0
    code, out, _ = run(
        capsys, "--db", str(dbfile), "import", "people", str(xlsx), "--skip-bad-rows"
    )
    assert code == 0 and "Thêm mới: 1" in out and "Dòng lỗi: 1" in out
    assert count(dbfile) == 1


def test_import_shows_where_every_row_of_the_sheet_went(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = sheets.messy_workbook(tmp_path / "ds.xlsx")
    code, out, _ = run(capsys, "--db", str(dbfile), "import", "people", str(xlsx), "--dry-run")
    assert code == 0
    tally = out[out.index("Trang tính có 13 dòng:") :].splitlines()[:12]
    assert tally == [
        "Trang tính có 13 dòng:",
        "  Dòng tiêu đề: 5",
        "  Dòng trống: 2",
        "  Dòng chỉ có STT, chưa điền: 0",
        "  Dòng nhóm / tổng cộng: 0",
        "  Dòng ký tên, cuối bảng: 2",
        "  Thêm mới: 3",
        "  Cập nhật: 0",
        "  Đã có, không đổi: 0",
        "  Dòng trùng trong tệp, đã gộp: 1",
        "  Dòng lỗi: 0",
        "  Cộng: 13 dòng, khớp với trang tính.",
    ]
    assert count(dbfile) == 0


def test_import_strict_turns_warnings_into_errors(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = sheets.simple_workbook(
        tmp_path / "nghi.xlsx",
        ["Họ và tên", "Ngày sinh", "SĐT"],
        [["Lê Thị Bé", "02/05/1986", "0123456789"], ["Võ Hà", "1990", "0903111222"]],
    )
    warning = (
        "Dòng 2, cột “SĐT”, giá trị “0123456789”: Số điện thoại “0123456789” có đầu số 012 "
        "chưa cấp cho mạng nào."
    )
    code, out, err = run(capsys, "--db", str(dbfile), "import", "people", str(xlsx), "--strict")
    assert code == 3
    assert "Lỗi (1):" in out and warning in out
    assert "  Dòng lỗi: 1\n  Cộng: 3 dòng, khớp với trang tính." in out
    assert "Không ghi gì: 1 dòng có lỗi (xem trên), tính cả cảnh báo vì có --strict." in err
    assert count(dbfile) == 0
    code, out, _ = run(capsys, "--db", str(dbfile), "import", "people", str(xlsx))
    assert code == 0
    assert "Cảnh báo (1):" in out
    assert warning + " Đã bỏ giá trị này, vẫn nhập người này." in out
    assert "  Thêm mới: 2\n" in out and "Cảnh báo: 1" in out
    assert count(dbfile) == 2
    with sqlite3.connect(dbfile) as con:
        assert con.execute("SELECT phone FROM people WHERE full_name = 'Lê Thị Bé'").fetchone() == (
            None,
        )


def test_import_not_excel_exits_3(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "ds.xlsx"
    fake.write_text("không phải Excel", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(dbfile), "import", "people", str(fake))
    assert code == 3 and "không phải là bảng tính Excel" in err
    assert count(dbfile) == 0


def test_import_unknown_course_writes_nothing(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = sheets.simple_workbook(tmp_path / "a.xlsx", ["Họ và tên"], [["Lê Thị Bé"]])
    code, _, err = run(
        capsys, "--db", str(dbfile), "import", "people", str(xlsx), "--course", "TH-1900-001"
    )
    assert code == 3 and "Không có khóa học mã “TH-1900-001”" in err
    assert count(dbfile) == 0


def test_export_xlsx_keeps_zeros_dates_and_never_formulas(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = sheets.simple_workbook(
        tmp_path / "in.xlsx",
        ["Họ và tên", "Ngày sinh", "Số CCCD", "SĐT", "Chức vụ"],
        [["Nguyễn Thị Hà", "02/05/1986", "001186000123", "0903111222", "Cán bộ"]],
    )
    assert run(capsys, "--db", str(dbfile), "import", "people", str(xlsx))[0] == 0
    with sqlite3.connect(dbfile) as con:  # typed in a form, say: text that looks like a formula
        con.execute("UPDATE people SET position = '=HYPERLINK(\"x\")'")
    out = tmp_path / "ra.xlsx"
    code, stdout, _ = run(capsys, "--db", str(dbfile), "export", "people", str(out))
    assert code == 0 and "Đã xuất 1 dòng" in stdout
    ws = openpyxl.load_workbook(out).active
    assert ws.freeze_panes == "A2"
    assert ws["A1"].value == "Họ và tên" and ws["A1"].font.bold
    assert ws["B2"].number_format == "DD/MM/YYYY" and ws["B2"].value.year == 1986
    assert ws["D2"].value == "********0123" and ws["D2"].data_type == "s"
    assert ws["E2"].value == "0903111222" and ws["E2"].data_type == "s"
    assert ws["H2"].value == '=HYPERLINK("x")' and ws["H2"].data_type == "s"
    before = out.read_bytes()
    code, _, err = run(capsys, "--db", str(dbfile), "export", "people", str(out), "--unmask")
    assert code == 3 and "Hãy ghi lý do xuất đủ số CCCD" in err
    assert out.read_bytes() == before  # nothing written
    reason = ["--reason", "Đối chiếu hồ sơ"]
    run(capsys, "--db", str(dbfile), "export", "people", str(out), "--unmask", *reason)
    assert openpyxl.load_workbook(out).active["D2"].value == "001186000123"
    with sqlite3.connect(dbfile) as con:
        notes = [
            r[0]
            for r in con.execute("SELECT note FROM audit_entries WHERE action = 'export.people'")
        ]
    assert notes == ["1 dòng vào ra.xlsx", "1 dòng vào ra.xlsx; đủ số CCCD, lý do: Đối chiếu hồ sơ"]


def test_export_csv_has_bom_and_escapes_formulas(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlsx = sheets.simple_workbook(
        tmp_path / "in.xlsx", ["Họ và tên", "Chức vụ"], [["Lê Thị Bé", "+Trưởng ấp"]]
    )
    run(capsys, "--db", str(dbfile), "import", "people", str(xlsx))
    out = tmp_path / "ra.csv"
    assert run(capsys, "--db", str(dbfile), "export", "people", str(out))[0] == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "Họ và tên" and rows[1][0] == "Lê Thị Bé"
    assert rows[1][7] == "'+Trưởng ấp"


def test_export_refuses_other_formats(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", str(dbfile), "export", "people", str(tmp_path / "ra.pdf"))
    assert code == 3 and "Chỉ xuất ra tệp .xlsx hoặc .csv" in err
    assert not (tmp_path / "ra.pdf").exists()

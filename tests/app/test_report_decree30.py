"""The periodic report PDF to Decree 30/2020/NĐ-CP (Appendix I), read back with pypdf:
where each part stands on the page, the charts as vectors with extractable labels, and
every number the Vietnamese way (issue 16)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.db import Database
from app.documents import official
from app.documents.common import Heading, p
from app.documents.report import ReportDocument, render_report
from app.errors import InvalidValue
from app.report_data import CountRow, CoverageRow, Figures, Summary
from app.services import report_file, settings
from tests.app import test_reports
from tests.app.test_charts import course, dashboard
from tests.app.test_report_file import configure, pdf_text

MIDDLE = (official.LEFT_MARGIN + A4[0] - official.RIGHT_MARGIN) / 2  # of the text area


@dataclass(frozen=True)
class Chunk:
    page: int
    x: float
    y: float
    size: float
    text: str


def chunks(data: bytes) -> list[Chunk]:
    """Every piece of text drawn, with where it starts on its page and its font size."""
    found: list[Chunk] = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):

        def visit(t: str, cm: list[float], tm: list[float], _f: object, size: float) -> None:
            if t.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append(Chunk(number, x, y, size, " ".join(t.split())))  # noqa: B023

        page.extract_text(visitor_text=visit)
    return found


def one(found: list[Chunk], start: str) -> Chunk:
    hits = [c for c in found if c.text.startswith(start)]
    assert len(hits) == 1, (start, hits)
    return hits[0]


def images_and_fonts(data: bytes) -> tuple[int, list[tuple[str, bool]]]:
    """Image XObjects (in the pages and in any form they draw) and (font, embedded)."""
    images, fonts = 0, {}

    def walk(resources: DictionaryObject) -> None:
        nonlocal images
        for obj in (resources.get("/XObject") or {}).values():
            x = obj.get_object()
            if x.get("/Subtype") == "/Image":
                images += 1
            elif "/Resources" in x:
                walk(x["/Resources"].get_object())
        for font in (resources.get("/Font") or {}).values():
            f = font.get_object()
            descriptor = f.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(f["/BaseFont"])] = embedded

    for page in PdfReader(io.BytesIO(data)).pages:
        walk(page["/Resources"].get_object())
    return images, sorted(fonts.items())


def test_report_is_laid_out_to_decree_30(db: Database, tmp_path: Path) -> None:
    test_reports.build(db)
    configure(db)
    with db.transaction() as s:
        settings.set_value(s, "report_number", "125/BC-SKHCN")
        settings.set_value(s, "signer_title", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")
        settings.set_value(s, "report_recipients", "- Ban Chỉ đạo tỉnh (b/c);\\n- Lưu: VT, VP.")
    out = tmp_path / "bao-cao.pdf"
    with db.transaction(readonly=True) as s:
        report_file.write_report(s, test_reports.YEAR_2024, out, date(2026, 11, 28))
    data = out.read_bytes()
    found = chunks(data)

    # The heading: the body and the number at the left, the motto and the date at the right.
    parent, body = one(found, "UBND TỈNH VĨNH LONG"), one(found, "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    number = one(found, "Số: 125/BC-SKHCN")
    motto = one(found, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto2 = one(found, "Độc lập - Tự do - Hạnh phúc")
    dated = one(found, "Vĩnh Long, ngày 28 tháng 11 năm 2026")
    title = one(found, "BÁO CÁO")
    for c in (parent, body, number, motto, motto2, dated, title):
        assert c.page == 0
    assert max(parent.x, body.x, number.x) < MIDDLE - 40 < min(motto.x, motto2.x, dated.x)
    assert parent.y == motto.y and number.y < body.y and dated.y < motto2.y
    assert title.y < min(number.y, dated.y) and MIDDLE - 40 < title.x < MIDDLE
    # Body at 13 pt (13–14 in the decree), the period and the area under the title.
    assert one(found, "Trong kỳ đã tổ chức").size == 13
    assert one(found, "Từ ngày 01/01/2024 đến ngày 31/12/2024").y < title.y

    # The end: the last paragraph, "Nơi nhận:" at the left beside the signer at the right,
    # on one page, with at least 3 cm between the title and the name.
    last = one(found, "Trên đây là báo cáo kết quả tập huấn")
    recipients = one(found, "Nơi nhận:")
    lines = [one(found, "- Ban Chỉ đạo tỉnh (b/c);"), one(found, "- Lưu: VT, VP.")]
    signer = [one(found, "KT. GIÁM ĐỐC"), one(found, "PHÓ GIÁM ĐỐC")]
    name = one(found, "Nguyễn Văn Tâm")
    assert {c.page for c in (last, recipients, *lines, *signer, name)} == {found[-1].page}
    assert recipients.x < MIDDLE < min(s.x for s in signer)
    assert abs(recipients.y - signer[0].y) < 2  # side by side, tops level
    assert recipients.y < last.y and lines[0].y < recipients.y
    assert (signer[1].y - name.y) - name.size >= 30 * mm

    # Page numbers at the top centre from the second page; every font embedded.
    numbers = [c for c in found if c.y > A4[1] - official.TOP_MARGIN]
    assert [(c.page, c.text) for c in numbers] == [
        (i, str(i + 1)) for i in range(1, found[-1].page + 1)
    ]
    images, fonts = images_and_fonts(data)
    assert images == 0
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert not any("Helvetica" in f for f, _ in fonts)


def test_number_and_date_lines_follow_the_decree() -> None:
    assert official.number_line("125/BC-SKHCN") == "Số: 125/BC-SKHCN"
    for blank in ("/BC-SKHCN", "…/BC-SKHCN", "  ... /BC-SKHCN", "BC-SKHCN", "Số: /BC-SKHCN"):
        assert official.number_line(blank) == "Số: ……/BC-SKHCN", blank
    # Days below 10 and the months January and February with a leading zero only.
    assert official.dated("Vĩnh Long", date(2026, 2, 5)) == "Vĩnh Long, ngày 05 tháng 02 năm 2026"
    assert official.dated("Vĩnh Long", date(2026, 3, 15)) == "Vĩnh Long, ngày 15 tháng 3 năm 2026"
    assert official.dated("Vĩnh Long", None, 2026) == "Vĩnh Long, ngày …… tháng …… năm 2026"


def big_report() -> ReportDocument:
    """Hand-built figures in the thousands and with decimals, every chart with bars."""
    total = Figures(1449, 12, 48, 43.0, 87.5, 1449)
    d = dashboard(
        summary=Summary({"in_person": total, "online": Figures()}, total),
        months=[CountRow(f"2026-{m:02d}", f"{m:02d}/2026", 1449 - m) for m in range(1, 4)],
        communes=[CountRow(1, "Xã Tân Phú Đông", 1449), CountRow(2, "Phường An Hội", 12)],
        topics=[CountRow(1, "Ứng dụng VNeID và định danh điện tử", 1449)],
        courses=[course(1, "Kỹ năng số cho Tổ CNSCĐ xã Tân Phú Đông", scored=1)],
        coverage=[CoverageRow("commune", 1000, 430)],
        course_count=1,
    )
    heading = Heading("UBND TỈNH VĨNH LONG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Vĩnh Long")
    return ReportDocument(heading, "GIÁM ĐỐC", "Toàn tỉnh", d, "Nguyễn Văn Tâm")


def test_charts_are_vectors_whose_labels_are_vietnamese_text() -> None:
    out = io.BytesIO()
    render_report(big_report(), out)
    data = out.getvalue()
    images, _ = images_and_fonts(data)
    assert images == 0  # drawn as paths and text, no picture of a chart
    text = pdf_text(data)
    for title in (
        "Số người được tập huấn theo tháng",
        "Số người được tập huấn theo xã/phường (10 nhiều nhất)",
        "Điểm kiểm tra trước và sau tập huấn",
        "Độ phủ tập huấn thành viên Tổ CNSCĐ theo cấp",
    ):
        assert title in text, title
    # In the charts' own labels: bar values, the axis, the coverage bar's label.
    assert "1.447 1.446" in text  # February's and March's bar labels in the months chart
    assert "43,0% 430/1.000" in text
    assert "1.449" in text and "tỷ lệ chuyên cần 43,0%" in text
    assert "1.000" in text  # a value axis tick
    assert "43.0" not in text and "1,449" not in text and "87.5" not in text
    assert not re.search(r"\d\.\d%|\b\d{1,3},\d{3}\b", text), text


def test_a_heading_keeps_two_rows_and_a_split_leaves_two_rows() -> None:
    """Whatever space the page has left: the heading stands on the page of the table's
    head and first two rows; every page of the table has at least two of its rows."""
    st = official.styles(13)
    rows = 38  # over the fillers' range, the last page gets every count of rows from 1 up
    table_rows = [["STT", "Nội dung", "Số"]] + [[i, f"Hàng {i}", i] for i in range(1, rows + 1)]
    for filler in range(420, 710, 8):  # points: less than half a row apart
        out = io.BytesIO()
        heading = [p("III. KẾT QUẢ THEO ĐƠN VỊ", st["heading"])]
        table = official.grid_table(table_rows, [12 * mm, 120 * mm, 33 * mm], st, 2)
        story = [Spacer(1, filler), official.HeadedTable(heading, table)]
        official.build(out, story, "thử")
        found = chunks(out.getvalue())
        head = one(found, "III. KẾT QUẢ THEO ĐƠN VỊ")
        per_page: dict[int, list[str]] = {}
        for c in found:
            if re.fullmatch(r"Hàng \d+", c.text):
                per_page.setdefault(c.page, []).append(c.text)
        assert min(per_page) == head.page, (filler, head, per_page)
        assert per_page[head.page][:2] == ["Hàng 1", "Hàng 2"], filler
        assert all(len(r) >= 2 for r in per_page.values()), (filler, per_page)
        assert sum(len(r) for r in per_page.values()) == rows


def test_report_settings_are_checked_and_nothing_is_written_when_wrong(
    sqlite_db: Database,
) -> None:
    with pytest.raises(InvalidValue) as err, sqlite_db.transaction() as s:
        settings.set_value(s, "report_number", "125/" + "BC-SKHCN-" * 5)
    assert str(err.value) == (
        "Số, ký hiệu báo cáo định kỳ (bỏ trống số để điền tay: …/BC-SKHCN) dài quá 40 ký tự."
    )
    with sqlite_db.transaction() as s:
        assert settings.get(s, "report_number") == "…/BC-SKHCN"  # the default: nothing stored
        assert settings.get(s, "report_recipients") == "- UBND tỉnh (để báo cáo);\n- Lưu: VT."
        settings.set_value(s, "report_recipients", "- Như trên;\\n- Lưu: VT.")
    with sqlite_db.transaction(readonly=True) as s:
        assert settings.get(s, "report_recipients") == "- Như trên;\n- Lưu: VT."

"""SpanningLongTable draws exactly what ReportLab's LongTable draws, byte for byte, for
the documents that end a long table with a spanned closing row (common.closing), and it
measures each row once however many pages the table runs over."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

from app.documents import common
from app.documents.attendance_sheet import (
    AttendanceSummary,
    SignInRow,
    SignInSheet,
    SummaryRow,
    render_attendance_summary,
    render_sign_in_sheet,
)
from app.documents.long_table import SpanningLongTable
from app.documents.register import RegisterLine, render_register
from tests.app.test_documents import HEADING


def _sheet(n: int, qr: bool, phones: bool) -> SignInSheet:
    rows = [
        SignInRow(
            f"Nguyễn Thị Thanh Hương {i}",
            "1986",
            "Hội Liên hiệp Phụ nữ xã Đại Điền" + (", huyện Thạnh Phú" if i % 3 == 0 else ""),
            "Chi hội trưởng",
            "0903111222",
            f"AB{i:06d}" if i % 5 else None,
        )
        for i in range(n)
    ]
    return SignInSheet(
        HEADING, "TH-2026-014", "Tập huấn triển khai định danh điện tử VNeID", "Buổi 1",
        datetime(2026, 3, 2, 7, 30), datetime(2026, 3, 2, 11), "Hội trường UBND xã Đại Điền",
        "Phạm Quốc Khánh", "Sở Khoa học và Công nghệ tỉnh Vĩnh Long", rows, 5, qr,
        show_phones=phones, trainer_names=("Phạm Quốc Khánh", "Đỗ Thị Mai", "Lê Văn An", "Trần Bình"),
    )  # fmt: skip


def _summary(n: int) -> AttendanceSummary:
    rows = [
        SummaryRow(f"Trần Văn Bình {i}", ["present", "late", "absent", None], 2, 66.7, 50.0,
                   4.5, 8.0, ["completed", "not_completed", "in_progress", None][i % 4])
        for i in range(n)
    ]  # fmt: skip
    return AttendanceSummary(
        HEADING, "TH-2026-014", "Tập huấn VNeID", date(2026, 3, 1), date(2026, 3, 20),
        [datetime(2026, 3, k + 1) for k in range(4)], 3, "Chuyên cần ≥ 80%", rows, "GIÁM ĐỐC",
        1.5, date(2026, 3, 21), signer_name="Lê Văn Tâm", unmarked=(3,),
    )  # fmt: skip


def _register(n: int) -> list[RegisterLine]:
    """n lines over three courses (a spanned row heads each), some names long enough to wrap."""
    return [
        RegisterLine(f"{i:04d}/GCN", str(i), f"Người số {i:03d}" + " Nguyễn Thị" * (i % 4 == 0),
                     "1989", "Nam", "Hội Liên hiệp Phụ nữ xã Đại Điền" * (1 + i % 2),
                     f"K{i * 3 // n} – Kỹ năng số", "Hoàn thành", date(2026, 3, 6), "")
        for i in range(1, n + 1)
    ]  # fmt: skip


RENDERS = [
    lambda out: render_sign_in_sheet(_sheet(47, qr=True, phones=False), out),
    lambda out: render_sign_in_sheet(_sheet(61, qr=False, phones=True), out),
    lambda out: render_sign_in_sheet(_sheet(130, qr=True, phones=True), out),
    lambda out: render_sign_in_sheet(_sheet(203, qr=False, phones=False), out),
    lambda out: render_attendance_summary(_summary(29), out),
    lambda out: render_attendance_summary(_summary(70), out),
    lambda out: render_attendance_summary(_summary(260), out),
    lambda out: render_register(HEADING, "Năm 2026", _register(97), "GIÁM ĐỐC", out),
]


@pytest.mark.parametrize("render", RENDERS)
def test_the_same_pdf_as_reportlab_s_long_table(render, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    ours = io.BytesIO()
    pages = render(ours)
    assert pages >= 2  # page breaks inside the table, the closing row at its end
    monkeypatch.setattr(common, "SpanningLongTable", LongTable)
    reportlab_s = io.BytesIO()
    render(reportlab_s)
    assert _page_texts(ours) == _page_texts(reportlab_s)  # the same rows on each page
    assert ours.getvalue() == reportlab_s.getvalue()  # at the same heights, drawn the same


def _page_texts(pdf: io.BytesIO) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages]


class _Breakings:
    """How many times each paragraph made while counting is broken into lines."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made: list[Paragraph] = []
        self.broken: dict[int, int] = {}
        init, break_lines = Paragraph.__init__, Paragraph.breakLines

        def counted_init(paragraph, *args, **kw):  # type: ignore[no-untyped-def]
            self.made.append(paragraph)
            init(paragraph, *args, **kw)

        def counted_break(paragraph, *args, **kw):  # type: ignore[no-untyped-def]
            self.broken[id(paragraph)] = self.broken.get(id(paragraph), 0) + 1
            return break_lines(paragraph, *args, **kw)

        monkeypatch.setattr(Paragraph, "__init__", counted_init)
        monkeypatch.setattr(Paragraph, "breakLines", counted_break)

    def times(self) -> list[int]:
        return [self.broken.get(id(x), 0) for x in self.made]


def test_each_cell_of_a_long_table_is_broken_into_lines_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ReportLab measures a long table's rows again at every page break (to fill the page,
    then to split it there) and wraps every cell once more to draw it: three line breakings
    of each paragraph. Measured once and drawn from that measure: one, however many pages."""
    counted = _Breakings(monkeypatch)
    table = _plain_table(SpanningLongTable, 150)
    pdf = _build(table)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 5
    assert set(counted.times()) == {1}


@pytest.mark.parametrize(
    "render",
    [
        lambda out: render_sign_in_sheet(_sheet(500, qr=True, phones=False), out),
        lambda out: render_attendance_summary(_summary(260), out),
        lambda out: render_register(HEADING, "Năm 2026", _register(300), "GIÁM ĐỐC", out),
    ],
)
def test_long_documents_break_their_cells_into_lines_about_once(render, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The same in the documents: only the last page's rows are wrapped again to draw
    (drawn beside the spanned closing row, their width is taken from the column positions,
    which may differ from the measured width in the last digit: ReportLab wraps again), and
    the closing row's signature blocks are small tables ReportLab wraps whenever it does."""
    counted = _Breakings(monkeypatch)
    pages = render(io.BytesIO())
    assert pages >= 8
    times = counted.times()
    assert min(times) == 1  # every paragraph drawn
    assert sum(times) <= 1.25 * len(times), sum(times) / len(times)


def _plain_table(cls: type[LongTable], rows: int, spans: list[tuple] | None = None) -> LongTable:  # type: ignore[type-arg]
    st = common.styles(10)
    data = [[common.p(h, st["head_cell"]) for h in ("STT", "Họ và tên", "Ghi chú")]]
    data += [
        [common.p(i, st["cell_center"]), common.p(f"Người số {i}", st["cell"]),
         common.p("Một ghi chú dài để xuống dòng. " * (i % 5), st["cell"])]
        for i in range(1, rows + 1)
    ]  # fmt: skip
    table = cls(data, colWidths=[30, 150, 200], repeatRows=1)
    table.setStyle(TableStyle([*common.GRID, *(spans or [])]))
    return table


def _build(table: LongTable) -> bytes:
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build([table])
    return out.getvalue()


@pytest.mark.parametrize("rows", [1, 12, 40, 41, 150])
@pytest.mark.parametrize(
    "spans",
    [
        None,
        [("SPAN", (1, 5), (2, 5))],  # across a row: measured once as well
        [("SPAN", (2, 3), (2, 6)), ("SPAN", (0, 30), (0, 33))],  # down rows: ReportLab's way
    ],
)
def test_any_long_table_splits_where_reportlab_s_does(rows: int, spans: list[tuple] | None) -> None:  # type: ignore[type-arg]
    spans = [s for s in spans or [] if s[2][1] <= rows]
    ours = _build(_plain_table(SpanningLongTable, rows, spans))
    assert ours == _build(_plain_table(LongTable, rows, spans))


def test_the_report_s_tables_split_where_reportlab_s_do(monkeypatch: pytest.MonkeyPatch) -> None:
    """The periodic report's tables (official.grid_table: courses, communes, topics) over
    several pages: the same PDF as with ReportLab's LongTable, each row measured once."""
    from app.documents import official
    from app.documents.report import ReportDocument, render_report
    from app.report_data import CountRow, Figures, Summary
    from tests.app.test_charts import course, dashboard

    total = Figures(1449, 12, 48, 43.0, 87.5, 1449)
    d = dashboard(
        summary=Summary({"in_person": total, "online": Figures()}, total),
        months=[CountRow(f"2026-{m:02d}", f"{m:02d}/2026", 1449 - m) for m in range(1, 13)],
        communes=[CountRow(i, f"Xã số {i} của huyện Thạnh Phú" * (1 + i % 3), 900 - i)
                  for i in range(120)],
        topics=[CountRow(i, f"Chủ đề {i}", 40 + i) for i in range(30)],
        courses=[course(i, f"Kỹ năng số cho Tổ CNSCĐ xã số {i}", scored=i % 2) for i in range(1, 32)],
        course_count=31,
    )  # fmt: skip
    doc = ReportDocument(HEADING, "GIÁM ĐỐC", "Toàn tỉnh", d, "Nguyễn Văn Tâm")
    counted = _Breakings(monkeypatch)
    ours = io.BytesIO()
    assert render_report(doc, ours) >= 6
    assert sum(counted.times()) <= 1.25 * len(counted.times())
    monkeypatch.setattr(official, "SpanningLongTable", LongTable)
    reportlab_s = io.BytesIO()
    render_report(doc, reportlab_s)
    assert _page_texts(ours) == _page_texts(reportlab_s)
    assert ours.getvalue() == reportlab_s.getvalue()

"""The periodic report to the steering committee: A4, the national heading, the period
and area, the summary and coverage tables, the charts, results by unit and by topic, and
the signer's block. The same tables go to a workbook, one sheet each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, LongTable, Spacer, TableStyle

from app.documents import charts
from app.documents.common import (
    GRID,
    MARGIN,
    Heading,
    build,
    national_heading,
    p,
    place_and_date,
    signatures,
    styles,
)
from app.documents.table_export import Column, Sheet, write_tables
from app.labels import TEAM_LEVEL, number
from app.report_data import MODES, Dashboard, Figures

MODE_HEADINGS = {"in_person": "Trực tiếp", "online": "Trực tuyến"}
FIGURES: tuple[tuple[str, str], ...] = (
    ("people_trained", "Số người được tập huấn"),
    ("courses", "Số khóa tập huấn"),
    ("sessions", "Số buổi học"),
    ("attendance_rate", "Tỷ lệ chuyên cần (%)"),
    ("completion_rate", "Tỷ lệ hoàn thành (%)"),
    ("certificates", "Số giấy chứng nhận đã cấp"),
)
RATES = {"attendance_rate", "completion_rate"}
CHART_HEIGHT = 80 * mm


@dataclass(frozen=True)
class ReportDocument:
    heading: Heading
    signer: str  # "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    area: str  # "Toàn tỉnh", "Xã Đại Điền (gồm các xã cũ đã sáp nhập)"
    dashboard: Dashboard  # with every course ending in the period
    signer_name: str = ""
    printed_on: date | None = None

    @property
    def period(self) -> str:
        f = self.dashboard.filter
        return f"Từ ngày {f.start:%d/%m/%Y} đến ngày {f.end:%d/%m/%Y}"


def _value(figures: Figures, name: str) -> str:
    value = getattr(figures, name)
    if name in RATES:
        return "–" if value is None else f"{value:.1f}".replace(".", ",")
    return number(value)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def _table(rows: list[list[Any]], widths: list[float], st: dict, numeric_from: int) -> LongTable:  # type: ignore[type-arg]
    cells = [[p(h, st["head_cell"]) for h in rows[0]]]
    for row in rows[1:]:
        cells.append(
            [p(v, st["cell_center"] if i == 0 or i >= numeric_from else st["cell"])
             for i, v in enumerate(row)]
        )  # fmt: skip
    table = LongTable(cells, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(GRID))
    return table


def render_report(doc: ReportDocument, out: BinaryIO) -> int:
    st = styles(11)
    width = A4[0] - 2 * MARGIN
    d = doc.dashboard
    story: list[Any] = [
        national_heading(doc.heading, width, st),
        Spacer(1, 4 * mm),
        p("BÁO CÁO", st["title"]),
        p("Kết quả tập huấn thành viên Tổ công nghệ số cộng đồng", st["center_bold"]),
        p(doc.period, st["center_italic"]),
        p(f"Địa bàn: {doc.area}", st["center_italic"]),
        Spacer(1, 5 * mm),
        p("I. SỐ LIỆU TỔNG HỢP", st["left_bold"]),
        Spacer(1, 2 * mm),
    ]
    summary = [["Chỉ tiêu", *MODE_HEADINGS.values(), "Tổng cộng"]]
    for name, label in FIGURES:
        summary.append(
            [label, *(_value(d.summary.by_mode[m], name) for m in MODES),
             _value(d.summary.total, name)]
        )  # fmt: skip
    story.append(
        _table([[ "STT"] + summary[0]] + [[i, *r] for i, r in enumerate(summary[1:], 1)],
               [12 * mm, width - 12 * mm - 3 * 32 * mm, 32 * mm, 32 * mm, 32 * mm], st, 2)
    )  # fmt: skip
    story += [
        Spacer(1, 1.5 * mm),
        p(
            "Ghi chú: người học cả trực tiếp và trực tuyến được tính ở cả hai cột, một lần ở "
            "cột Tổng cộng; tỷ lệ hoàn thành tính trên các khóa kết thúc trong kỳ.",
            st["small_italic"],
        ),
        Spacer(1, 4 * mm),
        p("Độ phủ tập huấn thành viên Tổ công nghệ số cộng đồng theo cấp", st["left_bold"]),
        Spacer(1, 2 * mm),
    ]
    cover = [["STT", "Cấp tổ", "Số thành viên", "Đã được tập huấn", "Tỷ lệ (%)"]]
    cover += [
        [i, TEAM_LEVEL.get(r.level, r.level), number(r.members), number(r.trained),
         _percent(r.percent)]
        for i, r in enumerate(d.coverage, 1)
    ]  # fmt: skip
    if not d.coverage:
        cover.append(["", "Không có tổ nào trong địa bàn", "", "", ""])
    story.append(
        _table(cover, [12 * mm, width - 12 * mm - 3 * 36 * mm, 36 * mm, 36 * mm, 36 * mm], st, 2)
    )

    story += [Spacer(1, 5 * mm), p("II. BIỂU ĐỒ", st["left_bold"]), Spacer(1, 2 * mm)]
    chart_data = _latest(d, 15)
    for chart in charts.CHARTS:
        height = max(CHART_HEIGHT, (25 + 7 * charts.rows(chart, chart_data)) * mm)
        png = charts.png(chart, chart_data, width / 72, height / 72, dpi=170)
        story.append(KeepTogether([Image(BytesIO(png), width, height), Spacer(1, 3 * mm)]))
    if len(d.courses) > 15:
        story.append(
            p(f"Biểu đồ theo khóa: 15 khóa kết thúc gần nhất trong kỳ (của {number(len(d.courses))} khóa).",
              st["small_italic"])
        )  # fmt: skip

    trained = d.summary.total.people_trained
    story += [Spacer(1, 5 * mm), p("III. KẾT QUẢ THEO ĐƠN VỊ", st["left_bold"]), Spacer(1, 2 * mm)]
    units = [["STT", "Xã, phường, thị trấn", "Số người được tập huấn", "Tỷ lệ trong tổng số (%)"]]
    units += [
        [i, r.label, number(r.count), _percent(100 * r.count / trained if trained else None)]
        for i, r in enumerate(d.communes, 1)
    ]
    story.append(_table(units, [12 * mm, width - 12 * mm - 2 * 42 * mm, 42 * mm, 42 * mm], st, 2))

    story += [
        Spacer(1, 5 * mm),
        p("IV. KẾT QUẢ THEO CHUYÊN ĐỀ", st["left_bold"]),
        Spacer(1, 2 * mm),
    ]
    topics = [["STT", "Chuyên đề", "Số người được tập huấn"]]
    topics += [[i, r.label, number(r.count)] for i, r in enumerate(d.topics, 1)]
    story.append(_table(topics, [12 * mm, width - 12 * mm - 42 * mm, 42 * mm], st, 2))

    story += [
        Spacer(1, 6 * mm),
        KeepTogether(
            [
                p(place_and_date(doc.heading, doc.printed_on), st["center_italic"]),
                signatures(
                    [("NGƯỜI LẬP BÁO CÁO", ""), (doc.signer.upper(), doc.signer_name)], width, st
                ),
            ]
        ),
    ]
    return build(out, story, A4, f"Báo cáo kết quả tập huấn – {doc.period}")


def _latest(d: Dashboard, n: int) -> Dashboard:
    return replace(d, courses=d.courses[:n])


def write_workbook(doc: ReportDocument, path: Path) -> list[int]:
    """The report's tables, one sheet each, with the period and area above every table."""
    d = doc.dashboard
    caption = (
        "Báo cáo kết quả tập huấn Tổ công nghệ số cộng đồng",
        doc.period,
        f"Địa bàn: {doc.area}",
    )
    trained = d.summary.total.people_trained

    def raw(figures: Figures, name: str) -> float | int | None:
        return getattr(figures, name)

    sheets = [
        Sheet(
            "Tổng hợp",
            [Column("Chỉ tiêu", width=34), *(Column(h, "number", 14) for h in MODE_HEADINGS.values()),
             Column("Tổng cộng", "number", 14)],
            [[label, *(raw(d.summary.by_mode[m], name) for m in MODES), raw(d.summary.total, name)]
             for name, label in FIGURES],
            caption,
        ),
        Sheet(
            "Độ phủ theo cấp",
            [Column("Cấp tổ", width=22), Column("Số thành viên", "number", 14),
             Column("Đã được tập huấn", "number", 16), Column("Tỷ lệ", "percent", 10)],
            [[TEAM_LEVEL.get(r.level, r.level), r.members, r.trained, r.percent] for r in d.coverage],
            caption,
        ),
        Sheet(
            "Theo tháng",
            [Column("Tháng", width=12), Column("Số người được tập huấn", "number", 22)],
            [[r.label, r.count] for r in d.months],
            caption,
        ),
        Sheet(
            "Theo đơn vị",
            [Column("Xã, phường, thị trấn", width=36), Column("Số người được tập huấn", "number", 22),
             Column("Tỷ lệ trong tổng số", "percent", 18)],
            [[r.label, r.count, 100 * r.count / trained if trained else None] for r in d.communes],
            caption,
        ),
        Sheet(
            "Theo chuyên đề",
            [Column("Chuyên đề", width=50), Column("Số người được tập huấn", "number", 22)],
            [[r.label, r.count] for r in d.topics],
            caption,
        ),
        Sheet(
            "Theo khóa học",
            [Column("Mã khóa", "code", 14), Column("Tên khóa", width=44),
             Column("Ngày kết thúc", "date", 13), Column("Hình thức", width=11),
             Column("Chuyên cần", "percent", 11), Column("Hoàn thành", "number", 11),
             Column("Có kết quả", "number", 11), Column("Tỷ lệ hoàn thành", "percent", 14),
             Column("Điểm trước (thang 10)", "decimal", 12),
             Column("Điểm sau (thang 10)", "decimal", 12)],
            [[c.code, c.title, c.end_date, "Trực tuyến" if c.online else "Trực tiếp",
              c.attendance_rate, c.completed, c.finished, c.completion_rate, c.pre, c.post]
             for c in d.courses],
            caption,
        ),
    ]  # fmt: skip
    return write_tables(path, sheets, f"Báo cáo kết quả tập huấn – {doc.period}")

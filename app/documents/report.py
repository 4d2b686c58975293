"""The periodic report to the steering committee, laid out to Decree 30/2020/NĐ-CP
(app.documents.official): the national heading with the report's number, place and date,
the title, the summary and coverage tables, the charts as vectors, results by unit and by
topic, and "Nơi nhận:" beside the signer's block. The same tables go to a workbook, one
sheet each. Every number the Vietnamese way: "43,0%", "1.449"."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.documents import chart_parts, official
from app.documents.common import Heading, p
from app.documents.official import WIDTH, HeadedTable, Signing, grid_table
from app.documents.report_charts import ReportChart, chart
from app.documents.table_export import Column, Sheet, write_tables
from app.labels import TEAM_LEVEL, decimal, number
from app.report_data import MODES, Dashboard, Figures
from app.signing.spot import Spot

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
CHART_HEIGHT = 60 * mm
CHART_COURSES = 15
SUBJECT = "Kết quả tập huấn thành viên Tổ công nghệ số cộng đồng"


@dataclass(frozen=True)
class ReportDocument:
    heading: Heading
    signer: str  # the signer's title, one or two lines: "GIÁM ĐỐC", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    area: str  # "Toàn tỉnh", "Xã Đại Điền (gồm các xã cũ đã sáp nhập)"
    dashboard: Dashboard  # with every course ending in the period
    signer_name: str = ""
    printed_on: date | None = None  # None: the day is left to fill in by hand
    number: str = "…/BC-SKHCN"  # "125/BC-SKHCN"; without a number, dots to fill in
    recipients: str = "- Lưu: VT."  # "Nơi nhận:", one a line
    year: int | None = None  # printed in the date line when the day is left blank

    @property
    def period(self) -> str:
        f = self.dashboard.filter
        return f"Từ ngày {f.start:%d/%m/%Y} đến ngày {f.end:%d/%m/%Y}"


def _percent(value: float | None) -> str:
    """A rate under a heading that says "(%)": "43,0", or "–" with nothing to count on."""
    return "–" if value is None else decimal(value)


def _value(figures: Figures, name: str) -> str:
    value = getattr(figures, name)
    return _percent(value) if name in RATES else number(value)


def _summary_sentence(total: Figures) -> str:
    said = (
        f"Trong kỳ đã tổ chức {number(total.courses)} khóa tập huấn với "
        f"{number(total.sessions)} buổi học; {number(total.people_trained)} người được tập huấn"
    )
    if total.attendance_rate is not None:
        said += f"; tỷ lệ chuyên cần {_percent(total.attendance_rate)}%"
    if total.completion_rate is not None:
        said += f"; tỷ lệ hoàn thành {_percent(total.completion_rate)}%"
    return said + f"; đã cấp {number(total.certificates)} giấy chứng nhận."


def _charts(d: Dashboard, st: dict[str, Any]) -> list[Flowable]:
    shown = replace(d, courses=d.courses[:CHART_COURSES])
    story: list[Flowable] = []
    for i, name in enumerate(chart_parts.TITLES):
        height = max(CHART_HEIGHT, (25 + 7 * chart_parts.rows(name, shown)) * mm)
        figure = ReportChart(chart(name, shown), WIDTH, height)
        head = [p("II. BIỂU ĐỒ", st["heading"])] if i == 0 else []
        story += [KeepTogether([*head, figure]), Spacer(1, 3 * mm)]
    if len(d.courses) > CHART_COURSES:
        story.append(
            p(f"Biểu đồ theo khóa: {CHART_COURSES} khóa kết thúc gần nhất trong kỳ "
              f"(của {number(len(d.courses))} khóa).", st["note"])
        )  # fmt: skip
    return story


def render_report(doc: ReportDocument, out: BinaryIO, spots: list[Spot] | None = None) -> int:
    """The report as a PDF; spots, when given, gets where the signer's room is (the last
    page), for a visible digital signature there."""
    st = official.styles(13)
    d = doc.dashboard
    h = doc.heading
    story: list[Flowable] = [
        official.heading(
            h,
            official.number_line(doc.number),
            official.dated(h.place, doc.printed_on, doc.year),
            st,
        ),
        *official.title(["BÁO CÁO", SUBJECT], st),
        p(doc.period, st["center_italic"]),
        p(f"Địa bàn: {doc.area}", st["center_italic"]),
        Spacer(1, 4 * mm),
    ]
    summary = [["STT", "Chỉ tiêu", *MODE_HEADINGS.values(), "Tổng cộng"]]
    summary += [
        [i, label, *(_value(d.summary.by_mode[m], name) for m in MODES),
         _value(d.summary.total, name)]
        for i, (name, label) in enumerate(FIGURES, 1)
    ]  # fmt: skip
    story += [
        HeadedTable(
            [
                p("I. SỐ LIỆU TỔNG HỢP", st["heading"]),
                p(_summary_sentence(d.summary.total), st["body"]),
            ],
            grid_table(
                summary, [12 * mm, WIDTH - 12 * mm - 3 * 29 * mm, 29 * mm, 29 * mm, 29 * mm], st, 2
            ),
        ),
        Spacer(1, 1.5 * mm),
        p(
            "Ghi chú: người học cả trực tiếp và trực tuyến được tính ở cả hai cột, một lần ở "
            "cột Tổng cộng; tỷ lệ hoàn thành tính trên các khóa kết thúc trong kỳ.",
            st["note"],
        ),
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
        HeadedTable(
            [p("Độ phủ tập huấn thành viên Tổ công nghệ số cộng đồng theo cấp", st["heading"])],
            grid_table(
                cover, [12 * mm, WIDTH - 12 * mm - 3 * 32 * mm, 32 * mm, 32 * mm, 32 * mm], st, 2
            ),
        )
    )
    story += [Spacer(1, 1.5 * mm), p(f"Ghi chú: {d.levels.note}", st["note"])]
    story += _charts(d, st)

    trained = d.summary.total.people_trained
    units = [["STT", d.levels.units_heading, "Số người được tập huấn", "Tỷ lệ trong tổng số (%)"]]
    units += [
        [i, r.label, number(r.count), _percent(100 * r.count / trained if trained else None)]
        for i, r in enumerate(d.communes, 1)
    ]
    if not d.communes:
        units.append(["", "Không có người được tập huấn trong kỳ", "", ""])
    story.append(
        HeadedTable(
            [p("III. KẾT QUẢ THEO ĐƠN VỊ", st["heading"])],
            grid_table(units, [12 * mm, WIDTH - 12 * mm - 2 * 40 * mm, 40 * mm, 40 * mm], st, 2),
        )
    )
    topics = [["STT", "Chuyên đề", "Số người được tập huấn"]]
    topics += [[i, r.label, number(r.count)] for i, r in enumerate(d.topics, 1)]
    if not d.topics:
        topics.append(["", "Không có chuyên đề nào được dạy trong kỳ", ""])
    story.append(
        HeadedTable(
            [p("IV. KẾT QUẢ THEO CHUYÊN ĐỀ", st["heading"])],
            grid_table(topics, [12 * mm, WIDTH - 12 * mm - 40 * mm, 40 * mm], st, 2),
        )
    )
    closing = (
        f"Trên đây là báo cáo kết quả tập huấn thành viên Tổ công nghệ số cộng đồng "
        f"{doc.period[0].lower()}{doc.period[1:]}./."
    )
    story.append(
        official.ending(
            [Spacer(1, 3 * mm), p(closing, st["body"])],
            Signing(doc.signer, doc.signer_name, doc.recipients),
            st,
            spots,
        )
    )
    return official.build(out, story, f"Báo cáo kết quả tập huấn – {doc.period}")


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
            [Column(d.levels.units_heading, width=36), Column("Số người được tập huấn", "number", 22),
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

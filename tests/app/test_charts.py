"""The report's charts are honest: read back from the matplotlib artists they draw.

The documents take plain data (app/report_data.py), so each test builds the Dashboard
it draws by hand."""

from __future__ import annotations

from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from app.documents import charts
from app.report_data import CountRow, CourseResult, Dashboard, Figures, ReportFilter, Summary


def dashboard(**parts: object) -> Dashboard:
    empty = Summary({"in_person": Figures(), "online": Figures()}, Figures())
    fields: dict[str, object] = dict(
        filter=ReportFilter(date(2026, 1, 1), date(2026, 12, 31)),
        summary=empty, months=[], communes=[], topics=[], courses=[], coverage=[], timings={},
    )  # fmt: skip
    fields.update(parts)
    return Dashboard(**fields)  # type: ignore[arg-type]


def drawn(name: str, d: Dashboard) -> Figure:
    fig = Figure(figsize=(6, 3.4), dpi=100)
    FigureCanvasAgg(fig)
    charts.draw(fig, next(c for c in charts.CHARTS if c.name == name), d)
    fig.canvas.draw()
    return fig


def course(i: int, title: str, scored: int = 0) -> CourseResult:
    return CourseResult(i, f"TH-2026-{i:03d}", title, date(2026, 3, i), False, 8, 10, 4, 5,
                        5.0 if scored else None, 8.0 if scored else None, scored)  # fmt: skip


def test_every_commune_bar_is_as_long_as_its_value_other_units_included() -> None:
    communes = [CountRow(i, f"Xã {i}", 88 - i) for i in range(10)]
    communes += [CountRow(100 + i, f"Xã nhỏ {i}", 30 + i % 3) for i in range(31)]
    fig = drawn("communes", dashboard(communes=communes))
    ax = fig.axes[0]
    widths = [round(p.get_width()) for p in ax.patches]
    rest = sum(r.count for r in communes[10:])
    assert widths == [r.count for r in communes[:10]] + [rest]  # "Khác" drawn as long as it reads
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "Khác (31 đơn vị)"
    assert ax.get_xlim()[1] >= rest  # nothing cut off by the axis either


def test_months_read_t1_to_t12_and_counts_are_bar_heights() -> None:
    months = [CountRow(f"2026-{m:02d}", f"{m:02d}/2026", m * 100) for m in range(1, 13)]
    ax = drawn("months", dashboard(months=months)).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"T{m}" for m in range(1, 13)]
    assert [round(p.get_height()) for p in ax.patches] == [m * 100 for m in range(1, 13)]
    assert "1.000" in [t.get_text() for t in ax.get_yticklabels()]  # thousands with "."
    spanning = [CountRow("2025-12", "12/2025", 1), CountRow("2026-01", "01/2026", 2)]
    ax = drawn("months", dashboard(months=spanning)).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["T12/2025", "T1/2026"]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[:3] == ["0", "1", "2"] and all(t.isdigit() for t in ticks)  # never "0,5" người


def test_course_charts_name_courses_by_title_and_say_how_many_are_shown() -> None:
    courses = [course(i, f"Kỹ năng số cho Tổ CNSCĐ xã {i}", scored=i % 2) for i in (2, 1)]
    fig = drawn("rates", dashboard(courses=courses, course_count=23))
    assert fig.get_suptitle().endswith("\n2 trong 23 khóa học được hiển thị")
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Kỹ năng số cho Tổ CNSCĐ xã 2", "Kỹ năng số cho Tổ CNSCĐ xã 1"]
    lengths = [round(p.get_width(), 1) for p in fig.axes[0].patches]
    assert lengths == [80.0, 80.0, 80.0, 80.0]  # attendance 8/10, completion 4/5
    fig = drawn("scores", dashboard(courses=courses, course_count=2))
    assert fig.get_suptitle().endswith("\n1 trong 2 khóa học được hiển thị")
    assert [p.get_width() for p in fig.axes[0].patches] == [5.0, 8.0]
    fig = drawn("rates", dashboard(courses=courses, course_count=2))
    assert fig.get_suptitle().endswith("\n2 khóa học")


def test_axis_numbers_are_written_the_vietnamese_way() -> None:
    assert [charts.decimal(v) for v in (0, 7.5, 1250, 2.25, 12000.0)] == [
        "0", "7,5", "1.250", "2,25", "12.000",
    ]  # fmt: skip


def test_titles_fit_a_chart_half_a_1280_window_wide() -> None:
    courses = [course(i, f"Kỹ năng số cho Tổ CNSCĐ xã {i}", scored=1) for i in (2, 1)]
    d = dashboard(courses=courses, course_count=23)
    for chart in charts.CHARTS:
        fig = Figure(figsize=(4.7, 3.3), dpi=100)  # what the page gives each chart
        FigureCanvasAgg(fig)
        charts.draw(fig, chart, d)
        fig.canvas.draw()
        box = fig._suptitle.get_window_extent(fig.canvas.get_renderer())
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width, chart.title


def test_coverage_bar_labels_use_the_decimal_comma() -> None:
    """43,0% as in the report's text, not 43.0 % (issues 15, 16); thousands with a dot."""
    from matplotlib.text import Text

    from app.report_data import CoverageRow

    fig = drawn("coverage", dashboard(coverage=[CoverageRow("commune", 1000, 430)]))
    texts = [t.get_text() for t in fig.axes[0].findobj(Text)]
    assert "43,0%\n430/1.000" in texts
    assert not any("43.0" in t for t in texts)


def test_a_period_without_anyone_trained_says_so_and_counts_start_at_zero() -> None:
    empty = [CountRow(f"2030-{m:02d}", f"{m:02d}/2030", 0) for m in (1,)]
    ax = drawn("months", dashboard(months=empty)).axes[0]
    assert "Không có số liệu trong kỳ này" in [t.get_text() for t in ax.texts]
    assert not ax.patches and not [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    few = [CountRow("2030-01", "01/2030", 1), CountRow("2030-02", "02/2030", 2)]
    for name, parts in (("months", {"months": few}), ("communes", {"communes": few}),
                        ("topics", {"topics": few})):  # fmt: skip
        ax = drawn(name, dashboard(**parts)).axes[0]
        axis = ax.yaxis if name == "months" else ax.xaxis
        low = (ax.get_ylim() if name == "months" else ax.get_xlim())[0]
        ticks = [t for t in axis.get_ticklocs() if low <= t]
        assert low == 0 and all(float(t).is_integer() for t in ticks), (name, low, ticks)

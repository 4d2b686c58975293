"""The printed report's charts drawn straight on the ReportLab canvas: the same bars,
labels, ticks and titles as the dashboard's matplotlib charts (charts.py, which share
their words through chart_parts), as PDF paths and text in the bundled Liberation Sans.
No matplotlib on the report's path: it took most of the report's building time, and
half a second more to import."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from app.documents import chart_parts, fonts
from app.documents.chart_parts import BLUE, GREY, LIGHT, ORANGE, TOP_COMMUNES, decimal, short
from app.documents.fonts import text
from app.labels import TEAM_LEVEL, number, percent
from app.report_data import CountRow, Dashboard

SANS, BOLD = fonts.SANS, fonts.SANS + "-Bold"
TICK_SIZE, TITLE_SIZE, VALUE_SIZE, LEGEND_SIZE = 9.0, 10.0, 7.0, 8.0
TICK_LENGTH, PAD = 3.5, 3.5  # matplotlib's: a tick's length and the gap to its label
GRID_COLOUR = "#e3e3e3"
STEPS = (1, 2, 2.5, 5, 10)


@dataclass(frozen=True)
class Series:
    label: str
    colours: tuple[str, ...]  # one a bar, or one for all
    values: tuple[float, ...]


@dataclass(frozen=True)
class BarChart:
    """What one chart shows; categories run left to right, or top to bottom when horizontal."""

    title: str
    categories: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    horizontal: bool = False
    value_labels: tuple[str, ...] = ()  # over (or after) each bar of a one-series chart
    category_size: float = TICK_SIZE
    axis_label: str = ""
    top: float | None = None  # the value axis's end; None: the data's, with a margin
    ticks: tuple[float, ...] = ()  # fixed value ticks
    counts: bool = False  # whole-number ticks from 0
    margin: float = 0.05  # room past the longest bar, a share of it
    bar_size: float = 0.8
    legend: bool = False
    rotate: bool = False  # category labels at 45°
    every: int = 1  # a category label every n bars
    lines: list[str] = field(default_factory=list)


def _colour(c, value: str) -> None:  # type: ignore[no-untyped-def]
    c.setFillColor(HexColor(value))


def nice_ticks(top: float, room: float, label_size: float, integer: bool, x: bool) -> list[float]:
    """The ticks matplotlib's MaxNLocator("auto", steps=[1, 2, 2.5, 5, 10]) puts on an
    axis from 0 to top that is `room` points long (its algorithm, for a range from 0)."""
    if top <= 0:
        return [0.0]
    bins = max(1, min(9, int(room // (label_size * (3 if x else 2)))))
    scale = 10 ** (math.log10(top / bins) // 1)
    steps = [s * scale for s in (0.1, 0.2, 0.25, 0.5, *STEPS, 20)]
    if integer:
        steps = [s for s in steps if s < 1 or abs(s - round(s)) < 0.001]
    large = [i for i, s in enumerate(steps) if s >= top / bins]
    first = large[0] if large else len(steps) - 1
    ticks: list[float] = []
    for step in reversed(steps[: first + 1]):  # the smallest large step with two ticks
        if integer and math.floor(top) >= 1:
            step = max(1, step)
        ticks = [k * step for k in range(int(top // step) + 1) if k * step <= top]
        if len(ticks) >= 2:
            break
    return ticks


def chart(name: str, d: Dashboard) -> BarChart:
    """The chart `name` of chart_parts.TITLES for the dashboard's figures."""
    title = chart_parts.title(name, d)
    if name == "months":
        rows = d.months
        if not any(r.count for r in rows):
            return BarChart(title)
        labels = chart_parts.month_labels(rows)
        return BarChart(
            title, tuple(labels), (Series("", (BLUE,), tuple(r.count for r in rows)),),
            value_labels=tuple(number(r.count) for r in rows) if len(rows) <= 18 else (),
            axis_label="Số người", counts=True, bar_size=0.75, rotate=len(rows) > 12,
            every=max(1, math.ceil(len(rows) / 14)),
        )  # fmt: skip
    if name in ("communes", "topics"):
        rows = d.communes if name == "communes" else d.topics
        if not rows:
            return BarChart(title)
        shown, colours = list(rows), [BLUE] * len(rows)
        if name == "communes":
            top, rest = rows[:TOP_COMMUNES], rows[TOP_COMMUNES:]
            shown, colours = list(top), [BLUE] * len(top)
            if rest:
                shown.append(
                    CountRow(None, f"Khác ({len(rest)} đơn vị)", sum(r.count for r in rest))
                )
                colours.append(GREY)
        width, size = (30, TICK_SIZE) if name == "communes" else (40, 8.0)
        return BarChart(
            title, tuple(short(r.label, width) for r in shown),
            (Series("", tuple(colours), tuple(r.count for r in shown)),), horizontal=True,
            value_labels=tuple(number(r.count) for r in shown), category_size=size,
            axis_label="Số người", counts=True,
        )  # fmt: skip
    if name in ("rates", "scores"):
        courses = list(d.courses) if name == "rates" else [c for c in d.courses if c.scored]
        if not courses:
            return BarChart(title)
        if name == "rates":
            series = (
                Series("Chuyên cần", (BLUE,), tuple(c.attendance_rate or 0 for c in courses)),
                Series("Hoàn thành", (ORANGE,), tuple(c.completion_rate or 0 for c in courses)),
            )
        else:
            series = (
                Series("Trước tập huấn", (LIGHT,), tuple(c.pre or 0 for c in courses)),
                Series("Sau tập huấn", (BLUE,), tuple(c.post or 0 for c in courses)),
            )
        return BarChart(
            title, tuple(short(c.title, 44) for c in courses), series, horizontal=True,
            category_size=7.0, axis_label="%" if name == "rates" else "Điểm trung bình (thang 10)",
            top=100 if name == "rates" else 10, legend=True, margin=0.0,
        )  # fmt: skip
    rows_ = d.coverage
    if not rows_:
        return BarChart(title)
    return BarChart(
        title, tuple(TEAM_LEVEL.get(r.level, r.level) for r in rows_),
        (Series("", (BLUE,), tuple(r.percent or 0 for r in rows_)),),
        value_labels=tuple(
            percent(r.percent or 0) + f"\n{number(r.trained)}/{number(r.members)}" for r in rows_
        ),
        axis_label="% thành viên đã được tập huấn", top=115, ticks=tuple(range(0, 101, 20)),
        bar_size=0.6,
    )  # fmt: skip


def _lines(value: str) -> list[str]:
    return text(value).split("\n")


def _width(value: str, size: float, font: str = SANS) -> float:
    return max(stringWidth(line, font, size) for line in _lines(value))


class ReportChart(Flowable):
    """One chart of the report, width × height points, drawn when it is placed."""

    def __init__(self, spec: BarChart, width: float, height: float) -> None:
        super().__init__()
        self.spec, self.width, self.height = spec, width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        fonts.register()
        c, s = self.canv, self.spec
        c.saveState()
        title_top = self.height - 4
        c.setFillColor(HexColor("#000000"))
        c.setFont(BOLD, TITLE_SIZE)
        for i, line in enumerate(_lines(s.title)):
            c.drawString(0.015 * self.width, title_top - TITLE_SIZE * (i + 1) * 1.2, line)
        top = title_top - TITLE_SIZE * 1.2 * len(_lines(s.title)) - 8
        if not s.series:  # the empty axes, as the dashboard shows them, and why
            self._spines(20, 20, self.width - 6, top)
            c.setFillColor(HexColor(GREY))
            c.setFont(SANS, TICK_SIZE)
            c.drawCentredString(self.width / 2, top / 2, chart_parts.EMPTY)
        else:
            (self._horizontal if s.horizontal else self._vertical)(top)
        c.restoreState()

    def _value_range(self) -> float:
        s = self.spec
        if s.top is not None:
            return s.top
        longest = max((max(x.values, default=0) for x in s.series), default=0) or 1
        return longest * (1 + s.margin)

    def _spines(self, x0: float, y0: float, x1: float, y1: float) -> None:
        c = self.canv
        c.setStrokeColor(HexColor(GREY))
        c.setLineWidth(0.8)
        c.line(x0, y0, x0, y1)
        c.line(x0, y0, x1, y0)

    def _grid(
        self, at: list[float], horizontal: bool, x0: float, y0: float, x1: float, y1: float
    ) -> None:
        c = self.canv
        c.setStrokeColor(HexColor(GRID_COLOUR))
        c.setLineWidth(0.8)
        for v in at:
            if horizontal:
                c.line(v, y0, v, y1)
            else:
                c.line(x0, v, x1, v)

    def _vertical(self, top: float) -> None:
        c, s = self.canv, self.spec
        vmax = self._value_range()
        bottom = 4 + TICK_SIZE * 1.2 + PAD  # the axis label
        if s.rotate:
            # A label at 45° is as tall as its width and its line height, each times sin 45°.
            tallest = max(_width(x, TICK_SIZE) for x in s.categories) + TICK_SIZE * 1.2
            bottom += tallest * math.sin(math.pi / 4) + TICK_LENGTH + PAD
        else:
            bottom += TICK_SIZE * 1.2 + TICK_LENGTH + PAD
        room = top - bottom - (VALUE_SIZE * 2.6 if s.value_labels else 0)
        ticks = list(s.ticks) or nice_ticks(vmax, room, TICK_SIZE, s.counts, x=False)
        tick_labels = [decimal(t) for t in ticks]
        left = (
            4
            + TICK_SIZE * 1.2
            + PAD
            + max(_width(t, TICK_SIZE) for t in tick_labels)
            + TICK_LENGTH
            + PAD
        )
        right = self.width - 6
        n = len(s.categories)
        lo, hi = -s.bar_size / 2, n - 1 + s.bar_size / 2
        lo, hi = lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)
        sx = (right - left) / (hi - lo)
        vy = (top - bottom) / vmax
        x_of = lambda i: left + (i - lo) * sx  # noqa: E731
        self._grid([bottom + t * vy for t in ticks], False, left, bottom, right, top)
        series = s.series[0]
        for i, value in enumerate(series.values):
            _colour(c, series.colours[i % len(series.colours)])
            c.rect(x_of(i - s.bar_size / 2), bottom, s.bar_size * sx, value * vy, stroke=0, fill=1)
        self._spines(left, bottom, right, top)
        c.setFillColor(HexColor("#000000"))
        for label, value, i in zip(s.value_labels, series.values, range(n), strict=False):
            c.setFont(SANS, VALUE_SIZE)
            lines = _lines(label)  # drawn top line first: read back in that order
            for k, line in enumerate(lines):
                y = bottom + value * vy + 2 + 1.5 + (len(lines) - 1 - k) * VALUE_SIZE * 1.2
                c.drawCentredString(x_of(i), y, line)
        self._value_ticks(
            ticks, tick_labels, [bottom + t * vy for t in ticks], left, vertical_axis=True
        )
        c.setFont(SANS, TICK_SIZE)
        for i in range(0, n, s.every):
            c.line(x_of(i), bottom, x_of(i), bottom - TICK_LENGTH)
            y = bottom - TICK_LENGTH - PAD - TICK_SIZE * 0.8
            if s.rotate:
                c.saveState()
                c.translate(x_of(i) + TICK_SIZE * 0.3, y + TICK_SIZE * 0.6)
                c.rotate(45)
                c.drawRightString(0, 0, text(s.categories[i]))
                c.restoreState()
            else:
                c.drawCentredString(x_of(i), y, text(s.categories[i]))
        c.saveState()
        c.translate(4 + TICK_SIZE, (bottom + top) / 2)
        c.rotate(90)
        c.drawCentredString(0, 0, text(s.axis_label))
        c.restoreState()

    def _value_ticks(self, ticks: list[float], labels: list[str], at: list[float], edge: float,
                     vertical_axis: bool) -> None:  # fmt: skip
        c = self.canv
        c.setStrokeColor(HexColor(GREY))
        c.setFillColor(HexColor("#000000"))
        c.setFont(SANS, TICK_SIZE)
        for label, pos in zip(labels, at, strict=True):
            if vertical_axis:
                c.line(edge, pos, edge - TICK_LENGTH, pos)
                c.drawRightString(edge - TICK_LENGTH - PAD, pos - TICK_SIZE * 0.35, label)
            else:
                c.line(pos, edge, pos, edge - TICK_LENGTH)
                c.drawCentredString(pos, edge - TICK_LENGTH - PAD - TICK_SIZE * 0.8, label)

    def _horizontal(self, top: float) -> None:
        c, s = self.canv, self.spec
        size = s.category_size
        left = 6 + max(_width(x, size) for x in s.categories) + TICK_LENGTH + PAD
        if s.legend:  # above the axes, at their left, as matplotlib's "lower left" of (0, 1)
            self._legend(left, top)
            top -= LEGEND_SIZE * 2.2
        vmax = self._value_range()
        right = self.width - 6
        bottom = 4 + TICK_SIZE * 1.2 + PAD + TICK_SIZE * 1.2 + TICK_LENGTH + PAD
        ticks = list(s.ticks) or nice_ticks(vmax, right - left, TICK_SIZE, s.counts, x=True)
        n, k = len(s.categories), len(s.series)
        lo, hi = -s.bar_size / 2, n - 1 + s.bar_size / 2
        lo, hi = lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)
        sy = (top - bottom) / (hi - lo)
        vx = (right - left) / vmax
        y_of = lambda i: top - (i - lo) * sy  # noqa: E731  (the first category at the top)
        self._grid([left + t * vx for t in ticks], True, left, bottom, right, top)
        height = s.bar_size / k
        for j, series in enumerate(s.series):
            offset = (j - (k - 1) / 2) * height
            for i, value in enumerate(series.values):
                _colour(c, series.colours[i % len(series.colours)])
                y = y_of(i + offset) - height / 2 * sy
                c.rect(left, y, value * vx, height * sy, stroke=0, fill=1)
        self._spines(left, bottom, right, top)
        c.setFillColor(HexColor("#000000"))
        c.setFont(SANS, VALUE_SIZE)
        for i, (label, value) in enumerate(zip(s.value_labels, s.series[0].values, strict=False)):
            c.drawString(left + value * vx + 2 + 1.5, y_of(i) - VALUE_SIZE * 0.35, label)
        self._value_ticks(ticks, [decimal(t) for t in ticks], [left + t * vx for t in ticks], bottom,
                          vertical_axis=False)  # fmt: skip
        c.setStrokeColor(HexColor(GREY))
        c.setFillColor(HexColor("#000000"))
        c.setFont(SANS, size)
        leading = size * (1.15 if size < 8 else 1.2)
        for i, label in enumerate(s.categories):
            y = y_of(i)
            c.line(left, y, left - TICK_LENGTH, y)
            lines = _lines(label)
            first = y + (len(lines) - 1) * leading / 2 - size * 0.35
            for m, line in enumerate(lines):
                c.drawRightString(left - TICK_LENGTH - PAD, first - m * leading, line)
        c.setFont(SANS, TICK_SIZE)
        c.drawCentredString((left + right) / 2, 4 + TICK_SIZE * 0.3, text(s.axis_label))

    def _legend(self, x: float, top: float) -> None:
        c, s = self.canv, self.spec
        y = top - LEGEND_SIZE
        c.setFont(SANS, LEGEND_SIZE)
        for series in s.series:
            _colour(c, series.colours[0])
            c.rect(x, y, 14, LEGEND_SIZE * 0.5, stroke=0, fill=1)
            c.setFillColor(HexColor("#000000"))
            c.drawString(x + 14 + 4, y, text(series.label))
            x += 14 + 4 + stringWidth(text(series.label), SANS, LEGEND_SIZE) + 20

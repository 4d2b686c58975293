"""The report's charts, one style for the dashboard and the printed report.

Drawn with matplotlib's object API on a Figure the caller owns: the dashboard's is on a
FigureCanvasQTAgg, the report's on Agg for a PNG. No pyplot (global state, and it would
pick a GUI backend of its own). Each bar that stands for people carries a gid
"dimension:key,key" that `drill` reads back, so a click can list the people behind it.
"""

from __future__ import annotations

import dataclasses
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, ScalarFormatter

from app import resources
from app.documents import chart_parts
from app.documents.chart_parts import (
    BLUE,
    GREY,
    LIGHT,
    ORANGE,
    TITLES,
    TOP_COMMUNES,
    decimal,
    month_labels,
)
from app.labels import TEAM_LEVEL, number, percent
from app.report_data import CountRow, CourseResult, CoverageRow, Dashboard

# Our Liberation Sans files under a family name no installed font carries.
FONT_FAMILY = "TapHuan Liberation Sans"


def font_files() -> list[Path]:
    return [resources.fonts_dir() / f"LiberationSans-{face}.ttf" for face in ("Regular", "Bold")]


@cache
def style() -> None:
    """Liberation Sans (every Vietnamese letter), small type, no top and right spines.

    The font is chosen by file, not by family name: matplotlib takes the first font it
    knows by a name, and a PC may have its own, older "Liberation Sans" without the
    Vietnamese letters ("Glyph 7889 missing"). Our files join matplotlib's list under
    FONT_FAMILY, which only they carry.
    """
    from matplotlib import font_manager

    for file in font_files():
        entry = font_manager.ttfFontProperty(font_manager.get_font(str(file)))
        font_manager.fontManager.ttflist.append(dataclasses.replace(entry, name=FONT_FAMILY))
    matplotlib.rcParams.update(
        {
            "font.family": FONT_FAMILY,
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": GREY,
            "axes.axisbelow": True,
            "grid.color": "#e3e3e3",
            "legend.frameon": False,
            "legend.fontsize": 8,
            "figure.facecolor": "white",
        }
    )


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    draw: Callable[[Axes, Dashboard], None]


def _gid(dimension: str, keys: Sequence[int | str | None]) -> str:
    return f"{dimension}:{','.join(str(k) for k in keys if k is not None)}"


def drill(artist: Artist) -> tuple[str, list[int | str]] | None:
    """(dimension, keys) of a bar that stands for people, as reports.people_behind takes."""
    gid = artist.get_gid()
    if not gid or ":" not in gid:
        return None
    dimension, raw = gid.split(":", 1)
    if not raw:
        return None
    keys = raw.split(",")
    return dimension, (list(keys) if dimension in ("month", "level") else [int(k) for k in keys])


def _tag(
    bars: Sequence[Artist], dimension: str, keys: Sequence[Sequence[int | str | None]]
) -> None:
    for bar, key in zip(bars, keys, strict=True):
        bar.set_gid(_gid(dimension, key))
        bar.set_picker(True)


def _empty(ax: Axes) -> bool:
    ax.text(0.5, 0.5, chart_parts.EMPTY, ha="center", va="center",
            color=GREY, transform=ax.transAxes)  # fmt: skip
    ax.set_xticks([])
    ax.set_yticks([])
    return True


_short = chart_parts.short


def _vietnamese_ticks(ax: Axes) -> None:
    """The value axis only: an axis of labels (months, communes, courses) keeps them."""
    for axis in (ax.xaxis, ax.yaxis):
        if isinstance(axis.get_major_formatter(), ScalarFormatter):
            axis.set_major_formatter(FuncFormatter(decimal))


def _counts_axis(axis: Axis) -> None:
    """An axis of people counted: from 0, whole-number ticks (never -0,04 or 0,5 người)."""
    axis.set_major_locator(MaxNLocator("auto", steps=[1, 2, 2.5, 5, 10], integer=True))
    if axis is axis.axes.xaxis:
        axis.axes.set_xlim(left=0)
    else:
        axis.axes.set_ylim(bottom=0)


def months(ax: Axes, d: Dashboard) -> None:
    rows = d.months
    if not any(r.count for r in rows):  # a period without anyone trained says so
        _empty(ax)
        return
    xs = range(len(rows))
    bars = ax.bar(xs, [r.count for r in rows], color=BLUE, width=0.75)
    _tag(bars, "month", [[r.key] for r in rows])
    step = max(1, math.ceil(len(rows) / 14))
    labels = month_labels(rows)
    rotate = 45 if len(rows) > 12 else 0
    ax.set_xticks(
        list(xs)[::step], labels[::step], rotation=rotate, ha="right" if rotate else "center"
    )
    ax.set_ylabel("Số người")
    _counts_axis(ax.yaxis)
    ax.grid(axis="y")
    if len(rows) <= 18:
        ax.bar_label(bars, [number(r.count) for r in rows], fontsize=7, padding=2)


def communes(ax: Axes, d: Dashboard) -> None:
    rows = d.communes
    if not rows:
        _empty(ax)
        return
    top, rest = rows[:TOP_COMMUNES], rows[TOP_COMMUNES:]
    shown = list(top)
    keys: list[list[int | str | None]] = [[r.key] for r in top]
    if rest:
        shown.append(CountRow(None, f"Khác ({len(rest)} đơn vị)", sum(r.count for r in rest)))
        keys.append([r.key for r in rest])
    ys = range(len(shown))
    # Every bar as long as its value: "Khác" sums many units and may dwarf the top ten,
    # and then it is the truth the chart has to show.
    bars = ax.barh(ys, [r.count for r in shown], color=[BLUE] * len(top) + [GREY] * bool(rest))
    _tag(bars, "commune", keys)
    ax.set_yticks(list(ys), [_short(r.label, 30) for r in shown])
    ax.invert_yaxis()
    ax.set_xlabel("Số người")
    _counts_axis(ax.xaxis)
    ax.grid(axis="x")
    ax.bar_label(bars, [number(r.count) for r in shown], fontsize=7, padding=2)
    ax.margins(x=0.15)


def topics(ax: Axes, d: Dashboard) -> None:
    rows = d.topics
    if not rows:
        _empty(ax)
        return
    ys = range(len(rows))
    bars = ax.barh(ys, [r.count for r in rows], color=BLUE)
    _tag(bars, "topic", [[r.key] for r in rows])
    ax.set_yticks(list(ys), [_short(r.label, 40) for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Số người")
    _counts_axis(ax.xaxis)
    ax.grid(axis="x")
    ax.bar_label(bars, [number(r.count) for r in rows], fontsize=7, padding=2)
    ax.margins(x=0.15)


def _grouped(ax: Axes, courses: list[CourseResult], series: list[tuple[str, str, list[float]]],
             top: float, unit: str) -> None:  # fmt: skip
    """Courses as rows named by their titles (codes mean nothing to a reader), the
    latest at the top, one bar per series; the chart grows with its rows (rows())."""
    ys = list(range(len(courses)))
    height = 0.8 / len(series)
    for i, (label, colour, values) in enumerate(series):
        offset = (i - (len(series) - 1) / 2) * height
        bars = ax.barh([y + offset for y in ys], values, height, label=label, color=colour)
        _tag(bars, "course", [[c.course_id] for c in courses])
    ax.set_yticks(ys, [_short(c.title, 44) for c in courses], fontsize=7, linespacing=1.15)
    ax.invert_yaxis()
    ax.set_xlim(0, top)
    ax.set_xlabel(unit)
    ax.grid(axis="x")
    ax.legend(loc="lower left", ncols=len(series), bbox_to_anchor=(0, 1.0), borderaxespad=0.2)


def course_rates(ax: Axes, d: Dashboard) -> None:
    courses = list(d.courses)  # the latest at the top
    if not courses:
        _empty(ax)
        return
    _grouped(
        ax,
        courses,
        [
            ("Chuyên cần", BLUE, [c.attendance_rate or 0 for c in courses]),
            ("Hoàn thành", ORANGE, [c.completion_rate or 0 for c in courses]),
        ],
        100,
        "%",
    )


def scores(ax: Axes, d: Dashboard) -> None:
    courses = [c for c in d.courses if c.scored]
    if not courses:
        _empty(ax)
        return
    _grouped(
        ax,
        courses,
        [
            ("Trước tập huấn", LIGHT, [c.pre or 0 for c in courses]),
            ("Sau tập huấn", BLUE, [c.post or 0 for c in courses]),
        ],
        10,
        "Điểm trung bình (thang 10)",
    )


def coverage(ax: Axes, d: Dashboard) -> None:
    rows: list[CoverageRow] = d.coverage
    if not rows:
        _empty(ax)
        return
    xs = range(len(rows))
    bars = ax.bar(xs, [r.percent or 0 for r in rows], color=BLUE, width=0.6)
    _tag(bars, "level", [[r.level] for r in rows])
    ax.set_xticks(list(xs), [TEAM_LEVEL.get(r.level, r.level) for r in rows])
    ax.set_ylim(0, 115)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel("% thành viên đã được tập huấn")
    ax.grid(axis="y")
    ax.bar_label(
        bars,
        [percent(r.percent or 0) + f"\n{number(r.trained)}/{number(r.members)}" for r in rows],
        fontsize=7,
        padding=2,
    )


_DRAW = {"months": months, "communes": communes, "topics": topics, "rates": course_rates,
         "scores": scores, "coverage": coverage}  # fmt: skip
CHARTS = tuple(Chart(name, TITLES[name], _DRAW[name]) for name in TITLES)


def draw(fig: Figure, chart: Chart, d: Dashboard) -> None:
    """Draw one chart on fig, replacing what was there."""
    style()
    fig.clear()
    ax = fig.add_subplot()
    chart.draw(ax, d)
    _vietnamese_ticks(ax)
    # Over the whole figure, not the axes: long bar labels would push it off the right.
    fig.suptitle(
        chart_parts.title(chart.name, d), x=0.015, ha="left", fontsize=10, fontweight="bold"
    )
    fig.set_layout_engine("tight")  # laid out again when a window resizes the figure


def rows(chart: Chart, d: Dashboard) -> int:
    """How many bars a horizontal chart stacks (a printed chart grows to fit them)."""
    return chart_parts.rows(chart.name, d)


def png(chart: Chart, d: Dashboard, width_in: float, height_in: float, dpi: int = 200) -> bytes:
    style()
    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    draw(fig, chart, d)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    return out.getvalue()

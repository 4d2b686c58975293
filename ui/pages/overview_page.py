"""Tổng quan: the first page, for the head of department. This week's and next week's
sessions, what is left undone, and this year's figures against the targets set in Cài đặt;
every line opens what it names. Read in the worker, refreshed through the change bus."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.labels import TEAM_LEVEL, number, percent
from app.services import overview
from app.services.overview import RECENT_DAYS, SOON_DAYS, CourseLine, Overview, SessionLine
from app.services.scheduling import WEEKDAYS
from app.vn.dates import format_date
from ui.changes import ATTENDANCE, CERTIFICATES, COURSES, PEOPLE, SETTINGS, TEAMS
from ui.context import UiContext
from ui.crash import show_error
from ui.pages import PAGES, shortcut
from ui.pages.base import Page
from ui.widgets.link_list import LinkList, TargetBar
from ui.workers import Task

SESSION_HEADERS = ("Ngày", "Giờ", "Khóa học", "Địa điểm", "Giảng viên", "Ghi danh")
SHARE_LEVELS = ("province", "commune", "hamlet")  # the levels since 1 July 2025


def day_month(d: date) -> str:
    return f"{d:%d/%m}"


def week_range(first: date, last: date) -> str:
    return f"{day_month(first)} – {last:%d/%m/%Y}"


def _session_cells(x: SessionLine) -> list[str]:
    weekday = WEEKDAYS[x.starts_at.weekday()].replace("Thứ ", "T.").replace("Chủ nhật", "CN")
    return [
        f"{weekday} {x.starts_at:%d/%m}",
        f"{x.starts_at:%H:%M}–{x.ends_at:%H:%M}",
        f"{x.course_code} – {x.course_title}",
        x.venue or "(chưa có)",
        x.trainers or "(chưa phân công)",
        number(x.enrolled),
    ]


def _unmarked_cells(x: SessionLine) -> list[str]:
    day, hours, course, _venue, _trainers, enrolled = _session_cells(x)
    return [day, hours, course, enrolled]


def _course_cells(c: CourseLine, day: date, minimum: int | None) -> list[str]:
    """Code – title, the date, and the count (out of the minimum, when given)."""
    count = f"{number(c.count)} người"
    if minimum is not None:
        count = f"{number(c.count)} / {number(minimum)}"
    return [f"{c.course_code} – {c.course_title}", f"{day:%d/%m/%Y}", count]


class OverviewPage(Page):
    shows = frozenset({ATTENDANCE, COURSES, CERTIFICATES, PEOPLE, SETTINGS, TEAMS})
    # (page slug, course id, session id or None): the window opens that page on them
    open_requested = Signal(str, int, object)
    loaded = Signal(object)  # the Overview shown

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "tong-quan", parent)
        self._action("Làm mới", "", self.reload, "Làm mới (F5: cả chương trình)")
        self.data: Overview | None = None
        self._generation = 0  # a refresh's result is shown only if no newer one started
        self.heading = QLabel("Tổng quan")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.state = QLabel("")
        self.state.setStyleSheet("color: palette(mid);")

        open_session = "Bấm một buổi để mở trang Điểm danh ở buổi đó"
        self.this_week = LinkList(SESSION_HEADERS, 2, open_session, capped=(3, 4))
        self.next_week = LinkList(SESSION_HEADERS, 2, open_session, capped=(3, 4))
        self.unmarked = LinkList(("Ngày", "Giờ", "Khóa học", "Ghi danh"), 2,
                                 "Bấm một buổi để nhập điểm danh buổi đó")  # fmt: skip
        self.short = LinkList(("Khóa học", "Khai giảng", "Ghi danh / tối thiểu"), 0,
                              "Bấm một khóa để mở khóa đó ở trang Khóa học")  # fmt: skip
        self.uncertified = LinkList(("Khóa học", "Kết thúc", "Chưa có giấy"), 0,
                                    "Bấm một khóa để cấp giấy chứng nhận ở trang Chứng nhận", 6)  # fmt: skip
        for lst in (self.this_week, self.next_week, self.unmarked):
            lst.opened.connect(lambda t: self.open_requested.emit("diem-danh", t[0], t[1]))
        self.short.opened.connect(lambda cid: self.open_requested.emit("khoa-hoc", cid, None))
        self.uncertified.opened.connect(
            lambda cid: self.open_requested.emit("chung-nhan", cid, None)
        )
        self.people_bar = TargetBar("Người được tập huấn (có mặt ít nhất một buổi trong năm)")
        self.cert_bar = TargetBar("Giấy chứng nhận đã cấp trong năm")
        self.share_bars = {
            level: TargetBar(f"Thành viên Tổ CNSCĐ {TEAM_LEVEL[level].lower()} đã được tập huấn")
            for level in (*SHARE_LEVELS, "district")
        }
        self.no_targets = QLabel()
        self.no_targets.setWordWrap(True)
        self.no_targets.setStyleSheet("color: palette(placeholder-text);")
        self.no_members = QLabel()
        self.no_members.setWordWrap(True)
        self.no_members.setStyleSheet("color: palette(placeholder-text);")
        self.report_button = QPushButton(f"Xem báo cáo chi tiết ({shortcut('bao-cao')})")
        self.report_button.clicked.connect(lambda: self.open_requested.emit("bao-cao", 0, None))

        self.boxes: dict[str, QGroupBox] = {}
        figures = self._box("figures", "", self.people_bar, self.cert_bar,
                            *self.share_bars.values(), self.no_members, self.no_targets)  # fmt: skip
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.report_button)
        figures.layout().addLayout(buttons)  # type: ignore[attr-defined]
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self._box("this_week", "Tuần này", self.this_week))
        left.addWidget(self._box("next_week", "Tuần sau", self.next_week))
        left.addWidget(self._box("unmarked", "Buổi đã học chưa điểm danh", self.unmarked))
        right.addWidget(figures)
        right.addWidget(self._box("short", "Sắp khai giảng, chưa đủ học viên", self.short))
        right.addWidget(self._box("uncertified", "Đã kết thúc, chưa cấp giấy chứng nhận",
                                  self.uncertified))  # fmt: skip
        columns = QHBoxLayout()
        for column, stretch in ((left, 3), (right, 2)):
            column.addStretch(1)  # each box as tall as its lines, the rest below
            columns.addLayout(column, stretch)
        body = QWidget()
        body.setLayout(columns)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.state)
        top.addWidget(self.toolbar)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.reload()

    def _box(self, name: str, title: str, *widgets: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        box.setObjectName(name)
        # Never shorter than its lines (a wrapped sentence was cut): the page scrolls instead.
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 6, 8, 8)
        for widget in widgets:
            layout.addWidget(widget)
        self.boxes[name] = box
        return box

    # -- loading -------------------------------------------------------------------

    def reload(self) -> None:
        """Read the overview in the worker; the newest request's answer is shown."""
        self._generation += 1
        generation = self._generation
        today = date.today()
        self.state.setText("Đang tải…")

        def load(_task: Task) -> Overview:
            with self.db.transaction(readonly=True) as s:
                return overview.overview(s, today)

        def done(o: Overview) -> None:
            if generation == self._generation:
                self.show_overview(o)

        self.runner.start(load, done, self._failed)

    def _failed(self, exc: BaseException, details: str) -> None:
        self.state.setText("")
        if isinstance(exc, UserError):
            self.prompter.warn(self, "Tổng quan", exc.message)
            return
        show_error("Tổng quan", getattr(exc, "message", None) or "Không đọc được dữ liệu.", details)

    # -- showing -------------------------------------------------------------------

    def show_overview(self, o: Overview) -> None:
        self.data = o
        self.state.setText(f"Cập nhật lúc {datetime.now():%H:%M}")
        self.heading.setText(f"Tổng quan – hôm nay {WEEKDAYS[o.today.weekday()].lower()}, "
                             f"{o.today:%d/%m/%Y}")  # fmt: skip
        for lst, box, (first, last), lines, when in (
            (self.this_week, "this_week", o.this_week, o.this_week_sessions, "tuần này"),
            (self.next_week, "next_week", o.next_week, o.next_week_sessions, "tuần sau"),
        ):
            self.boxes[box].setTitle(
                f"{when.capitalize()} ({week_range(first, last)})"
                + (f" – {len(lines)} buổi" if lines else "")
            )
            lst.set_lines(
                [((x.course_id, x.session_id), _session_cells(x)) for x in lines],
                f"Chưa có buổi học nào trong {when} — lập lịch ở {_page('khoa-hoc')}, thẻ Buổi học.",
            )
        self._show_unmarked(o)
        self._show_courses(o)
        self._show_figures(o)
        self.loaded.emit(o)

    def _show_unmarked(self, o: Overview) -> None:
        lines = [x for x in o.unmarked.lines if isinstance(x, SessionLine)]
        self.boxes["unmarked"].setTitle(
            "Buổi đã học chưa điểm danh" + (f" – {number(o.unmarked.total)} buổi" if lines else "")
        )
        self.unmarked.set_lines(
            [((x.course_id, x.session_id), _unmarked_cells(x)) for x in lines],
            "Mọi buổi đã học đều đã có điểm danh. Sau mỗi buổi, nhập điểm danh ở "
            f"{_page('diem-danh')}.",
            _more(o.unmarked.total, len(lines), "buổi", "xem từng khóa ở trang Điểm danh"),
        )

    def _show_courses(self, o: Overview) -> None:
        self.boxes["short"].setTitle(f"Khai giảng trong {SOON_DAYS} ngày tới, chưa đủ học viên")
        short = [(c.course_id, _course_cells(c, c.start_date, c.minimum)) for c in o.short]
        self.short.set_lines(
            short,
            f"Các khóa khai giảng trong {SOON_DAYS} ngày tới đều đủ số học viên tối thiểu "
            f"(hoặc không đặt số tối thiểu). Ghi danh ở {_page('khoa-hoc')}, thẻ Học viên.",
        )
        lines = [c for c in o.uncertified.lines if isinstance(c, CourseLine)]
        waiting = [(c.course_id, _course_cells(c, c.end_date, None)) for c in lines]
        where = "chọn khóa ở trang Chứng nhận"
        self.boxes["uncertified"].setTitle(
            f"Kết thúc trong {RECENT_DAYS} ngày qua, chưa cấp giấy chứng nhận"
        )
        more = _more(o.uncertified.total, len(lines), "khóa", where)
        if o.uncertified_older:
            since = format_date(o.today - timedelta(days=RECENT_DAYS))
            more = (f"{more} Ngoài ra {number(o.uncertified_older)} khóa kết thúc trước "
                    f"{since} còn người chưa có giấy (trang Chứng nhận).").strip()  # fmt: skip
        self.uncertified.set_lines(
            waiting,
            f"Mọi người hoàn thành các khóa kết thúc trong {RECENT_DAYS} ngày qua đều đã có "
            f"giấy chứng nhận. Khi kết thúc một khóa, cấp giấy ở {_page('chung-nhan')}.",
            more,
        )

    def _show_figures(self, o: Overview) -> None:
        self.boxes["figures"].setTitle(f"Năm {o.year} so với chỉ tiêu")
        missing = 0
        for bar, fig, unit in ((self.people_bar, o.people_trained, "người"),
                               (self.cert_bar, o.certificates, "giấy")):  # fmt: skip
            text = f"{number(fig.value)} {unit}"
            if fig.target:
                text = (f"{number(fig.value)} / {number(fig.target)} {unit} "
                        f"({percent(100 * fig.value / fig.target)} chỉ tiêu)")  # fmt: skip
            missing += fig.target is None
            bar.show_figure(fig.value, fig.target, text)
        shares = {x.level: x for x in o.shares}
        for level, bar in self.share_bars.items():
            share = shares.get(level)
            bar.setVisible(share is not None)
            if share is None:
                continue
            done = share.percent or 0.0
            text = (f"{percent(done)} ({number(share.trained)} / {number(share.members)} "
                    "thành viên)")  # fmt: skip
            if share.target_percent is not None:
                text += f" · chỉ tiêu {share.target_percent}%"
            missing += level in SHARE_LEVELS and share.target_percent is None
            bar.show_figure(done, share.target_percent, text)
        self.no_members.setVisible(not shares)
        self.no_members.setText(
            "Chưa có thành viên Tổ CNSCĐ nào để tính tỷ lệ đã tập huấn — thêm tổ và thành "
            f"viên ở {_page('to-cnscd')}."
        )
        self.no_targets.setVisible(bool(missing))
        self.no_targets.setText(
            f"Chưa đặt chỉ tiêu năm {o.year} cho các số liệu không có "
            f"thanh tiến độ — người quản trị đặt ở {_page('cai-dat')}."
        )


def _page(slug: str) -> str:
    title = next(p.title for p in PAGES if p.slug == slug)
    return f"trang {title} ({shortcut(slug)})"


def _more(total: int, shown: int, what: str, where: str) -> str:
    if total <= shown:
        return ""
    return f"và {number(total - shown)} {what} khác (mới nhất ở trên; {where})."

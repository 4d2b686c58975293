"""Báo cáo: figures and charts for a period and an area, the people behind any bar, and
the periodic report as PDF (preview, print, save) or .xlsx."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from matplotlib.backend_bases import PickEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.documents import charts
from app.documents.report import FIGURES, MODE_HEADINGS, RATES
from app.errors import UserError
from app.labels import TEAM_LEVEL, number, percent
from app.services import lookups, report_file, reports
from app.services.reports import MODES, Dashboard, ReportFilter
from app.signed_files import key_plan, open_signer
from ui.changes import ATTENDANCE, AUDIT, CERTIFICATES, COURSES, PEOPLE, TEAMS
from ui.context import UiContext
from ui.crash import show_error
from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from ui.dialogs.people_list_dialog import PeopleListDialog
from ui.files import ask_save_path
from ui.pages.base import Page
from ui.sign_prompt import ask_secret
from ui.widgets.date_edit import DateEdit
from ui.workers import Task

PERIODS = (("year", "Năm"), ("quarter", "Quý"), ("month", "Tháng"), ("custom", "Tùy chọn"))
QUARTERS = ("Quý I", "Quý II", "Quý III", "Quý IV")
CHART_HEIGHT = 330
ROW_HEIGHT = 26  # pixels a row of a horizontal chart needs for two lines of its label


class FittedTable(QTableWidget):
    """A small table of stretched columns that is never narrower than its widest heading
    times the number of columns (stretched columns share the width equally), so the
    layout beside it gives way instead of the headings being cut (a longer unit name in
    the row headings took the width of 'Đã tập huấn')."""

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self.model().headerDataChanged.connect(lambda *_: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        header = self.horizontalHeader()
        widest = max((header.sectionSizeHint(i) for i in range(self.columnCount())), default=0)
        rows = self.verticalHeader()
        width = rows.sizeHint().width() if rows.isVisible() else 0
        hint.setWidth(
            max(hint.width(), width + widest * self.columnCount() + 2 * self.frameWidth())
        )
        return hint


def period_dates(kind: str, year: int, part: int) -> tuple[date, date]:
    """The first and last day of a year, a quarter (1–4) or a month (1–12)."""
    if kind == "year":
        return date(year, 1, 1), date(year, 12, 31)
    first_month = 3 * (part - 1) + 1 if kind == "quarter" else part
    months = 3 if kind == "quarter" else 1
    start = date(year, first_month, 1)
    after = first_month + months
    end = date(year + (after > 12), (after - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def _fmt(name: str, value: float | int | None) -> str:
    if name in RATES:
        return percent(value)
    return number(int(value or 0))


class ChartCanvas(FigureCanvasQTAgg):
    def __init__(self, chart: charts.Chart) -> None:
        super().__init__(Figure(figsize=(6, 3.4), dpi=100))
        self.chart = chart
        self.setObjectName(f"chart-{chart.name}")
        self.setMinimumHeight(CHART_HEIGHT)
        # Wider and taller with the window: the page scrolls only below CHART_HEIGHT.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_data(self, d: Dashboard) -> None:
        # A chart of rows (courses, topics, communes) is tall enough for each to be read.
        self.setMinimumHeight(max(CHART_HEIGHT, 80 + ROW_HEIGHT * charts.rows(self.chart, d)))
        charts.draw(self.figure, self.chart, d)
        self.draw_idle()


class ReportsPage(Page):
    shows = frozenset({COURSES, PEOPLE, ATTENDANCE, CERTIFICATES, TEAMS})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "bao-cao", parent)
        self._action("Làm mới", "", self.reload, "Làm mới (F5: cả chương trình)")
        self.pdf_action = self._action("Báo cáo PDF…", "Ctrl+P", self.preview_pdf,
                                       "Xem trước, in hoặc lưu báo cáo định kỳ (Ctrl+P)")  # fmt: skip
        self._action("Xuất Excel…", "Ctrl+E", self.export_xlsx, "Các bảng số liệu, mỗi bảng một trang tính")  # fmt: skip
        self._action("Lưu PDF ký số…", "", self.save_signed_pdf,
                     "Lưu báo cáo PDF có chữ ký số (chứng thư số đặt ở trang Cài đặt)")  # fmt: skip
        self.dashboard: Dashboard | None = None
        self._generation = 0  # a refresh's result is shown only if no newer one started

        today = date.today()
        self.period = QComboBox()
        for key, label in PERIODS:
            self.period.addItem(label, key)
        self.year = QComboBox()
        for y in range(today.year + 1, 2019, -1):
            self.year.addItem(str(y), y)
        self.part = QComboBox()
        self.start_edit, self.end_edit = DateEdit(), DateEdit()
        for edit in (self.start_edit, self.end_edit):
            edit.setMaximumWidth(110)
            edit.editingFinished.connect(self._schedule)
        self.area = QComboBox()
        self.area.setEditable(True)
        self.area.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.area.setMinimumContentsLength(28)
        self.roll_up = QCheckBox("Gộp đơn vị cũ vào đơn vị mới")
        self.roll_up.setToolTip(
            "Số liệu của các xã, huyện trước sắp xếp năm 2025 được tính cho đơn vị mới"
        )
        self.roll_up.setChecked(bool(self.settings.value("bao-cao/roll_up", True, type=bool)))

        filters = QHBoxLayout()
        self.range_labels = [QLabel("Từ ngày"), QLabel("đến ngày")]
        filters.addWidget(QLabel("Kỳ:"))
        for widget in (self.period, self.year, self.part, self.range_labels[0], self.start_edit,
                       self.range_labels[1], self.end_edit, QLabel("Địa bàn:"), self.area):  # fmt: skip
            filters.addWidget(widget)
        filters.addWidget(self.roll_up)
        filters.addStretch(1)

        self.figures = FittedTable(len(FIGURES), len(MODES) + 1)
        self.figures.setObjectName("figures")
        self.figures.setHorizontalHeaderLabels([*MODE_HEADINGS.values(), "Tổng cộng"])
        self.figures.setVerticalHeaderLabels([label for _n, label in FIGURES])
        self.coverage = FittedTable(0, 3)
        self.coverage.setObjectName("coverage")
        self.coverage.setHorizontalHeaderLabels(["Thành viên", "Đã tập huấn", "Tỷ lệ"])
        for table in (self.figures, self.coverage):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.figures.setFixedHeight(self._table_height(self.figures, len(FIGURES)))
        cover_box = QVBoxLayout()
        cover_box.addWidget(QLabel("<b>Độ phủ thành viên Tổ CNSCĐ</b>"))
        cover_box.addWidget(self.coverage)
        self.coverage_note = QLabel()  # the levels of the period (districts until 30/06/2025)
        self.coverage_note.setObjectName("coverage_note")
        self.coverage_note.setWordWrap(True)
        cover_box.addWidget(self.coverage_note)
        cover_box.addStretch(1)
        numbers = QHBoxLayout()
        numbers.addWidget(self.figures, 3)
        numbers.addLayout(cover_box, 2)

        self.canvases = [ChartCanvas(c) for c in charts.CHARTS]
        grid = QGridLayout()
        for i, canvas in enumerate(self.canvases):
            canvas.mpl_connect("pick_event", self._picked)
            grid.addWidget(canvas, i // 2, i % 2)
        hint = QLabel("Bấm vào một cột của biểu đồ để xem danh sách người được tính trong cột đó.")
        hint.setStyleSheet("color: #555;")

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(numbers)
        body_layout.addWidget(hint)
        body_layout.addLayout(grid, 1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.state = QLabel()
        self.state.setObjectName("reportState")

        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(filters)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.state)

        self.timer = QTimer(self, singleShot=True, interval=250)
        self.timer.timeout.connect(self.refresh)
        self._restore_filters(today)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.year.currentIndexChanged.connect(self._schedule)
        self.part.currentIndexChanged.connect(self._schedule)
        self.area.currentIndexChanged.connect(self._schedule)
        self.roll_up.toggled.connect(self._schedule)
        self.reload()

    @staticmethod
    def _table_height(table: QTableWidget, rows: int) -> int:
        """Tall enough for its rows and no more (the page scrolls, not the table)."""
        table.resizeRowsToContents()
        body = (
            table.verticalHeader().length() if rows else table.verticalHeader().defaultSectionSize()
        )
        return table.horizontalHeader().height() + body + 2 * table.frameWidth()

    # -- filters ---------------------------------------------------------------------

    def _restore_filters(self, today: date) -> None:
        kind = str(self.settings.value("bao-cao/period", "year"))
        self.period.setCurrentIndex(max(0, self.period.findData(kind)))
        year = int(self.settings.value("bao-cao/year", today.year))
        self.year.setCurrentIndex(max(0, self.year.findData(year)))
        self._fill_parts(int(self.settings.value("bao-cao/part", 0)))
        start, end = period_dates("year", today.year, 0)
        self.start_edit.set_date(start)
        self.end_edit.set_date(end)
        self._show_period_widgets()

    def _fill_parts(self, keep: int = 0) -> None:
        kind = self.period.currentData()
        self.part.blockSignals(True)
        self.part.clear()
        if kind == "quarter":
            for i, label in enumerate(QUARTERS, start=1):
                self.part.addItem(label, i)
        elif kind == "month":
            for m in range(1, 13):
                self.part.addItem(f"Tháng {m:02d}", m)
        if keep and self.part.findData(keep) >= 0:
            self.part.setCurrentIndex(self.part.findData(keep))
        self.part.blockSignals(False)

    def _show_period_widgets(self) -> None:
        kind = self.period.currentData()
        self.year.setVisible(kind != "custom")
        self.part.setVisible(kind in ("quarter", "month"))
        for widget in (self.start_edit, self.end_edit, *self.range_labels):
            widget.setVisible(kind == "custom")

    def _period_changed(self) -> None:
        if self.period.currentData() == "custom" and self.dashboard is not None:
            self.start_edit.set_date(self.dashboard.filter.start)
            self.end_edit.set_date(self.dashboard.filter.end)
        self._fill_parts(1 if self.period.currentData() != "year" else 0)
        self._show_period_widgets()
        self._schedule()

    def _schedule(self) -> None:
        self.timer.start()

    def current_filter(self) -> ReportFilter:
        """The chosen period and area; a UserError names what is wrong with them."""
        kind = self.period.currentData()
        if kind == "custom":
            start, start_error = self.start_edit.date_or_error()
            end, end_error = self.end_edit.date_or_error()
            if start_error or end_error:
                raise UserError(f"Ngày của kỳ báo cáo: {start_error or end_error}")
            if start is None or end is None:
                raise UserError("Hãy nhập ngày bắt đầu và ngày kết thúc của kỳ báo cáo.")
            report_file.check_period(start, end)
        else:
            start, end = period_dates(kind, self.year.currentData(), self.part.currentData() or 0)
        index = self.area.findText(self.area.currentText(), Qt.MatchFlag.MatchExactly)
        unit_id = self.area.itemData(index) if index >= 0 else None
        if index < 0 and self.area.currentText().strip():
            raise UserError(
                f"Không có địa bàn “{self.area.currentText().strip()}” trong danh sách."
            )
        return ReportFilter(start, end, unit_id, roll_up=self.roll_up.isChecked())

    def _remember(self) -> None:
        self.settings.setValue("bao-cao/period", self.period.currentData())
        self.settings.setValue("bao-cao/year", self.year.currentData())
        self.settings.setValue("bao-cao/part", self.part.currentData() or 0)
        self.settings.setValue("bao-cao/roll_up", self.roll_up.isChecked())

    # -- loading ---------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read the list of areas (keeping the choice), then the figures."""
        keep = self.area.currentData()
        with self.db.transaction(readonly=True) as s:
            areas = lookups.report_areas(s, lookups.home_provinces(s))
        self.area.blockSignals(True)
        self.area.clear()
        self.area.addItem("Toàn tỉnh", None)
        for uid, label in areas:
            self.area.addItem(label, uid)
        completer = QCompleter([self.area.itemText(i) for i in range(self.area.count())], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.area.setCompleter(completer)
        self.area.setCurrentIndex(max(0, self.area.findData(keep)))
        self.area.blockSignals(False)
        self.refresh()

    def _export_people(self, parent: QWidget, title: str, lines: list, path: Path) -> bool:  # type: ignore[type-arg]
        """A chart bar's people to a file; the export is recorded in the audit trail."""
        done = self.ctx.op(
            parent, lambda s: reports.export_people(s, title, lines, path) or True, {AUDIT}
        )
        return bool(done)

    def refresh(self) -> None:
        self.timer.stop()
        try:
            f = self.current_filter()
        except UserError as exc:
            self.state.setText(exc.message)
            self.state.setStyleSheet("color: #b00020;")
            return
        self._remember()
        self._generation += 1
        generation = self._generation
        self.state.setStyleSheet("")
        self.state.setText("Đang tính số liệu…")

        def load(_task: Task) -> Dashboard:
            with self.db.transaction(readonly=True) as s:
                return reports.dashboard(s, f)

        def done(d: Dashboard) -> None:
            if generation == self._generation:
                self.show_dashboard(d)

        self.runner.start(load, done, self._failed)

    def show_dashboard(self, d: Dashboard) -> None:
        self.dashboard = d
        columns = [d.summary.by_mode[m] for m in MODES] + [d.summary.total]
        for r, (name, _label) in enumerate(FIGURES):
            for c, figures in enumerate(columns):
                item = QTableWidgetItem(_fmt(name, getattr(figures, name)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == len(columns) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.figures.setItem(r, c, item)
        self.coverage.setRowCount(len(d.coverage))
        self.coverage.setVerticalHeaderLabels(
            [TEAM_LEVEL.get(x.level, x.level) for x in d.coverage]
        )
        for r, x in enumerate(d.coverage):
            for c, text in enumerate(
                (number(x.members), number(x.trained), _fmt("attendance_rate", x.percent))
            ):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.coverage.setItem(r, c, item)
        self.coverage.setFixedHeight(self._table_height(self.coverage, max(1, len(d.coverage))))
        self.coverage_note.setText(d.levels.note)
        for canvas in self.canvases:
            canvas.show_data(d)
        f = d.filter
        self.state.setText(
            f"Kỳ {f.start:%d/%m/%Y} – {f.end:%d/%m/%Y}: {number(d.summary.total.people_trained)} "
            f"người được tập huấn."
        )

    def _failed(self, exc: BaseException, details: str) -> None:
        self.state.setText("")
        if isinstance(exc, UserError):
            self.prompter.warn(self, "Báo cáo", exc.message)
            return
        show_error("Báo cáo", getattr(exc, "message", None) or "Không tính được số liệu.", details)

    # -- what lies behind a bar ------------------------------------------------------

    def _picked(self, event: PickEvent) -> None:
        target = charts.drill(event.artist)
        if target is None or self.dashboard is None:
            return
        self.show_people(*target)

    def show_people(self, dimension: str, keys: list) -> None:  # type: ignore[type-arg]
        """List the people behind a bar: read in the worker (a province-wide bar reads a
        million marks), shown when ready."""
        d = self.dashboard
        assert d is not None
        title = f"Người được tập huấn – {self._bar_title(d, dimension, keys)}"
        self.state.setText("Đang lấy danh sách…")

        def load(_task: Task) -> tuple[int, list]:  # type: ignore[type-arg]
            with self.db.transaction(readonly=True) as s:
                return reports.people_behind(s, d.filter, dimension, keys)

        def done(found: tuple[int, list]) -> None:  # type: ignore[type-arg]
            self.state.setText("")
            total, lines = found
            dialog = PeopleListDialog(
                self._export_people, title, total, lines, self.settings,
                "danh-sach-bao-cao.xlsx", self,
            )  # fmt: skip
            dialog.open()

        self.runner.start(load, done, self._failed)

    @staticmethod
    def _bar_title(d: Dashboard, dimension: str, keys: list) -> str:  # type: ignore[type-arg]
        if dimension == "month":
            return "tháng " + ", ".join(f"{k[5:]}/{k[:4]}" for k in keys)
        if dimension == "level":
            return (
                ", ".join(TEAM_LEVEL.get(str(k), str(k)).lower() for k in keys) + " (thành viên tổ)"
            )
        rows = {"commune": d.communes, "topic": d.topics}.get(dimension)
        if rows is not None:
            labels = [r.label for r in rows if r.key in keys]
            return labels[0] if len(labels) == 1 else f"{len(labels)} đơn vị khác"
        courses = [c.title for c in d.courses if c.course_id in keys]
        return "khóa " + ", ".join(courses)

    # -- the periodic report ---------------------------------------------------------

    def _file_name(self, f: ReportFilter, suffix: str) -> str:
        return f"bao-cao-tap-huan-{f.start:%Y%m%d}-{f.end:%Y%m%d}{suffix}"

    def preview_pdf(self) -> None:
        try:
            f = self.current_filter()
        except UserError as exc:
            self.prompter.warn(self, "Báo cáo", exc.message)
            return
        self.state.setText("Đang lập báo cáo PDF…")

        def work(_task: Task) -> bytes:
            out = io.BytesIO()
            with self.db.transaction(readonly=True) as s:
                report_file.render_pdf(s, f, out, date.today())
            return out.getvalue()

        def done(pdf: bytes) -> None:
            self.state.setText("")
            dialog = PdfPreviewDialog(
                pdf, "Báo cáo kết quả tập huấn", self._file_name(f, ".pdf"), self.settings, self
            )
            dialog.exec()

        self.runner.start(work, done, self._failed)

    def save_signed_pdf(self) -> None:
        """The report as a PDF signed with the key set on Cài đặt (ký số)."""
        try:
            f = self.current_filter()
        except UserError as exc:
            self.prompter.warn(self, "Báo cáo", exc.message)
            return
        plan = self.ctx.read(key_plan)
        secret = ask_secret(self.prompter, self, plan)
        if secret is None:
            return
        path = ask_save_path(
            self, self.settings, "export", "Lưu báo cáo PDF ký số", self._file_name(f, ".pdf"),
            "PDF (*.pdf)", (".pdf",),
        )  # fmt: skip
        if path is None:
            return
        self.state.setText("Đang lập và ký số báo cáo PDF…")

        def work(_task: Task) -> str:
            # the key first: a wrong password writes nothing
            with open_signer(plan, secret) as signer, self.db.transaction(readonly=True) as s:
                return report_file.write_report(s, f, path, date.today(), signer.document)

        def done(what: str) -> None:
            self.state.setText(f"Đã lưu báo cáo ký số ({what}) vào {path}")
            self.status.emit(f"Đã lưu báo cáo ký số vào {path}")

        self.runner.start(work, done, self._failed)

    def export_xlsx(self) -> None:
        try:
            f = self.current_filter()
        except UserError as exc:
            self.prompter.warn(self, "Báo cáo", exc.message)
            return
        path = ask_save_path(
            self, self.settings, "export", "Xuất báo cáo ra Excel", self._file_name(f, ".xlsx"),
            "Bảng tính Excel (*.xlsx)", (".xlsx",),
        )  # fmt: skip
        if path is None:
            return
        self.state.setText("Đang xuất báo cáo ra Excel…")

        def work(_task: Task) -> str:
            with self.db.transaction(readonly=True) as s:
                return report_file.write_report(s, f, path)

        def done(what: str) -> None:
            self.state.setText(f"Đã xuất báo cáo ({what}) vào {path}")
            self.status.emit(f"Đã xuất báo cáo vào {path}")

        self.runner.start(work, done, self._failed)

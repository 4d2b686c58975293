"""Khóa học: the catalogue and the course actions (add, edit, duplicate, workflow, delete);
the chosen course's sessions and roster are panels of their own."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import labels
from app.services import courses, enrolment, lookups, scheduling
from app.services.courses import CourseFilter, CourseForm
from app.vn.dates import format_date, parse_date
from ui.changes import ATTENDANCE, CERTIFICATES, COURSES, PEOPLE
from ui.context import UiContext
from ui.dialogs.course_dialog import CourseDialog
from ui.itemmodels.course_table_model import CourseTableModel
from ui.pages.base import Page
from ui.pages.course_roster_panel import CourseRosterPanel
from ui.pages.course_sessions_panel import CourseSessionsPanel
from ui.widgets.columns import fit_titles
from ui.widgets.empty_state import show_when_empty

STATUS_ACTIONS = [
    ("planned", "Lên kế hoạch"),
    ("open", "Mở ghi danh"),
    ("running", "Bắt đầu học"),
    ("finished", "Kết thúc và xét kết quả…"),
    ("cancelled", "Hủy khóa học…"),
    ("draft", "Trở về nháp"),
]


class CoursesPage(Page):
    shows = frozenset({COURSES, PEOPLE, ATTENDANCE, CERTIFICATES})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "khoa-hoc", parent)
        self.model = CourseTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(2, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        for col, width in enumerate((105, 330, 85, 85, 130, 60, 95, 80, 80, 80)):
            self.table.setColumnWidth(col, width)
        fit_titles(self.table.horizontalHeader(), stretch=1, least=260)  # the course's title
        self._fitted = False
        show_when_empty(
            self.table,
            lambda: (
                "Không có khóa học nào khớp với bộ lọc. Chọn “Mọi năm”, “Mọi trạng thái”…"
                if self.current_filter() != CourseFilter()
                else "Chưa có khóa học nào. Bấm Thêm khóa học (Ctrl+N) để lên kế hoạch khóa đầu tiên."
            ),
        )
        self.table.doubleClicked.connect(lambda _i: self.edit_course())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_course())

        self.year_combo = QComboBox()
        self.year_combo.addItem("Mọi năm", None)
        for y in range(date.today().year + 1, 2021, -1):
            self.year_combo.addItem(str(y), y)
        self.status_combo = QComboBox()
        self.status_combo.addItem("Mọi trạng thái", None)
        for key, text in labels.COURSE_STATUS.items():
            self.status_combo.addItem(text, key)
        self.topic_combo = QComboBox()
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumContentsLength(14)
        self.unit_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.organiser_edit = QLineEdit()
        self.organiser_edit.setPlaceholderText("Đơn vị tổ chức")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Tìm theo mã, tên khóa học…")
        self.search_edit.setClearButtonEnabled(True)
        for combo in (self.year_combo, self.status_combo, self.topic_combo, self.unit_combo):
            combo.currentIndexChanged.connect(self.reload)
        for edit in (self.organiser_edit, self.search_edit):
            edit.returnPressed.connect(self.reload)
        self.search_edit.textChanged.connect(lambda t: self.reload() if not t else None)

        self._action("Thêm khóa học", "Ctrl+N", self.add_course)
        self._action("Sửa", "F2", self.edit_course)
        self._action("Nhân bản…", "", self.duplicate_course)
        status_button = QToolButton()
        status_button.setText("Chuyển trạng thái ▾")  # as "In ▾": Qt's arrow overlaps the text
        status_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(status_button)
        for key, text in STATUS_ACTIONS:
            menu.addAction(text, lambda k=key: self.change_status(k))
        status_button.setMenu(menu)
        self.toolbar.addWidget(status_button)
        self._action("Xóa", "", self.delete_course)

        self.title_label = QLabel("")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        with self.db.transaction(readonly=True) as s:
            self.topic_list = lookups.topics(s)
            home = lookups.home_provinces(s)
            units = [
                u
                for u in lookups.units_for_people(s, home or None)
                if not u[1].startswith(("Ấp", "Khu phố"))
            ]
        self.sessions_panel = CourseSessionsPanel(ctx)
        self.roster_panel = CourseRosterPanel(ctx, self.topic_list)
        for panel in (self.sessions_panel, self.roster_panel):
            panel.acted.connect(lambda message: self._done(message, self.current_course()))
        self.sessions, self.roster = self.sessions_panel.table, self.roster_panel.table
        tabs = QTabWidget()
        tabs.addTab(self.sessions_panel, "Buổi học")
        tabs.addTab(self.roster_panel, "Học viên")
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.title_label)
        dl.addWidget(tabs, 1)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 2)
        for w in (self.year_combo, self.status_combo, self.topic_combo, self.unit_combo):
            filters.addWidget(w)
        filters.addWidget(self.organiser_edit, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setSizes([380, 360])
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        for combo, items, everyone in (
            (self.topic_combo, self.topic_list, "Mọi chủ đề"),
            (self.unit_combo, units, "Mọi đơn vị"),
        ):
            combo.blockSignals(True)
            combo.addItem(everyone, None)
            for value, name in items:
                combo.addItem(name, value)
            combo.blockSignals(False)
        self.reload()

    # -- catalogue -----------------------------------------------------------------

    def current_filter(self) -> CourseFilter:
        return CourseFilter(
            year=self.year_combo.currentData(),
            status=self.status_combo.currentData(),
            topic_id=self.topic_combo.currentData(),
            organiser=self.organiser_edit.text(),
            search=self.search_edit.text(),
        )

    def reload(self) -> None:
        keep = self.current_course()
        with self.db.transaction(readonly=True) as s:
            rows = courses.catalogue(s, self.current_filter())
        self.model.set_rows(rows)
        if rows and not self._fitted:  # once: the columns the user drags stay where put
            self._fitted = True
            for col in range(self.model.columnCount()):
                if col != 1:  # the title takes what the others leave
                    self.table.resizeColumnToContents(col)
        if keep is not None:
            self.select_course(keep)
        elif self.model.rows:
            self.table.selectRow(0)
        self.show_course()

    def select_course(self, course_id: int) -> None:
        row = self.model.row_for(course_id)
        if row is not None:
            self.table.selectRow(row)

    def reveal_course(self, course_id: int) -> None:
        """Select the course, clearing the filters if they hide it."""
        if self.model.row_for(course_id) is None:
            for combo in (self.year_combo, self.status_combo, self.topic_combo, self.unit_combo):
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
            for edit in (self.organiser_edit, self.search_edit):
                edit.blockSignals(True)
                edit.clear()
                edit.blockSignals(False)
            self.reload()
        self.select_course(course_id)
        self.table.setFocus()

    def current_course(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.rows[rows[0].row()].id if rows else None

    def show_course(self) -> None:
        cid = self.current_course()
        if cid is None:
            self.title_label.setText("Chọn một khóa học để xem buổi học và học viên.")
            self.sessions_panel.show_course(None, [])
            self.roster_panel.show_course(None, [])
            return
        with self.db.transaction(readonly=True) as s:
            r = courses.row(s, cid)
            sessions = scheduling.course_sessions(s, cid)
            roster = enrolment.roster(s, cid)
        tentative = " – chưa đủ số tối thiểu để mở lớp" if r.tentative else ""
        self.title_label.setText(
            f"{r.code} – {r.title} ({labels.COURSE_STATUS[r.status]}{tentative})"
        )
        self.sessions_panel.show_course(r, sessions)
        self.roster_panel.show_course(r, roster)

    def _done(self, message: str, course_id: int | None = None) -> None:
        self.reload()
        if course_id is not None:
            self.select_course(course_id)
        self.status.emit(message)

    # -- course actions ------------------------------------------------------------

    def _lists(self) -> tuple[list[tuple[int, str]], list[tuple[int, str, int | None]]]:
        return self.ctx.read(lambda s: (lookups.topics(s), scheduling.venues(s)))

    def add_course(self) -> None:
        topics, venues = self._lists()
        with self.db.transaction(readonly=True) as s:
            organiser, co = courses.defaults(s)
            start = date.today()
            initial = CourseForm(
                courses.suggest_code(s, start.year), "", start, start, organiser, co
            )
        save = self.ctx.saver(self, {COURSES}, lambda form, s: courses.create(s, form))
        CourseDialog.ask(self, initial, topics, venues, "Thêm khóa học", saver=save)
        if save.result:
            self._done(f"Đã thêm khóa học {save.result.code}.", save.result.id)

    def _chosen(self, title: str) -> int | None:
        """The selected course, or None after saying to choose one."""
        cid = self.current_course()
        if cid is None:
            self.prompter.inform(self, title, "Hãy chọn một khóa học trong bảng.")
        return cid

    def edit_course(self) -> None:
        cid = self._chosen("Sửa khóa học")
        if cid is None:
            return
        topics, venues = self._lists()
        initial, version, _status = self.ctx.read(lambda s: courses.form_of(s, cid))
        save = self.ctx.saver(
            self, {COURSES}, lambda form, s: courses.update(s, cid, form, version)
        )
        CourseDialog.ask(self, initial, topics, venues, "Sửa khóa học", saver=save)
        if save.result:
            self._done(f"Đã lưu khóa học {save.result.code}.", cid)

    def duplicate_course(self) -> None:
        cid = self._chosen("Nhân bản khóa học")
        if cid is None:
            return
        r = self.model.rows[self.model.row_for(cid) or 0]
        text = self.prompter.text(
            self,
            "Nhân bản khóa học",
            f"Bản sao của {r.code} (buổi học, chủ đề, điều kiện; không có học viên).\n"
            "Ngày bắt đầu của bản sao (dd/mm/yyyy):",
            format_date(r.start_date.replace(year=r.start_date.year + 1)),
        )
        if text is None:
            return
        try:
            start = parse_date(text).value
        except Exception as exc:  # InvalidValue: show and stop
            self.prompter.warn(self, "Ngày không hợp lệ", str(exc))
            return
        row = self.ctx.op(self, lambda s: courses.duplicate(s, cid, start), {COURSES})
        if row:
            self._done(f"Đã tạo {row.code} từ {r.code}.", row.id)

    def change_status(self, status: str) -> None:
        cid = self._chosen("Chuyển trạng thái")
        if cid is None:
            return
        if status == "finished":  # results are decided: the grid and certificates follow
            result = self.ctx.op(
                self, lambda s, ok: enrolment.finish(s, cid, confirm=ok),
                {COURSES, ATTENDANCE}, confirm=True,
            )  # fmt: skip
            if result:
                self._done(result.describe(), cid)
                if result.not_completed:  # why, in words, not only in the status bar
                    self.prompter.inform(self, "Kết thúc khóa học", result.describe())
            return
        reason = None
        if status == "cancelled":
            reason = self.prompter.text(
                self, "Hủy khóa học", "Lý do hủy (lịch sử của khóa được giữ nguyên):"
            )
            if reason is None:
                return
        row = self.ctx.op(
            self, lambda s: courses.set_status(s, cid, status, reason=reason), {COURSES}
        )
        if row:
            self._done(f"{row.code}: {labels.COURSE_STATUS[row.status]}.", cid)

    def delete_course(self) -> None:
        cid = self._chosen("Xóa khóa học")
        if cid is None:
            return
        if self.prompter.confirm(
            self,
            "Xóa khóa học",
            "Xóa hẳn khóa học này? Chỉ xóa được khóa chưa có điểm danh; khóa đã học thì hãy hủy.",
        ) and self.ctx.op(self, lambda s: courses.delete_course(s, cid) or True, {COURSES}):
            self._done("Đã xóa khóa học.")

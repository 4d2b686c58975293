"""Khóa học: catalogue, editor, workflow, sessions (one or a series), enrolment."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import labels
from app.db import Database
from app.services import courses, enrolment, exports, lookups, people, scheduling
from app.services.courses import CourseFilter, CourseForm
from app.services.people import PeopleFilter
from app.services.scheduling import SessionForm
from app.vn.dates import format_date
from ui import actions
from ui.dialogs.course_dialog import CourseDialog
from ui.dialogs.person_picker_dialog import PersonPickerDialog
from ui.dialogs.session_dialog import SessionDialog
from ui.files import ask_save_path
from ui.itemmodels.course_table_model import CourseTableModel
from ui.pages.base import Page
from ui.widgets.columns import fit_titles
from ui.widgets.empty_state import show_when_empty
from ui.widgets.sort_item import SortItem
from ui.workers import TaskRunner

ID = Qt.ItemDataRole.UserRole
STATUS_ACTIONS = [
    ("planned", "Lên kế hoạch"),
    ("open", "Mở ghi danh"),
    ("running", "Bắt đầu học"),
    ("finished", "Kết thúc và xét kết quả…"),
    ("cancelled", "Hủy khóa học…"),
    ("draft", "Trở về nháp"),
]


class CoursesPage(Page):
    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        settings: QSettings,
        user: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(db, runner, settings, user, "khoa-hoc", parent)
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
        status_button.setText("Chuyển trạng thái")
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
        self.sessions = self._table(
            ["Ngày", "Giờ", "Địa điểm", "Giảng viên", "Chủ đề", "Ghi chú trùng lịch"], stretch=4
        )
        self.sessions.doubleClicked.connect(lambda _i: self.edit_session())
        self.roster = self._table(
            [
                "Họ và tên",
                "Trạng thái",
                "Nguồn",
                "Đơn vị",
                "Điểm đầu vào",
                "Điểm cuối khóa",
                "Có mặt",
            ],
            stretch=0,
        )
        show_when_empty(
            self.sessions,
            lambda: (
                "Khóa này chưa có buổi học. Bấm Thêm buổi… hoặc Thêm chuỗi buổi… ở trên."
                if self.current_course() is not None
                else "Chọn một khóa học trong danh sách để xem các buổi học."
            ),
        )
        show_when_empty(
            self.roster,
            lambda: (
                "Chưa ai ghi danh vào khóa này. Bấm Ghi danh… để chọn người, hoặc Cả tổ…"
                if self.current_course() is not None
                else "Chọn một khóa học trong danh sách để xem học viên."
            ),
        )
        tabs = QTabWidget()
        tabs.addTab(
            self._with_buttons(
                self.sessions,
                [
                    ("Thêm buổi…", self.add_session),
                    ("Thêm chuỗi buổi…", self.add_series),
                    ("Sửa…", self.edit_session),
                    ("Sao chép sang ngày…", self.copy_session),
                    ("Xóa buổi", self.delete_session),
                    ("Xuất lịch .ics…", self.export_ics),
                ],
            ),
            "Buổi học",
        )
        tabs.addTab(
            self._with_buttons(
                self.roster,
                [
                    ("Ghi danh…", self.enrol_people),
                    ("Cả tổ…", self.enrol_team),
                    ("Theo bộ lọc…", self.enrol_filter),
                    ("Người đến lớp…", self.walk_in),
                    ("Rút khỏi lớp", self.withdraw),
                ],
            ),
            "Học viên",
        )
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
        with db.transaction(readonly=True) as s:
            self.topic_list = lookups.topics(s)
            home = lookups.home_provinces(s)
            units = [
                u
                for u in lookups.units_for_people(s, home or None)
                if not u[1].startswith(("Ấp", "Khu phố"))
            ]
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

    @staticmethod
    def _table(headers: list[str], stretch: int) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.verticalHeader().hide()
        t.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        t.setSortingEnabled(True)
        fit_titles(t.horizontalHeader(), stretch=stretch, least=200)
        return t

    @staticmethod
    def _with_buttons(table: QTableWidget, buttons: list[tuple[str, object]]) -> QWidget:
        w = QWidget()
        row = QHBoxLayout()
        for text, slot in buttons:
            b = QPushButton(text)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(w)
        layout.addLayout(row)
        layout.addWidget(table, 1)
        return w

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

    def current_course(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.rows[rows[0].row()].id if rows else None

    def show_course(self) -> None:
        cid = self.current_course()
        self.sessions.setSortingEnabled(False)
        self.roster.setSortingEnabled(False)
        self.sessions.setRowCount(0)
        self.roster.setRowCount(0)
        if cid is None:
            self.title_label.setText("Chọn một khóa học để xem buổi học và học viên.")
            return
        with self.db.transaction(readonly=True) as s:
            r = courses.row(s, cid)
            sess = scheduling.course_sessions(s, cid)
            roster = enrolment.roster(s, cid)
        tentative = " – chưa đủ số tối thiểu để mở lớp" if r.tentative else ""
        self.title_label.setText(
            f"{r.code} – {r.title} ({labels.COURSE_STATUS[r.status]}{tentative})"
        )
        self.sessions.setRowCount(len(sess))
        for i, x in enumerate(sess):
            values = (
                f"{x.starts_at:%d/%m/%Y}",
                f"{x.starts_at:%H:%M}–{x.ends_at:%H:%M}",
                x.venue or ("Trực tuyến" if x.mode == "online" else ""),
                x.trainers,
                x.topics,
                x.override_reason or "",
            )
            for c, v in enumerate(values):
                item = SortItem(v, x.starts_at.timestamp() if c < 2 else None)
                item.setData(ID, x.id)
                self.sessions.setItem(i, c, item)
        self.roster.setRowCount(len(roster))
        for i, e in enumerate(roster):
            values = (
                e.full_name,
                labels.ENROLMENT_STATUS[e.status],
                {
                    "walk-in": "Đến lớp",
                    "team": "Theo tổ",
                    "import": "Nhập tệp",
                    "filter": "Theo bộ lọc",
                }.get(e.source, "Ghi danh"),
                e.unit,
                labels.score(e.pre_score),
                labels.score(e.post_score),
                str(e.attended),
            )
            keys = {4: e.pre_score, 5: e.post_score, 6: e.attended}
            for c, v in enumerate(values):
                item = SortItem.name(v) if c == 0 else SortItem(v, keys.get(c))
                item.setData(ID, e.id)
                self.roster.setItem(i, c, item)
        self.sessions.resizeColumnsToContents()
        self.sessions.setSortingEnabled(True)
        self.roster.setSortingEnabled(True)

    def _done(self, message: str, course_id: int | None = None) -> None:
        self.reload()
        if course_id is not None:
            self.select_course(course_id)
        self.status.emit(message)
        self.changed.emit()

    # -- course actions ------------------------------------------------------------

    def _lists(
        self,
    ) -> tuple[list[tuple[int, str]], list[tuple[int, str, int | None]], list[tuple[int, str]]]:
        with self.db.transaction(readonly=True) as s:
            return lookups.topics(s), scheduling.venues(s), scheduling.trainers(s)

    def add_course(self) -> None:
        topics, venues, _ = self._lists()
        with self.db.transaction(readonly=True) as s:
            organiser, co = courses.defaults(s)
            start = date.today()
            initial = CourseForm(
                courses.suggest_code(s, start.year), "", start, start, organiser, co
            )
        form = CourseDialog.ask(self, initial, topics, venues, "Thêm khóa học")
        if form is None:
            return
        row = actions.run(self, self.db, lambda s: courses.create(s, form))
        if row:
            self._done(f"Đã thêm khóa học {row.code}.", row.id)

    def edit_course(self) -> None:
        cid = self.current_course()
        if cid is None:
            return
        topics, venues, _ = self._lists()
        with self.db.transaction(readonly=True) as s:
            initial, version, _status = courses.form_of(s, cid)
        form = CourseDialog.ask(self, initial, topics, venues, "Sửa khóa học")
        if form and actions.run(self, self.db, lambda s: courses.update(s, cid, form, version)):
            self._done(f"Đã lưu khóa học {form.code}.", cid)

    def duplicate_course(self) -> None:
        cid = self.current_course()
        if cid is None:
            return
        r = self.model.rows[self.model.row_for(cid) or 0]
        text, ok = QInputDialog.getText(
            self,
            "Nhân bản khóa học",
            f"Bản sao của {r.code} (buổi học, chủ đề, điều kiện; không có học viên).\n"
            "Ngày bắt đầu của bản sao (dd/mm/yyyy):",
            text=format_date(r.start_date.replace(year=r.start_date.year + 1)),
        )
        if not ok:
            return
        from app.vn.dates import parse_date

        try:
            start = parse_date(text).value
        except Exception as exc:  # InvalidValue: show and stop
            QMessageBox.warning(self, "Ngày không hợp lệ", str(exc))
            return
        row = actions.run(self, self.db, lambda s: courses.duplicate(s, cid, start))
        if row:
            self._done(f"Đã tạo {row.code} từ {r.code}.", row.id)

    def change_status(self, status: str) -> None:
        cid = self.current_course()
        if cid is None:
            return
        if status == "finished":
            result = actions.run_confirmed(
                self, self.db, lambda s, ok: enrolment.finish(s, cid, confirm=ok)
            )
            if result:
                self._done(
                    f"Đã kết thúc: {result.completed} hoàn thành, {result.not_completed} chưa hoàn thành.",
                    cid,
                )
            return
        reason = None
        if status == "cancelled":
            reason, ok = QInputDialog.getText(
                self, "Hủy khóa học", "Lý do hủy (lịch sử của khóa được giữ nguyên):"
            )
            if not ok:
                return
        row = actions.run(
            self, self.db, lambda s: courses.set_status(s, cid, status, reason=reason)
        )
        if row:
            self._done(f"{row.code}: {labels.COURSE_STATUS[row.status]}.", cid)

    def delete_course(self) -> None:
        cid = self.current_course()
        if cid is None:
            return
        answer = QMessageBox.question(
            self,
            "Xóa khóa học",
            "Xóa hẳn khóa học này? Chỉ xóa được khóa chưa có điểm danh; khóa đã học thì hãy hủy.",
        )
        if answer == QMessageBox.StandardButton.Yes and actions.run(
            self, self.db, lambda s: courses.delete_course(s, cid) or True
        ):
            self._done("Đã xóa khóa học.")

    # -- sessions ------------------------------------------------------------------

    def _selected_session(self) -> int | None:
        items = self.sessions.selectedItems()
        return items[0].data(ID) if items else None

    def _new_session_form(self, cid: int) -> SessionForm:
        with self.db.transaction(readonly=True) as s:
            form, _version, _status = courses.form_of(s, cid)
            last = scheduling.course_sessions(s, cid)
        day = max(form.start_date, date.today()) if not last else last[-1].starts_at.date()
        day = min(day, form.end_date)
        return SessionForm(
            day,
            time(7, 30),
            time(11, 0),
            form.default_venue_id,
            "online" if form.is_online else "in_person",
        )

    def add_session(self) -> None:
        cid = self.current_course()
        if cid is None:
            return
        topics, venues, trainers = self._lists()
        dialog = SessionDialog(self._new_session_form(cid), venues, trainers, topics, parent=self)
        if dialog.exec() and dialog.result_form:
            form = dialog.result_form
            row = actions.run_with_override(
                self, self.db, lambda s, why: scheduling.add_session(s, cid, form, why)
            )
            if row:
                self._done(f"Đã thêm buổi {row.starts_at:%d/%m/%Y %H:%M}.", cid)

    def add_series(self) -> None:
        cid = self.current_course()
        if cid is None:
            return
        topics, venues, trainers = self._lists()
        dialog = SessionDialog(
            self._new_session_form(cid), venues, trainers, topics, series=True, parent=self
        )
        if dialog.exec() and dialog.result_form and dialog.result_pattern:
            form, pattern = dialog.result_form, dialog.result_pattern
            result = actions.run_with_override(
                self,
                self.db,
                lambda s, why: scheduling.add_series(s, cid, pattern, form, why),
            )
            if result:
                QMessageBox.information(self, "Chuỗi buổi học", result.describe())
                self._done(result.describe(), cid)

    def edit_session(self) -> None:
        sid, cid = self._selected_session(), self.current_course()
        if sid is None:
            return
        topics, venues, trainers = self._lists()
        with self.db.transaction(readonly=True) as s:
            initial, version, _course = scheduling.form_of(s, sid)
        dialog = SessionDialog(initial, venues, trainers, topics, parent=self)
        if dialog.exec() and dialog.result_form:
            form = dialog.result_form
            if actions.run_with_override(
                self,
                self.db,
                lambda s, why: scheduling.update_session(s, sid, form, version, why),
            ):
                self._done("Đã lưu buổi học.", cid)

    def copy_session(self) -> None:
        sid, cid = self._selected_session(), self.current_course()
        if sid is None:
            return
        text, ok = QInputDialog.getText(self, "Sao chép buổi học", "Sang ngày (dd/mm/yyyy):")
        if not ok:
            return
        from app.errors import InvalidValue
        from app.vn.dates import parse_date

        try:
            day = parse_date(text).value
        except InvalidValue as exc:
            QMessageBox.warning(self, "Ngày không hợp lệ", exc.message)
            return
        if actions.run_with_override(
            self, self.db, lambda s, why: scheduling.copy_session(s, sid, day, why)
        ):
            self._done(f"Đã sao chép buổi học sang {day:%d/%m/%Y}.", cid)

    def delete_session(self) -> None:
        sid, cid = self._selected_session(), self.current_course()
        if sid is None:
            return
        if QMessageBox.question(
            self, "Xóa buổi học", "Xóa buổi học này?"
        ) == QMessageBox.StandardButton.Yes and actions.run(
            self, self.db, lambda s: scheduling.delete_session(s, sid) or True
        ):
            self._done("Đã xóa buổi học.", cid)

    def export_ics(self) -> None:
        cid = self.current_course()
        if cid is None:
            return
        code = self.model.rows[self.model.row_for(cid) or 0].code
        path = ask_save_path(
            self, self.settings, "calendar", "Xuất lịch", f"{code}.ics", "Lịch (*.ics)", (".ics",)
        )
        if path is None:
            return
        n = actions.run(self, self.db, lambda s: exports.export_ics(s, path, course_code=code))
        if n is not None:
            self.status.emit(f"Đã xuất {n} buổi học vào {path}")

    # -- enrolment -----------------------------------------------------------------

    def _enrolled(self, result: enrolment.EnrolResult | None, cid: int) -> None:
        if result:
            self._done(result.describe(), cid)

    def enrol_people(self) -> None:
        cid = self.current_course()
        if cid is None:
            return

        def search(text: str) -> list[people.PersonRow]:
            with self.db.transaction(readonly=True) as s:
                return people.page(s, PeopleFilter(search=text), limit=200)

        chosen = PersonPickerDialog.ask(self, search, "Ghi danh học viên")
        if chosen:
            self._enrolled(
                actions.run(
                    self,
                    self.db,
                    lambda s: enrolment.enrol(s, cid, [p for p, _ in chosen]),
                ),
                cid,
            )

    def enrol_team(self) -> None:
        cid = self.current_course()
        if cid is None:
            return
        with self.db.transaction(readonly=True) as s:
            teams = lookups.teams(s)
        labels_ = [name for _, name in teams]
        name, ok = QInputDialog.getItem(
            self, "Ghi danh cả tổ", "Tổ (mọi thành viên đang hoạt động):", labels_, 0, True
        )
        if ok and name in labels_:
            team_id = teams[labels_.index(name)][0]
            self._enrolled(
                actions.run(self, self.db, lambda s: enrolment.enrol_team(s, cid, team_id)),
                cid,
            )

    def enrol_filter(self) -> None:
        cid = self.current_course()
        if cid is None:
            return
        from ui.dialogs.people_filter_dialog import PeopleFilterDialog

        with self.db.transaction(readonly=True) as s:
            home = lookups.home_provinces(s)
            units = lookups.units_for_people(s, home or None)
        f = PeopleFilterDialog.ask(self, units, self.topic_list)
        if f is not None:
            self._enrolled(
                actions.run(self, self.db, lambda s: enrolment.enrol_filter(s, cid, f)),
                cid,
            )

    def import_people(self) -> None:
        cid = self.current_course()
        if cid is None:
            return
        from ui.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(self.db, self.runner, self.settings, self.user, self)
        wizard.file_page.initializePage()
        code = self.model.rows[self.model.row_for(cid) or 0].code
        index = wizard.file_page.course_combo.findText(code, Qt.MatchFlag.MatchStartsWith)
        wizard.file_page.course_combo.setCurrentIndex(max(0, index))
        wizard.exec()
        if wizard.summary is not None:
            self._done(f"Đã nhập và ghi danh {wizard.summary.enrolled} người.", cid)

    def walk_in(self) -> None:
        cid = self.current_course()
        if cid is None:
            return
        name, ok = QInputDialog.getText(self, "Người đến lớp", "Họ và tên:")
        if not ok or not name.strip():
            return
        phone, ok = QInputDialog.getText(self, "Người đến lớp", "Số điện thoại (có thể để trống):")
        if not ok:
            return
        row = actions.run(self, self.db, lambda s: enrolment.walk_in(s, cid, name, phone))
        if row:
            self._done(
                f"Đã thêm {row.full_name} vào lớp; có thể gộp với hồ sơ sẵn có ở trang Học viên.",
                cid,
            )

    def withdraw(self) -> None:
        cid = self.current_course()
        items = self.roster.selectedItems()
        if cid is None or not items:
            return
        eid, name = items[0].data(ID), self.roster.item(items[0].row(), 0).text()
        reason, ok = QInputDialog.getText(self, "Rút khỏi lớp", f"Lý do {name} rút khỏi lớp:")
        if not ok:
            return
        moved = actions.run(self, self.db, lambda s: enrolment.withdraw(s, eid, reason) or "")
        if moved is not None:
            self._done(
                f"{name} đã rút khỏi lớp."
                + (f" {moved} được chuyển từ danh sách chờ vào lớp." if moved else ""),
                cid,
            )

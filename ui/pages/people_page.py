"""Học viên: search, filter, sort, add, edit, merge, archive, import and export people."""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import labels
from app.errors import UserError
from app.services import (
    access,
    courses,
    exports,
    lookups,
    merges,
    people,
    person_detail,
    person_edit,
)
from app.services.people import PeopleFilter
from app.vn.dates import format_date
from ui.changes import ATTENDANCE, AUDIT, CERTIFICATES, COURSES, PEOPLE, TEAMS
from ui.context import UiContext
from ui.crash import show_error
from ui.dialogs.conflict_dialog import KEEP_MINE, ConflictDialog
from ui.dialogs.merge_dialog import MergeDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.files import EXCEL_OR_CSV, ask_save_path
from ui.itemmodels.people_table_model import PeopleTableModel
from ui.pages.base import Page
from ui.widgets.columns import fit_titles
from ui.widgets.course_picker import CoursePicker, course_label, course_order
from ui.widgets.empty_state import show_when_empty
from ui.workers import Task

# A merge moves a person's enrolments, marks, memberships and certificates.
MERGED = frozenset({PEOPLE, COURSES, ATTENDANCE, TEAMS, CERTIFICATES})
SEARCH_DELAY_MS = 250


class PeoplePage(Page):
    shows = frozenset({PEOPLE, COURSES, TEAMS, ATTENDANCE, CERTIFICATES})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, fill: bool = True) -> None:
        """fill=False: the rows and pickers are read when the page is first shown (the
        window builds it at start, behind Tổng quan)."""
        super().__init__(ctx, "hoc-vien", parent)
        self._units: list[tuple[int, str]] | None = None

        self.model = PeopleTableModel(self._find_ids, self._fetch_rows, self)
        self.model.held = not fill
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            "Tìm theo tên (gõ không dấu cũng được), số điện thoại, CCCD…  (Ctrl+F)"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaxLength(people.MAX_SEARCH_CHARS)
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filter)
        self.search_edit.textChanged.connect(lambda _t: self.search_timer.start())
        self.team_combo = QComboBox()
        self.course_combo = CoursePicker("Mọi khóa học", keep=lambda _r: True)
        self.course_combo.setMinimumContentsLength(14)
        self.topic_combo = QComboBox()
        self.trained_combo = QComboBox()
        for text, value in (("Mọi người", None), ("Đã tập huấn", True), ("Chưa tập huấn", False)):
            self.trained_combo.addItem(text, value)
        self.unit_combo = QComboBox()
        self.unit_combo.setEditable(True)
        self.unit_combo.setMinimumContentsLength(18)
        for combo in (self.team_combo, self.topic_combo):
            combo.setMinimumContentsLength(14)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
        for combo in (self.team_combo, self.course_combo, self.topic_combo, self.trained_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.unit_combo.activated.connect(self.apply_filter)
        self.unit_combo.lineEdit().editingFinished.connect(self.apply_filter)
        self.archived_check = QCheckBox("Cả hồ sơ lưu trữ")
        self.archived_check.toggled.connect(self.apply_filter)
        self.unmask_check = QCheckBox("Hiện đủ số CCCD")
        self.unmask_check.setToolTip("Chỉ tài khoản quản trị; cần ghi lý do, được ghi vào nhật ký")
        self.unmask_check.setVisible(access.can(access.acting(self.db.actor), "unmask"))
        self.unmask_check.toggled.connect(self.toggle_unmask)
        self.unmask_reason = ""

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        for col, width in enumerate((190, 85, 60, 110, 100, 210, 170, 130, 170, 70)):
            self.table.setColumnWidth(col, width)
        fit_titles(self.table.horizontalHeader())
        show_when_empty(self.table, self._empty_text)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setMinimumWidth(260)
        self.count_label = QLabel("")

        self.add_action = self._action("Thêm", "Ctrl+N", self.add_person, "Thêm học viên (Ctrl+N)")
        self.edit_action = self._action(
            "Sửa", "F2", self.edit_selected, "Sửa học viên đang chọn (F2, Enter)"
        )
        self.delete_action = self._action("Xóa / lưu trữ", "Delete", self.delete_selected)
        self.merge_action = self._action(
            "Gộp hồ sơ", "Ctrl+G", self.merge_selected, "Chọn hai hồ sơ của cùng một người rồi gộp"
        )
        self.undo_merge_action = self._action("Hoàn tác gộp", "", self.undo_merge)
        self.erase_action = self._action(
            "Xóa dữ liệu cá nhân…", "", self.erase_selected,
            "Theo yêu cầu của người đó: xóa họ tên, CCCD, điện thoại, ngày sinh; giữ số liệu ẩn danh",
        )  # fmt: skip
        self.erase_action.setVisible(access.can(access.acting(self.db.actor), "erase"))
        self.enrol_action = self._action(
            "Ghi danh vào khóa…",
            "",
            self.enrol_selected,
            "Ghi danh những người đang chọn vào một khóa học",
        )
        self.toolbar.addSeparator()
        self.import_action = self._action("Nhập Excel…", "Ctrl+I", self.import_people)
        self.export_action = self._action("Xuất Excel…", "Ctrl+E", self.export_people)
        focus = QAction(self)
        focus.setShortcut(QKeySequence("Ctrl+F"))
        focus.triggered.connect(lambda: (self.search_edit.setFocus(), self.search_edit.selectAll()))
        self.addAction(focus)
        enter = QAction(self)
        enter.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        enter.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        enter.triggered.connect(self.edit_selected)
        self.table.addAction(enter)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.trained_combo)
        top.addWidget(self.archived_check)
        top.addWidget(self.unmask_check)
        filters = QHBoxLayout()
        for text, widget in (
            ("Đơn vị", self.unit_combo),
            ("Tổ", self.team_combo),
            ("Khóa học", self.course_combo),
            ("Chủ đề đã học", self.topic_combo),
        ):
            filters.addWidget(QLabel(text))
            filters.addWidget(widget, 1)
        filters.addWidget(self.count_label)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 280])
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)
        self._restore_state()
        if fill:
            self.apply_filter()
            # The pickers (thousands of units) fill just after the window is on screen.
            QTimer.singleShot(0, self.reload_lists)

    def showEvent(self, event: QShowEvent) -> None:
        if self.model.held:  # the first time on screen: now the rows and the pickers
            self.model.held = False
            self.stale = False
            self.apply_filter()
            QTimer.singleShot(0, self.reload_lists)
        super().showEvent(event)

    # -- data ----------------------------------------------------------------------

    def _find_ids(self, f: PeopleFilter) -> list[int]:
        with self.db.transaction(readonly=True) as s:
            return people.ids_matching(s, f)

    def _fetch_rows(self, ids: list[int]) -> list[people.PersonRow]:
        with self.db.transaction(readonly=True) as s:
            return people.rows_for(s, ids)

    def catch_up(self) -> None:
        """Another page wrote: the pickers and the rows shown are read again, filter kept."""
        self.reload_lists()
        self.model.refresh()

    def reload_lists(self) -> None:
        """Fill the filter pickers (teams, courses, topics, units), keeping what is chosen."""
        with self.db.transaction(readonly=True) as s:
            home = lookups.home_provinces(s)
            lists = (lookups.teams(s), lookups.topics(s))
            course_rows = courses.catalogue(s)
            self._units = lookups.units_for_people(s, home or None)
        self.course_combo.set_courses(course_rows)
        for combo, items, everyone in zip(
            (self.team_combo, self.topic_combo), lists, ("Mọi tổ", "Mọi chủ đề"), strict=True
        ):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for cid, label in items:
                combo.addItem(label, cid)
            combo.setCurrentIndex(max(0, combo.findData(keep)))
            combo.blockSignals(False)
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem("", None)
        for uid, label in self._units:
            self.unit_combo.addItem(label, uid)
        self.unit_combo.lineEdit().setPlaceholderText("Mọi đơn vị")
        completer = self.unit_combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        self.unit_combo.blockSignals(False)

    def _empty_text(self) -> str:
        f = self.current_filter()
        if f.search.strip() or any((f.unit_id, f.team_id, f.course_id, f.topic_id, f.trained)):
            return ("Không có ai khớp với ô tìm kiếm và bộ lọc. Xóa chữ đã gõ hoặc chọn "
                    "“Mọi …” ở các bộ lọc.")  # fmt: skip
        return ("Chưa có học viên nào. Bấm Thêm (Ctrl+N) để nhập từng người, hoặc "
                "Nhập Excel… (Ctrl+I) để nhập cả danh sách.")  # fmt: skip

    def current_filter(self) -> PeopleFilter:
        unit_index = self.unit_combo.findText(
            self.unit_combo.currentText().strip(), Qt.MatchFlag.MatchExactly
        )
        return replace(
            self.model.filter,
            search=self.search_edit.text(),
            unit_id=self.unit_combo.itemData(unit_index) if unit_index > 0 else None,
            team_id=self.team_combo.currentData(),
            course_id=self.course_combo.currentData(),
            topic_id=self.topic_combo.currentData(),
            trained=self.trained_combo.currentData(),
            include_archived=self.archived_check.isChecked(),
        )

    def apply_filter(self) -> None:
        self.search_timer.stop()
        try:
            self.model.set_filter(self.current_filter())
        except UserError as exc:  # a search too long, or one an account may not run
            self.count_label.setStyleSheet("color: #b00020;")
            self.count_label.setText(exc.message)
            return
        self.count_label.setStyleSheet("")
        self.count_label.setText(f"{labels.number(self.model.total)} người")
        self._selection_changed()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.person_id(r) for r in rows]

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        self.edit_action.setEnabled(len(ids) == 1)
        self.delete_action.setEnabled(len(ids) == 1)
        self.erase_action.setEnabled(len(ids) == 1)
        self.merge_action.setEnabled(len(ids) == 2)
        self.enrol_action.setEnabled(bool(ids))
        with self.db.transaction(readonly=True) as s:
            self.undo_merge_action.setEnabled(merges.undoable(s) is not None)
            d = person_detail.detail(s, ids[0]) if len(ids) == 1 else None
        self.detail.setHtml(
            _detail_html(d) if d else "<p style='color:gray'>Chọn một người để xem chi tiết.</p>"
        )

    def _select_person(self, person_id: int, name: str | None = None) -> None:
        """Show and select a person: load further pages a while, else search for the name."""
        while True:
            for row, r in enumerate(self.model.rows):
                if r.id == person_id:
                    self.table.selectRow(row)
                    self.table.scrollTo(self.model.index(row, 0))
                    return
            if not self.model.canFetchMore() or len(self.model.rows) >= 2_000:
                break
            self.model.fetchMore()
        if name:
            self.search_edit.setText(name)
            self.apply_filter()
            self._select_person(person_id)

    def _check_duplicates(self, exclude: int | None):  # type: ignore[no-untyped-def]
        def check(form: person_edit.PersonForm) -> list[person_edit.DuplicateHint]:
            with self.db.transaction(readonly=True) as s:
                return person_edit.find_duplicates(s, form, exclude)

        return check

    # -- actions -------------------------------------------------------------------

    def add_person(self) -> None:
        save = self.ctx.saver(self, {PEOPLE}, lambda form, s: person_edit.create(s, form))
        PersonDialog.ask(self, None, self._units, self._check_duplicates(None), saver=save)
        row = save.result
        if row is not None:
            self.apply_filter()
            self._select_person(row.id, row.full_name)  # type: ignore[attr-defined]

    def edit_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        with self.db.transaction(readonly=True) as s:
            record = person_edit.get(s, ids[0])
        save = self._edit_saver(record)
        PersonDialog.ask(
            self, record.form, self._units, self._check_duplicates(record.id), saver=save
        )
        if save.result:
            self.model.refresh()
            self._select_person(record.id)

    def _edit_saver(self, record: person_edit.PersonRecord):  # type: ignore[no-untyped-def]
        """Save; if someone else saved meanwhile, show both versions and ask which stays."""
        typed: list[person_edit.PersonForm] = []

        def write(form: person_edit.PersonForm, s):  # type: ignore[no-untyped-def]
            typed[:] = [form]
            return person_edit.update(s, record.id, form, record.version) or True

        return self.ctx.saver(
            self, {PEOPLE}, write,
            on_conflict=lambda _exc: self._resolve_conflict(record, typed[0]),
        )  # fmt: skip

    def _resolve_conflict(
        self, record: person_edit.PersonRecord, form: person_edit.PersonForm
    ) -> bool:
        with self.db.transaction(readonly=True) as s:
            stored = person_edit.get(s, record.id)
            last = person_edit.last_change(s, record.id)
        dialog = ConflictDialog(
            stored.form.full_name, form, stored.form, last.user if last else None,
            last.at if last else None, self,
        )  # fmt: skip
        if dialog.exec() != KEEP_MINE:
            return True  # the stored version stays; the list shows it
        return bool(
            self.ctx.op(
                self,
                lambda s: person_edit.update(s, record.id, form, stored.version),
                {PEOPLE},
            )
        )

    def erase_selected(self) -> None:
        """Erase one person's data on their request: confirm, ask the reason, record it."""
        ids = self.selected_ids()
        if len(ids) != 1:
            self.prompter.inform(self, "Xóa dữ liệu cá nhân", "Hãy chọn một người trong bảng.")
            return
        name = self.model.rows[self.table.selectionModel().selectedRows()[0].row()].full_name
        reason = self.prompter.text(
            self, "Xóa dữ liệu cá nhân",
            f"Xóa họ tên, số CCCD, điện thoại, ngày sinh… của “{name}” theo yêu cầu của người đó.\n"
            "Không thể hoàn tác. Số buổi học, kết quả và giấy chứng nhận đã cấp vẫn được giữ "
            "(không còn gắn với tên).\n\nLý do (ví dụ: đơn đề nghị ngày …):",
        )  # fmt: skip
        if reason is None:
            return
        if self.ctx.op(self, lambda s: person_edit.erase(s, ids[0], reason), {PEOPLE}) is None:
            return
        self.apply_filter()
        self.status.emit(f"Đã xóa dữ liệu cá nhân của “{name}”.")

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        name = self.model.rows[self.table.selectionModel().selectedRows()[0].row()].full_name
        if not self.prompter.confirm(
            self,
            "Xóa học viên",
            f"Xóa “{name}”?\n\nNgười chưa có lịch sử học tập sẽ bị xóa hẳn; người đã ghi danh, "
            "điểm danh, có điểm hoặc chứng nhận chỉ được lưu trữ (ẩn khỏi danh sách, giữ trong hồ sơ).",
            default_no=True,
        ):
            return
        outcome = self.ctx.op(self, lambda s: person_edit.delete_or_archive(s, ids[0]), {PEOPLE})
        if outcome:
            word = "Đã xóa" if outcome == "deleted" else "Đã lưu trữ"
            self.status.emit(f"{word} “{name}”.")
            self.apply_filter()

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            return
        with self.db.transaction(readonly=True) as s:
            records = [person_edit.get(s, pid) for pid in ids]
            details = [person_detail.detail(s, pid) for pid in ids]
        keep = MergeDialog.ask(self, records, details)
        if keep is None:
            return
        drop = ids[1] if keep == ids[0] else ids[0]
        result = self.ctx.op(self, lambda s: merges.merge(s, keep, drop), MERGED)
        if result is not None:
            self.status.emit(
                f"Đã gộp vào “{result.kept_name}”. Có thể hoàn tác cho tới lần gộp sau."
            )  # type: ignore[attr-defined]
            self.apply_filter()
            self._select_person(keep)

    def undo_merge(self) -> None:
        with self.db.transaction(readonly=True) as s:
            info = merges.undoable(s)
        if info is None:
            return
        if self.prompter.confirm(
            self,
            "Hoàn tác gộp",
            f"Tách lại “{info.dropped_name}” khỏi “{info.kept_name}” (gộp lúc "
            f"{info.at.strftime('%H:%M %d/%m/%Y')})?",
        ) and self.ctx.op(self, lambda s: merges.undo_last(s), MERGED):
            self.apply_filter()

    def enrol_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        from app.services import enrolment

        open_courses = course_order(
            c
            for c in self.ctx.read(courses.catalogue)
            if c.status in ("draft", "planned", "open", "running")
        )
        items = [course_label(c) for c in open_courses]
        if not items:
            self.prompter.inform(self, "Ghi danh", "Chưa có khóa học nào đang nhận ghi danh.")
            return
        chosen = self.prompter.item(
            self, "Ghi danh vào khóa", f"Ghi danh {len(ids)} người vào:", items
        )
        if chosen not in items:
            return
        course_id = open_courses[items.index(chosen)].id
        result = self.ctx.op(
            self, lambda s: enrolment.enrol(s, course_id, ids), {COURSES, ATTENDANCE}
        )
        if result is not None:
            self.status.emit(result.describe())  # type: ignore[attr-defined]

    def import_people(self) -> None:
        from ui.dialogs.import_wizard import ImportWizard
        from ui.import_jobs import IMPORTED, import_jobs

        wizard = ImportWizard(import_jobs(self.ctx), self.runner, self.settings, self)
        wizard.exec()
        if wizard.summary is not None:
            self.apply_filter()
            self.ctx.bus.emit(IMPORTED, self)

    def toggle_unmask(self, on: bool) -> None:
        """Full citizen IDs: an administrator's action with a reason, recorded."""
        if not on:
            self.unmask_reason = ""
            self.model.set_unmasked(False)
            return
        reason = self.prompter.text(
            self, "Hiện đủ số CCCD", "Lý do xem đủ số CCCD (được ghi vào nhật ký thao tác):"
        )
        if reason is None or self.ctx.op(
            self, lambda s: people.record_unmask(s, reason) or True, {AUDIT},
            on_error=lambda exc: self.prompter.warn(self, "Hiện đủ số CCCD", exc.message),
        ) is None:  # fmt: skip
            self.unmask_check.blockSignals(True)
            self.unmask_check.setChecked(False)
            self.unmask_check.blockSignals(False)
            return
        self.unmask_reason = reason.strip()
        self.model.set_unmasked(True)

    def export_people(self) -> None:
        target = ask_save_path(
            self, self.settings, "people", "Xuất danh sách học viên", "hoc-vien.xlsx",
            EXCEL_OR_CSV, (".xlsx", ".csv"),
        )  # fmt: skip
        if target is None:
            return
        f, unmask, reason = self.model.filter, self.unmask_check.isChecked(), self.unmask_reason

        def work(_task: Task) -> int:
            with self.db.transaction() as s:  # the export is recorded in the audit trail
                return exports.export_people(s, target, f, unmask, reason)

        def done(n: int) -> None:
            self.status.emit(f"Đã xuất {labels.number(n)} người vào {target}")

        def failed(exc: BaseException, details: str) -> None:
            show_error("Không xuất được", getattr(exc, "message", str(exc)), details)

        self.runner.start(work, done, failed)

    # -- state ---------------------------------------------------------------------

    def _restore_state(self) -> None:
        header = self.settings.value("people/header")
        if isinstance(header, QByteArray) and not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)
        splitter = self.settings.value("people/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    def save_state(self) -> None:
        self.settings.setValue("people/header", self.table.horizontalHeader().saveState())
        self.settings.setValue("people/splitter", self.splitter.saveState())


def _detail_html(d: person_detail.PersonDetail) -> str:
    e = html.escape
    r = d.row
    lines = [f"<h3>{e(r.full_name)}</h3>"]
    facts = [
        ("Ngày sinh", r.birth_text),
        ("Giới tính", labels.GENDER.get(r.gender or "", "")),
        ("Số điện thoại", r.phone or ""),
        ("Đơn vị", r.unit),
        ("Công tác", ", ".join(x for x in (r.position, r.workplace) if x)),
    ]
    lines.append(
        "<table>"
        + "".join(
            f"<tr><td style='color:gray;padding-right:8px'>{k}</td><td>{e(v)}</td></tr>"
            for k, v in facts
            if v
        )
        + "</table>"
    )
    if r.archived:
        lines.append("<p style='color:#8a5300'>Hồ sơ đang lưu trữ.</p>")
    lines.append("<h4>Tổ công nghệ số</h4>")
    lines.append(
        "<br>".join(
            f"{e(m.team)} – {labels.TEAM_ROLE[m.role]}, {labels.MEMBER_KIND[m.kind]}"
            + (f" (rời tổ {format_date(m.left_on)})" if m.left_on else "")
            for m in d.memberships
        )
        or "<i>Chưa thuộc tổ nào</i>"
    )
    lines.append("<h4>Khóa học</h4>")
    for c in d.courses:
        scores = ""
        if c.pre_score is not None or c.post_score is not None:
            scores = f"; điểm {labels.score(c.pre_score) or '–'} → {labels.score(c.post_score) or '–'} (thang {c.score_scale})"
        lines.append(
            f"<p><b>{e(c.code)}</b> {e(c.title)}<br>{format_date(c.start_date)}–{format_date(c.end_date)}; "
            f"{labels.ENROLMENT_STATUS[c.enrolment_status]}; có mặt {c.sessions_attended}/{c.sessions_held} buổi{scores}</p>"
        )
    if not d.courses:
        lines.append("<i>Chưa ghi danh khóa nào</i>")
    lines.append("<h4>Đã học</h4>" + (e(", ".join(d.topics)) or "<i>Chưa có</i>"))
    lines.append(
        "<h4>Chứng nhận</h4>"
        + (
            "<br>".join(
                f"{e(c.serial)} – {e(c.course_code)}, {format_date(c.issued_on)} ({labels.CERTIFICATE_STATUS[c.status]})"
                for c in d.certificates
            )
            or "<i>Chưa có</i>"
        )
    )
    return "".join(lines)

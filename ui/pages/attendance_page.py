"""Điểm danh: the keyboard-first grid of a course, scan check-in, scores, printing."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import attendance, courses, enrolment, outcomes, printing
from app.services.attendance import CYCLE, STATUS_KEYS, Mark
from app.services.people import get_person
from ui import scan_review
from ui.changes import ATTENDANCE, COURSES, PEOPLE
from ui.context import UiContext
from ui.dialogs.checkin_dialog import CheckInDialog
from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from ui.dialogs.sign_in_sheet_dialog import SignInSheetDialog
from ui.itemmodels.attendance_grid_model import AttendanceGridModel
from ui.pages.base import Page
from ui.widgets.columns import title_width
from ui.widgets.course_picker import CoursePicker
from ui.widgets.empty_state import show_when_empty
from ui.widgets.wrapped_label import WrappedLabel

UNDO_LIMIT = 200
WALK_IN = frozenset({ATTENDANCE, COURSES, PEOPLE})  # a new person, enrolled, maybe marked


class AttendancePage(Page):
    shows = frozenset({COURSES, PEOPLE, ATTENDANCE})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "diem-danh", parent)
        self.model: AttendanceGridModel | None = None
        self.undo: list[tuple[int, int, Mark]] = []  # enrolment, session, the mark before
        self.course_combo = CoursePicker()
        self.course_combo.setMinimumContentsLength(50)
        self.course_combo.course_changed.connect(lambda _id: self.load())
        self.table = QTableView()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.installEventFilter(self)
        self.help = QLabel(
            "Phím: mũi tên để đi; 1–4 hoặc C/M/P/V: có mặt, đi muộn, vắng có phép, vắng; "
            "Space: đổi lần lượt; Delete: xóa; Enter: xuống dòng; Ctrl+Z: hoàn tác."
        )
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: palette(mid);")
        self.summary = QLabel("")
        self._action("Cả buổi có mặt", "Ctrl+Shift+A", self.mark_all_present)
        self.undo_action = self._action("Hoàn tác", "Ctrl+Z", self.undo_last)
        self._action("Ghi chú…", "Ctrl+M", self.edit_note)
        self._action("Quét mã…", "Ctrl+K", self.scan_mode)  # Ctrl+Q quits the program
        self._action("Người đến lớp…", "", self.walk_in)
        self._action("Xét riêng kết quả…", "", self.override)
        self.scan_action = self._action(
            "Đọc bảng ký tên đã quét…",
            "Ctrl+Shift+O",
            self.read_scans,
            "Đọc lại bảng ký tên đã in từ TapHuan và đã ký (PDF máy quét, ảnh chụp JPEG/PNG; "
            "nhiều tệp, nhiều buổi): xem lại các đề xuất rồi mới ghi điểm danh (Ctrl+Shift+O).",
        )
        self.import_button = self._menu_button(  # files read in: one button, the bar fits
            "Nhập",
            [self.scan_action, self._action("Nhập điểm từ Excel…", "", self.import_scores)],
        )
        self.toolbar.addSeparator()
        self.print_button = self._menu_button(
            "In",
            [
                self._action("In danh sách ký tên…", "Ctrl+P", self.print_sheet),
                self._action("In tổng hợp…", "", self.print_summary),
                self._action("In thẻ…", "", self.print_badges),
            ],
        )
        self.empty = show_when_empty(self.table, self._empty_text)
        # Sessions past their date count as held: with no mark entered, everyone in them
        # counts as absent, and the percentages say so silently.
        self.unmarked = WrappedLabel()
        self.unmarked.setObjectName("unmarkedWarning")
        self.unmarked.setStyleSheet("color: #8a5300; background: #fff4d6; padding: 4px 8px;")
        self.unmarked.hide()
        top = QHBoxLayout()
        top.addWidget(QLabel("Khóa học"))
        top.addWidget(self.course_combo, 1)
        top.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(top)
        layout.addWidget(self.unmarked)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.help)
        self.reload()

    # -- loading -------------------------------------------------------------------

    def reload(self) -> None:
        """The course list (the one order of every course picker), then the grid."""
        self.course_combo.set_courses(self.ctx.read(courses.catalogue))
        self.load()

    def select_course(self, course_id: int) -> None:
        index = self.course_combo.findData(course_id)
        if index >= 0:
            self.course_combo.setCurrentIndex(index)

    def select_session(self, session_id: int) -> None:
        """The grid's cell of that session (Tổng quan's "not marked yet" opens it)."""
        if self.model is None:
            return
        for col in range(1, self.model.columnCount()):
            if self.model.session_at(col) == session_id:
                row = max(self.table.currentIndex().row(), 0)
                index = self.model.index(row, col)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                self.table.setFocus()
                return

    def load(self) -> None:
        cid = self.course_combo.currentData()
        self.undo.clear()
        if cid is None:
            self.table.setModel(None)
            self.model = None
            self.empty.watch()
            self.unmarked.hide()
            return
        position = self.table.currentIndex()
        with self.db.transaction(readonly=True) as s:
            grid = attendance.grid(s, cid)
        self.model = AttendanceGridModel(grid, self)
        self.model.score_edited.connect(self.save_score)
        self.table.setModel(self.model)
        self.empty.watch()
        self.table.setColumnWidth(0, 210)
        header = self.table.horizontalHeader()
        for col in range(1, self.model.columnCount()):  # the figures as wide as their titles
            wide = 130 if self.model.extra(col) == "result" else max(56, title_width(header, col))
            self.table.setColumnWidth(col, 62 if self.model.session_at(col) else wide)
        self.table.horizontalHeader().setMinimumSectionSize(40)
        if position.isValid():
            self.table.setCurrentIndex(self.model.index(position.row(), position.column()))
        elif grid.rows and grid.sessions:
            held = [i for i, c in enumerate(grid.sessions) if c.held]
            self.table.setCurrentIndex(self.model.index(0, 1 + (held[-1] if held else 0)))
        self._summarise()

    def _empty_text(self) -> str:
        if self.course_combo.count() == 0:
            return "Chưa có khóa học nào để điểm danh. Thêm khóa học ở trang Khóa học (Ctrl+3)."
        return ("Khóa này chưa có ai ghi danh. Ghi danh ở trang Khóa học, thẻ Học viên "
                "(Ghi danh…, Cả tổ…).")  # fmt: skip

    def _summarise(self) -> None:
        if self.model is None:
            return
        g = self.model.grid
        unmarked = g.unmarked_held() if g.rows else []
        self.unmarked.setVisible(bool(unmarked))
        if unmarked:
            which = ", ".join(f"buổi {c.number} ({c.starts_at:%d/%m/%Y})" for c in unmarked[:4])
            more = f" và {len(unmarked) - 4} buổi khác" if len(unmarked) > 4 else ""
            self.unmarked.setText(
                f"Chưa điểm danh {which}{more}: các buổi này đã qua nên được tính là đã học, "
                "và ai chưa có dấu được tính là vắng. Hãy nhập điểm danh, hoặc dời ngày buổi "
                "học nếu buổi chưa diễn ra."
            )
        imp = None
        with self.db.transaction(readonly=True) as s:
            imp = outcomes.improvement(s, g.course_id).average
        text = f"{len(g.rows)} người · {g.held}/{len(g.sessions)} buổi đã học"
        if imp is not None:
            text += f" · điểm tăng trung bình {imp:+.2f}".replace(".", ",")
        self.summary.setText(text)

    # -- marking -------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and self.model is not None
        ):
            assert isinstance(event, QKeyEvent)
            index = self.table.currentIndex()
            sid = self.model.session_at(index.column()) if index.isValid() else None
            key, text = event.key(), event.text().lower()
            if sid is not None and event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            ):
                if text in STATUS_KEYS:
                    self.set_mark(index.row(), sid, STATUS_KEYS[text])
                    self._down(index)
                    return True
                if key == Qt.Key.Key_Space:
                    current = self.model.grid.rows[index.row()].marks.get(sid, Mark(None)).status
                    nxt = (
                        CYCLE[(CYCLE.index(current) + 1) % len(CYCLE)]
                        if current in CYCLE
                        else CYCLE[0]
                    )
                    self.set_mark(index.row(), sid, nxt)
                    return True
                if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                    self.set_mark(index.row(), sid, None)
                    return True
            if (
                key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.table.state() != QAbstractItemView.State.EditingState
            ) and self.model.extra(index.column()) not in ("pre", "post"):
                self._down(index)
                return True
        return super().eventFilter(watched, event)

    def _down(self, index) -> None:  # type: ignore[no-untyped-def]
        if self.model and index.row() + 1 < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(index.row() + 1, index.column()))

    def set_mark(
        self,
        row: int,
        session_id: int,
        status: str | None,
        note: str | None = None,
        keep_note: bool = True,
        remember: bool = True,
    ) -> bool:
        """Save one mark at once (audited) and show it."""
        assert self.model is not None
        r = self.model.grid.rows[row]
        before = r.marks.get(session_id, Mark(None))
        cid = self.model.grid.course_id
        saved = self.ctx.op(
            self,
            lambda s: attendance.mark(
                s,
                cid,
                session_id,
                r.enrolment_id,
                status,
                note=note,
                keep_note=keep_note,
            ),
            {ATTENDANCE},
        )
        if saved is None:
            return False
        if remember:
            self.undo.append((r.enrolment_id, session_id, before))
            del self.undo[:-UNDO_LIMIT]
        self.model.set_mark(row, session_id, saved)
        return True

    def undo_last(self) -> None:
        if not self.undo or self.model is None:
            return
        enrolment_id, session_id, before = self.undo.pop()
        row = next(
            (i for i, r in enumerate(self.model.grid.rows) if r.enrolment_id == enrolment_id), None
        )
        if row is not None:
            self.set_mark(
                row, session_id, before.status, note=before.note, keep_note=False, remember=False
            )
            self.table.setCurrentIndex(self.model.index(row, self.model.column_of(session_id)))
            self.status.emit("Đã hoàn tác một thay đổi điểm danh.")

    def current_session(self) -> int | None:
        if self.model is None:
            return None
        index = self.table.currentIndex()
        return self.model.session_at(index.column()) if index.isValid() else None

    def mark_all_present(self) -> None:
        sid = self.current_session()
        if sid is None or self.model is None:
            self.prompter.inform(self, "Cả buổi có mặt", "Hãy chọn một ô trong cột của buổi học.")
            return
        cid = self.model.grid.course_id
        n = self.ctx.op(self, lambda s: attendance.mark_all_present(s, cid, sid), {ATTENDANCE})
        if n is not None:
            self.load()
            self.status.emit(f"Đã ghi có mặt cho {n} người; sửa tiếp những người vắng.")

    def edit_note(self) -> None:
        sid = self.current_session()
        if sid is None or self.model is None:
            return
        row = self.table.currentIndex().row()
        current = self.model.grid.rows[row].marks.get(sid, Mark(None))
        text = self.prompter.text(
            self, "Ghi chú điểm danh", self.model.grid.rows[row].full_name, current.note or ""
        )
        if text is not None:
            self.set_mark(row, sid, current.status, note=text, keep_note=False)

    # -- scan, walk-ins, results ----------------------------------------------------

    def scan_mode(self) -> None:
        sid = self.current_session()
        if sid is None or self.model is None:
            self.prompter.inform(
                self, "Quét mã", "Hãy chọn một ô trong cột của buổi học cần điểm danh."
            )
            return
        cid = self.model.grid.course_id
        column = self.model.grid.sessions[self.model.column_of(sid) - 1]

        def scan(code: str) -> attendance.CheckIn:
            with self.db.transaction() as s:
                return attendance.check_in(s, cid, sid, code)

        def add(person_id: int) -> attendance.CheckIn:
            with self.db.transaction() as s:
                attendance.add_walk_in_from_scan(s, cid, person_id)
                code = get_person(s, person_id).checkin_code or ""
                return attendance.check_in(s, cid, sid, code)

        CheckInDialog(
            f"{self.model.grid.code} – buổi {column.number}, {column.starts_at:%H:%M %d/%m/%Y}; "
            f"sau {column.grace_minutes} phút tính là đi muộn.",
            scan,
            add,
            self,
        ).exec()
        self.load()
        # Each scan was its own transaction (the dialog shows its refusals); others follow now.
        self.ctx.bus.emit(WALK_IN, self)

    def walk_in(self) -> None:
        if self.model is None:
            return
        cid = self.model.grid.course_id
        name = self.prompter.text(self, "Người đến lớp", "Họ và tên:")
        if name is None or not name.strip():
            return
        phone = self.prompter.text(self, "Người đến lớp", "Số điện thoại (có thể để trống):")
        if phone is not None and self.ctx.op(
            self, lambda s: enrolment.walk_in(s, cid, name, phone), WALK_IN
        ):
            self.load()
            self.status.emit("Đã thêm người đến lớp; có thể gộp với hồ sơ sẵn có ở trang Học viên.")

    def override(self) -> None:
        if self.model is None or not self.table.currentIndex().isValid():
            return
        row = self.table.currentIndex().row()
        r = self.model.grid.rows[row]
        choices = ["Theo điều kiện của khóa (bỏ quyết định riêng)", "Hoàn thành", "Chưa hoàn thành"]
        choice = self.prompter.item(self, "Xét riêng kết quả", r.full_name, choices)
        if choice is None:
            return
        result = {choices[1]: "completed", choices[2]: "not_completed"}.get(choice)
        reason = None
        if result:
            reason = self.prompter.text(
                self, "Lý do", "Vì sao kết quả khác với điều kiện của khóa?"
            )
            if reason is None:
                return
        if self.ctx.op(
            self,
            lambda s: outcomes.set_override(s, r.enrolment_id, result, reason) or True,
            {ATTENDANCE},
        ):
            self.model.set_override(row, result)

    def save_score(self, row: int, kind: str, value: float | None) -> None:
        assert self.model is not None
        r = self.model.grid.rows[row]
        pre, post = (value, r.post_score) if kind == "pre" else (r.pre_score, value)
        if self.ctx.op(
            self,
            lambda s: outcomes.set_scores(s, r.enrolment_id, pre, post) or True,
            {ATTENDANCE},
        ):
            self.model.set_scores(row, pre, post)
            self._summarise()

    def import_scores(self) -> None:
        if self.model is None:
            return
        cid = self.model.grid.course_id
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Nhập điểm",
            str(Path.home()),
            "Bảng tính (*.xlsx *.csv)",
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if not path:
            return
        try:
            with self.db.transaction(readonly=True) as s:
                online = courses.form_of(s, cid)[0].is_online
                plan = outcomes.plan_scores(s, cid, Path(path), online=online)
        except Exception as exc:  # UserError and spreadsheet errors are shown as they are
            self.prompter.warn(self, "Không đọc được tệp", getattr(exc, "message", str(exc)))
            return
        skip = False
        if plan.unmatched:
            if not self.prompter.confirm(
                self,
                "Có dòng không khớp",
                f"{len(plan.unmatched)} dòng không khớp hoặc có lỗi:\n\n"
                f"{plan.describe_unmatched(15)}\n\nVẫn ghi các dòng khớp?",
            ):
                return
            skip = True
        n = self.ctx.op(
            self,
            lambda s: outcomes.apply_scores(s, cid, plan, skip_unmatched=skip, online=online),
            {ATTENDANCE},
        )
        if n is not None:
            self.load()
            left = len(plan.skipped) + len(plan.stt_only)
            self.status.emit(
                f"Đã ghi điểm cho {n} người."
                + (
                    f" {left} dòng không phải người (tiêu đề lặp lại, dòng nhóm, phần ký tên, "
                    "dòng chỉ có STT) không nhập."
                    if left
                    else ""
                )
            )

    def read_scans(self) -> None:
        paths = scan_review.ask_scan_files(self, self.settings)
        if paths:
            self.review_scans(paths)

    def review_scans(self, paths: list[Path]) -> None:
        """Read signed sheets in the worker, review them, write what was decided."""

        def after(message: str, wrote: bool) -> None:
            if wrote:
                self.load()
            self.status.emit(message)

        self.status.emit("Đang đọc bảng ký tên đã quét…")
        self.scan_progress = scan_review.review_scans(self.ctx, self, paths, after)

    # -- printing ------------------------------------------------------------------

    def _preview(self, pdf: bytes, title: str, file_name: str) -> None:
        PdfPreviewDialog(pdf, title, file_name, self.settings, self).exec()

    def _print(self, gather, render, title: str, file_name: str) -> None:  # type: ignore[no-untyped-def]
        """Gather the data and lay out the PDF in the worker thread (a QR sheet for 500
        people takes seconds), then preview it."""
        self.status.emit(f"Đang dựng {title.lower()}…")

        def work(_task):  # type: ignore[no-untyped-def]
            with self.db.transaction() as s:  # may give check-in codes to people who had none
                data = gather(s)
            out = io.BytesIO()
            render(data, out)
            return out.getvalue()

        def failed(exc: BaseException, details: str) -> None:
            self.prompter.warn(self, "Không in được", getattr(exc, "message", str(exc)))

        self.runner.start(work, lambda pdf: self._preview(pdf, title, file_name), failed)

    def print_sheet(self) -> None:
        if self.model is None or not self.model.grid.sessions:
            return
        from app.services import sign_sheets

        sid = self.current_session() or self.model.grid.sessions[0].id
        number = self.model.column_of(sid)
        cid, code = self.model.grid.course_id, self.model.grid.code
        day = next(c.starts_at for c in self.model.grid.sessions if c.id == sid)
        options = SignInSheetDialog.ask(self, f"Buổi {number}, ngày {day:%d/%m/%Y}")
        if options is None:
            return
        self._print(
            lambda s: sign_sheets.print_sheet(
                s, cid, number, options.blank_rows, options.qr, options.phones
            ),
            lambda sheet, out: out.write(sheet.pdf),  # drawn and recorded in the transaction
            "Danh sách ký tên",
            f"ky-ten-{code}-buoi-{number}.pdf",
        )

    def print_summary(self) -> None:
        if self.model is None:
            return
        from app.documents.attendance_sheet import render_attendance_summary

        cid, code = self.model.grid.course_id, self.model.grid.code
        self._print(
            lambda s: printing.summary(s, cid, date.today()),
            render_attendance_summary,
            "Tổng hợp điểm danh",
            f"tong-hop-{code}.pdf",
        )

    def print_badges(self) -> None:
        if self.model is None:
            return
        from app.documents.badges import render_badges

        cid, code = self.model.grid.course_id, self.model.grid.code
        self._print(
            lambda s: printing.badges(s, cid), render_badges, "Thẻ học viên", f"the-{code}.pdf"
        )

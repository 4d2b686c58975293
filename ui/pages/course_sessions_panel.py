"""Khóa học, tab Buổi học: the sessions of the chosen course, one or a series at a time."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from app.errors import InvalidValue
from app.services import courses, exports, lookups, scheduling
from app.services.courses import CourseRow
from app.services.scheduling import SessionForm
from app.vn.dates import parse_date
from ui.changes import AUDIT, COURSES
from ui.context import UiContext
from ui.dialogs.session_dialog import SessionDialog
from ui.files import ask_save_path
from ui.widgets.sort_item import SortItem
from ui.widgets.table_panel import TablePanel

ID = Qt.ItemDataRole.UserRole
HEADERS = ["Ngày", "Giờ", "Địa điểm", "Giảng viên", "Chủ đề", "Ghi chú trùng lịch"]


class CourseSessionsPanel(TablePanel):
    acted = Signal(str)  # a write succeeded: the message for the status bar

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(HEADERS, HEADERS.index("Chủ đề"), self._empty_text, parent)
        self.ctx = ctx
        self.course: CourseRow | None = None
        self.add_buttons(
            [
                ("Thêm buổi…", self.add_session),
                ("Thêm chuỗi buổi…", self.add_series),
                ("Sửa…", self.edit_session),
                ("Sao chép sang ngày…", self.copy_session),
                ("Xóa buổi", self.delete_session),
                ("Xuất lịch .ics…", self.export_ics),
            ]
        )
        self.table.doubleClicked.connect(lambda _i: self.edit_session())

    def show_course(self, course: CourseRow | None, sessions: list[scheduling.SessionRow]) -> None:
        self.course = course
        t = self.table
        t.setSortingEnabled(False)
        t.setRowCount(len(sessions))
        for i, x in enumerate(sessions):
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
                t.setItem(i, c, item)
        t.resizeColumnsToContents()
        t.setSortingEnabled(True)
        self.empty.update()  # another course may have no sessions either

    def _empty_text(self) -> str:
        if self.course is None:
            return "Chọn một khóa học trong danh sách để xem các buổi học."
        return "Khóa này chưa có buổi học. Bấm Thêm buổi… hoặc Thêm chuỗi buổi… ở trên."

    def _lists(
        self,
    ) -> tuple[list[tuple[int, str]], list[tuple[int, str, int | None]], list[tuple[int, str]]]:
        return self.ctx.read(
            lambda s: (lookups.topics(s), scheduling.venues(s), scheduling.trainers(s))
        )

    def _new_session_form(self, cid: int) -> SessionForm:
        with self.ctx.db.transaction(readonly=True) as s:
            form, _version, _status = courses.form_of(s, cid)
            last = scheduling.course_sessions(s, cid)
        day = max(form.start_date, date.today()) if not last else last[-1].starts_at.date()
        day = min(day, form.end_date)
        return SessionForm(
            day, time(7, 30), time(11, 0), form.default_venue_id,
            "online" if form.is_online else "in_person",
        )  # fmt: skip

    def add_session(self) -> None:
        if self.course is None:
            return
        cid = self.course.id
        topics, venues, trainers = self._lists()
        save = self.ctx.saver(
            self, {COURSES}, lambda form, s, why: scheduling.add_session(s, cid, form, why),
            reason=True,
        )  # fmt: skip
        SessionDialog.ask(
            self, self._new_session_form(cid), venues, trainers, topics, title="Thêm buổi học",
            saver=save,
        )  # fmt: skip
        if save.result:
            self.acted.emit(f"Đã thêm buổi {save.result.starts_at:%d/%m/%Y %H:%M}.")

    def add_series(self) -> None:
        if self.course is None:
            return
        cid = self.course.id
        topics, venues, trainers = self._lists()
        save = self.ctx.saver(
            self, {COURSES},
            lambda answer, s, why: scheduling.add_series(s, cid, answer[1], answer[0], why),
            reason=True,
        )  # fmt: skip
        SessionDialog.ask_series(
            self, self._new_session_form(cid), venues, trainers, topics, saver=save
        )
        result = save.result
        if result:
            self.ctx.prompter.inform(self, "Chuỗi buổi học", result.describe())
            self.acted.emit(result.describe())

    def selected_session(self) -> int | None:
        items = self.table.selectedItems()
        return items[0].data(ID) if items else None

    def edit_session(self) -> None:
        sid = self.selected_session()
        if sid is None:
            return
        topics, venues, trainers = self._lists()
        initial, version, _course = self.ctx.read(lambda s: scheduling.form_of(s, sid))
        save = self.ctx.saver(
            self, {COURSES},
            lambda form, s, why: scheduling.update_session(s, sid, form, version, why) or True,
            reason=True,
        )  # fmt: skip
        SessionDialog.ask(self, initial, venues, trainers, topics, title="Sửa buổi học", saver=save)
        if save.result:
            self.acted.emit("Đã lưu buổi học.")

    def copy_session(self) -> None:
        sid = self.selected_session()
        if sid is None:
            return
        text = self.ctx.prompter.text(self, "Sao chép buổi học", "Sang ngày (dd/mm/yyyy):")
        if text is None:
            return
        try:
            day = parse_date(text).value
        except InvalidValue as exc:
            self.ctx.prompter.warn(self, "Ngày không hợp lệ", exc.message)
            return
        if self.ctx.op(
            self, lambda s, why: scheduling.copy_session(s, sid, day, why), {COURSES},
            reason=True,
        ):  # fmt: skip
            self.acted.emit(f"Đã sao chép buổi học sang {day:%d/%m/%Y}.")

    def delete_session(self) -> None:
        sid = self.selected_session()
        if sid is None:
            return
        if self.ctx.prompter.confirm(self, "Xóa buổi học", "Xóa buổi học này?") and self.ctx.op(
            self, lambda s: scheduling.delete_session(s, sid) or True, {COURSES}
        ):
            self.acted.emit("Đã xóa buổi học.")

    def export_ics(self) -> None:
        if self.course is None:
            return
        code = self.course.code
        path = ask_save_path(
            self, self.ctx.settings, "calendar", "Xuất lịch", f"{code}.ics", "Lịch (*.ics)",
            (".ics",),
        )  # fmt: skip
        if path is None:
            return
        n = self.ctx.op(self, lambda s: exports.export_ics(s, path, course_code=code), {AUDIT})
        if n is not None:
            self.acted.emit(f"Đã xuất {n} buổi học vào {path}")

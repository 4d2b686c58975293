"""Khóa học, tab Học viên: who is enrolled in the chosen course; enrol, walk in, withdraw."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from app import labels
from app.services import enrolment, lookups, people
from app.services.courses import CourseRow
from app.services.people import PeopleFilter
from ui.changes import ATTENDANCE, COURSES, PEOPLE
from ui.context import UiContext
from ui.dialogs.person_picker_dialog import PersonPickerDialog
from ui.widgets.sort_item import SortItem
from ui.widgets.table_panel import TablePanel

ID = Qt.ItemDataRole.UserRole
HEADERS = ["Họ và tên", "Trạng thái", "Nguồn", "Đơn vị", "Điểm đầu vào", "Điểm cuối khóa", "Có mặt"]
SOURCES = {"walk-in": "Đến lớp", "team": "Theo tổ", "import": "Nhập tệp", "filter": "Theo bộ lọc"}
ROSTER = frozenset({COURSES, ATTENDANCE})  # an enrolment changes the roster and the grid


class CourseRosterPanel(TablePanel):
    acted = Signal(str)  # a write succeeded: the message for the status bar

    def __init__(
        self, ctx: UiContext, topics: list[tuple[int, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(HEADERS, 0, self._empty_text, parent)  # the name takes the room
        self.ctx, self.topics = ctx, topics
        self.course: CourseRow | None = None
        self.add_buttons(
            [
                ("Ghi danh…", self.enrol_people),
                ("Cả tổ…", self.enrol_team),
                ("Theo bộ lọc…", self.enrol_filter),
                ("Người đến lớp…", self.walk_in),
                ("Rút khỏi lớp", self.withdraw),
            ]
        )

    def show_course(self, course: CourseRow | None, roster: list[enrolment.EnrolmentRow]) -> None:
        self.course = course
        t = self.table
        t.setSortingEnabled(False)
        t.setRowCount(len(roster))
        for i, e in enumerate(roster):
            values = (
                e.full_name,
                labels.ENROLMENT_STATUS[e.status],
                SOURCES.get(e.source, "Ghi danh"),
                e.unit,
                labels.score(e.pre_score),
                labels.score(e.post_score),
                str(e.attended),
            )
            keys = {4: e.pre_score, 5: e.post_score, 6: e.attended}
            for c, v in enumerate(values):
                item = SortItem.name(v) if c == 0 else SortItem(v, keys.get(c))
                item.setData(ID, e.id)
                t.setItem(i, c, item)
        for c in range(1, t.columnCount()):  # whole units and scores; the name takes the rest
            t.resizeColumnToContents(c)
        t.setSortingEnabled(True)
        self.empty.update()  # another course may have no one enrolled either

    def _empty_text(self) -> str:
        if self.course is None:
            return "Chọn một khóa học trong danh sách để xem học viên."
        return "Chưa ai ghi danh vào khóa này. Bấm Ghi danh… để chọn người, hoặc Cả tổ…"

    def _enrol(self, act, touches: frozenset[str] = ROSTER) -> None:  # type: ignore[no-untyped-def]
        result = self.ctx.op(self, act, touches)
        if result:
            self.acted.emit(result.describe())

    def enrol_people(self) -> None:
        if self.course is None:
            return
        cid = self.course.id

        def search(text: str) -> list[people.PersonRow]:
            return self.ctx.read(lambda s: people.page(s, PeopleFilter(search=text), limit=200))

        chosen = PersonPickerDialog.ask(self, search, "Ghi danh học viên")
        if chosen:
            ids = [p for p, _ in chosen]
            self._enrol(lambda s: enrolment.enrol(s, cid, ids))

    def enrol_team(self) -> None:
        if self.course is None:
            return
        cid = self.course.id
        teams = self.ctx.read(lookups.teams)
        names = [name for _, name in teams]
        name = self.ctx.prompter.item(
            self, "Ghi danh cả tổ", "Tổ (mọi thành viên đang hoạt động):", names, editable=True
        )
        if name in names:
            team_id = teams[names.index(name)][0]
            self._enrol(lambda s: enrolment.enrol_team(s, cid, team_id))

    def enrol_filter(self) -> None:
        if self.course is None:
            return
        from ui.dialogs.people_filter_dialog import PeopleFilterDialog

        cid = self.course.id
        units = self.ctx.read(
            lambda s: lookups.units_for_people(s, lookups.home_provinces(s) or None)
        )
        f = PeopleFilterDialog.ask(self, units, self.topics)
        if f is not None:
            self._enrol(lambda s: enrolment.enrol_filter(s, cid, f))

    def walk_in(self) -> None:
        if self.course is None:
            return
        cid = self.course.id
        name = self.ctx.prompter.text(self, "Người đến lớp", "Họ và tên:")
        if name is None or not name.strip():
            return
        phone = self.ctx.prompter.text(self, "Người đến lớp", "Số điện thoại (có thể để trống):")
        if phone is None:
            return
        row = self.ctx.op(self, lambda s: enrolment.walk_in(s, cid, name, phone), ROSTER | {PEOPLE})
        if row:
            self.acted.emit(
                f"Đã thêm {row.full_name} vào lớp; có thể gộp với hồ sơ sẵn có ở trang Học viên."
            )

    def withdraw(self) -> None:
        items = self.table.selectedItems()
        if self.course is None or not items:
            return
        eid, name = items[0].data(ID), self.table.item(items[0].row(), 0).text()
        reason = self.ctx.prompter.text(self, "Rút khỏi lớp", f"Lý do {name} rút khỏi lớp:")
        if reason is None:
            return
        moved = self.ctx.op(self, lambda s: enrolment.withdraw(s, eid, reason) or "", ROSTER)
        if moved is not None:
            self.acted.emit(
                f"{name} đã rút khỏi lớp."
                + (f" {moved} được chuyển từ danh sách chờ vào lớp." if moved else "")
            )

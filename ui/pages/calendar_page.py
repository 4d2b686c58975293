"""Lịch: the week and month calendar of sessions, filtered by trainer, venue and unit."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import lookups, scheduling
from ui.changes import AUDIT, COURSES
from ui.context import UiContext
from ui.dialogs.session_dialog import SessionDialog
from ui.files import ask_save_path
from ui.pages.base import Page
from ui.widgets.calendar_view import CalendarView


class CalendarPage(Page):
    shows = frozenset({COURSES})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "lich", parent)
        self.view = CalendarView()
        self.view.mode = str(self.settings.value("calendar/mode", "month"))
        self.view.session_activated.connect(self.open_session)
        self.view.session_moved.connect(self.move_session)
        self.title = QLabel("")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        week, month = QPushButton("Tuần"), QPushButton("Tháng")
        group = QButtonGroup(self)
        for b, mode in ((week, "week"), (month, "month")):
            b.setCheckable(True)
            b.setChecked(self.view.mode == mode)
            group.addButton(b)
            b.clicked.connect(lambda _c=False, m=mode: self.set_mode(m))
        prev, today, nxt = QPushButton("◀"), QPushButton("Hôm nay"), QPushButton("▶")
        self.ics_button = QPushButton("Xuất lịch giảng viên…")
        self.ics_button.setToolTip(
            "Chọn một giảng viên ở bộ lọc rồi xuất lịch của người đó ra tệp .ics"
        )
        self.ics_button.clicked.connect(self.export_trainer_ics)
        prev.setToolTip("Trước (PgUp)")
        nxt.setToolTip("Sau (PgDown)")
        prev.clicked.connect(lambda: self.step(-1))
        nxt.clicked.connect(lambda: self.step(1))
        today.clicked.connect(self.go_today)
        self.trainer_combo, self.venue_combo, self.unit_combo = (
            QComboBox(),
            QComboBox(),
            QComboBox(),
        )
        for combo in (self.trainer_combo, self.venue_combo, self.unit_combo):
            combo.setMinimumContentsLength(16)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
        # Two rows: the heading ("Tháng 11/2026 – 5 buổi") whole beside the buttons that
        # move it, the filters below (side by side they squeezed the heading).
        bar = QHBoxLayout()
        for w in (week, month, prev, today, nxt):
            bar.addWidget(w)
        bar.addSpacing(8)
        bar.addWidget(self.title, 1)
        filters = QHBoxLayout()
        for text, combo in (
            ("Giảng viên", self.trainer_combo),
            ("Địa điểm", self.venue_combo),
            ("Đơn vị", self.unit_combo),
        ):
            filters.addWidget(QLabel(text))
            filters.addWidget(combo)
        filters.addWidget(self.ics_button)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        self._fill_filters()
        for combo in (self.trainer_combo, self.venue_combo, self.unit_combo):
            combo.currentIndexChanged.connect(self.reload)
        self.reload()

    def _fill_filters(self) -> None:
        with self.db.transaction(readonly=True) as s:
            trainers = scheduling.trainers(s)
            venues = scheduling.venues(s)
            home = lookups.home_provinces(s)
            units = [
                u
                for u in lookups.units_for_people(s, home or None)
                if "Ấp" not in u[1] and "Khu phố" not in u[1]
            ]
        for combo, items, everyone in (
            (self.trainer_combo, trainers, "Mọi giảng viên"),
            (self.venue_combo, [(v, n) for v, n, _ in venues], "Mọi địa điểm"),
            (self.unit_combo, units, "Mọi đơn vị"),
        ):
            combo.addItem(everyone, None)
            for value, label in items:
                combo.addItem(label, value)

    def set_mode(self, mode: str) -> None:
        self.view.mode = mode
        self.settings.setValue("calendar/mode", mode)
        self.reload()

    def step(self, direction: int) -> None:
        self.view.step(direction)
        self.reload()

    def go_today(self) -> None:
        self.view.anchor = date.today()
        self.reload()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_PageUp:
            self.step(-1)
        elif event.key() == Qt.Key.Key_PageDown:
            self.step(1)
        else:
            super().keyPressEvent(event)

    def reload(self) -> None:
        start, end = self.view.visible_range()
        with self.db.transaction(readonly=True) as s:
            items = scheduling.between(
                s,
                start,
                end,
                trainer_id=self.trainer_combo.currentData(),
                venue_id=self.venue_combo.currentData(),
                unit_id=self.unit_combo.currentData(),
            )
        self.view.set_items(items)
        self.title.setText(f"{self.view.title()} – {len(items)} buổi")

    def export_trainer_ics(self) -> None:
        from app.services import exports

        trainer = self.trainer_combo.currentData()
        if trainer is None:
            self.prompter.inform(
                self, "Xuất lịch", "Hãy chọn một giảng viên ở bộ lọc “Giảng viên” trước."
            )
            return
        path = ask_save_path(
            self, self.settings, "calendar", "Xuất lịch giảng viên", "lich-giang.ics",
            "Lịch (*.ics)", (".ics",),
        )  # fmt: skip
        if path is not None:
            n = self.ctx.op(
                self, lambda s: exports.export_ics(s, path, trainer_id=trainer), {AUDIT}
            )
            if n is not None:
                self.status.emit(f"Đã xuất {n} buổi học vào {path}")

    def open_session(self, session_id: int) -> None:
        with self.db.transaction(readonly=True) as s:
            initial, version, _course = scheduling.form_of(s, session_id)
            venues, trainers, topics = (
                scheduling.venues(s),
                scheduling.trainers(s),
                lookups.topics(s),
            )
        save = self.ctx.saver(
            self, {COURSES},
            lambda form, s, why: scheduling.update_session(s, session_id, form, version, why)
            or True,
            reason=True,
        )  # fmt: skip
        SessionDialog.ask(self, initial, venues, trainers, topics, title="Sửa buổi học", saver=save)
        if save.result:
            self.reload()

    def move_session(self, session_id: int, new_start: datetime) -> None:
        row = self.ctx.op(
            self,
            lambda s, why: scheduling.move_session(s, session_id, new_start, why),
            {COURSES},
            reason=True,
        )
        if row:
            self.status.emit(f"Đã dời buổi {row.course_code} sang {row.starts_at:%H:%M %d/%m/%Y}.")
        self.reload()

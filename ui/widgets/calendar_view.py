"""Week and month views painted by hand: sessions coloured by course, today marked,
double-click to open, drag in the week view to move."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from app.services.scheduling import SessionRow

DAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
FIRST_HOUR, LAST_HOUR = 6, 21
SNAP_MINUTES = 15


def course_colour(course_id: int) -> QColor:
    """A stable, light colour per course (golden-angle hues)."""
    return QColor.fromHsv(int(course_id * 137.508) % 360, 70, 245)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_grid_start(day: date) -> date:
    return week_start(day.replace(day=1))


class CalendarView(QWidget):
    session_activated = Signal(int)
    session_moved = Signal(int, object)  # session id, new start (datetime)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = "month"
        self.anchor = date.today()
        self.today = date.today()
        self.items: list[SessionRow] = []
        self._by_day: dict[date, list[SessionRow]] = {}
        self._hits: list[tuple[QRectF, int]] = []
        self._drag: tuple[int, QPointF, QRectF] | None = None
        self._drag_pos: QPointF | None = None
        self.setMinimumSize(600, 400)
        self.setMouseTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # -- what is shown -------------------------------------------------------------

    def visible_range(self) -> tuple[date, date]:
        if self.mode == "week":
            start = week_start(self.anchor)
            return start, start + timedelta(days=6)
        start = month_grid_start(self.anchor)
        return start, start + timedelta(days=41)

    def title(self) -> str:
        if self.mode == "week":
            a, b = self.visible_range()
            return f"Tuần {a:%d/%m}–{b:%d/%m/%Y}"
        return f"Tháng {self.anchor.month}/{self.anchor.year}"

    def set_items(self, items: list[SessionRow]) -> None:
        self.items = items
        by_day: dict[date, list[SessionRow]] = defaultdict(list)
        for x in items:
            by_day[x.starts_at.date()].append(x)
        for day_items in by_day.values():
            day_items.sort(key=lambda x: (x.starts_at, x.course_code))
        self._by_day = dict(by_day)
        self.update()

    def step(self, direction: int) -> None:
        if self.mode == "week":
            self.anchor += timedelta(days=7 * direction)
        else:
            month = self.anchor.month - 1 + direction
            self.anchor = date(self.anchor.year + month // 12, month % 12 + 1, 1)

    # -- painting ------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.fillRect(self.rect(), QColor("white"))
        self._hits = []
        if self.mode == "week":
            self._paint_week(p)
        else:
            self._paint_month(p)
        p.end()

    def _header(self, p: QPainter, left: float, width: float, days: list[date]) -> float:
        fm = QFontMetrics(self.font())
        h = fm.height() + 10
        col = width / 7
        for i, d in enumerate(days[:7]):
            r = QRectF(left + i * col, 0, col, h)
            p.fillRect(r, QColor("#eef2f7"))
            p.setPen(QColor("#33475b"))
            label = DAY_NAMES[i] if self.mode == "month" else f"{DAY_NAMES[i]} {d:%d/%m}"
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, label)
        return h

    def _paint_month(self, p: QPainter) -> None:
        start, _ = self.visible_range()
        days = [start + timedelta(days=i) for i in range(42)]
        top = self._header(p, 0, self.width(), days)
        cw, ch = self.width() / 7, (self.height() - top) / 6
        fm = QFontMetrics(self.font())
        line = fm.height() + 3
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.9))
        sfm = QFontMetrics(small)
        for i, d in enumerate(days):
            cell = QRectF((i % 7) * cw, top + (i // 7) * ch, cw, ch)
            if d == self.today:
                p.fillRect(cell, QColor("#fff6d5"))
            p.setPen(QPen(QColor("#d0d7de")))
            p.drawRect(cell)
            p.setPen(QColor("#1f2328") if d.month == self.anchor.month else QColor("#9aa4ad"))
            bold = QFont(self.font())
            bold.setBold(d == self.today)
            p.setFont(bold)
            p.drawText(
                cell.adjusted(4, 2, -4, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                str(d.day),
            )
            p.setFont(small)
            items = self._by_day.get(d, [])
            room = max(0, int((cell.height() - line - 4) // (sfm.height() + 2)))
            shown = items if len(items) <= room else items[: max(0, room - 1)]
            y = cell.top() + line
            for x in shown:
                chip = QRectF(cell.left() + 3, y, cell.width() - 6, sfm.height() + 1)
                self._chip(p, chip, x, f"{x.starts_at:%H:%M} {x.course_code}", sfm)
                y += sfm.height() + 2
            if len(shown) < len(items):
                p.setPen(QColor("#57606a"))
                p.drawText(
                    QRectF(cell.left() + 4, y, cell.width() - 8, sfm.height()),
                    Qt.AlignmentFlag.AlignLeft,
                    f"+{len(items) - len(shown)} buổi nữa",
                )
            p.setFont(self.font())

    def _chip(self, p: QPainter, rect: QRectF, x: SessionRow, text: str, fm: QFontMetrics) -> None:
        colour = course_colour(x.course_id)
        p.fillRect(rect, colour)
        p.setPen(QPen(colour.darker(150)))
        p.drawRect(rect)
        p.setPen(QColor("#1f2328"))
        p.drawText(
            rect.adjusted(3, 0, -2, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width() - 5)),
        )
        self._hits.append((rect, x.id))

    def _week_geometry(self) -> tuple[float, float, float, float]:
        fm = QFontMetrics(self.font())
        gutter = fm.horizontalAdvance("00:00") + 12
        top = fm.height() + 10
        col = (self.width() - gutter) / 7
        hour = (self.height() - top) / (LAST_HOUR - FIRST_HOUR)
        return gutter, top, col, hour

    def _paint_week(self, p: QPainter) -> None:
        start, _ = self.visible_range()
        days = [start + timedelta(days=i) for i in range(7)]
        gutter, top, col, hour = self._week_geometry()
        self._header(p, gutter, self.width() - gutter, days)
        for i, d in enumerate(days):
            if d == self.today:
                p.fillRect(
                    QRectF(gutter + i * col, top, col, self.height() - top), QColor("#fff6d5")
                )
        for h in range(FIRST_HOUR, LAST_HOUR + 1):
            y = top + (h - FIRST_HOUR) * hour
            p.setPen(QPen(QColor("#e3e7eb")))
            p.drawLine(QPointF(gutter, y), QPointF(self.width(), y))
            p.setPen(QColor("#57606a"))
            p.drawText(
                QRectF(0, y - 8, gutter - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{h:02d}:00",
            )
        p.setPen(QPen(QColor("#d0d7de")))
        for i in range(8):
            p.drawLine(QPointF(gutter + i * col, top), QPointF(gutter + i * col, self.height()))
        fm = QFontMetrics(self.font())
        for i, d in enumerate(days):
            items = self._by_day.get(d, [])
            lanes: list[datetime] = []
            placed: list[tuple[SessionRow, int]] = []
            for x in items:  # the first lane free at this start time
                lane = next((k for k, end in enumerate(lanes) if end <= x.starts_at), len(lanes))
                if lane == len(lanes):
                    lanes.append(x.ends_at)
                else:
                    lanes[lane] = x.ends_at
                placed.append((x, lane))
            n = max(1, len(lanes))
            for x, lane in placed:
                y1 = top + self._hours(x.starts_at.time()) * hour
                y2 = top + self._hours(x.ends_at.time()) * hour
                w = (col - 4) / n
                rect = QRectF(gutter + i * col + 2 + lane * w, y1, w - 2, max(y2 - y1, fm.height()))
                colour = course_colour(x.course_id)
                p.fillRect(rect, colour)
                p.setPen(QPen(colour.darker(160)))
                p.drawRect(rect)
                p.setPen(QColor("#1f2328"))
                text = f"{x.starts_at:%H:%M}–{x.ends_at:%H:%M}\n{x.course_code}\n{x.venue or ''}"
                p.drawText(rect.adjusted(3, 2, -2, -2), Qt.TextFlag.TextWordWrap, text)
                self._hits.append((rect, x.id))
        if self._drag and self._drag_pos is not None:
            _sid, origin, rect = self._drag
            ghost = rect.translated(self._drag_pos - origin)
            p.setPen(QPen(QColor("#0969da"), 2, Qt.PenStyle.DashLine))
            p.drawRect(ghost)

    @staticmethod
    def _hours(t: time) -> float:
        return max(0.0, min(LAST_HOUR - FIRST_HOUR, t.hour + t.minute / 60 - FIRST_HOUR))

    # -- mouse ---------------------------------------------------------------------

    def session_at(self, pos: QPointF) -> int | None:
        for rect, sid in reversed(self._hits):
            if rect.contains(pos):
                return sid
        return None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        sid = self.session_at(event.position())
        if sid is not None:
            self.session_activated.emit(sid)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.mode != "week" or event.button() != Qt.MouseButton.LeftButton:
            return
        for rect, sid in reversed(self._hits):
            if rect.contains(event.position()):
                self._drag = (sid, event.position(), rect)
                return

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag:
            self._drag_pos = event.position()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._drag:
            return
        sid, origin, rect = self._drag
        self._drag, self._drag_pos = None, None
        delta = event.position() - origin
        if abs(delta.x()) < 4 and abs(delta.y()) < 4:
            self.update()
            return
        new_start = self.time_at(rect.topLeft() + delta)
        self.update()
        if new_start is not None:
            self.session_moved.emit(sid, new_start)

    def time_at(self, pos: QPointF) -> datetime | None:
        """The day and time (snapped to 15 minutes) under a point of the week view."""
        gutter, top, col, hour = self._week_geometry()
        if pos.x() < gutter - col / 2:
            return None
        day_index = int(max(0, min(6, (pos.x() - gutter + col / 2) // col)))
        minutes = (pos.y() - top) / hour * 60 + FIRST_HOUR * 60
        minutes = int(round(minutes / SNAP_MINUTES) * SNAP_MINUTES)
        minutes = max(FIRST_HOUR * 60, min((LAST_HOUR - 1) * 60, minutes))
        day = self.visible_range()[0] + timedelta(days=day_index)
        return datetime.combine(day, time(minutes // 60, minutes % 60))

"""A short list whose every line opens what it names (a click, or Enter), and which says
what to do next when it is empty instead of showing an empty table; and a figure drawn
against its target."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.wrapped_label import WrappedLabel

ROW_HEIGHT = 24
MAX_ROWS = 8  # taller lists scroll inside their box
CAPPED_PX = 170  # a capped column (a venue, trainers) is at most this wide, or its heading
STRETCH_MIN_PX = 130  # the stretching column (the course) keeps at least this much


class LinkList(QWidget):
    """Lines of cells, each line carrying a target; `opened(target)` on click or Enter."""

    opened = Signal(object)

    def __init__(self, headers: Sequence[str], stretch: int, tip: str, max_rows: int = MAX_ROWS,
                 capped: Sequence[int] = (), parent: QWidget | None = None) -> None:  # fmt: skip
        """`stretch`: the column given the room left (the course); `capped`: columns cut
        short with "…" (full text in the tooltip) so long venues never squeeze it."""
        super().__init__(parent)
        self.max_rows = max_rows
        self.capped = tuple(capped)
        self.stretch = stretch
        # As tall as its lines: the page's columns put the space left below the boxes.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.table.setToolTip(tip)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        for c in self.capped:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        self.table.clicked.connect(lambda index: self._open(index.row()))
        self.table.activated.connect(lambda index: self._open(index.row()))
        self.empty = WrappedLabel()
        self.empty.setObjectName("emptyState")
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self.more = WrappedLabel()
        self.more.setStyleSheet("color: palette(mid);")
        self.targets: list[object] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addWidget(self.more)
        self.set_lines([], "")

    def set_lines(self, lines: Sequence[tuple[object, Sequence[str]]], empty: str,
                  more: str = "") -> None:  # fmt: skip
        """(target, cells) for each line; `empty` said when there is none."""
        self.targets = [target for target, _cells in lines]
        self.table.setRowCount(len(lines))
        for r, (_target, cells) in enumerate(lines):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if text[:1].isdigit() and c > 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        self._fit_capped()
        shown = min(len(lines), self.max_rows)
        frame = self.table.frameWidth() * 2
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + shown * ROW_HEIGHT + frame + 2)  # fmt: skip
        self.table.setVisible(bool(lines))
        self.empty.setText(empty)
        self.empty.setVisible(not lines)
        self.more.setText(more)
        self.more.setVisible(bool(more))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_capped()

    def _fit_capped(self) -> None:
        """The capped columns share what is left once the stretching one has room for its
        heading and a course code (never below their own heading)."""
        if not self.capped:
            return
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(self.table.columnCount())
                     if c not in self.capped and c != self.stretch)  # fmt: skip
        keep = max(header.sectionSizeHint(self.stretch), STRETCH_MIN_PX)
        room = (self.table.viewport().width() - others - keep) // len(self.capped)
        for c in self.capped:
            fits = min(self.table.sizeHintForColumn(c), CAPPED_PX, max(room, 0))
            header.resizeSection(c, max(header.sectionSizeHint(c), fits))

    def texts(self) -> list[list[str]]:
        """What the lines say (for tests and checks)."""
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]  # fmt: skip

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.targets):
            self.opened.emit(self.targets[row])


class TargetBar(QWidget):
    """A figure's name, a bar filled to its target, and "x / y (z,0%)"."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title)
        self.title.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addWidget(self.text)

    def show_figure(self, done: float, target: float | None, text: str) -> None:
        """The bar: done out of target (none: hidden); the text as given."""
        self.bar.setVisible(target is not None and target > 0)
        if target:
            self.bar.setRange(0, 1000)
            self.bar.setValue(round(1000 * min(done / target, 1.0)))
        self.text.setText(text)

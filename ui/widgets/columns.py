"""Column titles shown whole: every column at least as wide as its title (with room for
the sort arrow), whatever the language or font; one column may take what is left of a
wide window (a course's title, a person's name)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QStyle


def title_width(header: QHeaderView, section: int) -> int:
    """The width a section needs to show its title, sort arrow included."""
    model = header.model()
    text = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole) if model else None  # fmt: skip
    if not isinstance(text, str) or not text:
        return 0
    fm = header.fontMetrics()
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    width = max(fm.horizontalAdvance(line) for line in text.split("\n")) + 2 * margin + 4
    if header.isSortIndicatorShown() or header.sectionsClickable():
        width += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + margin
    return width


class _Fitter(QObject):
    def __init__(self, header: QHeaderView, stretch: int | None, least: int) -> None:
        super().__init__(header)
        self.header, self.stretch, self.least = header, stretch, least
        self.busy = False
        header.setStretchLastSection(False)
        if stretch is not None:  # sized here: Qt's Stretch squeezes it to nothing when narrow
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Interactive)
        header.installEventFilter(self)  # the view's width changed
        header.sectionResized.connect(self.fit)  # dragged, fitted to contents, restored
        if header.model() is not None:
            header.model().headerDataChanged.connect(self.fit)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self, *_args: object) -> None:
        if self.busy:
            return
        self.busy = True
        try:
            h = self.header
            shown = [i for i in range(h.count()) if not h.isSectionHidden(i)]
            for i in shown:
                need = title_width(h, i)
                if i != self.stretch and h.sectionSize(i) < need:
                    h.resizeSection(i, need)
            if self.stretch in shown:
                others = sum(h.sectionSize(i) for i in shown if i != self.stretch)
                room = h.width() - others
                h.resizeSection(self.stretch, max(self.least, title_width(h, self.stretch), room))
        finally:
            self.busy = False


def fit_titles(header: QHeaderView, stretch: int | None = None, least: int = 0) -> None:
    """Every section at least as wide as its title, now and whenever a title changes or a
    section is resized; `stretch` (never narrower than `least`) takes the room a wide
    window leaves, and the view scrolls sideways rather than squeeze it."""
    _Fitter(header, stretch, least)

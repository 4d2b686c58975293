"""Pseudo-translation: every UI string made 40 % longer, then every header, label, button
and tab checked for text that no longer fits (elided or clipped).

TapHuan's strings are Vietnamese literals handed to Qt, not tr() calls, so the strings are
lengthened where they end up: the texts of the widgets of a window once it is built, and
the header titles of the item models (patched before the window is built). A translation
to a longer language, a larger system font or 150 % scaling all fail the same way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QStyle,
    QTabBar,
    QTableWidget,
    QToolBar,
    QToolButton,
    QTreeWidget,
    QWidget,
)

PAD = "ẫ"  # a wide letter with stacked marks: too narrow or too short both show
MARK = "\u2063"  # invisible separator: a text already lengthened is left alone


def padding(letters: int, words: bool) -> str:
    """`letters` wide letters; in words of five when the text has words, so that a
    label that wraps can still wrap."""
    if not words:
        return MARK + PAD * letters
    groups = [PAD * min(5, letters - i) for i in range(0, letters, 5)]
    return MARK + " ".join(groups)


def lengthen(text: str) -> str:
    """'Ngày' -> 'Ngàyẫẫ': 40 % more letters (at least one), mnemonics and lines kept."""
    if not text or MARK in text:
        return text
    return "\n".join(
        line + padding(math.ceil(0.4 * len(line.replace("&", ""))), " " in line.strip())
        if line.strip()
        else line
        for line in text.split("\n")
    )


def plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _visible(w: QWidget) -> bool:
    return w.isVisible() and w.width() > 0 and w.height() > 0


def pseudo_translate(root: QWidget) -> None:
    """Lengthen the texts of root's widgets that show one (labels, buttons, group boxes,
    tabs, toolbar actions, header items of item widgets)."""
    for label in root.findChildren(QLabel):
        text = label.text()
        if not text or label.pixmap().width() or MARK in text:
            continue
        if "<" in text and ">" in text:  # rich text: the letters shown, lengthened at the end
            shown = re.sub(r"<[^>]*>", "", text)
            label.setText(text + padding(math.ceil(0.4 * len(shown)), True))
        else:
            label.setText(lengthen(text))
    for button in root.findChildren(QAbstractButton):
        if button.text() and not (isinstance(button, QToolButton) and button.defaultAction()):
            button.setText(lengthen(button.text()))
    for toolbar in root.findChildren(QToolBar):
        for action in toolbar.actions():
            if action.text():
                action.setText(lengthen(action.text()))
    for box in root.findChildren(QGroupBox):
        box.setTitle(lengthen(box.title()))
    for bar in root.findChildren(QTabBar):
        for i in range(bar.count()):
            bar.setTabText(i, lengthen(bar.tabText(i)))
    for table in root.findChildren(QTableWidget):
        for get in (table.horizontalHeaderItem, table.verticalHeaderItem):
            for i in range(table.columnCount() if get == table.horizontalHeaderItem else table.rowCount()):  # fmt: skip
                item = get(i)
                if item is not None and item.text():
                    item.setText(lengthen(item.text()))
    for tree in root.findChildren(QTreeWidget):
        head = tree.headerItem()
        for i in range(head.columnCount()):
            head.setText(i, lengthen(head.text(i)))


def longer_headers(model_class: type[QAbstractItemModel]) -> Callable[..., object]:
    """A headerData for model_class that returns its titles lengthened."""
    original = model_class.headerData

    def header_data(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        value = original(self, section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole and isinstance(value, str):
            return lengthen(value)
        return value

    return header_data


@dataclass(frozen=True)
class Clipped:
    where: str  # object names of the widget and its parents
    kind: str
    text: str
    needs: int
    has: int

    def __str__(self) -> str:
        return f"{self.kind} “{self.text}” needs {self.needs} px, has {self.has} ({self.where})"


def _where(w: QWidget) -> str:
    names = []
    while w is not None:
        names.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return " < ".join(names[:4])


def _header_sections(header: QHeaderView) -> Iterator[tuple[int, str]]:
    model = header.model()
    if model is None:
        return
    for i in range(header.count()):
        if header.isSectionHidden(i):
            continue
        text = model.headerData(i, header.orientation(), Qt.ItemDataRole.DisplayRole)
        if isinstance(text, str) and text.strip():
            yield i, text


def clipped(root: QWidget) -> list[Clipped]:
    """Every visible text of root that does not fit in the room it has."""
    found: list[Clipped] = []
    style = root.style()
    for label in root.findChildren(QLabel):
        if not _visible(label) or not label.text() or label.pixmap().width():
            continue
        if label.wordWrap():
            needs, has = label.heightForWidth(label.width()), label.height()
            kind = "label (height)"
        else:
            needs, has = label.sizeHint().width(), label.width()
            kind = "label"
        if needs > has + 1:
            found.append(Clipped(_where(label), kind, label.text(), needs, has))
    for button in root.findChildren(QAbstractButton):
        if not _visible(button) or not button.text() or isinstance(button.parentWidget(), QTabBar):  # fmt: skip
            continue
        needs, has = button.sizeHint().width(), button.width()
        if needs > has + 1:
            found.append(Clipped(_where(button), "button", plain(button.text()), needs, has))
    for toolbar in root.findChildren(QToolBar):
        if not _visible(toolbar):
            continue
        for action in toolbar.actions():
            widget = toolbar.widgetForAction(action)
            if action.isVisible() and widget is not None and not widget.isVisible():
                found.append(Clipped(_where(toolbar), "toolbar action (hidden behind »)", plain(action.text()), 1, 0))  # fmt: skip
    for box in root.findChildren(QGroupBox):
        if _visible(box) and box.title():
            needs = box.fontMetrics().horizontalAdvance(plain(box.title())) + 16
            if needs > box.width():
                found.append(Clipped(_where(box), "group box", box.title(), needs, box.width()))
    for bar in root.findChildren(QTabBar):
        if not _visible(bar):
            continue
        space = style.pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, None, bar)
        for i in range(bar.count()):
            needs = bar.fontMetrics().horizontalAdvance(plain(bar.tabText(i))) + space
            if needs > bar.tabRect(i).width():
                found.append(Clipped(_where(bar), "tab", bar.tabText(i), needs, bar.tabRect(i).width()))  # fmt: skip
    for view in root.findChildren(QAbstractItemView):
        if not _visible(view):
            continue
        for header in (getattr(view, "horizontalHeader", None), getattr(view, "header", None)):
            header = header() if header else None
            if header is None or not _visible(header) or header.orientation() != Qt.Orientation.Horizontal:  # fmt: skip
                continue
            found += _clipped_sections(header)
    return found


def _clipped_sections(header: QHeaderView) -> list[Clipped]:
    found = []
    fm = QFontMetrics(header.font())
    bold = header.font()
    bold.setBold(True)  # some styles draw the current section bold
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    for i, text in _header_sections(header):
        needs = max(fm.horizontalAdvance(line) for line in text.split("\n")) + 2 * margin
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == i:
            needs += arrow + margin
        if needs > header.sectionSize(i) + 1:
            found.append(Clipped(_where(header), "column", text, needs, header.sectionSize(i)))
    return found

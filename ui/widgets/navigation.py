"""The navigation list: one line a page with its icon (line drawings bundled in
resources/icons/nav, white on the highlight), the page's count where it helps
("Học viên   4.008"), and no focus rectangle drawn inside the highlight."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app import resources
from app.labels import number

ICON_SIZE = 20
INK, ON_HIGHLIGHT = "#34495e", "#ffffff"  # the drawings' stroke, and on the highlight
COUNT = Qt.ItemDataRole.UserRole + 1


def icon_path(slug: str) -> str:
    return str(resources.path("icons", "nav", f"{slug}.svg"))


def nav_icon(slug: str, size: int = ICON_SIZE, ratio: float = 1.0) -> QIcon:
    """The page's drawing, dark on the list and white when selected; empty if missing."""
    try:
        svg = resources.path("icons", "nav", f"{slug}.svg").read_text(encoding="utf-8")
    except OSError:
        return QIcon()
    icon = QIcon()
    for colour, mode in ((INK, QIcon.Mode.Normal), (ON_HIGHLIGHT, QIcon.Mode.Selected)):
        renderer = QSvgRenderer(QByteArray(svg.replace(INK, colour).encode()))
        pixmap = QPixmap(round(size * ratio), round(size * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        icon.addPixmap(pixmap, mode)
    return icon


class _CountDelegate(QStyledItemDelegate):
    """The item as Qt draws it, without the focus frame, and its count on the right."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        opt.state &= ~QStyle.StateFlag.State_HasFocus
        count = index.data(COUNT)
        text = number(int(count)) if isinstance(count, int) else ""
        right = opt.rect.adjusted(0, 0, -12, 0)
        super().paint(painter, opt, index)
        if text:
            painter.save()
            selected = bool(opt.state & QStyle.StateFlag.State_Selected)
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText  # fmt: skip
            painter.setPen(opt.palette.color(role))
            painter.drawText(right, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)  # fmt: skip
            painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        count = index.data(COUNT)
        if isinstance(count, int):
            hint.setWidth(hint.width() + option.fontMetrics.horizontalAdvance(number(count)) + 16)
        return hint


class Navigation(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setItemDelegate(_CountDelegate(self))
        # outline: no dotted focus frame (Fusion draws one besides the item's own).
        self.setStyleSheet(
            "QListWidget#navigation { outline: 0; }"
            "QListWidget#navigation::item { padding: 8px 10px; }"
        )

    def add_page(self, slug: str, title: str) -> QListWidgetItem:
        item = QListWidgetItem(nav_icon(slug, ratio=self.devicePixelRatioF()), title)
        item.setData(Qt.ItemDataRole.UserRole, slug)
        self.addItem(item)
        return item

    def set_count(self, slug: str, count: int | None) -> None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == slug:
                item.setData(COUNT, count)
                item.setToolTip(f"{item.text()}: {number(count)}" if count is not None else "")

    def count_of(self, slug: str) -> int | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == slug:
                value = item.data(COUNT)
                return value if isinstance(value, int) else None
        return None

    def needed_width(self) -> int:
        """Width the widest line needs: icon, title and count whole."""
        widest = 0
        for row in range(self.count()):
            index = self.model().index(row, 0)
            option = QStyleOptionViewItem()
            self.initViewItemOption(option)
            widest = max(widest, self.itemDelegate().sizeHint(option, index).width())
        return widest + 2 * self.frameWidth() + 4

"""The navigation: a drawing for every page (bundled SVG, white on the highlight), the
size of the lists that grow beside their names, no focus frame inside the highlight."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from app.services import people
from tests.app import world
from ui.main_window import MainWindow
from ui.pages import PAGES
from ui.widgets.navigation import COUNT, nav_icon

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
MIDDLE = ("Văn", "Thị", "Ngọc", "Minh", "Thanh", "Hữu", "Quốc", "Kim", "Đức", "Thu")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Hà", "Khoa", "Lan", "Nam", "Tâm", "Vy")


def _ink(icon: QIcon, mode: QIcon.Mode) -> set[str]:
    image = icon.pixmap(QSize(20, 20), mode).toImage()
    return {
        QColor(image.pixel(x, y)).name()
        for x in range(image.width())
        for y in range(image.height())
        if QColor.fromRgba(image.pixel(x, y)).alpha() == 255
    }


def test_every_page_has_its_drawing_dark_and_white_on_the_highlight(vi_app) -> None:  # type: ignore[no-untyped-def]
    for info in PAGES:
        icon = nav_icon(info.slug)
        assert not icon.isNull(), info.slug
        assert _ink(icon, QIcon.Mode.Normal) == {"#34495e"}, info.slug
        assert _ink(icon, QIcon.Mode.Selected) == {"#ffffff"}, info.slug


def test_navigation_shows_counts_icons_and_no_focus_frame(
    make_window: Callable[[], MainWindow],
    qtbot: QtBot,
    seeded_db,  # type: ignore[no-untyped-def]
) -> None:
    with seeded_db.transaction() as s:
        for family, middle, given in itertools.product(FAMILY, MIDDLE, GIVEN):
            world.person(s, f"{family} {middle} {given}")
        total = people.count(s)
    window = make_window()
    nav = window.nav
    qtbot.waitUntil(lambda: nav.count_of("hoc-vien") == total)
    items = {nav.item(r).data(Qt.ItemDataRole.UserRole): nav.item(r) for r in range(nav.count())}
    assert total == 1000
    assert items["hoc-vien"].toolTip() == "Học viên: 1.000"  # the Vietnamese thousands "."
    assert items["to-cnscd"].data(COUNT) is not None and items["khoa-hoc"].data(COUNT) is not None
    assert items["lich"].data(COUNT) is None  # a count that would not help
    assert all(not item.icon().isNull() for item in items.values())
    assert nav.width() >= nav.needed_width()  # icon, title and count whole
    # The highlighted line looks the same with the keyboard focus on it as without:
    # no dotted focus frame drawn inside the highlight.
    window.show()

    def drawn(focus: bool) -> QImage:
        option = QStyleOptionViewItem()
        nav.initViewItemOption(option)
        option.rect = QRect(0, 0, nav.viewport().width(), 36)
        option.state |= (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_Active
                         | QStyle.StateFlag.State_Enabled)  # fmt: skip
        if focus:
            option.state |= QStyle.StateFlag.State_HasFocus
        image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        nav.itemDelegate().paint(painter, option, nav.indexFromItem(items["khoa-hoc"]))
        painter.end()
        return image

    assert drawn(focus=True) == drawn(focus=False)

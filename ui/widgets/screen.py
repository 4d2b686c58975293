"""Windows sized for the screen they open on: a 1280×800 office screen, or the same
screen at 150 % (853×533 usable points), never a dialog taller than the screen."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

MARGIN = 48  # the taskbar and the title bar


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """resize(width, height), shrunk to what the screen can show."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() - MARGIN)
        height = min(height, room.height() - MARGIN)
    widget.resize(max(width, widget.minimumWidth()), max(height, widget.minimumHeight()))


def fit_contents(widget: QWidget, width: int = 0) -> None:
    """As large as the contents ask, at least `width` wide, within the screen. Qt's own
    first sizing stops at 2/3 of the screen (533 px high on a 1280×800 screen), and a
    fixed minimum width stops the layout from keeping longer texts whole."""
    hint = widget.sizeHint()
    resize_within_screen(widget, max(width, hint.width()), hint.height())

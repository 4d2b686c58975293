"""The Qt binding must not corrupt Python: PySide6 6.12.0 decremented None's refcount on
every QPainter.fillRect/setPen, killing the calendar after a few thousand calls."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication


def test_painter_calls_keep_none_alive(vi_app: QApplication) -> None:
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    rect = QRectF(1, 1, 20, 10)
    before = sys.getrefcount(None)
    for _ in range(500):
        painter.fillRect(rect, QColor("red"))
        painter.setPen(QColor("blue"))
        painter.setPen(QPen(QColor("green")))
        painter.drawRect(rect)
    painter.end()
    assert sys.getrefcount(None) - before > -50

"""What an empty list says: not a blank table but what to do next ("Chưa cấp giấy chứng
nhận nào. Chọn khóa học đã kết thúc rồi bấm Cấp giấy chứng nhận (Ctrl+N)")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QLabel
from shiboken6 import isValid


class EmptyState(QObject):
    """A grey sentence over the view's empty viewport, shown while the view has no rows.
    `text` is called each time, so that it can name the filter that hides everything."""

    def __init__(self, view: QAbstractItemView, text: str | Callable[[], str]) -> None:
        super().__init__(view)
        self.view, self.text = view, text
        self.label = QLabel(view.viewport())
        self.label.setObjectName("emptyState")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("color: palette(placeholder-text); padding: 24px;")
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.hide()
        view.viewport().installEventFilter(self)
        self._model = None
        # After the page that owns the view has built the widgets `text` reads.
        QTimer.singleShot(0, self, self.watch)

    def watch(self) -> None:
        """Follow the view's model (call again after setModel)."""
        if not isValid(self.view):
            return
        model = self.view.model()
        if model is not self._model and model is not None:
            for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset,
                           model.layoutChanged):  # fmt: skip
                signal.connect(self.update)
        self._model = model
        self.update()

    def update(self, *_args: object) -> None:
        if not isValid(self.view) or not isValid(self.label):  # the page is being closed
            return
        model = self.view.model()
        empty = model is None or model.rowCount() == 0
        if empty:
            self.label.setText(self.text() if callable(self.text) else self.text)
            self.label.setGeometry(self.view.viewport().rect())
        self.label.setVisible(empty)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.label.setGeometry(self.view.viewport().rect())
        return False


def show_when_empty(view: QAbstractItemView, text: str | Callable[[], str]) -> EmptyState:
    return EmptyState(view, text)

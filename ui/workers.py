"""Work off the GUI thread: each task opens its own session and reports back by signal."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a task when the user pressed Hủy; its transaction rolls back."""


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)
    progress = Signal(str)


class Task(QRunnable):
    def __init__(self, fn: Callable[[Task], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    def report(self, step: str) -> None:
        """Called from the task: tells the dialog, and stops here if cancelled."""
        if self.cancel_event.is_set():
            raise Cancelled
        self.signals.progress.emit(step)

    def run(self) -> None:
        try:
            result = self.fn(self)
        except Exception as exc:  # handed to the GUI thread, which shows or logs it
            log.exception("task failed")
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.done.emit(result)


class TaskRunner:
    """One serial worker thread, so writes from the GUI never race each other."""

    def __init__(self) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self._running: set[Task] = set()

    def start(
        self,
        fn: Callable[[Task], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException, str], None] | None = None,
        on_progress: Callable[[str], None] | None = None,
    ) -> Task:
        task = Task(fn)
        task.setAutoDelete(False)
        self._running.add(task)

        def finished(result: Any) -> None:
            self._running.discard(task)
            on_done(result)

        def failed(exc: BaseException, details: str) -> None:
            self._running.discard(task)
            if on_failed:
                on_failed(exc, details)

        task.signals.done.connect(finished)
        task.signals.failed.connect(failed)
        if on_progress:
            task.signals.progress.connect(on_progress)
        self.pool.start(task)
        return task

    def busy(self) -> bool:
        """A task is running or its result is still on its way to the GUI thread."""
        return bool(self._running)

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)

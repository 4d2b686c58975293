"""What a page needs from the window, handed to it in one object (one per window):
the database, the worker, UI settings, who works, the prompter and the change bus."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from app.db import Database
from ui.changes import ChangeBus
from ui.ops import Saver, op
from ui.prompter import Prompter
from ui.workers import TaskRunner

T = TypeVar("T")


@dataclass
class UiContext:
    db: Database
    runner: TaskRunner
    settings: QSettings
    user: str
    prompter: Prompter = field(default_factory=Prompter)
    bus: ChangeBus = field(default_factory=ChangeBus)

    def op(self, parent: QWidget | None, act: Callable[..., T], touches: Iterable[str],
           **asks: Any) -> T | None:  # fmt: skip
        """Run one write; see ui.ops.op."""
        return op(self, parent, act, touches, **asks)

    def saver(self, parent: QWidget | None, touches: Iterable[str], act: Callable[..., T],
              **asks: Any) -> Saver[Any, T]:  # fmt: skip
        """A form dialog's saver running act(form, session) through op; see ui.ops.Saver."""
        return Saver(self, parent, touches, act, **asks)

    def read(self, fn: Callable[[Any], T]) -> T:
        """fn(session) in a read-only transaction."""
        with self.db.transaction(readonly=True) as s:
            return fn(s)

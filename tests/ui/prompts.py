"""A prompter tests answer: questions take the next prepared answer, messages are kept.

A question nobody prepared an answer for fails the test instead of opening a window."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from ui.prompter import Prompter


class AnsweringPrompter(Prompter):
    def __init__(self, *answers: Any) -> None:
        self.answers: list[Any] = list(answers)
        self.shown: list[tuple[str, str, str]] = []  # (kind, title, text)
        self.asked: list[tuple[str, str, str]] = []
        self.warned: list[str] = []  # the texts of warnings, in order

    def answer(self, *answers: Any) -> AnsweringPrompter:
        self.answers.extend(answers)
        return self

    def _next(self, kind: str, title: str, label: str) -> Any:
        self.asked.append((kind, title, label))
        if not self.answers:
            raise AssertionError(f"unexpected question ({kind}) {title}: {label}")
        return self.answers.pop(0)

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("warn", title, text))
        self.warned.append(text)

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(("inform", title, text))

    def confirm(
        self, parent: QWidget | None, title: str, text: str, default_no: bool = False
    ) -> bool:
        return bool(self._next("confirm", title, text))

    def text(self, parent: QWidget | None, title: str, label: str, default: str = "",
             password: bool = False) -> str | None:  # fmt: skip
        return self._next("text", title, label)  # type: ignore[no-any-return]

    def item(self, parent: QWidget | None, title: str, label: str, items: Sequence[str],
             editable: bool = False) -> str | None:  # fmt: skip
        answer = self._next("item", title, label)
        return items[answer] if isinstance(answer, int) else answer  # type: ignore[no-any-return]

    def integer(self, parent: QWidget | None, title: str, label: str, value: int, low: int,
                high: int) -> int | None:  # fmt: skip
        return self._next("integer", title, label)  # type: ignore[no-any-return]


def saving(value: Any) -> classmethod:  # type: ignore[type-arg]
    """A dialog's ask() replaced: the user fills in `value` and presses Lưu, so the page's
    saver runs on it; the value when saved, None when the saver refused."""

    def ask(cls: type, *_args: Any, saver: Any = None, **_kwargs: Any) -> Any:
        return value if saver is None or saver(value) is None else None

    return classmethod(ask)

"""Every write from the window: one user action in one transaction, the questions it may
need to ask put to the prompter, and what it touched said on the change bus.

A clash check may ask for a reason to save anyway; a course may ask to confirm; an edit
clash or any other UserError is shown in Vietnamese and nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtWidgets import QWidget

from app.db import Database
from app.errors import EditConflict, UserError
from app.services.courses import NeedsConfirmation
from app.services.scheduling import ClashesFound
from ui.changes import ChangeBus
from ui.prompter import Prompter


class OpContext(Protocol):
    """What an operation needs of the window's context (ui.context.UiContext is one)."""

    db: Database
    prompter: Prompter
    bus: ChangeBus


T = TypeVar("T")
F = TypeVar("F")
FAILED = "Không thực hiện được"
NOT_SAVED = "Chưa lưu."


def op(
    ctx: OpContext,
    parent: QWidget | None,
    act: Callable[..., T],
    touches: Iterable[str],
    *,
    reason: bool = False,
    confirm: bool = False,
    on_conflict: Callable[[EditConflict], T | None] | None = None,
    on_error: Callable[[UserError], None] | None = None,
) -> T | None:
    """act(session) in one transaction, then touches emitted; None when nothing was written.

    reason=True: act(session, reason) where reason is None first and, when the service
    finds clashes, the reason the user gave to save anyway. confirm=True: act(session,
    confirmed), asked again with True when the service needs confirmation. on_conflict:
    what to do when someone else saved the record meanwhile (default: say so). on_error:
    who is told of a refusal instead of the prompter (a dialog's inline error line)."""
    kinds = frozenset(touches)

    def refuse(exc: UserError) -> None:
        if on_error is not None:
            on_error(exc)
        else:
            ctx.prompter.warn(parent, FAILED, exc.message)

    answer: Any = False if confirm else None
    while True:
        try:
            with ctx.db.transaction() as s:
                result = act(s, answer) if (reason or confirm) else act(s)
        except ClashesFound as exc:
            if not reason:
                refuse(exc)
                return None
            text = ctx.prompter.text(
                parent, "Trùng lịch", exc.message + "\n\nNếu vẫn lưu, ghi lý do:"
            )
            if text is None or not text.strip():
                return None
            answer = text
        except NeedsConfirmation as exc:
            if not confirm:
                refuse(exc)
                return None
            if not ctx.prompter.confirm(parent, "Xác nhận", exc.message):
                return None
            answer = True
        except EditConflict as exc:
            if on_conflict is not None:
                return on_conflict(exc)
            refuse(exc)
            return None
        except UserError as exc:
            refuse(exc)
            return None
        else:
            ctx.bus.emit(kinds, parent)
            return result


class Saver(Generic[F, T]):
    """A form dialog's saver built on op: the write runs when Lưu is pressed, a refusal is
    returned for the dialog's error line (the dialog stays open with what was typed) and
    what the write returned is kept in `result` for the page.

    act(form, session) -- or act(form, session, answer) with reason=/confirm= -- is the
    write; asks are op's keywords. A question declined (no reason for a clash) keeps the
    dialog open too, saying nothing was saved."""

    def __init__(
        self,
        ctx: OpContext,
        parent: QWidget | None,
        touches: Iterable[str],
        act: Callable[..., T],
        **asks: Any,
    ) -> None:
        self.ctx, self.parent, self.touches, self.act = ctx, parent, frozenset(touches), act
        resolve = asks.pop("on_conflict", None)
        if resolve is not None:  # the conflict dialog settles it: the form closes
            asks["on_conflict"] = lambda exc: (resolve(exc),)
        self.asks = asks
        self.result: T | None = None

    def __call__(self, form: F) -> str | None:
        refused: list[str] = []
        done = op(
            self.ctx, self.parent, lambda *a: (self.act(form, *a),), self.touches,
            on_error=lambda exc: refused.append(exc.message), **self.asks,
        )  # fmt: skip
        if refused:
            return refused[0]
        if done is None:
            return NOT_SAVED
        self.result = done[0]
        return None

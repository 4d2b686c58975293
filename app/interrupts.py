"""Ctrl-C during a write that must be all or nothing.

Python raises KeyboardInterrupt wherever the main thread happens to be; when that is a
weakref callback or a finaliser (SQLAlchemy's InstanceState._cleanup), Python only prints
"Exception ignored" and the write goes on to its commit. watched() remembers the
interrupt as well, so the caller can look again at the points that matter (check()), and
keeps the swallowed one off the screen. Outside the main thread (the UI's runner) there
is no Ctrl-C, and watched() changes nothing.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


class Watch:
    def __init__(self) -> None:
        self.interrupted = False

    def check(self) -> None:
        """Raise KeyboardInterrupt if Ctrl-C came, even if it was swallowed on the way."""
        if self.interrupted:
            raise KeyboardInterrupt


@contextmanager
def watched() -> Iterator[Watch]:
    watch = Watch()
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield watch
        return

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        watch.interrupted = True
        raise KeyboardInterrupt

    hook = sys.unraisablehook

    def unraisable(args: Any) -> None:
        if watch.interrupted and issubclass(args.exc_type, KeyboardInterrupt):
            return  # remembered: check() raises it again
        hook(args)

    signal.signal(signal.SIGINT, on_interrupt)
    sys.unraisablehook = unraisable
    try:
        yield watch
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.unraisablehook = hook

"""Standard output into a pipe whose reader stopped reading (`taphuan people list | head -1`):
the command goes on to its end, quietly, and exits with its own code, as a Unix tool
does. Nothing it was doing is cut short: a command that writes still commits, the lines
nobody reads are dropped. Python's own "Exception ignored … BrokenPipeError" at exit is
prevented by pointing the closed output at the null device afterwards.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO


def _reader_gone(exc: OSError) -> bool:
    if isinstance(exc, BrokenPipeError):
        return True
    # Windows says EINVAL when the reading end of a pipe has been closed.
    return sys.platform == "win32" and exc.errno == errno.EINVAL


class _Tolerant:
    """sys.stdout, but once the reader has gone, what is written goes nowhere."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                return self._stream.write(text)
            except OSError as exc:
                if not _reader_gone(exc):
                    raise
                self.reader_gone = True
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self._stream.flush()
            except OSError as exc:
                if not _reader_gone(exc):
                    raise
                self.reader_gone = True

    def __getattr__(self, name: str) -> Any:  # encoding, isatty, fileno, …
        return getattr(self._stream, name)


@contextmanager
def tolerant_stdout() -> Iterator[None]:
    original = sys.stdout
    guard = _Tolerant(original)
    sys.stdout = guard  # type: ignore[assignment]
    try:
        yield
    finally:
        guard.flush()
        sys.stdout = original
        if guard.reader_gone:
            _to_null(original)


def _to_null(stream: TextIO) -> None:
    """What stays in the stream's buffer is flushed at exit: into the null device now."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)

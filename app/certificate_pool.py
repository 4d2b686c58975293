"""One-person certificate PDFs rendered in parallel processes (--out-dir, reprint, signing).

A process pool in the "spawn" start method, as on Windows (also in the frozen build:
packaging/entry.py calls multiprocessing.freeze_support()); each worker imports only the
document code and renders a slice of the batch. A small batch is rendered here, in this
process: starting workers costs more than it saves. The bytes are the same either way
(render_one is a pure function of its data, invariant=1).

The workers are the parent's helpers, never on their own: they ignore Ctrl-C (the
parent stops and closes the pool; on POSIX SIGINT is held back while they start, so not
even their start-up can be interrupted) and end by themselves as soon as the parent is
gone (killed, it can close nothing): a thread in each waits on the parent's sentinel (a
pipe from the parent on POSIX, the parent's process handle on Windows).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager

from app.documents.certificate import CertificateData, render_one

PARALLEL_FROM = 50  # fewer certificates than this render in this process
SLICE = 25  # certificates a worker renders per task: progress stays visible


def _render_slice(items: list[CertificateData], signing: bool) -> list[bytes]:
    return [render_one(d, signing=signing) for d in items]


def _worker_start() -> None:
    """Each worker's initializer: Ctrl-C is the parent's to act on; the parent's end is
    this worker's end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # held back by _sigint_held: now ignored
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])  # ready only when the parent is gone
    os._exit(1)


@contextmanager
def _sigint_held() -> Iterator[None]:
    """SIGINT held back (not lost) in this thread while the workers start: they inherit
    the mask, and a Ctrl-C meanwhile reaches them only once they ignore it (POSIX)."""
    if not hasattr(signal, "pthread_sigmask") or (
        threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()  # now: starting, it unblocks SIGINT here again
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


class Rendering:
    """The PDFs of a batch, in order, as the workers finish them; the workers start at
    once (the caller may draw something else meanwhile). close() stops what is left."""

    def __init__(self, items: Sequence[CertificateData], signing: bool, processes: int) -> None:
        self._items, self._signing, self._done = items, signing, 0
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[list[bytes]]] = []
        self._ready: list[bytes] = []
        if processes > 1:
            try:
                self._start(processes)
            except BaseException:
                self.close()
                raise

    def _start(self, processes: int) -> None:
        context = multiprocessing.get_context("spawn")
        with _sigint_held():  # the workers start on the first submits
            self._pool = ProcessPoolExecutor(
                max_workers=processes, mp_context=context, initializer=_worker_start
            )
            for i in range(0, len(self._items), SLICE):
                part = list(self._items[i : i + SLICE])
                self._futures.append(self._pool.submit(_render_slice, part, self._signing))
        self._futures.reverse()  # taken from the end, in order

    @property
    def parallel(self) -> bool:
        """Whether worker processes render the batch (else each PDF is rendered here when
        it is taken)."""
        return self._pool is not None

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        if self._done >= len(self._items):
            self.close()
            raise StopIteration
        if self._pool is None:
            pdf = render_one(self._items[self._done], signing=self._signing)
        else:
            if not self._ready:
                try:
                    self._ready = list(reversed(self._futures.pop().result()))
                except BaseException:
                    self.close()
                    raise
            pdf = self._ready.pop()
        self._done += 1
        return pdf

    def close(self) -> None:
        if self._pool is not None:
            for future in self._futures:
                future.cancel()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Rendering:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def render_each(
    items: Sequence[CertificateData],
    signing: bool = False,
    processes: int | None = None,
) -> Rendering:
    """Each certificate's one-person PDF, in order (signing: the page to sign, without
    the seal and signature images), the workers started at once. processes: how many
    workers (default: one a CPU, none for a batch under PARALLEL_FROM)."""
    count = processes if processes is not None else workers()
    if processes is None and len(items) < PARALLEL_FROM:
        count = 1
    return Rendering(items, signing, count)


def render_all(
    items: Sequence[CertificateData],
    signing: bool = False,
    step: Callable[[int, int], None] | None = None,
) -> list[bytes]:
    """render_each as a list, reporting step(done, total)."""
    out = []
    with render_each(items, signing) as pdfs:
        for pdf in pdfs:
            out.append(pdf)
            if step:
                step(len(out), len(items))
    return out

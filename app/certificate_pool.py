"""One-person certificate PDFs rendered in parallel processes (--out-dir, reprint, signing).

A process pool in the "spawn" start method, as on Windows (also in the frozen build:
packaging/entry.py calls multiprocessing.freeze_support()); each worker imports only the
document code and renders a slice of the batch. A small batch is rendered here, in this
process: starting workers costs more than it saves. The bytes are the same either way
(render_one is a pure function of its data, invariant=1).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence

from app.documents.certificate import CertificateData, render_one

PARALLEL_FROM = 50  # fewer certificates than this render in this process
SLICE = 25  # certificates a worker renders per task: progress stays visible


def _render_slice(items: list[CertificateData], signing: bool) -> list[bytes]:
    return [render_one(d, signing=signing) for d in items]


def workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def render_each(
    items: Sequence[CertificateData],
    signing: bool = False,
    processes: int | None = None,
) -> Iterator[bytes]:
    """Each certificate's one-person PDF, in order (signing: the page to sign, without
    the seal and signature images). processes: how many workers (default: one a CPU, one
    for a batch under PARALLEL_FROM)."""
    count = processes if processes is not None else workers()
    if count <= 1 or (processes is None and len(items) < PARALLEL_FROM):
        for d in items:
            yield render_one(d, signing=signing)
        return
    from concurrent.futures import ProcessPoolExecutor

    slices = [list(items[i : i + SLICE]) for i in range(0, len(items), SLICE)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        futures = [pool.submit(_render_slice, part, signing) for part in slices]
        try:
            for future in futures:
                yield from future.result()
        finally:  # a cancel or a failure: do not render what nobody will take
            for future in futures:
                future.cancel()


def render_all(
    items: Sequence[CertificateData],
    signing: bool = False,
    step: Callable[[int, int], None] | None = None,
) -> list[bytes]:
    """render_each as a list, reporting step(done, total)."""
    out = []
    for pdf in render_each(items, signing):
        out.append(pdf)
        if step:
            step(len(out), len(items))
    return out

"""Timing and memory primitives: best-of-N wall-clock and tracemalloc peaks."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

__all__ = ["best_ns", "best_ns_per_item", "peak_bytes"]

_T = TypeVar("_T")


def best_ns(action: Callable[[], object], repeats: int, *, collect: bool = False) -> int:
    """
    The fastest of ``repeats`` runs of ``action``, in nanoseconds.

    Like :mod:`timeit`, the cyclic garbage collector is paused while ``action`` runs,
    unless ``collect`` is true; either way, every run starts after a full collection,
    and what ``action`` returns is freed after the clock stops.
    """
    best: int | None = None
    enabled = gc.isenabled()
    try:
        for _ in range(repeats):
            gc.collect()
            if collect:
                gc.enable()
            else:
                gc.disable()
            start = time.perf_counter_ns()
            result = action()
            elapsed = time.perf_counter_ns() - start
            gc.disable()
            del result  # freeing what was built is not part of building it
            best = elapsed if best is None else min(best, elapsed)
    finally:
        if enabled:
            gc.enable()
        else:
            gc.disable()
    assert best is not None, "repeats must be at least 1"
    return best


def best_ns_per_item(
    action: Callable[[], object], items: int, repeats: int, *, collect: bool = False
) -> float:
    """The fastest run of ``action``, which handles ``items`` items, per item in nanoseconds."""
    return best_ns(action, repeats, collect=collect) / items


def peak_bytes(action: Callable[[], _T]) -> tuple[int, _T]:
    """The peak of memory traced while ``action`` runs (above what was already allocated)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline, _ = tracemalloc.get_traced_memory()
        result = action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - baseline, result

"""Timing and memory primitives: interleaved best-of-N wall-clock and tracemalloc sizes."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

import attrs

__all__ = ["Measure", "best_ns", "best_ns_per_item", "held_and_peak_bytes", "interleaved_best_ns"]

_K = TypeVar("_K", bound=Hashable)


@attrs.frozen
class Measure:
    """
    One thing to time.

    Attributes:
        action: What runs; what it returns is freed after the clock stops.
        collect: Keep the cyclic garbage collector running while it runs. By default it
            is paused, as :mod:`timeit` does.
    """

    action: Callable[[], object]
    collect: bool = False


def _time_once(measure: Measure) -> int:
    gc.collect()
    if measure.collect:
        gc.enable()
    start = time.perf_counter_ns()
    result = measure.action()
    elapsed = time.perf_counter_ns() - start
    gc.disable()
    del result  # freeing what was built is not part of building it
    return elapsed


def interleaved_best_ns(measures: Mapping[_K, Measure], repeats: int) -> dict[_K, int]:
    """
    The fastest of ``repeats`` runs of each measure, in nanoseconds.

    The measures take turns, one run each per round, so a slow spell on a shared
    machine hits them all alike and the ratios between them stay fair. Every run
    starts after a full collection.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    best: dict[_K, int] = {}
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            for key, measure in measures.items():
                elapsed = _time_once(measure)
                best[key] = min(best.get(key, elapsed), elapsed)
    finally:
        if enabled:
            gc.enable()
    return best


def best_ns(action: Callable[[], object], repeats: int) -> int:
    """The fastest of ``repeats`` runs of ``action``, in nanoseconds, with the GC paused."""
    return interleaved_best_ns({"action": Measure(action)}, repeats)["action"]


def best_ns_per_item(action: Callable[[], object], items: int, repeats: int) -> float:
    """The fastest run of ``action``, which handles ``items`` items, per item in nanoseconds."""
    return best_ns(action, repeats) / items


def held_and_peak_bytes(action: Callable[[], object]) -> tuple[int, int]:
    """
    Memory that what ``action`` returns holds, and the peak while it ran, in bytes.

    The garbage collector is paused, so both are deterministic: cyclic garbage made on
    the way counts towards the peak until the collection that follows.
    """
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        baseline, _ = tracemalloc.get_traced_memory()
        result = action()
        _, peak = tracemalloc.get_traced_memory()
        gc.collect()
        held, _ = tracemalloc.get_traced_memory()
        del result
    finally:
        tracemalloc.stop()
        if enabled:
            gc.enable()
    return held - baseline, peak - baseline

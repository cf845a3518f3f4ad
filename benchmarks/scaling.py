"""
Scaling: tree build, selection compile and check states at growing sizes.

Each operation runs on a balanced tree (ten children per resource) and on a chain
(each resource the only child of the previous one) of every configured size; the
table reports the time per resource at each size and the ratio between the two
largest sizes, which is about 10 for linear work. A reference row times the least
work per resource there is, hashing every id into a ``frozenset``: on a machine
whose caches hold the 10k tree but not the 100k one, even that grows faster than
linearly, and the goal is read against it. Builds are timed twice: with the
garbage collector paused, as :mod:`timeit` does, which measures our algorithm, and
with it running, which is what a host pays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.config import Config
from benchmarks.report import Row, format_bytes, format_ns, format_ratio
from benchmarks.timing import best_ns_per_item, peak_bytes
from benchmarks.trees import balanced, chain, node_id
from integration_core import AclTree, ResourceSelection

__all__ = ["LINEAR_GOAL", "scaling_rows"]

REFERENCE = "reference: `frozenset(tree.ids)`"
"""One pass that hashes every id into a set: the floor of any work per resource."""

LINEAR_GOAL = 12.0
"""The largest size is ten times the one before: its time may be at most 12 times longer."""

Shape = Callable[[int], list[dict[str, Any]]]


def _selection(tree: AclTree, shape: str) -> ResourceSelection:
    """The root granted, one resource excluded and one below it granted again."""
    size = len(tree)
    if shape == "balanced":
        excluded, regranted = 1, 11
    else:
        excluded, regranted = size // 3, 2 * size // 3
    return ResourceSelection.custom(
        tree, allow=[node_id(0), node_id(min(regranted, size - 1))], deny=[node_id(excluded)]
    )


def _label(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


def scaling_rows(config: Config) -> list[Row]:
    """Time every operation on every shape and size; one row per shape and operation."""
    sizes = config.scaling_sizes
    rows: list[Row] = []
    for shape_name, shape in (("balanced", balanced), ("chain", chain)):
        per_node: dict[str, list[float]] = {}
        memory: list[float] = []
        for size in sizes:
            for operation, timing in _measure(shape_name, shape, size, config).items():
                per_node.setdefault(operation, []).append(timing)
            memory.append(_peak_per_node(shape(size), size))
        rows.extend(
            _operation_row(shape_name, name, sizes, times) for name, times in per_node.items()
        )
        rows.append(
            Row(
                "scaling",
                f"{shape_name}: peak memory while building, per resource",
                " / ".join(format_bytes(value) for value in memory),
                f"at {' / '.join(_label(size) for size in sizes)}",
            )
        )
    return rows


def _measure(shape_name: str, shape: Shape, size: int, config: Config) -> dict[str, float]:
    data = shape(size)
    tree = AclTree.from_data(data)
    selection = _selection(tree, shape_name)
    ids = tree.ids
    repeats = config.scaling_repeats
    return {
        "build `AclTree.from_data`": best_ns_per_item(
            lambda: AclTree.from_data(data), size, repeats
        ),
        "build `AclTree.from_data`, GC running": best_ns_per_item(
            lambda: AclTree.from_data(data), size, repeats, collect=True
        ),
        "compile a selection": best_ns_per_item(lambda: selection.compile(tree), size, repeats),
        "check states of every resource": best_ns_per_item(
            lambda: selection.check_states(tree), size, repeats
        ),
        "reference: `frozenset(tree.ids)`": best_ns_per_item(lambda: frozenset(ids), size, repeats),
    }


def _peak_per_node(data: list[dict[str, Any]], size: int) -> float:
    peak, _tree = peak_bytes(lambda: AclTree.from_data(data))
    return peak / size


def _operation_row(
    shape_name: str, operation: str, sizes: Sequence[int], times: Sequence[float]
) -> Row:
    ratio = (times[-1] * sizes[-1]) / (times[-2] * sizes[-2])
    labels = " / ".join(_label(size) for size in sizes)
    reference = operation == REFERENCE
    return Row(
        "scaling",
        f"{shape_name}: {operation}, per resource",
        " / ".join(format_ns(value) for value in times) + f" at {labels}",
        f"{_label(sizes[-1])}/{_label(sizes[-2])}: {format_ratio(ratio)}",
        "" if reference else f"<= {LINEAR_GOAL:g}x",
        None if reference else ratio <= LINEAR_GOAL,
    )

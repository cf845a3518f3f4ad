"""
Scaling: tree build, selection compile, check states and the other whole-tree paths at growing sizes.

Besides building, compiling and check states, it times the paths that once were quadratic on
deep trees: granting and excluding every resource in one call, a configuration integration
listing every resource, ``integration.xml`` repeating one name once per resource, and drawing
the tree with depth numbers.

Each operation runs on a balanced tree (ten children per resource) and on a chain
(each resource the only child of the previous one) of every configured size; the
table reports the time per resource at each size and the ratio between the two
largest sizes, which is about 10 for linear work. A reference row times the least
work per resource there is, hashing every id into a ``frozenset``, and another
builds a dict of every id, the verdict table that compiling builds too: where even
these grow faster than linearly, the goal is read against them. Builds are timed twice: with the
garbage collector paused, as :mod:`timeit` does, which measures our algorithm, and
with it running, which is what a host pays. All measurements of one shape take turns
round by round, so a slow spell on a shared machine hits every size alike. Memory
is traced with the collector paused: what the built tree holds, and the peak while
building, which includes what the parser holds until the tree is laid out.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from benchmarks.config import Config
from benchmarks.report import Row, format_bytes, format_ns, format_ratio
from benchmarks.timing import Measure, held_and_peak_bytes, interleaved_best_ns
from benchmarks.trees import balanced, chain, node_id
from integration_core import AclTree, ConfigIntegration, ResourceSelection

__all__ = ["LINEAR_GOAL", "scaling_rows"]

REFERENCE = "reference: `frozenset(tree.ids)`"
"""One pass that hashes every id into a set: the floor of any work per resource."""

TABLE_REFERENCE = "reference: `dict.fromkeys(tree.ids, False)`"
"""A verdict table that allows nothing: the floor of compiling, which builds one."""

LOOKUP_REFERENCE = "reference: `tree.layout.positions(tree.ids)`"
"""Looking every id up in the tree's index: the floor of ticking or listing every resource."""

LINEAR_GOAL = 12.0
"""The largest size is ten times the one before: its time may be at most 12 times longer."""


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
        measures: dict[tuple[str, int], Measure] = {}
        held: list[float] = []
        peak: list[float] = []
        for size in sizes:
            data = shape(size)
            for operation, measure in _measures(shape_name, data).items():
                measures[operation, size] = measure
            held_bytes, peak_bytes = held_and_peak_bytes(partial(AclTree.from_data, data))
            held.append(held_bytes / size)
            peak.append(peak_bytes / size)
        best = interleaved_best_ns(measures, config.scaling_repeats)
        for operation in dict.fromkeys(operation for operation, _size in measures):
            times = [best[operation, size] / size for size in sizes]
            rows.append(_operation_row(shape_name, operation, sizes, times))
        labels = f"at {' / '.join(_label(size) for size in sizes)}"
        for what, values in (("held by the built tree", held), ("peak while building", peak)):
            rows.append(
                Row(
                    "scaling",
                    f"{shape_name}: memory {what}, per resource",
                    " / ".join(format_bytes(value) for value in values),
                    labels,
                )
            )
    return rows


def _repeated_integration_xml(ids: Sequence[str]) -> str:
    """``integration.xml`` declaring one integration again for every resource, one each time."""
    entries = "".join(
        f'<integration name="A"><resources><resource name="{resource_id}"/></resources></integration>'
        for resource_id in ids
    )
    return f"<config>{entries}</config>"


def _measures(shape_name: str, data: list[dict[str, Any]]) -> dict[str, Measure]:
    tree = AclTree.from_data(data)
    selection = _selection(tree, shape_name)
    ids = tree.ids
    nothing = ResourceSelection.custom(tree)
    definition = ConfigIntegration("A", resources=ids)
    repeated = _repeated_integration_xml(ids)
    return {
        "build `AclTree.from_data`": Measure(lambda: AclTree.from_data(data)),
        "build `AclTree.from_data`, GC running": Measure(
            lambda: AclTree.from_data(data), collect=True
        ),
        "compile a selection": Measure(lambda: selection.compile(tree)),
        "check states of every resource": Measure(lambda: selection.check_states(tree)),
        "grant every resource at once": Measure(lambda: nothing.grant(tree, *ids)),
        "exclude every resource at once": Measure(lambda: selection.exclude(tree, *ids)),
        "`ConfigIntegration.selection` listing every resource": Measure(
            lambda: definition.selection(tree)
        ),
        "read `integration.xml` repeating one name per resource": Measure(
            lambda: ConfigIntegration.from_magento_xml(repeated)
        ),
        "render with `style='depth'`": Measure(lambda: tree.render(style="depth")),
        REFERENCE: Measure(lambda: frozenset(ids)),
        TABLE_REFERENCE: Measure(lambda: dict.fromkeys(ids, False)),
        LOOKUP_REFERENCE: Measure(lambda: tree.layout.positions(ids)),
    }


def _operation_row(
    shape_name: str, operation: str, sizes: Sequence[int], times: Sequence[float]
) -> Row:
    ratio = (times[-1] * sizes[-1]) / (times[-2] * sizes[-2])
    labels = " / ".join(_label(size) for size in sizes)
    reference = operation in {REFERENCE, TABLE_REFERENCE, LOOKUP_REFERENCE}
    return Row(
        "scaling",
        f"{shape_name}: {operation}, per resource",
        " / ".join(format_ns(value) for value in times) + f" at {labels}",
        f"{_label(sizes[-1])}/{_label(sizes[-2])}: {format_ratio(ratio)}",
        "" if reference else f"<= {LINEAR_GOAL:g}x",
        None if reference else ratio <= LINEAR_GOAL,
    )

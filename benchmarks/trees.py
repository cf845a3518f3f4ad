"""The tree shapes the benchmarks run on, as nested data for ``AclTree.from_data``."""

from __future__ import annotations

from typing import Any

__all__ = ["balanced", "balanced_parent", "chain", "node_id"]


def node_id(number: int) -> str:
    """The id of the resource numbered ``number`` (0 is the root)."""
    return f"n{number}"


def balanced_parent(number: int, fanout: int) -> int:
    """The number of the parent of resource ``number`` in a balanced tree (-1 for the root)."""
    return (number - 1) // fanout if number else -1


def balanced(count: int, fanout: int = 10) -> list[dict[str, Any]]:
    """
    A single-rooted tree of ``count`` resources, every level full before the next starts.

    Resource ``k`` has the children ``fanout * k + 1 .. fanout * k + fanout``, like a heap:
    1 + 10 + 100 + 1000 resources make the 1,111-node tree of the check benchmark.
    """
    items: list[dict[str, Any]] = [
        {"id": node_id(number), "title": f"Resource {number}", "children": []}
        for number in range(count)
    ]
    for number in range(1, count):
        items[balanced_parent(number, fanout)]["children"].append(items[number])
    return items[:1]


def chain(count: int) -> list[dict[str, Any]]:
    """A tree of ``count`` resources, each the only child of the previous one."""
    child: list[dict[str, Any]] = []
    for number in range(count - 1, -1, -1):
        child = [{"id": node_id(number), "title": f"Resource {number}", "children": child}]
    return child

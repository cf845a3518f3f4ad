"""
Tree definitions before they become an :class:`~integration_core.AclTree`.

Every way of defining a tree (nested data, flat records, Magento ``acl.xml``) parses
into :class:`Draft` nodes; :func:`flatten` orders siblings and lays the forest out in
display order. Everything here is iterative, so depth is bounded by :data:`MAX_DEPTH`
and never by Python's recursion limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from integration_core.acl._node import AclNode
from integration_core.errors import AclDefinitionError

__all__ = ["MAX_DEPTH", "Draft", "Where", "check_depth", "check_id", "flatten"]

MAX_DEPTH: Final = 100_000
"""
The deepest definition accepted: 100,000 levels, the top level being level 1.

Example:
    >>> from integration_core import AclTree
    >>> chain = {"id": "r0"}
    >>> for level in range(1, MAX_DEPTH + 1):
    ...     chain = {"id": f"r{level}", "children": [chain]}
    >>> AclTree.from_data([chain])
    Traceback (most recent call last):
        ...
    integration_core.errors.AclDefinitionError: data[0]...: resource 'r0' is deeper than the maximum depth of 100000
"""


_SHOWN_SEGMENTS: Final = 12
"""A location deeper than this many segments is shown with its middle elided."""


class Where:
    """A location in a definition, linked to its parent location so paths cost O(1) to record."""

    __slots__ = ("parent", "segment")

    def __init__(self, parent: Where | None, segment: str) -> None:
        self.parent = parent
        self.segment = segment

    def __str__(self) -> str:
        segments: list[str] = []
        where: Where | None = self
        while where is not None:
            segments.append(where.segment)
            where = where.parent
        segments.reverse()
        if len(segments) > _SHOWN_SEGMENTS:
            elided = len(segments) - _SHOWN_SEGMENTS
            head, tail = _SHOWN_SEGMENTS // 2, _SHOWN_SEGMENTS - _SHOWN_SEGMENTS // 2
            segments[head:-tail] = [f"...({elided} more levels)..."]
        return "".join(segments)


class Draft:
    """A resource being defined: mutable while a definition is parsed and merged."""

    __slots__ = ("children", "depth", "id", "parent", "sort_order", "title", "where")

    def __init__(self, resource_id: str, where: Where, parent: Draft | None) -> None:
        self.id = resource_id
        self.where = where
        self.parent = parent
        self.depth: int = 1 if parent is None else parent.depth + 1
        self.title: str | None = None
        self.sort_order = 0
        self.children: list[Draft] = []
        check_depth(resource_id, self.depth, where)


def check_depth(resource_id: str, depth: int, where: Where) -> None:
    """Raise :class:`AclDefinitionError` if ``depth`` exceeds :data:`MAX_DEPTH`."""
    if depth > MAX_DEPTH:
        raise AclDefinitionError(
            f"resource {resource_id!r} is deeper than the maximum depth of {MAX_DEPTH}",
            resource_id=resource_id,
            source=str(where),
        )


def check_id(value: object, where: Where, id_pattern: re.Pattern[str] | None) -> str:
    """
    Return ``value`` if it is a valid resource id, else raise :class:`AclDefinitionError`.

    A valid id is a non-empty string without surrounding whitespace that, when
    ``id_pattern`` is given, matches it entirely.
    """
    if not isinstance(value, str):
        raise AclDefinitionError(
            f"resource id must be a string, got {type(value).__name__}", source=str(where)
        )
    if not value:
        raise AclDefinitionError("resource id must not be empty", source=str(where))
    if value.strip() != value:
        raise AclDefinitionError(
            f"resource id {value!r} has surrounding whitespace",
            resource_id=value,
            source=str(where),
        )
    if id_pattern is not None and id_pattern.fullmatch(value) is None:
        raise AclDefinitionError(
            f"resource id {value!r} does not match the pattern {id_pattern.pattern!r}",
            resource_id=value,
            source=str(where),
        )
    return value


def flatten(roots: Sequence[Draft]) -> tuple[list[AclNode], list[int]]:
    """
    Lay a forest out in display order, consuming the drafts.

    Siblings are ordered by ascending sort order, ties keeping their input order. Each
    draft is detached from its children once laid out, which breaks the parent/child
    reference cycles, so drafts are freed as the walk goes rather than left to the
    garbage collector, which keeps the peak memory of a build low.

    Returns:
        The nodes in pre-order, and for each the position of its parent (``-1`` for a root).
    """
    nodes: list[AclNode] = []
    parents: list[int] = []
    stack: list[tuple[Draft, int]] = [(root, -1) for root in _ordered_reversed(roots)]
    while stack:
        draft, parent = stack.pop()
        position = len(nodes)
        nodes.append(AclNode(draft.id, draft.title, draft.sort_order))
        parents.append(parent)
        children, draft.children = draft.children, []
        stack.extend([(child, position) for child in _ordered_reversed(children)])
    return nodes, parents


def _ordered_reversed(drafts: Sequence[Draft]) -> Sequence[Draft]:
    """Siblings in reverse display order, ready to be pushed on a stack."""
    if len(drafts) <= 1:  # nothing to order: most drafts are leaves
        return drafts
    return sorted(drafts, key=_sort_order)[::-1]


def _sort_order(draft: Draft) -> int:
    return draft.sort_order

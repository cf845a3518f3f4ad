"""Placement: where each resource stood, under which parent, when a selection was reviewed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Final, TypeAlias

from integration_core.errors import InvalidSelectionError

if TYPE_CHECKING:
    from integration_core.acl.layout import Layout

__all__ = [
    "Placement",
    "placed",
    "placement_of",
    "read_placement",
    "stands_as_reviewed",
    "unplaced",
]

Placement: TypeAlias = frozenset[tuple[str, str | None]]
"""Where resources stood when a selection was decided: (resource id, parent id or ``None``)."""


def read_placement(
    values: Mapping[str, str | None] | Iterable[tuple[str, str | None]],
) -> Placement:
    """(id, parent) pairs from a mapping or pairs, refusing anything else and an id placed twice."""
    given: object = values  # checked as what callers may really pass
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidSelectionError(
            "reviewed",
            f"expected resource ids with their parent ids, got {type(given).__name__}",
        )
    pairs = tuple(given.items() if isinstance(given, Mapping) else given)
    parents: dict[str, str | None] = {}
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2):  # noqa: PLR2004
            raise InvalidSelectionError(
                "reviewed", f"expected (resource id, parent id) pairs, got {pair!r}"
            )
        resource_id, parent_id = pair
        if not isinstance(resource_id, str) or not resource_id:
            raise InvalidSelectionError(
                "reviewed", f"expected non-empty string ids, got {resource_id!r}"
            )
        if parent_id is not None and (not isinstance(parent_id, str) or not parent_id):
            raise InvalidSelectionError(
                "reviewed", f"expected a parent id or None for {resource_id!r}, got {parent_id!r}"
            )
        if parents.setdefault(resource_id, parent_id) != parent_id:
            raise InvalidSelectionError(
                "reviewed", f"resource {resource_id!r} placed under two parents"
            )
    return frozenset(parents.items())


_ABSENT: Final = object()


def _parent_ids(layout: Layout) -> tuple[list[str], list[str | None]]:
    """The ids of ``layout`` in display order, and for each its parent's id (``None``: a root)."""
    ids = list(layout.index)  # the ids in display order
    parent_of = [*ids, None].__getitem__  # a root's parent position, -1, picks None
    return ids, list(map(parent_of, layout.parents))


def placement_of(layout: Layout) -> dict[str, str | None]:
    """Where every resource of ``layout`` stands: its id mapped to its parent's id."""
    return dict(zip(*_parent_ids(layout), strict=True))


def stands_as_reviewed(parents_then: Mapping[str, str | None], layout: Layout) -> bool:
    """Whether ``layout`` holds exactly the reviewed resources, each under its reviewed parent."""
    if len(parents_then) != len(layout.index):
        return False
    ids, parent_ids = _parent_ids(layout)
    # Two C-level passes; faster than building the layout's placement and comparing dicts. An id
    # never reviewed reads as _ABSENT, not None: None is a reviewed root's parent.
    return list(map(parents_then.get, ids, repeat(_ABSENT, len(ids)))) == parent_ids


def placed(
    parents_then: Mapping[str, str | None], decided: frozenset[str], layout: Layout
) -> list[bool]:
    """
    For each position of ``layout``, whether that resource stands as it was reviewed.

    It does when it was reviewed under the parent it has now and, unless it carries
    a decision of its own (is in ``decided``), its parent stands as reviewed too: then
    its effect comes from the same decision as when it was reviewed.
    """
    parent_then = parents_then.get
    nodes = layout.nodes
    result: list[bool] = []
    add = result.append  # bound once: this loop runs once per resource
    for node, parent in zip(nodes, layout.parents, strict=True):
        resource_id = node.id
        if resource_id in decided:
            add(resource_id in parents_then)
        elif parent >= 0:
            add(result[parent] and parent_then(resource_id) == nodes[parent].id)
        else:
            add(parent_then(resource_id, "") is None)
    return result


def unplaced(layout: Layout, placed: Sequence[bool] | None) -> frozenset[str]:
    """The ids of the positions of ``layout`` not placed as reviewed (``None``: all are)."""
    if placed is None:
        return frozenset()
    return frozenset(node.id for node, here in zip(layout.nodes, placed, strict=True) if not here)

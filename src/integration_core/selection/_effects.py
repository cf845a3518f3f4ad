"""The nearest decision on a laid-out tree: each resource takes that of its nearest ancestor-or-self."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from integration_core.acl.layout import Layout

__all__ = ["decisions_for", "effects"]


def effects(layout: Layout, allow: frozenset[str], deny: frozenset[str]) -> list[bool]:
    """
    For each position of ``layout``, the decision on its nearest ancestor-or-self.

    A decision covers its subtree, positions ``p .. ends[p] - 1``, and decisions
    nested inside it cover theirs; taken in pre-order, each one fills the stretch up
    to the next, so the work is one slice per decision, not one step per resource.
    Ids the layout does not hold are ignored; with no decision, a resource is denied.
    """
    index, ends = layout.index, layout.ends
    decided = sorted(
        [(index[resource_id], True) for resource_id in allow.intersection(index)]
        + [(index[resource_id], False) for resource_id in deny.intersection(index)]
    )
    result = [False] * len(layout.nodes)
    covering: list[tuple[int, bool]] = []  # (end, effect) of the decisions open here
    cursor = 0
    for position, effect in [*decided, (len(result), False)]:
        while covering and covering[-1][0] <= position:
            end, inherited = covering.pop()
            if inherited:
                result[cursor:end] = [True] * (end - cursor)
            cursor = end
        if covering and covering[-1][1]:
            result[cursor:position] = [True] * (position - cursor)
        cursor = position
        covering.append((ends[position] if position < len(result) else position, effect))
    return result


def decisions_for(layout: Layout, verdicts: Sequence[bool]) -> tuple[list[str], list[str]]:
    """The fewest (allow, deny) decisions whose effects on ``layout`` are ``verdicts``."""
    allow: list[str] = []
    deny: list[str] = []
    for node, parent, verdict in zip(layout.nodes, layout.parents, verdicts, strict=True):
        inherited = parent >= 0 and verdicts[parent]
        if verdict and not inherited:
            allow.append(node.id)
        elif inherited and not verdict:
            deny.append(node.id)
    return allow, deny

"""
Naive reference models the ACL laws are checked against.

Each one follows its rule's wording literally, by walking ancestors through the tree's
public API, and shares no code with the implementation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from integration_core import AccessMode, AclTree, CheckState, ResourceSelection


def reference_effect(tree: AclTree, selection: ResourceSelection, resource_id: str) -> bool:
    """The nearest decision: that on the nearest ancestor-or-self that has one; none -> denied."""
    for node_id in (resource_id, *(node.id for node in tree.ancestors(resource_id))):
        if node_id in selection.allow:
            return True
        if node_id in selection.deny:
            return False
    return False


def reference_reviewed(tree: AclTree, selection: ResourceSelection, resource_id: str) -> bool:
    """
    Denied until reviewed: whether the resource stands where the selection was reviewed.

    Walking up from the resource to its nearest decision, every resource on the way must
    have been reviewed under the parent it has now: else the decision the resource takes
    its effect from may not be the one the merchant saw it under.
    """
    parents_then = dict(selection.reviewed)
    node_id: str | None = resource_id
    while node_id is not None:
        if node_id not in parents_then:
            return False
        if node_id in selection.allow or node_id in selection.deny:
            return True
        parent = tree.parent(node_id)
        parent_id = None if parent is None else parent.id
        if parents_then[node_id] != parent_id:
            return False
        node_id = parent_id
    return True


def reference_allowed(tree: AclTree, selection: ResourceSelection) -> frozenset[str]:
    """All allows everything; Custom allows the reviewed ids whose nearest decision is allow."""
    if selection.mode is AccessMode.ALL:
        return frozenset(tree.ids)
    return frozenset(
        resource_id
        for resource_id in tree.ids
        if reference_reviewed(tree, selection, resource_id)
        and reference_effect(tree, selection, resource_id)
    )


def reference_state(tree: AclTree, allowed: frozenset[str], resource_id: str) -> CheckState:
    """Check states: checked / unchecked / undetermined from the node and its whole subtree."""
    family = [resource_id, *(node.id for node in tree.descendants(resource_id))]
    inside = [member in allowed for member in family]
    if all(inside):
        return CheckState.CHECKED
    if any(inside):
        return CheckState.UNDETERMINED
    return CheckState.UNCHECKED


def reference_preorder(data: Sequence[dict[str, Any]]) -> list[str]:
    """Display order: siblings stably sorted by sort order, parents before children."""
    order: list[str] = []

    def visit(items: Sequence[dict[str, Any]]) -> None:
        for item in sorted(items, key=lambda item: item.get("sort_order", 0)):
            order.append(item["id"])
            visit(item.get("children", []))

    visit(data)
    return order


def normalized(data: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``data`` with every key present and siblings in display order: what to_data exports."""
    return [
        {
            "id": item["id"],
            "title": item.get("title"),
            "sort_order": item.get("sort_order", 0),
            "children": normalized(item.get("children", [])),
        }
        for item in sorted(data, key=lambda item: item.get("sort_order", 0))
    ]


def pruned(tree: AclTree, removed: set[str]) -> AclTree:
    """``tree`` without the resources in ``removed`` and their subtrees."""

    def keep(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**item, "children": keep(item["children"])}
            for item in items
            if item["id"] not in removed
        ]

    return AclTree.from_data(keep(tree.to_data()))


def chain(depth: int, prefix: str = "n") -> list[dict[str, Any]]:
    """Nested data for a chain of ``depth`` resources, built without recursion."""
    innermost: dict[str, Any] = {"id": f"{prefix}{depth - 1}"}
    for level in range(depth - 2, -1, -1):
        innermost = {"id": f"{prefix}{level}", "children": [innermost]}
    return [innermost]

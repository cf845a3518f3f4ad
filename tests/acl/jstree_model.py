"""
A model of the jstree widget the glue configures (integration_core/acl/static/), step for step.

jstree with the checkbox plugin, ``three_state`` off and ``cascade: "undetermined"`` keeps one
selected flag per node, read from ``state.selected`` on load and never cascaded then; the glue
cascades a tick (``select_node``) and an untick (``deselect_node``) to the node's whole subtree
and, on submit, posts the selected ids in display order. The browser tests prove the real widget
does what this model does; the laws prove the model does what the selection rules say.
"""

from __future__ import annotations

from typing import Any

JstreeData = list[dict[str, Any]]


def _preorder(data: JstreeData) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    pending = list(reversed(data))
    while pending:
        item = pending.pop()
        found.append(item)
        pending.extend(reversed(item["children"]))
    return found


class WidgetModel:
    """The widget's state: which nodes are selected, with the tree's shape from its data."""

    def __init__(self, data: JstreeData) -> None:
        items = _preorder(data)
        self.order = [item["id"] for item in items]
        self.subtree = {item["id"]: [inner["id"] for inner in _preorder([item])] for item in items}
        self.selected = {item["id"] for item in items if item["state"]["selected"]}
        self.marked_undetermined = {item["id"] for item in items if item["state"]["undetermined"]}

    def tick(self, node_id: str) -> None:
        self.selected.update(self.subtree[node_id])

    def untick(self, node_id: str) -> None:
        self.selected.difference_update(self.subtree[node_id])

    def posted(self) -> list[str]:
        """The ``resource[]`` values written on submit, in display order."""
        return [node_id for node_id in self.order if node_id in self.selected]

    def undetermined(self) -> set[str]:
        """What jstree draws undetermined: not selected, with something selected below."""
        return {
            node_id
            for node_id in self.order
            if node_id not in self.selected
            and any(inner in self.selected for inner in self.subtree[node_id][1:])
        }

"""Draw an ACL tree: as text in anytree's style, and as jstree data for UIs."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from integration_core._access import CheckState
from integration_core._node import AclNode
from integration_core._structure import BRANCH, LAST_BRANCH, LAST_PREFIX, PREFIX
from integration_core._tree import layout_of

if TYPE_CHECKING:
    from integration_core._selection import ResourceSelection
    from integration_core._tree import AclTree

__all__ = ["render_jstree", "render_text"]


# Control characters and line separators, shown escaped: one resource stays one line, and a
# title from a module's acl.xml cannot move a terminal's cursor or forge another line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def _text(node: AclNode) -> str:
    text = node.id if node.title is None else f"{node.title} ({node.id})"
    return _UNPRINTABLE.sub(_escaped, text)


def render_text(tree: AclTree, selection: ResourceSelection | None) -> str:
    """One line a resource, in display order, each with its check state when given a selection."""
    layout = layout_of(tree)
    states = None if selection is None else selection.check_states(tree)
    lines: list[str] = []
    path: list[tuple[int, str]] = []  # (position, prefix its children continue) along the ancestors
    for position, node in enumerate(layout.nodes):
        parent = layout.parents[position]
        while path and path[-1][0] != parent:
            path.pop()
        if parent < 0:
            glyph, below = "", ""
        else:
            last = layout.ends[position] == layout.ends[parent]
            above = path[-1][1]
            glyph = above + (LAST_BRANCH if last else BRANCH)
            below = above + (LAST_PREFIX if last else PREFIX)
        path.append((position, below))
        mark = "" if states is None else states[node.id].mark + " "
        lines.append(f"{glyph}{mark}{_text(node)}")
    return "\n".join(lines)


def render_jstree(tree: AclTree, selection: ResourceSelection | None) -> list[dict[str, Any]]:
    """The jstree JSON data of ``tree``, its states taken from ``selection``."""
    layout = layout_of(tree)
    states = None if selection is None else selection.check_states(tree)
    top: list[dict[str, Any]] = []
    children: list[list[dict[str, Any]]] = []
    for position, node in enumerate(layout.nodes):
        state = CheckState.UNCHECKED if states is None else states[node.id]
        item: dict[str, Any] = {
            "id": node.id,
            "text": html.escape(node.label),
            "state": {
                "selected": state is CheckState.CHECKED,
                "opened": state is CheckState.UNDETERMINED,
                "undetermined": state is CheckState.UNDETERMINED,
            },
            "children": [],
        }
        parent = layout.parents[position]
        (top if parent < 0 else children[parent]).append(item)
        children.append(item["children"])
    return top

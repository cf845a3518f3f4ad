"""Draw an ACL tree: as text in anytree's style, and as jstree data for UIs, given check states."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any, Literal

from integration_core.acl._anytree import BRANCH, LAST_BRANCH, LAST_PREFIX, PREFIX
from integration_core.acl._check_state import CheckState, CheckStates
from integration_core.acl._node import AclNode
from integration_core.acl.layout import Layout
from integration_core.errors import AclDefinitionError, InvalidArgumentError, InvalidSelectionError

__all__ = ["RenderStyle", "display_text", "render_jstree", "render_text", "state_list"]

RenderStyle = Literal["guides", "depth"]
"""How a text drawing shows nesting: anytree's guides, or each resource's depth as a number."""


# Control characters and line separators, shown escaped: one resource stays one line, and a
# title from a module's acl.xml cannot move a terminal's cursor or forge another line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def display_text(node: AclNode) -> str:
    """A resource as one line: its title and id, control characters shown escaped."""
    text = node.id if node.title is None else f"{node.title} ({node.id})"
    return _UNPRINTABLE.sub(_escaped, text)


def state_list(layout: Layout, states: Mapping[str, CheckState]) -> list[CheckState]:
    """The state of every resource, position for position; one missing is refused by name."""
    if not isinstance(states, Mapping):
        raise InvalidSelectionError(
            "states",
            f"expected a mapping of resource id to CheckState, got {type(states).__name__}",
        )
    found: list[CheckState] = []
    for node in layout.nodes:
        state = states.get(node.id)
        if not isinstance(state, CheckState):
            raise InvalidSelectionError("states", f"no CheckState for resource {node.id!r}")
        found.append(state)
    return found


def render_text(
    layout: Layout, states: Mapping[str, CheckState] | None, style: RenderStyle = "guides"
) -> str:
    """One line a resource, in display order, each with its check state when given states."""
    if style not in ("guides", "depth"):
        raise InvalidArgumentError("style", f"expected 'guides' or 'depth', got {style!r}")
    marks = None if states is None else [state.mark + " " for state in state_list(layout, states)]
    if style == "depth":
        return "\n".join(_depth_lines(layout, marks))
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
        mark = "" if marks is None else marks[position]
        lines.append(f"{glyph}{mark}{display_text(node)}")
    return "\n".join(lines)


def _depth_lines(layout: Layout, marks: list[str] | None) -> list[str]:
    """Each line led by its depth: text linear in the tree's size, however deep it is."""
    depths: list[int] = []
    lines: list[str] = []
    for position, node in enumerate(layout.nodes):
        parent = layout.parents[position]
        depth = 0 if parent < 0 else depths[parent] + 1
        depths.append(depth)
        mark = "" if marks is None else marks[position]
        lines.append(f"{depth} {mark}{display_text(node)}")
    return lines


JSTREE_ROOT = "#"
"""The id jstree keeps for the invisible root of every tree (``$.jstree.root``)."""


def render_jstree(layout: Layout, states: Mapping[str, CheckState] | None) -> list[dict[str, Any]]:
    """
    The jstree JSON data of a layout: ``selected`` is whether each resource itself is allowed.

    That is what the widget configured in :mod:`integration_core.acl.widget` holds and posts;
    ``undetermined`` marks what the widget draws undetermined (not allowed, something below
    is) and ``opened`` the resources whose subtree is mixed.
    """
    listed = None if states is None else state_list(layout, states)
    allowed = _allowed_of(layout, states, listed)
    top: list[dict[str, Any]] = []
    children: list[list[dict[str, Any]]] = []
    for position, node in enumerate(layout.nodes):
        if node.id == JSTREE_ROOT:
            raise AclDefinitionError(
                "jstree keeps the id '#' for its own root and cannot show this resource",
                resource_id=node.id,
            )
        state = CheckState.UNCHECKED if listed is None else listed[position]
        selected = allowed[position]
        item: dict[str, Any] = {
            "id": node.id,
            "text": html.escape(node.label),
            "state": {
                "selected": selected,
                "opened": state is CheckState.UNDETERMINED,
                "undetermined": state is CheckState.UNDETERMINED and not selected,
            },
            "children": [],
        }
        parent = layout.parents[position]
        (top if parent < 0 else children[parent]).append(item)
        children.append(item["children"])
    return top


def _allowed_of(
    layout: Layout, states: Mapping[str, CheckState] | None, listed: list[CheckState] | None
) -> list[bool]:
    """
    Whether each resource itself is allowed, position for position.

    Check states alone cannot say it for an undetermined resource: only the states a
    selection computes (:class:`CheckStates` with ``allowed``) can, so plain ones that hold
    an undetermined resource are refused rather than guessed.
    """
    if listed is None:
        return [False] * len(layout.nodes)
    known = states.allowed if isinstance(states, CheckStates) else None
    if known is not None:
        return [node.id in known for node in layout.nodes]
    for position, state in enumerate(listed):
        if state is CheckState.UNDETERMINED:
            raise InvalidSelectionError(
                "states",
                f"resource {layout.nodes[position].id!r} is undetermined and the states do "
                "not say whether it is allowed itself: pass a selection's check_states",
            )
    return [state is CheckState.CHECKED for state in listed]

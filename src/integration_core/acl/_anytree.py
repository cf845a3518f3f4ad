"""
The one adapter between integration-core and anytree: a view, a picture, the drawing style.

A tree keeps no anytree structure of its own (building and checking never need one, and
anytree's iterators recurse). On request it hands out a fresh copy as anytree nodes, for
anytree's iterators, resolvers and exporters, and draws a Graphviz DOT picture through
anytree's ``DotExporter``. Children are attached bottom-up, while their parent is still
a root, so each attach costs O(1) whatever the depth.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from anytree import ContStyle, LightNodeMixin
from anytree.exporter import DotExporter

from integration_core.acl._check_state import CheckState
from integration_core.acl._node import AclNode
from integration_core.acl.layout import Layout
from integration_core.errors import AclDefinitionError

__all__ = [
    "BRANCH",
    "DOT_MAX_DEPTH",
    "LAST_BRANCH",
    "LAST_PREFIX",
    "PREFIX",
    "ResourceNode",
    "anytree_roots",
    "dot_source",
]

_STYLE: Final = ContStyle()
PREFIX: Final[str] = _STYLE.vertical
BRANCH: Final[str] = _STYLE.cont
LAST_BRANCH: Final[str] = _STYLE.end
LAST_PREFIX: Final[str] = " " * len(PREFIX)

DOT_MAX_DEPTH: Final = 256
"""
The deepest tree :meth:`~integration_core.AclTree.to_dot` draws: anytree's exporter recurses.

Example:
    >>> DOT_MAX_DEPTH
    256
"""

_FILL = {CheckState.CHECKED: "#b7e1a1", CheckState.UNDETERMINED: "#ffe08a"}
_UNCHECKED_FILL = "#ffffff"


class ResourceNode(LightNodeMixin):  # type: ignore[misc]  # anytree ships no type information
    """
    One resource as an anytree node: a copy that the caller owns and may change freely.

    Attributes:
        name: The resource id (what anytree's resolver and exporters show by default).
        resource: The :class:`~integration_core.AclNode` it copies.
        state: Its check state, or ``None`` when the view was made without states.

    Example:
        >>> from anytree import PreOrderIter
        >>> from integration_core import AclTree
        >>> (root,) = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}]).to_anytree()
        >>> [node.name for node in PreOrderIter(root)], root.children[0].resource
        (['a', 'b'], AclNode(id='b', title=None, sort_order=0))
    """

    __slots__ = ("name", "resource", "state")

    def __init__(self, resource: AclNode, state: CheckState | None) -> None:
        self.name = resource.id
        self.resource = resource
        self.state = state

    def __repr__(self) -> str:
        return f"ResourceNode({self.name!r})"


def anytree_roots(layout: Layout, states: Sequence[CheckState] | None) -> tuple[ResourceNode, ...]:
    """The forest as new anytree nodes, position for position linked; its top-level nodes."""
    view = _linked(layout, states)
    return tuple(view[position] for position in layout.root_positions())


def _linked(layout: Layout, states: Sequence[CheckState] | None) -> list[ResourceNode]:
    """Every resource as a new anytree node, in display order, linked to its parent."""
    view = [
        ResourceNode(node, None if states is None else states[position])
        for position, node in enumerate(layout.nodes)
    ]
    # Reverse pre-order: a parent receives its children, in display order, before it is
    # attached itself, so anytree's loop check looks at a root and costs O(1) per child.
    for position in range(len(view) - 1, -1, -1):
        end, child = layout.ends[position], position + 1
        while child < end:
            view[child].parent = view[position]
            child = layout.ends[child]
    return view


def dot_source(layout: Layout, states: Sequence[CheckState] | None, labels: Sequence[str]) -> str:
    """A Graphviz DOT digraph of the forest, left to right, filled by check state."""
    depths = [0] * len(layout.nodes)
    for position, parent in enumerate(layout.parents):
        if parent >= 0:
            depths[position] = depths[parent] + 1
            if depths[position] >= DOT_MAX_DEPTH:
                raise AclDefinitionError(
                    f"the tree is deeper than the {DOT_MAX_DEPTH} levels a picture is drawn for",
                    resource_id=layout.nodes[position].id,
                    source="to_dot",
                )
    view = _linked(layout, states)
    top = ResourceNode(AclNode("resources", "Resources"), None)
    top.children = [view[position] for position in layout.root_positions()]
    # The heading is r0; each resource is named by its display position, r1 onwards.
    numbers = {id(node): position + 1 for position, node in enumerate(view)}
    numbers[id(top)] = 0
    exporter = DotExporter(
        top,
        name="acl",
        options=[
            "rankdir=LR;",
            'node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        ],
        nodenamefunc=lambda node: f"r{numbers[id(node)]}",
        nodeattrfunc=lambda node: _node_attributes(node, numbers[id(node)], labels),
    )
    return "\n".join(exporter)


def _node_attributes(node: ResourceNode, number: int, labels: Sequence[str]) -> str:
    if number == 0:
        return 'label="Resources", shape=plaintext, style=""'
    label = labels[number - 1]
    if node.state is not None:
        label = f"{node.state.mark} {label}"
    fill = _UNCHECKED_FILL if node.state is None else _FILL.get(node.state, _UNCHECKED_FILL)
    return f'label="{_dot_escaped(label)}", fillcolor="{fill}"'


def _dot_escaped(text: str) -> str:
    """A DOT double-quoted string's content: backslashes and quotes escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"')

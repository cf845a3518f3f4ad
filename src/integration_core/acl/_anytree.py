"""
The one adapter between integration-core and anytree.

An :class:`~integration_core.AclTree` keeps its structure on anytree nodes that carry
frozen :class:`~integration_core.AclNode` payloads, linked the first time the tree's
structure is asked for (a build itself needs none), but never asks anytree to walk it:
anytree's iterators recurse (``RecursionError`` below depth ~1,000) and its ``parent``
setter walks every ancestor. :func:`link` therefore attaches children bottom-up, while
their parent is still a root, so each attach costs O(1); once linked, the nodes refuse
any further change. The nodes are anytree's ``__slots__`` variant, so a linked resource
costs about 90 bytes rather than 350 with an instance dictionary. The text renderer
borrows anytree's drawing style.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from anytree import ContStyle, LightNodeMixin

from integration_core.acl._node import AclNode

__all__ = ["BRANCH", "LAST_BRANCH", "LAST_PREFIX", "PREFIX", "StructureNode", "link"]

_STYLE: Final = ContStyle()
PREFIX: Final[str] = _STYLE.vertical
BRANCH: Final[str] = _STYLE.cont
LAST_BRANCH: Final[str] = _STYLE.end
LAST_PREFIX: Final[str] = " " * len(PREFIX)


class StructureNode(LightNodeMixin):  # type: ignore[misc]  # anytree ships no type information
    """An anytree node carrying one resource; read-only once its tree is linked."""

    __slots__ = ("node", "sealed")

    def __init__(self, node: AclNode) -> None:
        self.node = node
        self.sealed = False

    def __repr__(self) -> str:
        return f"StructureNode({self.node.id!r})"

    def _pre_attach(self, _parent: StructureNode) -> None:
        self._refuse_if_sealed()

    def _pre_detach(self, _parent: StructureNode) -> None:
        self._refuse_if_sealed()

    def _refuse_if_sealed(self) -> None:
        if self.sealed:
            msg = f"the ACL tree holding {self.node.id!r} is immutable"
            raise TypeError(msg)


def link(nodes: Sequence[AclNode], ends: Sequence[int]) -> tuple[StructureNode, ...]:
    """
    Build the anytree structure of a forest laid out in pre-order.

    Args:
        nodes: The resources in pre-order.
        ends: For each resource, the position just past its subtree: its children are
            the next position and then, from each child, the end of that child's subtree.

    Returns:
        The structure nodes, position for position, all sealed.
    """
    structure = tuple(map(StructureNode, nodes))
    # Reverse pre-order: a parent receives its children, in display order, before it is
    # attached itself, so anytree's loop check looks at a root and costs O(1) per child.
    # Children are found through ``ends``, with no list per resource for the collector.
    for position in range(len(structure) - 1, -1, -1):
        end = ends[position]
        child = position + 1
        if child < end:
            parent_node = structure[position]
            while child < end:
                structure[child].parent = parent_node
                child = ends[child]
    for structure_node in structure:
        structure_node.sealed = True
    return structure

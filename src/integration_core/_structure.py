"""
The one adapter between integration-core and anytree.

An :class:`~integration_core.AclTree` keeps its structure on anytree nodes that carry
frozen :class:`~integration_core.AclNode` payloads, but never asks anytree to walk it:
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

from integration_core._node import AclNode

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


def link(nodes: Sequence[AclNode], parents: Sequence[int]) -> tuple[StructureNode, ...]:
    """
    Build the anytree structure of a forest laid out in pre-order.

    Args:
        nodes: The resources in pre-order.
        parents: For each resource, the position of its parent, ``-1`` for a root.

    Returns:
        The structure nodes, position for position, all sealed.
    """
    structure = tuple(StructureNode(node) for node in nodes)
    children: list[list[StructureNode]] = [[] for _ in nodes]
    for position, parent in enumerate(parents):
        if parent >= 0:
            children[parent].append(structure[position])
    # Reverse pre-order: a parent receives its children, in display order, before it is
    # attached itself, so anytree's loop check looks at a root and costs O(1) per child.
    for position in range(len(nodes) - 1, -1, -1):
        parent_node = structure[position]
        for child in children[position]:
            child.parent = parent_node
    for structure_node in structure:
        structure_node.sealed = True
    return structure

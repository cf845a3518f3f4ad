"""
The shared kernel of the tree: a forest laid out in display (pre-)order.

Every layer that computes over a tree (selections, permissions, rendering) reads this
layout through :attr:`AclTree.layout <integration_core.acl.AclTree.layout>`: one pass
over parallel tuples, with no recursion and no per-node objects.

Example:
    >>> from integration_core.acl import AclTree
    >>> layout = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}]).layout
    >>> layout.position("b"), list(layout.child_positions(0))
    (1, [1])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import attrs

from integration_core.acl._node import AclNode
from integration_core.errors import UnknownResourceError

__all__ = ["Layout"]


@attrs.frozen(eq=False, repr=False)
class Layout:
    """
    A forest laid out in display (pre-)order, indexed for O(1) navigation.

    The subtree of the resource at position ``p`` occupies positions
    ``p .. ends[p] - 1``; that is what makes descendant and subtree questions cheap.

    Example:
        >>> layout = Layout.of([AclNode("sales"), AclNode("orders"), AclNode("catalog")], [-1, 0, -1])
        >>> layout.parents, layout.ends, layout.nodes[layout.index["orders"]].id
        ((-1, 0, -1), (2, 2, 3), 'orders')
    """

    nodes: tuple[AclNode, ...]
    parents: tuple[int, ...]
    ends: tuple[int, ...]
    index: Mapping[str, int]

    @classmethod
    def of(cls, nodes: Sequence[AclNode], parents: Sequence[int]) -> Layout:
        """
        Index a forest given in pre-order with parent positions (``-1`` for a top-level one).

        Example:
            >>> Layout.of([AclNode("a"), AclNode("b"), AclNode("c")], [-1, 0, 1]).ends
            (3, 3, 3)
        """
        count = len(nodes)
        ends = list(range(1, count + 1))
        for position in range(count - 1, -1, -1):
            parent = parents[position]
            if parent >= 0 and ends[position] > ends[parent]:
                ends[parent] = ends[position]
        index = {node.id: position for position, node in enumerate(nodes)}
        return cls(tuple(nodes), tuple(parents), tuple(ends), index)

    def position(self, resource_id: str) -> int:
        """
        The position of ``resource_id``, or :class:`UnknownResourceError`.

        Example:
            >>> layout = Layout.of([AclNode("sales"), AclNode("orders")], [-1, 0])
            >>> layout.position("orders")
            1
            >>> layout.position("refunds")
            Traceback (most recent call last):
                ...
            integration_core.errors.UnknownResourceError: unknown resource id: 'refunds'
        """
        try:
            return self.index[resource_id]
        except (KeyError, TypeError):
            raise UnknownResourceError([str(resource_id)]) from None

    def positions(self, resource_ids: Iterable[object]) -> list[int]:
        """
        The positions of all ``resource_ids``; every unknown id is named in one error.

        Example:
            >>> layout = Layout.of([AclNode("sales"), AclNode("orders")], [-1, 0])
            >>> layout.positions(["orders", "sales"])
            [1, 0]
            >>> layout.positions(["x", "orders", 7])
            Traceback (most recent call last):
                ...
            integration_core.errors.UnknownResourceError: unknown resource ids: '7', 'x'
        """
        index = self.index
        found: list[int] = []
        unknown: list[str] = []
        for resource_id in resource_ids:
            position = index.get(resource_id) if isinstance(resource_id, str) else None
            if position is None:
                unknown.append(str(resource_id))
            else:
                found.append(position)
        if unknown:
            raise UnknownResourceError(unknown)
        return found

    def child_positions(self, position: int) -> Iterator[int]:
        """
        The positions of the children of ``position``, in display order.

        Example:
            >>> nodes = [AclNode("sales"), AclNode("orders"), AclNode("invoice"), AclNode("refunds")]
            >>> list(Layout.of(nodes, [-1, 0, 1, 0]).child_positions(0))
            [1, 3]
        """
        child, end = position + 1, self.ends[position]
        while child < end:
            yield child
            child = self.ends[child]

    def root_positions(self) -> Iterator[int]:
        """
        The positions of the top-level resources, in display order.

        Example:
            >>> nodes = [AclNode("sales"), AclNode("orders"), AclNode("catalog")]
            >>> list(Layout.of(nodes, [-1, 0, -1]).root_positions())
            [0, 2]
        """
        root, end = 0, len(self.nodes)
        while root < end:
            yield root
            root = self.ends[root]

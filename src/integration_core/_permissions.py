"""Compiled permissions: a selection on a tree, ready for O(1) checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import compress
from typing import TYPE_CHECKING

import attrs

from integration_core._access import AccessMode
from integration_core.errors import UnknownResourceError

if TYPE_CHECKING:
    from integration_core._selection import ResourceSelection
    from integration_core._tree import Layout

__all__ = ["Permissions"]


class _Verdicts(dict[str, bool]):
    """Resource id to verdict; an id the tree does not hold raises our typed error."""

    __slots__ = ()

    def __missing__(self, resource_id: str) -> bool:
        raise UnknownResourceError([str(resource_id)])


@attrs.frozen(eq=False, repr=False)
class Permissions:
    """
    A resource selection compiled on one tree: what the API asks on every request.

    :attr:`is_allowed` is a bound dictionary lookup, so a check costs about one hash
    lookup; it raises :class:`~integration_core.errors.UnknownResourceError` for an id
    the tree does not hold, never answering ``False`` silently. Like any mapping lookup,
    it expects a string: an unhashable argument raises ``TypeError``. Compile again
    when the tree or the selection changes.

    Attributes:
        mode: The selection's access mode.
        allowed: Every allowed resource id.
        unreviewed: Resources new or moved since a Custom selection was decided (denied).
        missing: Ids the selection names that the tree no longer holds (ignored).
        is_allowed: ``is_allowed(resource_id) -> bool``.

    Example:
        >>> from integration_core import AclTree, ResourceSelection
        >>> tree = AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}, {"id": "refunds"}]}])
        >>> permissions = ResourceSelection.custom(tree, allow=["sales"], deny=["refunds"]).compile(tree)
        >>> permissions.is_allowed("orders"), permissions.is_allowed("refunds")
        (True, False)
        >>> permissions.denied_among(["sales", "refunds"])
        ('refunds',)
        >>> permissions.is_allowed("customers")
        Traceback (most recent call last):
            ...
        integration_core.errors.UnknownResourceError: unknown resource id: 'customers'
    """

    mode: AccessMode
    allowed: frozenset[str]
    unreviewed: frozenset[str]
    missing: frozenset[str]
    is_allowed: Callable[[str], bool]

    @classmethod
    def _of(
        cls,
        selection: ResourceSelection,
        verdicts: Sequence[bool],
        unreviewed: frozenset[str],
        missing: frozenset[str],
        layout: Layout,
    ) -> Permissions:
        return cls(
            selection.mode,
            frozenset(compress(layout.index, verdicts)),
            unreviewed,
            missing,
            _Verdicts(zip(layout.index, verdicts, strict=True)).__getitem__,
        )

    def denied_among(self, resource_ids: Iterable[str]) -> tuple[str, ...]:
        """
        Which of ``resource_ids`` are not allowed, in the order given.

        An API route that requires several resources may be called only when this is
        empty, as Magento's web API requires every listed resource.

        Raises:
            UnknownResourceError: For the first id the tree does not hold.

        Example:
            >>> from integration_core import AclTree, ResourceSelection
            >>> tree = AclTree.from_data([{"id": "a"}, {"id": "b"}, {"id": "c"}])
            >>> ResourceSelection.custom(tree, allow=["b"]).compile(tree).denied_among(["c", "b", "a"])
            ('c', 'a')
        """
        is_allowed = self.is_allowed
        return tuple(resource_id for resource_id in resource_ids if not is_allowed(resource_id))

    def __repr__(self) -> str:
        return (
            f"<Permissions {self.mode.value}: {len(self.allowed)} allowed, "
            f"{len(self.unreviewed)} unreviewed, {len(self.missing)} missing>"
        )

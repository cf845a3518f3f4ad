"""Compiled permissions: a selection on a tree, ready for O(1) checks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import compress
from typing import TYPE_CHECKING, Any, NoReturn

from integration_core.errors import UnknownResourceError
from integration_core.selection._access import AccessMode

if TYPE_CHECKING:
    from integration_core.acl.layout import Layout
    from integration_core.selection._selection import ResourceSelection

__all__ = ["Permissions"]


def _refuse(*_args: object, **_kwargs: object) -> NoReturn:
    """
    Refused: compiled permissions are read-only, so every way of writing to them raises.

    Example:
        >>> from integration_core import AclTree, ResourceSelection
        >>> permissions = ResourceSelection.all().compile(AclTree.from_data([{"id": "a"}]))
        >>> permissions.pop("a")
        Traceback (most recent call last):
            ...
        TypeError: Permissions are read-only: compile the changed selection again
    """
    raise TypeError("Permissions are read-only: compile the changed selection again")


class Permissions(dict[str, bool]):
    """
    A resource selection compiled on one tree: what the API asks on every request.

    :meth:`is_allowed` costs about one hash lookup, called as
    ``permissions.is_allowed(resource_id)`` or bound to a local name once; it raises
    :class:`~integration_core.errors.UnknownResourceError` for an id the tree does not
    hold, never answering ``False`` silently. Like any mapping lookup, it expects a
    string: an unhashable argument raises ``TypeError``. Compile again when the tree or
    the selection changes.

    A ``Permissions`` is also a read-only mapping of every resource id of the tree, in
    display order, to whether it is allowed (``permissions[resource_id]`` is
    ``is_allowed``). ``resource_id in permissions`` is refused with ``TypeError``: it
    would say whether the tree holds the id, not whether it is allowed; ask
    :meth:`is_allowed`, or ``resource_id in permissions.allowed``. Writing to it raises
    ``TypeError``; two ``Permissions`` are equal only when they are the same object.

    Attributes:
        mode: The selection's access mode.
        allowed: Every allowed resource id.
        unreviewed: Resources new or moved since a Custom selection was decided (denied).
        missing: Ids the selection names that the tree no longer holds (ignored).

    Example:
        >>> from integration_core import AclTree, ResourceSelection
        >>> tree = AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}, {"id": "refunds"}]}])
        >>> permissions = ResourceSelection.custom(tree, allow=["sales"], deny=["refunds"]).compile(tree)
        >>> permissions.is_allowed("orders"), permissions.is_allowed("refunds")
        (True, False)
        >>> permissions.denied_among(["sales", "refunds"])
        ('refunds',)
        >>> dict(permissions)
        {'sales': True, 'orders': True, 'refunds': False}
        >>> permissions.is_allowed("customers")
        Traceback (most recent call last):
            ...
        integration_core.errors.UnknownResourceError: unknown resource id: 'customers'
    """

    __slots__ = ("allowed", "missing", "mode", "unreviewed")

    mode: AccessMode
    allowed: frozenset[str]
    unreviewed: frozenset[str]
    missing: frozenset[str]

    if TYPE_CHECKING:

        def is_allowed(self, resource_id: str, /) -> bool:
            """
            Whether ``resource_id`` is allowed; ``UnknownResourceError`` if the tree lacks it.

            At run time this is ``dict.__getitem__`` itself; the class example shows it.
            """

    else:
        # The dictionary's own C-level lookup, found on the class: the interpreter
        # specialises ``permissions.is_allowed(x)`` to a direct call of it, with no
        # Python frame and no bound method made per call.
        is_allowed = dict.__getitem__

    def __init__(self, *_args: object, **_kwargs: object) -> None:
        raise TypeError("Permissions come from ResourceSelection.compile(tree)")

    @classmethod
    def _of(
        cls,
        selection: ResourceSelection,
        verdicts: Sequence[bool],
        unreviewed: frozenset[str],
        missing: frozenset[str],
        layout: Layout,
    ) -> Permissions:
        return _build(
            zip(layout.index, verdicts, strict=True),
            selection.mode,
            frozenset(compress(layout.index, verdicts)),
            unreviewed,
            missing,
        )

    def __missing__(self, resource_id: str) -> bool:
        raise UnknownResourceError([str(resource_id)])

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
        # A list comprehension, then a tuple: cheaper than a generator on the hot path.
        return tuple([resource_id for resource_id in resource_ids if not is_allowed(resource_id)])

    def __contains__(self, resource_id: object) -> NoReturn:
        raise TypeError(
            "'in' on Permissions is ambiguous: use permissions.is_allowed(resource_id), "
            "or resource_id in permissions.allowed"
        )

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    __hash__ = object.__hash__  # type: ignore[assignment]  # identity, as for any compiled value

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse
    __setattr__ = __delattr__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _build,
            (tuple(self.items()), self.mode, self.allowed, self.unreviewed, self.missing),
        )

    def __repr__(self) -> str:
        return (
            f"<Permissions {self.mode.value}: {len(self.allowed)} allowed, "
            f"{len(self.unreviewed)} unreviewed, {len(self.missing)} missing>"
        )


def _build(
    verdicts: Iterable[tuple[str, bool]],
    mode: AccessMode,
    allowed: frozenset[str],
    unreviewed: frozenset[str],
    missing: frozenset[str],
) -> Permissions:
    """Permissions from their parts: for compiling, and for pickling and copying."""
    permissions = dict.__new__(Permissions)
    dict.update(permissions, verdicts)
    for name, value in (
        ("mode", mode),
        ("allowed", allowed),
        ("unreviewed", unreviewed),
        ("missing", missing),
    ):
        object.__setattr__(permissions, name, value)
    return permissions

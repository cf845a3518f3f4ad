"""Compiled permissions: a selection on a tree, ready for O(1) checks."""

from __future__ import annotations

from collections.abc import (
    Callable,
    Collection,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    ValuesView,
)
from itertools import compress
from typing import Any, NoReturn

from integration_core.acl import MAGENTO_ADMIN
from integration_core.errors import UnknownResourceError
from integration_core.selection._access import AccessMode

__all__ = ["Permissions", "basic_admin", "build_permissions"]


def basic_admin(mode: AccessMode, allowed: Collection[str], *, tree_holds_admin: bool) -> bool:
    """
    Whether Magento allows ``Magento_Backend::admin`` to an integration allowed ``allowed``.

    On a tree that holds it (the full tree) it is the tree's own verdict. The screen's tree
    does not hold it, and Magento's ``Rules::saveRel`` decides it: All allows everything,
    an empty list stores no rule at all, and any other list gets ``Magento_Backend::admin``
    appended ("basic admin permissions"). So it is allowed iff anything is.

    Example:
        >>> basic_admin(AccessMode.CUSTOM, {"Magento_Sales::sales"}, tree_holds_admin=False)
        True
        >>> basic_admin(AccessMode.CUSTOM, set(), tree_holds_admin=False)
        False
        >>> basic_admin(AccessMode.CUSTOM, {"Magento_Sales::sales"}, tree_holds_admin=True)
        False
    """
    if tree_holds_admin:
        return MAGENTO_ADMIN in allowed
    return mode is AccessMode.ALL or bool(allowed)


def _refuse(*_args: object, **_kwargs: object) -> NoReturn:
    """
    Refused: compiled permissions are read-only, so every way of writing to them raises.

    Example:
        >>> from integration_core import AclTree, ResourceSelection
        >>> permissions = ResourceSelection.all().compile(AclTree.from_data([{"id": "a"}]))
        >>> permissions.mode = None
        Traceback (most recent call last):
            ...
        TypeError: Permissions are read-only: compile the changed selection again
    """
    raise TypeError("Permissions are read-only: compile the changed selection again")


class _Verdicts(dict[str, bool]):
    """The verdict table: a miss is an unknown resource, never a silent denial."""

    __slots__ = ()

    def __missing__(self, resource_id: str) -> bool:
        raise UnknownResourceError([str(resource_id)])


class Permissions(Mapping[str, bool]):
    """
    A resource selection compiled on one tree: what the API asks on every request.

    ``is_allowed(resource_id)`` is the verdict table's own C-level lookup, kept on the
    instance: bound to a local name once (``check = permissions.is_allowed``) it costs
    what a bound ``frozenset.__contains__`` costs; called as an attribute it adds one
    slot read. It raises :class:`~integration_core.errors.UnknownResourceError` for an
    id the tree does not hold, never answering ``False`` silently. Compile again when
    the tree or the selection changes.

    A ``Permissions`` is also a read-only :class:`~collections.abc.Mapping` of every
    resource id of the tree, in display order, to whether it is allowed:
    ``permissions[resource_id]`` and ``permissions.get(resource_id)`` are
    ``is_allowed``, and raise the same error for an unknown id (``get`` has no default
    to hide it behind). ``resource_id in permissions`` is refused with ``TypeError``:
    it would say whether the tree holds the id, not whether it is allowed; ask
    :meth:`is_allowed`, or ``resource_id in permissions.allowed``. Writing to it raises
    ``TypeError``. It is a value: two ``Permissions`` are equal when their mode,
    verdicts (in order), unreviewed and missing ids are, and copies are equal to it.

    Attributes:
        mode: The selection's access mode.
        allowed: Every allowed resource id.
        allows_admin: Whether Magento allows ``Magento_Backend::admin``, the ref of routes
            such as ``GET /V1/modules``: on a tree that holds it, its verdict; on the
            screen's tree, which does not, whether anything is allowed, as Magento's
            ``Rules::saveRel`` gives it to every integration that allows a resource.
            :meth:`denied_among` applies it; ``is_allowed`` still raises for it on that tree.
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
        >>> permissions.get("customers")
        Traceback (most recent call last):
            ...
        integration_core.errors.UnknownResourceError: unknown resource id: 'customers'
        >>> permissions.is_allowed("customers")
        Traceback (most recent call last):
            ...
        integration_core.errors.UnknownResourceError: unknown resource id: 'customers'
    """

    __slots__ = (
        "_verdicts",
        "allowed",
        "allows_admin",
        "is_allowed",
        "missing",
        "mode",
        "unreviewed",
    )

    mode: AccessMode
    allowed: frozenset[str]
    allows_admin: bool
    unreviewed: frozenset[str]
    missing: frozenset[str]
    is_allowed: Callable[[str], bool]
    _verdicts: _Verdicts

    def __init__(self, *_args: object, **_kwargs: object) -> None:
        raise TypeError("Permissions come from ResourceSelection.compile(tree)")

    def __getitem__(self, resource_id: str) -> bool:
        return self._verdicts[resource_id]

    def get(self, resource_id: str, /) -> bool:  # type: ignore[override]  # no default: see the class
        """
        Whether ``resource_id`` is allowed, as :meth:`is_allowed`; an unknown id raises.

        Example:
            >>> from integration_core import AclTree, ResourceSelection
            >>> ResourceSelection.all().compile(AclTree.from_data([{"id": "a"}])).get("a")
            True
        """
        return self._verdicts[resource_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._verdicts)

    def __len__(self) -> int:
        return len(self._verdicts)

    def keys(self) -> KeysView[str]:
        """
        Every resource id of the tree, in display order.

        Example:
            >>> from integration_core import AclTree, ResourceSelection
            >>> list(ResourceSelection.all().compile(AclTree.from_data([{"id": "a"}])).keys())
            ['a']
        """
        return self._verdicts.keys()

    def items(self) -> ItemsView[str, bool]:
        """
        Every resource id with its verdict, in display order.

        Example:
            >>> from integration_core import AclTree, ResourceSelection
            >>> list(ResourceSelection.all().compile(AclTree.from_data([{"id": "a"}])).items())
            [('a', True)]
        """
        return self._verdicts.items()

    def values(self) -> ValuesView[bool]:
        """
        Every verdict, in display order.

        Example:
            >>> from integration_core import AclTree, ResourceSelection
            >>> list(ResourceSelection.all().compile(AclTree.from_data([{"id": "a"}])).values())
            [True]
        """
        return self._verdicts.values()

    def denied_among(self, resource_ids: Iterable[str]) -> tuple[str, ...]:
        """
        Which of ``resource_ids`` are not allowed, in the order given.

        An API route that requires several resources may be called only when this is
        empty, as Magento's web API requires every listed resource. As for a route,
        ``Magento_Backend::admin`` on a tree that does not hold it (the screen's) is
        :attr:`allows_admin`: Magento gives it to every integration that allows anything.

        Raises:
            UnknownResourceError: For the first id the tree does not hold.

        Example:
            >>> from integration_core import AclTree, ResourceSelection
            >>> tree = AclTree.from_data([{"id": "a"}, {"id": "b"}, {"id": "c"}])
            >>> ResourceSelection.custom(tree, allow=["b"]).compile(tree).denied_among(["c", "b", "a"])
            ('c', 'a')
            >>> ResourceSelection.custom(tree).compile(tree).denied_among(["Magento_Backend::admin"])
            ('Magento_Backend::admin',)
        """
        # A tuple of types: ``tuple | list`` would build a union object on every call.
        required = resource_ids if isinstance(resource_ids, (tuple, list)) else tuple(resource_ids)
        is_allowed = self.is_allowed
        try:
            # A list comprehension, then a tuple: cheaper than a generator on the hot path.
            return tuple([resource_id for resource_id in required if not is_allowed(resource_id)])
        except UnknownResourceError:
            if MAGENTO_ADMIN in self._verdicts or MAGENTO_ADMIN not in required:
                raise
        # Only a call that names Magento_Backend::admin on the screen's tree comes here.
        admin = self.allows_admin
        return tuple(
            [
                resource_id
                for resource_id in required
                if not (admin if resource_id == MAGENTO_ADMIN else is_allowed(resource_id))
            ]
        )

    def __contains__(self, resource_id: object) -> NoReturn:
        raise TypeError(
            "'in' on Permissions is ambiguous: use permissions.is_allowed(resource_id), "
            "or resource_id in permissions.allowed"
        )

    def _key(self) -> tuple[object, ...]:
        return (self.mode, list(self._verdicts.items()), self.unreviewed, self.missing)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Permissions):
            return NotImplemented
        return self is other or self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # a mapping: equal by value, so not hashable

    __setattr__ = __delattr__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            build_permissions,
            (
                self.mode,
                tuple(self._verdicts),
                tuple(self._verdicts.values()),
                self.unreviewed,
                self.missing,
            ),
        )

    def __repr__(self) -> str:
        return (
            f"<Permissions {self.mode.value}: {len(self.allowed)} allowed, "
            f"{len(self.unreviewed)} unreviewed, {len(self.missing)} missing>"
        )


def build_permissions(
    mode: AccessMode,
    ids: Collection[str],
    verdicts: Collection[bool],
    unreviewed: frozenset[str],
    missing: frozenset[str],
) -> Permissions:
    """
    Permissions from their parts, ids and verdicts position for position: for compiling, pickling, copying.

    Example:
        >>> from integration_core import AccessMode
        >>> build_permissions(AccessMode.CUSTOM, ["a", "b"], [True, False], frozenset(), frozenset()).allowed
        frozenset({'a'})
    """
    table = _Verdicts(zip(ids, verdicts, strict=True))
    permissions = object.__new__(Permissions)
    setter = object.__setattr__
    setter(permissions, "mode", mode)
    setter(permissions, "_verdicts", table)
    allowed = frozenset(compress(ids, verdicts))
    setter(permissions, "allowed", allowed)
    setter(
        permissions,
        "allows_admin",
        basic_admin(mode, allowed, tree_holds_admin=MAGENTO_ADMIN in table),
    )
    setter(permissions, "unreviewed", unreviewed)
    setter(permissions, "missing", missing)
    setter(permissions, "is_allowed", table.__getitem__)
    return permissions

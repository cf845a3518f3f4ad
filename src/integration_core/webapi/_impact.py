"""The impact of a selection on a route map: which routes it opens, and what an edit changes."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import attrs

from integration_core.acl import MAGENTO_ADMIN, AclTree
from integration_core.selection import ResourceSelection
from integration_core.selection._permissions import basic_admin
from integration_core.webapi._route import ANONYMOUS, SELF, Route
from integration_core.webapi._routes import RouteMap

__all__ = ["RouteImpact", "opens", "preview", "reachable"]


def opens(route: Route, allowed: AbstractSet[str], *, any_of: bool = False) -> bool:
    """
    Whether an integration allowed exactly ``allowed`` may call ``route``, because of them.

    Every ref must be satisfied (with ``any_of``, one): ``anonymous`` always is, ``self``
    never is for an integration, an ACL resource id when it is in ``allowed``. A route
    that a caller without credentials may call is open to anyone, so no selection opens it.

    Example:
        >>> route = Route("GET", "/V1/a/b", "S", "m", ("x", "y"))
        >>> opens(route, {"x"}), opens(route, {"x"}, any_of=True), opens(route, {"x", "y"})
        (False, True, True)
        >>> opens(Route("GET", "/V1/a/b", "S", "m", ("x", "anonymous")), {"x"}, any_of=True)
        False
    """
    return _callable(route, allowed, any_of=any_of) and not _callable(
        route, frozenset(), any_of=any_of
    )


def _callable(route: Route, allowed: AbstractSet[str], *, any_of: bool) -> bool:
    satisfied = [ref == ANONYMOUS or (ref != SELF and ref in allowed) for ref in route.resources]
    return any(satisfied) if any_of else all(satisfied)


def reachable(
    routes: RouteMap, tree: AclTree, selection: ResourceSelection, *, any_of: bool = False
) -> tuple[Route, ...]:
    """
    The routes ``selection`` opens on ``tree``, in the map's order.

    A route naming a resource ``tree`` does not hold is never reached
    (:func:`~integration_core.webapi.lint` lists such routes), except
    ``Magento_Backend::admin`` on a tree without it, such as the screen's: Magento gives it
    to every integration that allows anything, so a selection that allows a resource
    reaches its routes.

    Example:
        >>> tree = AclTree.from_data([{"id": "x"}, {"id": "y"}])
        >>> routes = RouteMap([Route("GET", "/V1/a/b", "S", "m", ("x",)),
        ...                    Route("GET", "/V1/a/c", "S", "m", ("y",))])
        >>> [str(route) for route in reachable(routes, tree, ResourceSelection.custom(tree, allow=["y"]))]
        ['GET /V1/a/c']
    """
    allowed = selection.allowed(tree)
    if MAGENTO_ADMIN not in tree and basic_admin(selection.mode, allowed, tree_holds_admin=False):
        allowed |= {MAGENTO_ADMIN}
    return tuple(route for route in routes if opens(route, allowed, any_of=any_of))


@attrs.frozen
class RouteImpact:
    """
    What an edit of a selection changes on a route map.

    Attributes:
        opened: Routes the edited selection opens that the earlier one did not, in map order.
        closed: Routes the earlier selection opened that the edited one does not.

    Example:
        >>> RouteImpact((), ()).changed
        False
    """

    opened: tuple[Route, ...]
    closed: tuple[Route, ...]

    @property
    def changed(self) -> bool:
        """
        Whether any route opens or closes.

        Example:
            >>> RouteImpact((Route("GET", "/V1/a/b", "S", "m", ("x",)),), ()).changed
            True
        """
        return bool(self.opened or self.closed)


def preview(
    routes: RouteMap,
    tree: AclTree,
    before: ResourceSelection,
    after: ResourceSelection,
    *,
    any_of: bool = False,
) -> RouteImpact:
    """
    The routes opened and closed when ``before`` is replaced by ``after``, before saving it.

    Example:
        >>> tree = AclTree.from_data([{"id": "products", "children": [{"id": "update_attributes"}]}])
        >>> routes = RouteMap([Route("PUT", "/V1/products/:sku", "S", "save", ("products",))])
        >>> before = ResourceSelection.custom(tree, allow=["products"])
        >>> preview(routes, tree, before, before.exclude(tree, "update_attributes"))
        RouteImpact(opened=(), closed=())
        >>> [str(route) for route in preview(routes, tree, before, before.exclude(tree, "products")).closed]
        ['PUT /V1/products/:sku']
    """
    was = set(reachable(routes, tree, before, any_of=any_of))
    now = set(reachable(routes, tree, after, any_of=any_of))
    return RouteImpact(
        tuple(route for route in routes if route in now and route not in was),
        tuple(route for route in routes if route in was and route not in now),
    )

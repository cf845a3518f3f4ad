"""Linting a tree with a route map, and a selection with both: what checks nothing, what is missing."""

from __future__ import annotations

import attrs

from integration_core.acl import MAGENTO_ADMIN, AclTree
from integration_core.selection import AccessMode, ResourceSelection
from integration_core.webapi._impact import preview, reachable
from integration_core.webapi._route import Route
from integration_core.webapi._routes import RouteMap

__all__ = ["RouteLint", "SelectionLint", "UndeclaredRef", "lint", "lint_selection"]


@attrs.frozen
class UndeclaredRef:
    """
    A route that requires a resource the tree does not declare (Magento #20585).

    Attributes:
        route: The route.
        resource: The ACL resource id no ``acl.xml`` declares.

    Example:
        >>> UndeclaredRef(Route("GET", "/V1/a/b", "S", "m", ("Vendor_X::y",)), "Vendor_X::y").resource
        'Vendor_X::y'
    """

    route: Route
    resource: str


@attrs.frozen
class RouteLint:
    """
    What a route map and a tree say about each other.

    Attributes:
        undeclared: Each route resource the tree does not declare, in map order.
        unchecked: The tree's resources no route requires, in display order: ticking
            or unticking one of them alone opens or closes no route.

    Example:
        >>> RouteLint((), ()).clean
        True
    """

    undeclared: tuple[UndeclaredRef, ...]
    unchecked: tuple[str, ...]

    @property
    def clean(self) -> bool:
        """
        Whether every route resource is declared (resources no route checks are normal).

        Example:
            >>> RouteLint((), ("Magento_Backend::admin",)).clean
            True
        """
        return not self.undeclared


def lint(routes: RouteMap, tree: AclTree) -> RouteLint:
    """
    Route resources ``tree`` does not declare, and resources of ``tree`` no route checks.

    ``Magento_Backend::admin`` is never undeclared: the screen's tree does not hold it, and
    Magento gives it to every integration that allows anything.

    Example:
        >>> tree = AclTree.from_data([{"id": "products", "children": [{"id": "update_attributes"}]}])
        >>> routes = RouteMap([Route("PUT", "/V1/products/:sku", "S", "save", ("products",)),
        ...                    Route("GET", "/V1/vendor/x", "S", "get", ("Vendor_X::y",))])
        >>> result = lint(routes, tree)
        >>> [(str(item.route), item.resource) for item in result.undeclared], result.unchecked
        ([('GET /V1/vendor/x', 'Vendor_X::y')], ('update_attributes',))
    """
    undeclared = tuple(
        UndeclaredRef(route, ref)
        for route in routes
        for ref in route.acl_resources
        # Magento_Backend::admin is granted by Magento, tree or not: see authorize.
        if ref not in tree and ref != MAGENTO_ADMIN
    )
    checked = routes.resources
    return RouteLint(undeclared, tuple(node.id for node in tree if node.id not in checked))


@attrs.frozen
class SelectionLint:
    """
    What a selection does to a route map.

    Attributes:
        ineffective: The resources the selection excludes (explicit deny decisions),
            in display order, whose exclusion closes no route: taking the exclusion
            back would open nothing. This is Magento #33347's trap: "Update
            Attributes" unticked under "Products" while the route that updates
            attributes checks "Products".
        reachable: The routes the selection opens, in map order.

    Example:
        >>> SelectionLint((), ()).ineffective
        ()
    """

    ineffective: tuple[str, ...]
    reachable: tuple[Route, ...]


def lint_selection(
    routes: RouteMap, tree: AclTree, selection: ResourceSelection, *, any_of: bool = False
) -> SelectionLint:
    """
    The exclusions of ``selection`` that close no route, and the routes it reaches.

    Example:
        >>> tree = AclTree.from_data([{"id": "products", "children": [{"id": "update_attributes"}]}])
        >>> routes = RouteMap([Route("PUT", "/V1/products/:sku", "S", "save", ("products",))])
        >>> selection = ResourceSelection.custom(tree, allow=["products"], deny=["update_attributes"])
        >>> result = lint_selection(routes, tree, selection)
        >>> result.ineffective, [str(route) for route in result.reachable]
        (('update_attributes',), ['PUT /V1/products/:sku'])
    """
    ineffective: list[str] = []
    if selection.mode is AccessMode.CUSTOM:
        for node in tree:
            if node.id in selection.deny:
                without = ResourceSelection(
                    AccessMode.CUSTOM,
                    selection.allow,
                    selection.deny - {node.id},
                    selection.reviewed,
                )
                if not preview(routes, tree, selection, without, any_of=any_of).opened:
                    ineffective.append(node.id)
    return SelectionLint(tuple(ineffective), reachable(routes, tree, selection, any_of=any_of))

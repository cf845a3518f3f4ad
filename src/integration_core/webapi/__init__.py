r"""
Web API routes: Magento's ``webapi.xml`` as an immutable route map, matched and authorized.

A :class:`RouteMap` holds every REST route: its method, URL template, service and the
resources it requires. :meth:`RouteMap.match` finds the route Magento's router serves for
a request; :meth:`RouteMap.authorize` decides it for compiled
:class:`~integration_core.Permissions`; :func:`explain` says, in a merchant's words, which
decision denies each resource; :func:`lint` and :func:`lint_selection` find what checks
nothing; :func:`preview` shows the routes an edit opens and closes, before it is saved.

Example:
    >>> from integration_core import AclTree, ResourceSelection
    >>> from integration_core.webapi import RouteMap, preview
    >>> tree = AclTree.from_data([{"id": "Magento_Catalog::products", "title": "Products",
    ...     "children": [{"id": "Magento_Catalog::update_attributes", "title": "Update Attributes"}]}])
    >>> routes = RouteMap.from_data([{"method": "PUT", "url": "/V1/products/:sku",
    ...     "service_class": "Magento\\Catalog\\Api\\ProductRepositoryInterface", "service_method": "save",
    ...     "resources": ["Magento_Catalog::products"]}])
    >>> before = ResourceSelection.custom(tree, allow=["Magento_Catalog::products"])
    >>> after = before.exclude(tree, "Magento_Catalog::update_attributes")
    >>> preview(routes, tree, before, after).changed
    False
    >>> routes.authorize(after.compile(tree), "PUT", "/V1/products/24-MB01").allowed
    True
"""

from integration_core.webapi._authorize import RouteDecision, RouteDenial, authorize
from integration_core.webapi._explain import DenialCause, DenialExplanation, explain
from integration_core.webapi._impact import RouteImpact, opens, preview, reachable
from integration_core.webapi._lint import (
    RouteLint,
    SelectionLint,
    UndeclaredRef,
    lint,
    lint_selection,
)
from integration_core.webapi._matching import RouteMatch
from integration_core.webapi._route import ANONYMOUS, SELF, ForcedParameter, Route
from integration_core.webapi._routes import RouteMap

__all__ = [
    "ANONYMOUS",
    "SELF",
    "DenialCause",
    "DenialExplanation",
    "ForcedParameter",
    "Route",
    "RouteDecision",
    "RouteDenial",
    "RouteImpact",
    "RouteLint",
    "RouteMap",
    "RouteMatch",
    "SelectionLint",
    "UndeclaredRef",
    "authorize",
    "explain",
    "lint",
    "lint_selection",
    "opens",
    "preview",
    "reachable",
]


def __dir__() -> list[str]:
    return sorted(__all__)

"""
Routes that require ``Magento_Backend::admin``, which Magento gives every integration that allows anything.

Magento's ``Rules::saveRel`` stores no rule for an empty list, allows everything for All, and
appends ``Magento_Backend::admin`` to any other list. The screen's tree (``subtree(MAGENTO_ADMIN)``)
does not hold that id, so its verdict is whether anything is allowed; on the full tree it is the
tree's own. The references below are computed from the allowed set, not from the code.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import MAGENTO_ADMIN, AclTree, ResourceSelection
from integration_core.adapters.memory import InMemoryIntegrationRepository
from integration_core.errors import InvalidSelectionError, UnknownResourceError
from integration_core.service._authorization import CallAuthorizer
from integration_core.testing.builders import sample_integration
from integration_core.webapi import (
    DenialCause,
    Route,
    RouteDenial,
    RouteMap,
    authorize,
    explain,
    lint,
    lint_selection,
    preview,
)
from tests.webapi.test_magento_webapi_data import acl_tree, route_map
from tests.webapi.test_route_laws import selections, trees
from tests.webapi.test_service_impact import _changed, _service

MODULES = ("GET", "/V1/modules")


def admin_routes(others: tuple[str, ...]) -> RouteMap:
    """The admin ref alone, first and last among others, on exact URLs and behind a parameter."""
    return RouteMap(
        [
            Route("GET", "/V1/modules", "S", "get", (MAGENTO_ADMIN,)),
            Route("POST", "/V1/modules", "S", "post", (MAGENTO_ADMIN, *others)),
            Route("GET", "/V1/modules/:name", "S", "get", (*others, MAGENTO_ADMIN)),
            Route("PUT", "/V1/modules/:name", "S", "put", (MAGENTO_ADMIN, *others), secure=True),
        ]
    )


def check_against(
    tree: AclTree, selection: ResourceSelection, others: tuple[str, ...], admin: bool
) -> None:
    """Every admin route decided as the reference says, given the reference's admin verdict."""
    allowed = selection.allowed(tree)
    permissions = selection.compile(tree)
    routes = admin_routes(others)
    reachable = lint_selection(routes, tree, selection).reachable
    for route in routes:
        path = route.path(name="Magento_Sales")
        unsatisfied = tuple(
            ref
            for ref in route.resources
            if not (admin if ref == MAGENTO_ADMIN else ref in allowed)
        )
        for any_of in (False, True):
            expected = len(unsatisfied) < len(route.resources) if any_of else not unsatisfied
            decision = routes.authorize(permissions, route.method, path, any_of=any_of)
            assert decision == authorize(
                routes.match(route.method, path), permissions, any_of=any_of
            )
            assert (decision.route, decision.allowed) == (route, expected)
            if not expected:
                assert decision.reason is RouteDenial.MISSING_RESOURCES
                assert decision.denied == unsatisfied
        assert (route in reachable) is (not unsatisfied)
        # A call checked by its resources, as the service checks it, agrees with the route.
        assert permissions.denied_among(route.resources) == unsatisfied
        assert permissions.denied_among(iter(route.resources)) == unsatisfied


@pytest.mark.law
@given(trees().flatmap(lambda tree: st.tuples(st.just(tree), selections(tree), st.data())))
def test_on_the_screens_tree_the_admin_ref_is_allowed_iff_anything_is(
    case: tuple[AclTree, ResourceSelection, st.DataObject],
) -> None:
    """
    Rule: on a tree without Magento_Backend::admin (the screen's), a route requiring it and other
    refs is allowed iff the selection allows at least one resource and the other refs are allowed
    (with any-of: iff anything is allowed or one other ref is); other unknown ids still raise.
    """
    tree, selection, data = case
    others = tuple(data.draw(st.lists(st.sampled_from(tree.ids), unique=True, max_size=2)))
    check_against(tree, selection, others, admin=bool(selection.allowed(tree)))
    permissions = selection.compile(tree)
    assert permissions.allows_admin is bool(selection.allowed(tree))
    with pytest.raises(UnknownResourceError):
        permissions.is_allowed(MAGENTO_ADMIN)
    with pytest.raises(UnknownResourceError, match="Vendor_X::y"):
        permissions.denied_among([MAGENTO_ADMIN, "Vendor_X::y"])
    with pytest.raises(UnknownResourceError, match="Vendor_X::y"):
        RouteMap([Route("GET", "/V1/a/b", "S", "m", (MAGENTO_ADMIN, "Vendor_X::y"))]).authorize(
            permissions, "GET", "/V1/a/b"
        )


def full_tree(data: list[dict[str, Any]]) -> AclTree:
    return AclTree.from_data(
        [{"id": "Magento_Backend::all"}, {"id": MAGENTO_ADMIN, "children": data}]
    )


@pytest.mark.law
@given(
    trees()
    .map(lambda tree: full_tree(tree.to_data()))
    .flatmap(lambda tree: st.tuples(st.just(tree), selections(tree), st.data()))
)
def test_on_the_full_tree_the_admin_ref_is_the_trees_own_verdict(
    case: tuple[AclTree, ResourceSelection, st.DataObject],
) -> None:
    """
    Rule: on a tree that holds Magento_Backend::admin (the full tree), a route requiring it is
    decided by the tree's own verdict on it, like any other resource.
    """
    tree, selection, data = case
    under = tuple(node.id for node in tree.descendants(MAGENTO_ADMIN))
    others = tuple(data.draw(st.lists(st.sampled_from(under), unique=True, max_size=2)))
    admin = MAGENTO_ADMIN in selection.allowed(tree)
    check_against(tree, selection, others, admin=admin)
    assert selection.compile(tree).allows_admin is admin


def screen() -> AclTree:
    return acl_tree().subtree(MAGENTO_ADMIN)


def test_get_modules_is_allowed_for_all_and_for_one_resource_and_denied_for_nothing() -> None:
    tree, routes = screen(), route_map()
    assert routes.route(*MODULES).resources == (MAGENTO_ADMIN,)
    for allowed in (
        ResourceSelection.all(),
        ResourceSelection.custom(tree, allow=["Magento_Sales::actions_view"]),
    ):
        assert routes.authorize(allowed.compile(tree), *MODULES).allowed
    nothing = ResourceSelection.custom(tree)
    decision = routes.authorize(nothing.compile(tree), *MODULES)
    assert (decision.allowed, decision.reason, decision.denied) == (
        False,
        RouteDenial.MISSING_RESOURCES,
        (MAGENTO_ADMIN,),
    )
    [why] = explain(decision, tree, nothing)
    assert (why.resource, why.cause, why.decided_by) == (
        MAGENTO_ADMIN,
        DenialCause.NOTHING_ALLOWED,
        None,
    )
    assert why.message == (
        "This endpoint needs Magento's basic admin access, which an integration has as soon "
        "as it allows any resource; this one allows none."
    )
    with pytest.raises(InvalidSelectionError, match="allowed by this selection"):
        explain([MAGENTO_ADMIN], tree, ResourceSelection.all())


def test_get_modules_on_the_full_tree_is_the_trees_verdict() -> None:
    tree, routes = acl_tree(), route_map()
    one = ResourceSelection.custom(tree, allow=["Magento_Sales::actions_view"])
    assert not routes.authorize(one.compile(tree), *MODULES).allowed
    [why] = explain(routes.authorize(one.compile(tree), *MODULES), tree, one)
    assert why.cause is DenialCause.NO_DECISION
    admin = ResourceSelection.custom(tree, allow=[MAGENTO_ADMIN])
    assert routes.authorize(admin.compile(tree), *MODULES).allowed


def test_lint_on_the_screens_tree_no_longer_lists_the_admin_ref() -> None:
    tree, routes = screen(), route_map()
    assert lint(routes, tree).undeclared == ()
    modules = routes.route(*MODULES)
    assert modules in lint_selection(routes, tree, ResourceSelection.all()).reachable
    one = ResourceSelection.custom(tree, allow=["Magento_Sales::actions_view"])
    assert modules in lint_selection(routes, tree, one).reachable
    assert modules not in lint_selection(routes, tree, ResourceSelection.custom(tree)).reachable


def test_the_preview_opens_get_modules_with_the_first_resource_and_closes_it_with_the_last() -> (
    None
):
    tree, routes = screen(), route_map()
    modules = routes.route(*MODULES)
    nothing = ResourceSelection.custom(tree)
    first = nothing.grant(tree, "Magento_Sales::actions_view")
    assert modules in preview(routes, tree, nothing, first).opened
    assert modules in preview(routes, tree, first, nothing).closed
    second = first.grant(tree, "Magento_Catalog::products")
    assert modules not in preview(routes, tree, first, second).opened
    assert modules not in preview(routes, tree, second, first).closed


def test_the_services_permissions_event_opens_get_modules_with_the_first_resource() -> None:
    tree, routes = screen(), route_map()
    nothing = ResourceSelection.custom(tree)
    (changed,) = _changed(
        _service(tree, routes), nothing, nothing.grant(tree, "Magento_Sales::actions_view")
    )
    assert changed.routes is not None
    assert routes.route(*MODULES) in changed.routes.opened


def test_the_services_check_by_resources_agrees_with_the_route_on_get_modules() -> None:
    tree, routes = screen(), route_map()
    required = routes.route(*MODULES).resources
    authorizer = CallAuthorizer(InMemoryIntegrationRepository(), tree)
    for selection in (
        ResourceSelection.all(),
        ResourceSelection.custom(tree, allow=["Magento_Sales::actions_view"]),
        ResourceSelection.custom(tree),
    ):
        integration = attrs.evolve(sample_integration(access_token="t" * 32), selection=selection)
        by_route = routes.authorize(authorizer.permissions(integration), *MODULES)
        decision = authorizer.decide(integration, required)
        assert decision.allowed is by_route.allowed
        assert decision.missing == by_route.denied

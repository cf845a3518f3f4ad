"""Authorizing by route, explaining a denial, linting and previewing: the cases the laws leave out."""

from __future__ import annotations

import pytest

from integration_core import AclTree, ResourceSelection
from integration_core.errors import InvalidSelectionError, UnknownResourceError
from integration_core.webapi import (
    DenialCause,
    Route,
    RouteDecision,
    RouteDenial,
    RouteMap,
    RouteMatch,
    authorize,
    explain,
    lint,
    lint_selection,
    preview,
)

TREE = AclTree.from_data(
    [
        {
            "id": "Magento_Catalog::catalog",
            "title": "Catalog",
            "children": [
                {
                    "id": "Magento_Catalog::products",
                    "title": "Products",
                    "children": [{"id": "Magento_Catalog::update_attributes"}],
                }
            ],
        },
        {"id": "Magento_Sales::sales", "title": "Sales"},
    ]
)
ROUTES = RouteMap(
    [
        Route("PUT", "/V1/products/:sku", "P", "save", ("Magento_Catalog::products",)),
        Route("GET", "/V1/orders/:id", "O", "get", ("Magento_Sales::sales",)),
        Route(
            "GET", "/V1/both/x", "B", "get", ("Magento_Sales::sales", "Magento_Catalog::products")
        ),
        Route("GET", "/V1/customers/me", "C", "get", ("self",)),
        Route("GET", "/V1/mixed/me", "C", "get", ("self", "Magento_Sales::sales")),
        Route("GET", "/V1/store/views", "S", "list", ("anonymous",)),
        Route("GET", "/V1/secure/x", "S", "get", ("Magento_Sales::sales",), secure=True),
    ]
)


def test_a_guest_may_call_anonymous_routes_only() -> None:
    assert ROUTES.authorize(None, "GET", "/V1/store/views").allowed
    denied = ROUTES.authorize(None, "GET", "/V1/orders/1")
    assert (denied.reason, denied.denied) == (
        RouteDenial.MISSING_RESOURCES,
        ("Magento_Sales::sales",),
    )
    assert ROUTES.authorize(None, "GET", "/V1/customers/me").reason is RouteDenial.CUSTOMER_ONLY


def test_several_resources_are_all_required_unless_any_of_is_asked_for() -> None:
    sales = ResourceSelection.custom(TREE, allow=["Magento_Sales::sales"]).compile(TREE)
    both = ROUTES.authorize(sales, "GET", "/V1/both/x")
    assert (both.allowed, both.denied) == (False, ("Magento_Catalog::products",))
    assert both.message == (
        "The consumer isn't authorized to access Magento_Sales::sales, Magento_Catalog::products."
    )
    assert ROUTES.authorize(sales, "GET", "/V1/both/x", any_of=True).allowed
    mixed = ROUTES.authorize(sales, "GET", "/V1/mixed/me")
    assert (mixed.reason, mixed.denied) == (RouteDenial.CUSTOMER_ONLY, ("self",))
    assert ROUTES.authorize(sales, "GET", "/V1/mixed/me", any_of=True).allowed


def test_decisions_name_their_route_and_say_magentos_sentences() -> None:
    everything = ResourceSelection.all().compile(TREE)
    allowed = ROUTES.authorize(everything, "GET", "/V1/orders/9")
    matched = RouteMatch(ROUTES.route("GET", "/V1/orders/:id"), (("id", "9"),))
    assert allowed == RouteDecision(allowed=True, reason=None, match=matched)
    assert (allowed.message, allowed.route) == ("Allowed.", ROUTES.route("GET", "/V1/orders/:id"))
    assert (
        ROUTES.authorize(everything, "GET", "/V1/secure/x", https=False).reason
        is RouteDenial.HTTPS_REQUIRED
    )
    missing = ROUTES.authorize(everything, "POST", "/V1/orders/9")
    assert (missing.reason, missing.route, missing.message) == (
        RouteDenial.NO_ROUTE,
        None,
        "Request does not match any route.",
    )


def test_a_route_resource_the_tree_does_not_hold_is_a_host_bug_not_a_denial() -> None:
    route = Route("GET", "/V1/vendor/x", "V", "get", ("Vendor_X::y",))
    with pytest.raises(UnknownResourceError, match="Vendor_X::y"):
        authorize(RouteMatch(route), ResourceSelection.all().compile(TREE))


def test_every_cause_of_a_denial_is_explained_in_merchant_words() -> None:
    selection = ResourceSelection.custom(
        TREE, allow=["Magento_Catalog::catalog"], deny=["Magento_Catalog::products"]
    )
    decision = ROUTES.authorize(selection.compile(TREE), "GET", "/V1/mixed/me")
    self_why, sales_why = explain(decision, TREE, selection)
    assert self_why.cause is DenialCause.CUSTOMER_ONLY
    assert sales_why.cause is DenialCause.NO_DECISION
    assert sales_why.message == "\u201cSales\u201d is not ticked, and nothing above it is."
    [products] = explain(["Magento_Catalog::products"], TREE, selection)
    assert (products.cause, products.decided_by) == (
        DenialCause.DECISION,
        "Magento_Catalog::products",
    )
    assert products.message == "\u201cProducts\u201d is unticked."
    [untitled] = explain(["Magento_Catalog::update_attributes"], TREE, selection)
    assert untitled.message == (
        "\u201cMagento_Catalog::update_attributes\u201d is off because \u201cProducts\u201d above it is unticked."
    )
    assert explain(ROUTES.authorize(None, "GET", "/V1/store/views"), TREE, selection) == ()


def test_a_resource_new_since_the_selection_was_saved_is_explained_as_unreviewed() -> None:
    old = AclTree.from_data([{"id": "sales", "title": "Sales"}])
    new = AclTree.from_data(
        [{"id": "sales", "title": "Sales", "children": [{"id": "sales_new", "title": "New"}]}]
    )
    selection = ResourceSelection.custom(old, allow=["sales"])
    [why] = explain(["sales_new"], new, selection)
    assert (why.cause, why.decided_by) == (DenialCause.UNREVIEWED, None)
    assert why.message.startswith(
        "\u201cNew\u201d is new or was moved since these resources were last saved"
    )


def test_explaining_an_allowed_resource_is_refused() -> None:
    with pytest.raises(InvalidSelectionError, match="allowed by this selection"):
        explain(["Magento_Sales::sales"], TREE, ResourceSelection.all())
    allowed = ResourceSelection.custom(TREE, allow=["Magento_Sales::sales"])
    with pytest.raises(
        InvalidSelectionError, match=r"^selection: 'Magento_Sales::sales' is allowed"
    ):
        explain(["Magento_Sales::sales"], TREE, allowed)
    with pytest.raises(UnknownResourceError):
        explain(["nowhere"], TREE, allowed)


def test_lint_lists_undeclared_refs_and_unchecked_resources() -> None:
    routes = RouteMap([*ROUTES, Route("GET", "/V1/vendor/x", "V", "get", ("Vendor_X::y", "self"))])
    result = lint(routes, TREE)
    assert not result.clean
    assert [(str(item.route), item.resource) for item in result.undeclared] == [
        ("GET /V1/vendor/x", "Vendor_X::y")
    ]
    assert result.unchecked == ("Magento_Catalog::catalog", "Magento_Catalog::update_attributes")
    assert lint(ROUTES, TREE).clean


def test_an_all_selection_has_no_exclusions_and_reaches_every_acl_route() -> None:
    result = lint_selection(ROUTES, TREE, ResourceSelection.all())
    assert result.ineffective == ()
    assert [str(route) for route in result.reachable] == [
        "PUT /V1/products/:sku",
        "GET /V1/orders/:id",
        "GET /V1/both/x",
        "GET /V1/secure/x",
    ]


def test_the_33347_story_the_exclusion_changes_no_route_and_the_lint_flags_it() -> None:
    before = ResourceSelection.custom(TREE, allow=["Magento_Catalog::catalog"])
    after = before.exclude(TREE, "Magento_Catalog::update_attributes")
    assert not preview(ROUTES, TREE, before, after).changed
    assert lint_selection(ROUTES, TREE, after).ineffective == (
        "Magento_Catalog::update_attributes",
    )
    closing = preview(ROUTES, TREE, before, before.exclude(TREE, "Magento_Catalog::products"))
    assert closing.changed
    assert [str(route) for route in closing.closed] == ["PUT /V1/products/:sku"]
    assert closing.opened == ()

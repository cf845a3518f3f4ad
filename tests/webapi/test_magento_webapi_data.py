"""
Real data: the 23 Magento 2.4 webapi.xml files in tests/fixtures/magento-webapi/2.4, with the ACL tree.

The expected facts come from the fixtures' README.md; the whole route map is checked against an
independent read done here with the standard library's ElementTree (trusted files, reference only),
and matching against a port of Magento's router.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # trusted fixtures, reference model only
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from integration_core import AclTree, ResourceSelection
from integration_core.webapi import (
    RouteDenial,
    RouteMap,
    lint,
    lint_selection,
    preview,
)
from tests.webapi._magento_reference import magento_match

FIXTURES = Path(__file__).parent.parent / "fixtures"
WEBAPI = FIXTURES / "magento-webapi" / "2.4"
ACL = FIXTURES / "magento-acl" / "2.4"


@cache
def documents() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(WEBAPI.glob("*.xml"))}


@cache
def route_map() -> RouteMap:
    return RouteMap.from_magento_xml(documents())


@cache
def acl_tree() -> AclTree:
    return AclTree.from_magento_xml(
        {path.name: path.read_bytes() for path in sorted(ACL.glob("*.xml"))}
    )


def reference_routes() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for document in documents().values():
        for route in ET.fromstring(document).iter("route"):  # noqa: S314  # trusted fixtures
            service = route.find("service")
            assert service is not None
            found.append(
                {
                    "method": route.attrib["method"],
                    "url": route.attrib["url"],
                    "service_class": service.attrib["class"],
                    "service_method": service.attrib["method"],
                    "resources": [item.attrib["ref"] for item in route.iter("resource")],
                    "secure": route.attrib.get("secure") == "true",
                    "parameters": [
                        {"name": item.attrib["name"], "value": item.text, "force": True}
                        for item in route.iter("parameter")
                    ],
                    "soap_operation": None,
                    "input_array_size_limit": None,
                }
            )
    return found


def test_all_23_files_read_into_the_routes_an_independent_read_finds() -> None:
    assert len(documents()) == 23
    assert reference_routes() == route_map().to_data()


def test_the_route_map_has_the_documented_counts() -> None:
    """README: 345 routes (GET 148, POST 103, PUT 56, DELETE 38), 37 self, 40 anonymous, 37 with data."""
    routes = route_map()
    assert len(routes) == 345
    assert Counter(route.method for route in routes) == {
        "GET": 148,
        "POST": 103,
        "PUT": 56,
        "DELETE": 38,
    }
    assert sum(route.customer_self for route in routes) == 37
    assert sum(route.anonymous for route in routes) == 40
    assert sum(bool(route.parameters) for route in routes) == 37
    assert len(routes.resources) == 37
    assert all(len(route.resources) == 1 for route in routes)


def test_known_routes_have_their_documented_resources_and_options() -> None:
    routes = route_map()
    analytics = routes.route("GET", "/V1/analytics/link")
    assert analytics.secure
    assert [route.key for route in routes if route.secure] == [analytics.key]
    assert routes.route("POST", "/V1/orders").resources == ("Magento_Sales::api_actions",)
    assert routes.route("GET", "/V1/products/:sku").acl_resources == ("Magento_Catalog::products",)
    assert routes.route("PUT", "/V1/carts/mine").parameters[0].name == "quote.id"
    assert routes.route("PUT", "/V1/guest-carts/:cartId").customer_self
    assert routes.route("GET", "/V1/guest-carts/:cartId").anonymous
    assert len(routes.checking("Magento_Cart::manage")) == 24
    assert len(routes.checking("Magento_Logging::system_magento_logging_bulk_operations")) == 4


def test_every_route_resource_is_declared_by_the_magento_acl_files() -> None:
    """README: refs not declared in ../magento-acl/2.4/*.xml: 0."""
    result = lint(route_map(), acl_tree())
    assert result.clean
    assert result.undeclared == ()
    assert len(result.unchecked) == len(acl_tree()) - 37
    assert "Magento_Catalog::update_attributes" in result.unchecked


def test_every_route_is_matched_by_its_own_url_as_magento_matches_it() -> None:
    routes = route_map()
    for route in routes:
        path = route.path(**dict.fromkeys(route.params, "x1"))
        expected = magento_match(routes, route.method, path)
        found = routes.match(route.method, path)
        assert expected is not None
        assert found is not None
        assert (expected[0], expected[1]) == (found.route, found.arguments)


@pytest.mark.parametrize(
    ("method", "path", "url"),
    [
        # a static segment starting with a letter sorts after ':' and wins
        ("GET", "/V1/products/attributes/color", "/V1/products/attributes/:attributeCode"),
        ("GET", "/V1/products/attributes/options", "/V1/products/attributes/:attributeCode"),
        ("GET", "/V1/products/24-MB01/options", "/V1/products/:sku/options"),
        ("GET", "/V1/carts/mine", "/V1/carts/mine"),
        ("GET", "/V1/carts/17", "/V1/carts/:cartId"),
        ("GET", "/V1/stockItems/lowStock", "/V1/stockItems/lowStock/"),
        ("POST", "/V1/carts/", "/V1/carts/"),
    ],
)
def test_known_precedence_cases_match_as_magento_does(method: str, path: str, url: str) -> None:
    found = route_map().match(method, path)
    expected = magento_match(route_map(), method, path)
    assert found is not None
    assert expected is not None
    assert url == found.route.url == expected[0].url


def test_the_33347_exclusion_closes_no_route_and_the_lint_says_so() -> None:
    tree, routes = acl_tree(), route_map()
    before = ResourceSelection.custom(tree, allow=["Magento_Catalog::catalog"])
    after = before.exclude(tree, "Magento_Catalog::update_attributes")
    assert not preview(routes, tree, before, after).changed
    assert "Magento_Catalog::update_attributes" in lint_selection(routes, tree, after).ineffective
    closing = before.exclude(tree, "Magento_Catalog::products")
    closed = preview(routes, tree, before, closing).closed
    assert routes.route("PUT", "/V1/products/:sku") in closed
    assert "Magento_Catalog::products" not in lint_selection(routes, tree, closing).ineffective


def test_an_all_integration_may_call_every_acl_route_but_no_self_route() -> None:
    tree, routes = acl_tree(), route_map()
    permissions = ResourceSelection.all().compile(tree)
    for route in routes:
        decision = routes.authorize(
            permissions, route.method, route.path(**dict.fromkeys(route.params, "7"))
        )
        assert decision.route == route
        assert decision.allowed is not route.customer_self
        if route.customer_self:
            assert decision.reason is RouteDenial.CUSTOMER_ONLY


def test_a_secure_route_over_plain_http_is_denied_after_the_resource_check() -> None:
    tree, routes = acl_tree(), route_map()
    everything = ResourceSelection.all().compile(tree)
    nothing = ResourceSelection.custom(tree).compile(tree)
    over_http = routes.authorize(everything, "GET", "/V1/analytics/link", https=False)
    assert over_http.reason is RouteDenial.HTTPS_REQUIRED
    assert over_http.message == "Operation allowed only in HTTPS"
    assert routes.authorize(everything, "GET", "/V1/analytics/link").allowed
    denied = routes.authorize(nothing, "GET", "/V1/analytics/link", https=False)
    assert denied.reason is RouteDenial.MISSING_RESOURCES

"""Reading routes from webapi.xml and plain data: merging, and a typed error naming route and document."""

from __future__ import annotations

from typing import Any

import pytest

from integration_core.errors import (
    IntegrationCoreError,
    RouteDefinitionError,
    UnknownRouteError,
)
from integration_core.webapi import ForcedParameter, Route, RouteMap

SERVICE = '<service class="Magento\\Catalog\\Api\\ProductRepositoryInterface" method="get"/>'
RESOURCES = '<resources><resource ref="Magento_Catalog::products"/></resources>'


def document(*routes: str) -> str:
    return "<routes>" + "".join(routes) + "</routes>"


def route(url: str = "/V1/products/:sku", method: str = "GET", body: str = "", **extra: str) -> str:
    attributes = "".join(f' {name}="{value}"' for name, value in extra.items())
    return f'<route url="{url}" method="{method}"{attributes}>{body or SERVICE + RESOURCES}</route>'


def test_errors_are_typed_and_derive_from_the_builtin_they_mean() -> None:
    assert issubclass(RouteDefinitionError, IntegrationCoreError)
    assert issubclass(RouteDefinitionError, ValueError)
    assert issubclass(UnknownRouteError, LookupError)
    error = UnknownRouteError("GET", "/V1/x")
    assert (error.method, error.url, str(error)) == ("GET", "/V1/x", "no route GET /V1/x")


def test_a_full_route_reads_every_attribute_and_forced_parameter() -> None:
    routes = RouteMap.from_magento_xml(
        document(
            route(
                "/V1/carts/mine",
                "PUT",
                '<service class="Q" method="save"/>'
                '<resources><resource ref="self"/><resource ref="self"/></resources>'
                '<data input-array-size-limit=" 20 ">'
                '<parameter name="quote.id" force="true">%cart_id%</parameter>'
                '<parameter name="empty">null</parameter>'
                '<parameter name="kept" force="0"> x </parameter>'
                "</data>",
                secure="1",
                soapOperation="saveMine",
            )
        )
    )
    found = routes.route("PUT", "/V1/carts/mine")
    assert found == Route(
        "PUT",
        "/V1/carts/mine",
        "Q",
        "save",
        ("self",),
        secure=True,
        parameters=(
            ForcedParameter("quote.id", "%cart_id%", force=True),
            ForcedParameter("empty", None, force=False),
            ForcedParameter("kept", " x ", force=False),
        ),
        soap_operation="saveMine",
        input_array_size_limit=20,
    )
    assert found.source == "webapi.xml: /routes[1]/route[1]"
    assert RouteMap.from_data(routes.to_data()) == routes


def test_a_later_document_merges_into_a_route_as_magentos_dom_merger_does() -> None:
    first = document(
        route(
            body=SERVICE + RESOURCES + '<data><parameter name="a">1</parameter></data>',
            secure="true",
            soapOperation="one",
        ),
        route("/V1/products", "POST"),
    )
    second = document(
        route(
            body='<service class="Other" method="fetch"/>'
            '<resources><resource ref="Vendor_Pim::sync"/><resource ref="Magento_Catalog::products"/>'
            '</resources><data input-array-size-limit="3"><parameter name="a">2</parameter>'
            '<parameter name="b">3</parameter></data>',
        )
    )
    routes = RouteMap.from_magento_xml({"Catalog.xml": first, "Vendor.xml": second.encode()})
    merged = routes.route("GET", "/V1/products/:sku")
    assert (merged.service_class, merged.service_method) == ("Other", "fetch")
    assert merged.resources == ("Magento_Catalog::products", "Vendor_Pim::sync")
    assert merged.secure
    assert merged.soap_operation == "one"
    assert merged.input_array_size_limit == 3
    assert [(p.name, p.value) for p in merged.parameters] == [("a", "2"), ("b", "3")]
    assert merged.source == "Catalog.xml: /routes[1]/route[1]"
    assert [r.key for r in routes] == [("GET", "/V1/products/:sku"), ("POST", "/V1/products")]
    overriding = document(route(secure="false", soapOperation="two"))
    again = RouteMap.from_magento_xml([first, overriding]).route("GET", "/V1/products/:sku")
    assert (again.secure, again.soap_operation) == (False, "two")


def test_documents_may_be_one_text_a_sequence_or_a_mapping() -> None:
    text = document(route())
    assert RouteMap.from_magento_xml(text) == RouteMap.from_magento_xml([text.encode()])
    assert RouteMap.from_magento_xml(document()) == RouteMap()


XML_ERRORS = [
    ("<routes><route", "webapi.xml: malformed XML"),
    ("<config/>", "webapi.xml: /config[1]: unexpected element <config>, expected <routes>"),
    (
        document(
            '<route url="/V1/a/b" method="GET"><service class="S" method="m"/><oops/></route>'
        ),
        (
            "webapi.xml: /routes[1]/route[1]/oops[1]: GET /V1/a/b: unexpected element <oops>, "
            "expected <data> or <resources> or <service>"
        ),
    ),
    (
        document(route(body=SERVICE + "<resources><resource/></resources>")),
        (
            "/routes[1]/route[1]/resources[1]/resource[1]: GET /V1/products/:sku: "
            "<resource> needs the attributes: ref"
        ),
    ),
    (
        document(route(colour="red")),
        "webapi.xml: /routes[1]/route[1]: GET /V1/products/:sku: <route> has unknown attributes: colour",
    ),
    ('<routes colour="red"/>', "webapi.xml: /routes[1]: <routes> has unknown attributes: colour"),
    (document('<route url="/V1/a/b"/>'), "None /V1/a/b: <route> needs the attributes: method"),
    (document(route(method="PATCH")), "method must be GET, POST, PUT or DELETE, got 'PATCH'"),
    (
        document(route(secure="yes")),
        "GET /V1/products/:sku: secure must be an xs:boolean, got 'yes'",
    ),
    (
        document(route(body=RESOURCES)),
        "/routes[1]/route[1]: GET /V1/products/:sku: a route needs a <service>",
    ),
    (document(route(body=SERVICE)), "a route needs <resources>"),
    (
        document(route(body=SERVICE + SERVICE + RESOURCES)),
        "/service[2]: GET /V1/products/:sku: a route has one <service>",
    ),
    (document(route(body=SERVICE + RESOURCES + RESOURCES)), "a route has one <resources>"),
    (
        document(route(body=SERVICE + RESOURCES + "<data/><data/>")),
        "a route has at most one <data>",
    ),
    (
        document(route(body=SERVICE + RESOURCES + '<data input-array-size-limit="-1"/>')),
        "input-array-size-limit must be an xs:nonNegativeInteger, got '-1'",
    ),
    (
        document(
            route(
                body=SERVICE
                + RESOURCES
                + '<data><parameter name="a" force="no">1</parameter></data>'
            )
        ),
        "/parameter[1]: GET /V1/products/:sku: force must be an xs:boolean, got 'no'",
    ),
    (
        document(
            route(
                body=SERVICE
                + RESOURCES
                + '<data><parameter name="a">1</parameter><parameter name="a">2</parameter></data>'
            )
        ),
        "parameter 'a' is forced twice",
    ),
    (
        document(route(), route()),
        (
            "webapi.xml: /routes[1]/route[2]: GET /V1/products/:sku: the route is declared twice in one "
            "document (first at webapi.xml: /routes[1]/route[1])"
        ),
    ),
    (
        document(route(body=SERVICE + "text" + RESOURCES)),
        "GET /V1/products/:sku: unexpected text 'text'",
    ),
    ("<routes>text</routes>", "webapi.xml: /routes[1]: unexpected text 'text'"),
    (
        document(route(url="/V1")),
        "/routes[1]/route[1]: GET /V1: the URL needs at least two segments",
    ),
    (
        b'<?xml version="1.0" encoding="utf-8"?><routes>\xff</routes>',
        "webapi.xml: malformed XML: not well-formed (invalid token)",
    ),
]


@pytest.mark.parametrize(("text", "expected"), XML_ERRORS)
def test_every_xml_problem_is_a_route_definition_error_naming_document_path_and_route(
    text: str | bytes, expected: str
) -> None:
    with pytest.raises(RouteDefinitionError) as caught:
        RouteMap.from_magento_xml(text)
    assert expected in str(caught.value)
    assert caught.value.source.startswith("webapi.xml")


def test_a_document_that_is_not_text_and_documents_of_the_wrong_type_are_refused() -> None:
    with pytest.raises(
        RouteDefinitionError, match=r"^Catalog.xml: a document must be str or bytes, got int$"
    ):
        RouteMap.from_magento_xml({"Catalog.xml": 3})  # type: ignore[dict-item]
    with pytest.raises(RouteDefinitionError, match=r"^documents: documents must be a str, bytes"):
        RouteMap.from_magento_xml(3)  # type: ignore[arg-type]


ROUTE = {
    "method": "GET",
    "url": "/V1/products/:sku",
    "service_class": "S",
    "service_method": "get",
    "resources": ["Magento_Catalog::products"],
}

DATA_ERRORS: list[tuple[Any, str]] = [
    ("routes", "data: data must be a list of routes, got str"),
    ({"url": "/V1/a/b"}, "data: data must be a list of routes, got dict"),
    ([3], "data[0]: a route must be a mapping, got int"),
    ([{**ROUTE, "colour": 1}], "data[0]: GET /V1/products/:sku: unknown keys: colour"),
    (
        [{"method": "GET"}],
        "data[0]: GET None: missing keys: resources, service_class, service_method, url",
    ),
    (
        [{**ROUTE, "resources": "x"}],
        "data[0]: GET /V1/products/:sku: resources must be a list of refs, got str",
    ),
    ([{**ROUTE, "parameters": {}}], "parameters must be a list, got dict"),
    (
        [{**ROUTE, "parameters": [{"name": "a"}]}],
        "data[0].parameters[0]: GET /V1/products/:sku: a parameter must",
    ),
    ([{**ROUTE, "parameters": [3]}], "a parameter must be a mapping"),
    (
        [{**ROUTE, "parameters": [{"name": "", "value": "x"}]}],
        "a parameter name must be a non-empty name, got ''",
    ),
    (
        [{**ROUTE, "parameters": [{"name": "a", "value": 3}]}],
        "a parameter value must be a string or None",
    ),
    ([{**ROUTE, "parameters": [{"name": "a", "value": "x", "force": "yes"}]}], "and force a bool"),
    (
        [{**ROUTE, "parameters": [{"name": "a", "value": "x"}, {"name": "a", "value": "y"}]}],
        "data[0]: GET /V1/products/:sku: parameter 'a' is forced twice",
    ),
    ([ROUTE, ROUTE], "data[1]: GET /V1/products/:sku: the route is given twice (first at data[0])"),
    ([{**ROUTE, "method": 3}], "data[0]: 3 /V1/products/:sku: method must be a string, got int"),
    ([{**ROUTE, "method": "get"}], "method must be an upper-case HTTP method, got 'get'"),
    ([{**ROUTE, "service_class": "A B"}], "service_class must be a non-empty name without spaces"),
    ([{**ROUTE, "url": "V1/a/b"}], "the URL must start with '/'"),
    ([{**ROUTE, "url": "/V-1/a/b"}], "the first segment must be letters, digits or '_', got 'V-1'"),
    ([{**ROUTE, "url": "/V1/:a/b"}], "the second segment must be static"),
    ([{**ROUTE, "url": "/V1/a//b"}], "segment '' is neither a static segment nor ':name'"),
    ([{**ROUTE, "url": "/V1/a/::b"}], "segment '::b' is neither"),
    ([{**ROUTE, "url": "/V1/a/:0"}], "segment ':0' is neither"),
    ([{**ROUTE, "url": "/V1/a/b c"}], "segment 'b c' is neither"),
    ([{**ROUTE, "url": "/V1/a/:id/:id"}], "parameter ':id' appears twice"),
    ([{**ROUTE, "resources": []}], "a route needs at least one resource ref"),
    ([{**ROUTE, "resources": [""]}], "resource refs must be non-empty names, got ''"),
    ([{**ROUTE, "resources": [3]}], "resource refs must be non-empty names, got 3"),
    ([{**ROUTE, "resources": ["a", "a"]}], "a resource ref appears twice"),
    ([{**ROUTE, "secure": "yes"}], "secure must be a bool, got str"),
    ([{**ROUTE, "soap_operation": 3}], "soap_operation must be a string or None"),
    ([{**ROUTE, "input_array_size_limit": True}], "input_array_size_limit must be an int or None"),
    ([{**ROUTE, "input_array_size_limit": "3"}], "input_array_size_limit must be an int or None"),
]


@pytest.mark.parametrize(("data", "expected"), DATA_ERRORS)
def test_every_data_problem_is_a_route_definition_error_naming_route_and_path(
    data: Any, expected: str
) -> None:
    with pytest.raises(RouteDefinitionError) as caught:
        RouteMap.from_data(data)
    assert expected in str(caught.value)


def test_a_route_checks_the_types_of_its_tuples_and_parameters() -> None:
    with pytest.raises(RouteDefinitionError, match="resources must be a tuple, got list"):
        Route("GET", "/V1/a/b", "S", "m", ["x"])  # type: ignore[arg-type]
    with pytest.raises(RouteDefinitionError, match="parameters must be a tuple, got list"):
        Route("GET", "/V1/a/b", "S", "m", ("x",), parameters=[])  # type: ignore[arg-type]
    with pytest.raises(RouteDefinitionError, match="parameters must be ForcedParameter, got str"):
        Route("GET", "/V1/a/b", "S", "m", ("x",), parameters=("a",))  # type: ignore[arg-type]


def test_a_route_map_holds_routes_only_each_once() -> None:
    with pytest.raises(RouteDefinitionError, match=r"^routes\[0\]: expected a Route, got str$"):
        RouteMap(["GET /V1/a/b"])  # type: ignore[list-item]
    single = Route("GET", "/V1/a/b", "S", "m", ("x",))
    with pytest.raises(RouteDefinitionError, match="given twice \\(first at an earlier entry\\)"):
        RouteMap([single, Route("GET", "/V1/a/b", "T", "n", ("y",))])


def test_route_maps_are_values_with_lookups_by_method_and_url() -> None:
    first = RouteMap.from_data([ROUTE])
    second = RouteMap.from_data([ROUTE])
    assert first == second
    assert hash(first) == hash(second)
    assert first != RouteMap()
    assert first.__eq__("routes") is NotImplemented
    assert repr(first) == "<RouteMap of 1 routes>"
    assert [str(r) for r in first] == ["GET /V1/products/:sku"]
    assert first.route("GET", "/V1/products/:sku").params == ("sku",)
    with pytest.raises(UnknownRouteError, match="no route GET /V1/products"):
        first.route("GET", "/V1/products")
    with pytest.raises(UnknownRouteError):
        first.route(["GET"], "/V1/products")  # type: ignore[arg-type]
    assert first.checking("Magento_Catalog::products") == first.routes
    assert first.checking("Magento_Sales::sales") == ()

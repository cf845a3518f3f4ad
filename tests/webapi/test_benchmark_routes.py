"""The routes benchmark, run once on smoke sizes so that it never rots: structure only, no timing."""

from __future__ import annotations

from benchmarks.config import SMOKE
from benchmarks.routes import regex_router, requests, routes_rows

from integration_core import AclTree, ResourceSelection
from integration_core.webapi import Route, RouteMap


def test_the_routes_rows_build_match_and_compare_with_their_goals() -> None:
    rows = routes_rows(SMOKE)
    assert [row.benchmark for row in rows] == ["routes"] * 4
    assert [row.goal for row in rows] == ["indicative", ">= 50x", "indicative", "<= 3x"]
    assert rows[0].case == "build the route map from 23 webapi.xml files (345 routes)"
    assert rows[0].holds is None
    assert [isinstance(row.holds, bool) for row in rows] == [False, True, False, True]


def test_the_regex_baseline_answers_as_the_route_map_does() -> None:
    tree = AclTree.from_data([{"id": "x"}])
    routes = RouteMap(
        [
            Route("GET", "/V1/a/:id", "S", "m", ("x",)),
            Route("GET", "/V1/a/b", "S", "m", ("x",)),
            Route("POST", "/V1/a/:id", "S", "m", ("anonymous",)),
        ]
    )
    permissions = ResourceSelection.custom(tree).compile(tree)
    scan = regex_router(routes)
    others = [("GET", "/V1/c"), ("GET", "/V1/a/%41"), ("POST", "/V1/a/b"), ("PUT", "/V1/a/b")]
    for method, path in [*requests(routes), *others]:
        assert routes.authorize(permissions, method, path) == scan(permissions, method, path)

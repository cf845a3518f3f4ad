"""
Web API routes: the real Magento 2.4 ``webapi.xml`` files, matched and authorized per request.

Each route is requested by its own URL, a few times with different parameter values (order
numbers, SKUs with spaces and slashes that arrive URL-encoded, masked cart ids), so that no
answer can be kept per path. The route map answers with a segment trie. The first baseline
is what the issue names, a linear scan of compiled regular expressions over every route:
one expression per route (``/?V1/products/(?P<sku>[^/]*)/*``), in Magento's precedence
order, each tried after a string comparison of its method, until one matches. Putting the
method into the expression instead (``GET /?V1/...`` against ``"GET /V1/..."``) runs every
route's expression and was measured about 1.7 times slower, so it would flatter the map;
a table per method would no longer be a scan over every route. The second baseline is one
dictionary lookup of a static path, the least any router can do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import unquote_plus

from benchmarks.config import Config
from benchmarks.magento import read_documents
from benchmarks.report import Row, format_ns, format_ratio
from benchmarks.timing import Measure, best_ns, interleaved_best_ns
from integration_core import AclTree, Permissions, ResourceSelection
from integration_core.webapi import Route, RouteDecision, RouteMap, RouteMatch, authorize

__all__ = ["WEBAPI", "regex_matcher", "regex_router", "requests", "routes_rows"]

WEBAPI = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "magento-webapi" / "2.4"
"""The Magento 2.4 ``webapi.xml`` files, one per module."""

SCAN_GOAL = 50.0
"""The route map must answer at least this many times faster than the regular-expression scan."""
DICT_GOAL = 3.0
"""On static paths it may cost at most this many times one dictionary lookup."""

Request = tuple[str, str]


_IDS = ("1", "42", "1017", "250003")
_SKUS = ("24-MB01", "MH07-XS-Black", "WS12-M-Orange", "24-UG06 Yoga/Strap")
_MASKED = ("a4ca4c1f0d8d4b7fa7e0bb1a7d9e3b2c", "Zp1sN0k2uQWm8d6vRfH3xYtL5aBcDe7G", "7", "1893")
_CODES = ("color", "size", "manufacturer", "activity")
_WORDS = ("default", "US", "complete", "2")
VARIANTS = 4
"""Requests per route, each with other parameter values."""


def _values(name: str) -> tuple[str, ...]:
    """Plausible values of the parameter ``name``, as Magento's clients send them."""
    lower = name.lower()
    if "sku" in lower:
        return _SKUS
    if name in {"cartId", "quoteId"}:
        return _MASKED
    if lower.endswith("id"):
        return _IDS
    return _CODES if "code" in lower else _WORDS


def requests(routes: RouteMap) -> list[Request]:
    """Each route's method and own URL, :data:`VARIANTS` times with other parameter values."""
    return [
        (
            route.method,
            route.path(
                **{
                    name: _values(name)[(number + variant + place) % len(_values(name))]
                    for place, name in enumerate(route.params)
                }
            ),
        )
        for variant in range(VARIANTS)
        for number, route in enumerate(routes)
    ]


def regex_matcher(routes: RouteMap) -> Callable[[str, str], RouteMatch | None]:
    """
    Match by scanning one compiled expression per route, greatest URL first.

    Walking the routes in descending byte order of the URL and stopping at the first match
    serves the route Magento's router serves (its last match in ascending order). Every
    route is visited until one matches, whatever its method; its expression runs only when
    the method is the request's.
    """
    compiled: list[tuple[str, Callable[[str], re.Match[str] | None], Route]] = []
    for route in sorted(routes, key=lambda item: item.url.encode(), reverse=True):
        pattern = "/".join(
            f"(?P<{segment[1:]}>[^/]*)" if segment.startswith(":") else re.escape(segment)
            for segment in route.segments
        )
        compiled.append((route.method, re.compile(f"/?{pattern}/*").fullmatch, route))

    def scan(method: str, path: str) -> RouteMatch | None:
        for route_method, fullmatch, route in compiled:
            if route_method == method:
                found = fullmatch(path)
                if found is not None:
                    params = tuple(
                        (name, unquote_plus(value)) for name, value in found.groupdict().items()
                    )
                    return RouteMatch(route, params)
        return None

    return scan


def regex_router(routes: RouteMap) -> Callable[[Permissions | None, str, str], RouteDecision]:
    """Match with :func:`regex_matcher`, then authorize the match as the route map does."""
    scan = regex_matcher(routes)

    def route(permissions: Permissions | None, method: str, path: str) -> RouteDecision:
        return authorize(scan(method, path), permissions)

    return route


def _calls(
    action: Callable[[Permissions | None, str, str], object],
    permissions: Permissions,
    mix: Sequence[Request],
    calls: int,
) -> Callable[[], object]:
    rounds = range(max(1, calls // len(mix)))

    def run() -> object:
        return [action(permissions, method, path) for _ in rounds for method, path in mix]

    return run


def routes_rows(config: Config) -> list[Row]:
    """Time building the map, match + authorize against the two baselines, and report the ratios."""
    documents = read_documents(WEBAPI)
    routes = RouteMap.from_magento_xml(documents)
    tree = AclTree.from_magento_xml(read_documents())
    permissions = ResourceSelection.all().compile(tree)
    mix = requests(routes)
    static = [(route.method, route.url) for route in routes if not route.params]
    scan = regex_router(routes)
    scan_match = regex_matcher(routes)
    for method, path in mix:
        by_map, by_scan = (
            routes.authorize(permissions, method, path),
            scan(permissions, method, path),
        )
        if by_map != by_scan:
            raise AssertionError(f"{method} {path}: {by_map} != {by_scan}")
    table = {(method, path): routes.match(method, path) for method, path in static}
    lookup = table.get
    build = best_ns(lambda: RouteMap.from_magento_xml(documents), config.repeats)
    calls = config.integration_checks
    best = interleaved_best_ns(
        {
            "map": Measure(_calls(routes.authorize, permissions, mix, calls)),
            "scan": Measure(_calls(scan, permissions, mix, calls)),
            "static": Measure(_calls(routes.authorize, permissions, static, calls)),
            "match": Measure(
                _calls(lambda _p, method, path: routes.match(method, path), permissions, mix, calls)
            ),
            "scan match": Measure(
                _calls(lambda _p, method, path: scan_match(method, path), permissions, mix, calls)
            ),
            "dict": Measure(
                _calls(lambda _p, method, path: lookup((method, path)), permissions, static, calls)
            ),
        },
        config.repeats,
    )
    per_mix = max(1, calls // len(mix)) * len(mix)
    per_static = max(1, calls // len(static)) * len(static)
    ours, scanned = best["map"] / per_mix, best["scan"] / per_mix
    on_static, looked_up = best["static"] / per_static, best["dict"] / per_static
    faster, slower = scanned / ours, on_static / looked_up
    matched, scan_matched = best["match"] / per_mix, best["scan match"] / per_mix
    return [
        Row(
            "routes",
            f"build the route map from {len(documents)} webapi.xml files ({len(routes)} routes)",
            format_ns(build),
            f"{format_ns(build / len(routes))} per route",
            "indicative",
        ),
        Row(
            "routes",
            f"match + authorize, each route's own URL, {VARIANTS} sets of values "
            f"({len(mix)} requests, All integration)",
            format_ns(ours),
            f"{format_ratio(faster)} faster than a regex scan over every route ({format_ns(scanned)})",
            f">= {SCAN_GOAL:g}x",
            faster >= SCAN_GOAL,
        ),
        Row(
            "routes",
            "of which: match alone",
            format_ns(matched),
            f"{format_ratio(scan_matched / matched)} faster than the regex scan alone "
            f"({format_ns(scan_matched)})",
            "indicative",
        ),
        Row(
            "routes",
            f"match + authorize, static paths only ({len(static)} requests)",
            format_ns(on_static),
            f"{format_ratio(slower)} one dict lookup of the path ({format_ns(looked_up)})",
            f"<= {DICT_GOAL:g}x",
            slower <= DICT_GOAL,
        ),
    ]

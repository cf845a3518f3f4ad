"""
Hypothesis laws for web API routes: each rule quoted in its test's docstring.

Matching is compared with a port of Magento's router (tests/webapi/_magento_reference.py),
authorization with a reference computed from the selection's allowed set; none of the laws
can hold by construction.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from integration_core import MAGENTO_ADMIN, AccessMode, AclTree, ResourceSelection
from integration_core.webapi import (
    DenialCause,
    Route,
    RouteMap,
    RouteMatch,
    authorize,
    explain,
    lint_selection,
    preview,
)
from tests.webapi._magento_reference import magento_match, reference_allowed_call

# Static segments that sort before ':' (digits), after it (letters), and share prefixes.
STATIC = ["x", "y", "1", "10", "a-b", "xy"]
PARAMS = [":p", ":q", ":id"]
METHODS = ["GET", "POST", "PUT"]
TREE_IDS = [f"r{number}" for number in range(8)]


@st.composite
def trees(draw: st.DrawFn) -> AclTree:
    size = draw(st.integers(1, len(TREE_IDS)))
    parents = [draw(st.integers(-1, number - 1)) for number in range(size)]
    children: dict[int, list[dict[str, Any]]] = {number: [] for number in range(-1, size)}
    for number in range(size):
        children[parents[number]].append(
            {"id": TREE_IDS[number], "title": f"R{number}", "children": children[number]}
        )
    return AclTree.from_data(children[-1])


@st.composite
def selections(draw: st.DrawFn, tree: AclTree) -> ResourceSelection:
    if draw(st.integers(0, 5)) == 0:
        return ResourceSelection.all()
    decided = draw(st.lists(st.sampled_from(tree.ids), unique=True))
    cut = draw(st.integers(0, len(decided)))
    return ResourceSelection.custom(tree, allow=decided[:cut], deny=decided[cut:])


@st.composite
def templates(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from(["V1", "V2"]))
    second = draw(st.sampled_from(["a", "b", "1c"]))
    rest = draw(st.lists(st.sampled_from(STATIC + PARAMS), max_size=3))
    params = [segment for segment in rest if segment.startswith(":")]
    assume(len(params) == len(set(params)))
    trailing = draw(st.sampled_from(["", "", "/"]))
    return "/" + "/".join([first, second, *rest]) + trailing


@st.composite
def routes(draw: st.DrawFn, resources: list[str] | None = None) -> Route:
    refs = resources or ["Magento_Sales::sales"]
    chosen = draw(
        st.lists(
            st.sampled_from([*refs, "self", "anonymous", MAGENTO_ADMIN]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    return Route(
        draw(st.sampled_from(METHODS)), draw(templates()), "Service", "call", tuple(chosen)
    )


@st.composite
def route_maps(draw: st.DrawFn, resources: list[str] | None = None) -> RouteMap:
    drawn = draw(st.lists(routes(resources), min_size=1, max_size=12))
    return RouteMap(list({route.key: route for route in drawn}.values()))


@st.composite
def paths(draw: st.DrawFn, route_map: RouteMap) -> str:
    """Paths near the map's routes: their own URLs, other values, slashes added or left out."""
    route = draw(st.sampled_from(route_map.routes))
    values = draw(st.lists(st.sampled_from([*STATIC, ":p", "x y", "%41"]), min_size=3, max_size=3))
    path = route.path(**dict(zip(route.params, values, strict=False)))
    return draw(
        st.sampled_from([path, path + "/", path.lstrip("/"), "/" + path, path.rsplit("/", 1)[0]])
    )


values = st.text(min_size=1, max_size=8)


@pytest.mark.law
@given(routes(), st.lists(values, min_size=3, max_size=3))
def test_a_routes_own_url_with_any_parameter_values_matches_that_route(
    route: Route, drawn: list[str]
) -> None:
    """Rule: "a route's own URL with any parameter values matches that route"."""
    arguments = dict(zip(route.params, drawn, strict=False))
    found = RouteMap([route]).match(route.method, route.path(**arguments))
    assert found is not None
    assert route == found.route
    assert arguments == found.arguments


@pytest.mark.law
@given(route_maps().flatmap(lambda m: st.tuples(st.just(m), st.sampled_from(m.routes))), values)
def test_among_several_routes_the_own_url_matches_it_or_one_magento_prefers(
    case: tuple[RouteMap, Route], value: str
) -> None:
    """
    Rule: "a route's own URL ... matches that route; precedence": another route
    wins only where Magento's router serves it instead (an exact URL, or a greater one).
    """
    route_map, route = case
    path = route.path(**dict.fromkeys(route.params, value))
    found = route_map.match(route.method, path)
    assert found is not None
    assert (
        found.route == route
        or found.route.url == path
        or (found.route.url.encode() > route.url.encode())
    )


@pytest.mark.law
@given(route_maps().flatmap(lambda m: st.tuples(st.just(m), paths(m), st.sampled_from(METHODS))))
def test_precedence_is_magentos_exact_url_first_then_the_greatest_matching_url(
    case: tuple[RouteMap, str, str],
) -> None:
    """
    Rule: "precedence": Model/Rest/Config.php serves an exact URL first, else
    Router.php keeps the last of the matching routes in byte order of their URLs.
    """
    route_map, path, method = case
    expected = magento_match(route_map.routes, method, path)
    found = route_map.match(method, path)
    assert expected == (None if found is None else (found.route, found.arguments))


@pytest.mark.law
@given(
    st.from_regex(r"[0-9A-Za-z_][0-9A-Za-z_-]{0,5}", fullmatch=True),
    st.lists(st.sampled_from(["x", "y", ":q", ":r"]), max_size=3, unique=True),
    st.lists(st.sampled_from(STATIC + PARAMS), max_size=3),
)
def test_a_static_segment_beats_a_parameter_only_when_it_sorts_after_the_colon(
    static: str, tail: list[str], others: list[str]
) -> None:
    """
    Rule: "precedence": where a static segment and a :param both match, the greater URL
    wins, so ':' sorting after digits and before letters decides, whatever else the map holds.
    """
    tail = [*tail, ":z"]  # a parameter after them, so that the path is no exact URL
    static_url = "/".join(["/V1/a", static, *tail])
    param_url = "/".join(["/V1/a/:p", *tail])
    extra = "/".join(["/V1/a", *others])
    assume(
        len({segment for segment in others if segment.startswith(":")})
        == sum(segment.startswith(":") for segment in others)
    )
    route_map = RouteMap(
        [
            Route("GET", url, "S", "m", ("x",))
            for url in dict.fromkeys([static_url, param_url, extra])
        ]
    )
    path = "/".join(["/V1/a", static, *(segment.lstrip(":") for segment in tail)])
    found = route_map.match("GET", path)
    assert found is not None
    expected = magento_match(route_map.routes, "GET", path)
    assert expected == (found.route, found.arguments)
    if found.route.url in {static_url, param_url}:
        winner = static_url if static[0] > ":" else param_url
        assert winner == found.route.url


@pytest.mark.law
@given(route_maps().flatmap(lambda m: st.tuples(st.just(m), paths(m))), st.sampled_from(METHODS))
def test_methods_a_request_only_ever_matches_a_route_of_its_own_method(
    case: tuple[RouteMap, str], method: str
) -> None:
    """Rule: "methods": a GET never reaches a POST route, and methods are upper case."""
    route_map, path = case
    found = route_map.match(method, path)
    assert found is None or method == found.route.method
    assert route_map.match(method.lower(), path) is None


@st.composite
def authorization_cases(draw: st.DrawFn) -> tuple[AclTree, ResourceSelection, RouteMap, bool]:
    tree = draw(trees())
    return tree, draw(selections(tree)), draw(route_maps(list(tree.ids))), draw(st.booleans())


@pytest.mark.law
@given(authorization_cases())
def test_authorization_agrees_with_a_reference_computed_from_the_allowed_set(
    case: tuple[AclTree, ResourceSelection, RouteMap, bool],
) -> None:
    """
    Rule: "authorization against a reference computed from the allowed set":
    every ref satisfied (any one, with any-of), anonymous always, self never for an integration.
    """
    tree, selection, route_map, any_of = case
    permissions = selection.compile(tree)
    for route in route_map:
        allowed, unsatisfied = reference_allowed_call(route, tree, selection, any_of=any_of)
        decision = authorize(RouteMatch(route), permissions, any_of=any_of)
        assert allowed == decision.allowed
        assert (() if allowed else tuple(unsatisfied)) == decision.denied
        guest_allowed, _ = reference_allowed_call(route, tree, None, any_of=any_of)
        assert guest_allowed == authorize(RouteMatch(route), None, any_of=any_of).allowed


@pytest.mark.law
@given(authorization_cases().flatmap(lambda c: st.tuples(st.just(c), selections(c[0]))))
def test_the_preview_opens_and_closes_exactly_the_routes_authorization_changes(
    case: tuple[tuple[AclTree, ResourceSelection, RouteMap, bool], ResourceSelection],
) -> None:
    """
    Rule: "for a selection before and after an edit: the routes opened
    and closed", routes open to anyone being opened by no selection.
    """
    (tree, before, route_map, any_of), after = case
    impact = preview(route_map, tree, before, after, any_of=any_of)

    def opens(selection: ResourceSelection, route: Route) -> bool:
        allowed = authorize(RouteMatch(route), selection.compile(tree), any_of=any_of).allowed
        return allowed and not authorize(RouteMatch(route), None, any_of=any_of).allowed

    assert [r for r in route_map if opens(after, r) and not opens(before, r)] == list(impact.opened)
    assert [r for r in route_map if opens(before, r) and not opens(after, r)] == list(impact.closed)


@pytest.mark.law
@given(authorization_cases())
def test_an_exclusion_is_flagged_exactly_when_taking_it_back_opens_no_route(
    case: tuple[AclTree, ResourceSelection, RouteMap, bool],
) -> None:
    """
    Rule: "for a selection: exclusions that close no route (the #33347 trap) and
    the routes it reaches".
    """
    tree, selection, route_map, any_of = case
    result = lint_selection(route_map, tree, selection, any_of=any_of)
    allowed_now = {
        r for r in route_map if reference_allowed_call(r, tree, selection, any_of=any_of)[0]
    }
    for excluded in selection.deny:
        undone = ResourceSelection.custom(
            tree, allow=selection.allow, deny=selection.deny - {excluded}
        )
        allowed_then = {
            r for r in route_map if reference_allowed_call(r, tree, undone, any_of=any_of)[0]
        }
        assert (allowed_then <= allowed_now) == (excluded in result.ineffective)
    assert set(result.ineffective) <= selection.deny
    anyone = {r for r in route_map if reference_allowed_call(r, tree, None, any_of=any_of)[0]}
    assert allowed_now - anyone == set(result.reachable)


@pytest.mark.law
@given(authorization_cases())
def test_each_denied_resource_is_explained_by_its_nearest_decision_or_none(
    case: tuple[AclTree, ResourceSelection, RouteMap, bool],
) -> None:
    """
    Rule: "the nearest ancestor-or-self with a decision, 'unreviewed since the
    tree changed', or 'no decision above it'"; Magento_Backend::admin, on a tree without it,
    by 'nothing is allowed'.
    """
    tree, selection, route_map, _ = case
    assume(selection.mode is AccessMode.CUSTOM)
    permissions = selection.compile(tree)
    for route in route_map:
        decision = authorize(RouteMatch(route), permissions)
        for why in explain(decision, tree, selection):
            if why.resource == "self":
                assert why.cause is DenialCause.CUSTOMER_ONLY
                continue
            if why.resource == MAGENTO_ADMIN:
                assert why.cause is DenialCause.NOTHING_ALLOWED
                assert not selection.allowed(tree)
                continue
            chain = [why.resource, *(node.id for node in tree.ancestors(why.resource))]
            decided = [node for node in chain if node in selection.allow | selection.deny]
            if not decided:
                assert why.cause is DenialCause.NO_DECISION
            else:
                assert why.cause is DenialCause.DECISION
                assert decided[0] == why.decided_by
                assert why.decided_by in selection.deny


@pytest.mark.law
@given(
    authorization_cases().flatmap(
        lambda c: st.tuples(st.just(c), paths(c[2]), st.sampled_from(METHODS), st.booleans())
    )
)
def test_the_map_authorizes_what_its_match_then_authorize_decide(
    case: tuple[tuple[AclTree, ResourceSelection, RouteMap, bool], str, str, bool],
) -> None:
    """
    Rule: "this request -> allowed or denied with the reason", the
    same for the map's one call as for matching first and authorizing the match.
    """
    (tree, selection, route_map, any_of), path, method, https = case
    for permissions in (selection.compile(tree), None):
        expected = authorize(route_map.match(method, path), permissions, https=https, any_of=any_of)
        assert expected == route_map.authorize(
            permissions, method, path, https=https, any_of=any_of
        )

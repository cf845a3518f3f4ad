"""Configuration sync with a route map: a reset's PermissionsChanged event says which routes change."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integration_core import AclTree, ConfigIntegration, ResourceSelection
from integration_core.events import PermissionsChanged
from integration_core.webapi import RouteMap, preview
from tests.webapi.test_route_laws import route_maps, trees
from tests.webapi.test_service_impact import _service


def _synced(
    tree: AclTree, routes: RouteMap | None, first: list[str], then: list[str]
) -> tuple[ResourceSelection, ResourceSelection, list[PermissionsChanged]]:
    """The stored selections after syncing ``first`` then ``then``, and the second sync's events."""
    service = _service(tree, routes)
    service.sync_config([ConfigIntegration("ERP", "erp@example.com", resources=first)])
    before = service.repository.get_by_name("ERP").selection
    report = service.sync_config([ConfigIntegration("ERP", "erp@example.com", resources=then)])
    after = service.repository.get_by_name("ERP").selection
    return (
        before,
        after,
        [event for event in report.events if isinstance(event, PermissionsChanged)],
    )


@st.composite
def definitions(draw: st.DrawFn) -> tuple[AclTree, RouteMap, list[str], list[str]]:
    tree = draw(trees())
    resources = st.lists(st.sampled_from(tree.ids), unique=True)
    return tree, draw(route_maps(list(tree.ids))), draw(resources), draw(resources)


@pytest.mark.law
@settings(max_examples=60)
@given(definitions())
def test_a_syncs_permissions_event_carries_the_routes_the_preview_computes(
    drawn: tuple[AclTree, RouteMap, list[str], list[str]],
) -> None:
    """
    Rule: a configuration sync that changes a definition's resources announces it with a
    PermissionsChanged event carrying preview(before, after) when the service has a route
    map, and no routes without one; the resource diff is the same either way.
    """
    tree, route_map, first, then = drawn
    before, after, with_routes = _synced(tree, route_map, first, then)
    expected = (
        [] if not before.diff(after, tree).changed else [preview(route_map, tree, before, after)]
    )
    _, _, without = _synced(tree, None, first, then)
    assert [event.routes for event in with_routes] == expected
    assert [event.routes for event in without] == [None] * len(expected)
    assert [event.diff for event in with_routes] == [event.diff for event in without]

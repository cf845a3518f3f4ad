"""The service's edit with a route map: its PermissionsChanged event says which routes change."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integration_core import (
    AclTree,
    InMemoryIntegrationRepository,
    IntegrationForm,
    IntegrationService,
    ManualClock,
    ResourceSelection,
)
from integration_core.errors import InvalidArgumentError
from integration_core.events import PermissionsChanged
from integration_core.testing.builders import sample_sealer
from integration_core.webapi import Route, RouteImpact, RouteMap, preview
from tests.lifecycle_support import SETTINGS, START
from tests.webapi.test_route_laws import route_maps, selections, trees


def _service(tree: AclTree, routes: RouteMap | None) -> IntegrationService:
    return IntegrationService(
        InMemoryIntegrationRepository(),
        tree,
        ManualClock(START),
        SETTINGS,
        sealer=sample_sealer(),
        routes=routes,
    )


def _changed(
    service: IntegrationService, before: ResourceSelection, after: ResourceSelection
) -> list[PermissionsChanged]:
    saved = service.save(IntegrationForm(name="ERP", selection=before)).integration
    edited = service.edit(saved.id, IntegrationForm(name="ERP", selection=after))
    return [event for event in edited.events if isinstance(event, PermissionsChanged)]


@st.composite
def edits(draw: st.DrawFn) -> tuple[AclTree, RouteMap, ResourceSelection, ResourceSelection]:
    tree = draw(trees())
    return tree, draw(route_maps(list(tree.ids))), draw(selections(tree)), draw(selections(tree))


@pytest.mark.law
@settings(max_examples=60)
@given(edits())
def test_an_edits_permissions_event_carries_the_routes_the_preview_computes(
    edit: tuple[AclTree, RouteMap, ResourceSelection, ResourceSelection],
) -> None:
    """
    Rule: "The PermissionsChanged event carries [the impact preview] when the service has
    a route map": the routes it opens and closes are preview(before, after); without a
    route map it carries none.
    """
    tree, route_map, before, after = edit
    expected = (
        [] if not before.diff(after, tree).changed else [preview(route_map, tree, before, after)]
    )
    with_routes = _changed(_service(tree, route_map), before, after)
    without = _changed(_service(tree, None), before, after)
    assert [event.routes for event in with_routes] == expected
    assert [event.routes for event in without] == [None] * len(expected)
    assert [event.diff for event in with_routes] == [event.diff for event in without]


def test_an_edit_that_opens_and_closes_routes_names_them_in_its_event() -> None:
    tree = AclTree.from_data([{"id": "sales"}, {"id": "catalog"}])
    orders = Route("GET", "/V1/orders/:id", "S", "get", ("sales",))
    products = Route("GET", "/V1/products/:sku", "S", "get", ("catalog",))
    routes = RouteMap([orders, products])
    (changed,) = _changed(
        _service(tree, routes),
        ResourceSelection.custom(tree, allow=["sales"]),
        ResourceSelection.custom(tree, allow=["catalog"]),
    )
    assert changed.routes == RouteImpact(opened=(products,), closed=(orders,))


def test_a_service_refuses_routes_that_are_not_a_route_map() -> None:
    with pytest.raises(InvalidArgumentError, match="routes: expected a RouteMap or None, got list"):
        _service(AclTree.from_data([{"id": "sales"}]), [])  # type: ignore[arg-type]

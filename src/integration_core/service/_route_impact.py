"""The routes a change of selection opens and closes, put into the events that announce it."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from integration_core.acl import AclTree
from integration_core.events import Event, PermissionsChanged
from integration_core.selection import ResourceSelection
from integration_core.webapi import RouteMap, preview


def with_route_impact(
    events: Iterable[Event],
    routes: RouteMap | None,
    tree: AclTree,
    before: ResourceSelection,
    after: ResourceSelection,
) -> tuple[Event, ...]:
    """
    ``events``, each ``PermissionsChanged`` carrying ``preview(before, after)``.

    Without a route map the events are returned as given.
    """
    given = tuple(events)
    if routes is None:
        return given
    impact = preview(routes, tree, before, after)
    return tuple(
        attrs.evolve(event, routes=impact) if isinstance(event, PermissionsChanged) else event
        for event in given
    )

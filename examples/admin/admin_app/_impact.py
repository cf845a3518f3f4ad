"""What an edit of the API tab opens and closes among the shop's REST routes, shown to the merchant."""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import cast

from flask import current_app, render_template, session

from admin_app._context import shop
from integration_core import ResourceSelection
from integration_core.events import PermissionsChanged
from integration_core.selection import SelectionDiff
from integration_core.webapi import Route, RouteImpact, preview

# Notes not yet shown (a Save whose redirect never arrived) are dropped past this many.
KEPT_NOTES = 100


def _pairs(routes: tuple[Route, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((route.method, route.url) for route in routes)


@dataclass(frozen=True)
class ShownImpact:
    """An edit's resources and routes, as the page shows them."""

    allows: bool
    denies: bool
    opened: tuple[tuple[str, str], ...]
    closed: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, diff: SelectionDiff, routes: RouteImpact) -> ShownImpact:
        """The impact of an edit whose resources changed by ``diff``."""
        return cls(
            bool(diff.allowed), bool(diff.denied), _pairs(routes.opened), _pairs(routes.closed)
        )

    @classmethod
    def between(cls, before: ResourceSelection, after: ResourceSelection | None) -> ShownImpact:
        """What replacing ``before`` by a form's ``after`` would change, computed before Save."""
        tree, routes = shop().tree, shop().routes
        # A form without a selection is Custom with nothing ticked, as the service saves it.
        chosen = ResourceSelection.custom(tree) if after is None else after
        return cls.of(before.diff(chosen, tree), preview(routes, tree, before, chosen))

    @classmethod
    def saved(cls, events: tuple[object, ...]) -> ShownImpact | None:
        """What a saved edit changed, from its ``PermissionsChanged`` event; ``None`` without one."""
        for event in events:
            if isinstance(event, PermissionsChanged) and event.routes is not None:
                return cls.of(event.diff, event.routes)
        return None

    def html(self) -> str:
        """The preview's HTML, as the Edit page and the grid after Save show it."""
        return render_template("_impact.html", impact=self)


class ImpactNotes:
    """
    What each Save changed, kept on the server until the grid shows it.

    The session cookie holds only the note's key: an edit to All can close hundreds of
    routes, far more than the 4 KB a browser keeps in a cookie.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._notes: OrderedDict[str, tuple[str, ShownImpact]] = OrderedDict()

    def keep(self, name: str, impact: ShownImpact) -> None:
        """Keep what saving ``name`` changed for the session's next grid."""
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._notes[key] = (name, impact)
            while len(self._notes) > KEPT_NOTES:
                self._notes.popitem(last=False)
        session["saved_impact"] = key

    def take(self) -> tuple[str, ShownImpact] | None:
        """The session's note, once; ``None`` when there is none."""
        key = session.pop("saved_impact", None)
        with self._lock:
            return None if key is None else self._notes.pop(str(key), None)


def notes() -> ImpactNotes:
    """The notes of the application serving the current request."""
    return cast("ImpactNotes", current_app.extensions["impact_notes"])

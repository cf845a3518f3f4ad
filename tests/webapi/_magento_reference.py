"""
Reference models the route laws are checked against; they share no code with the implementation.

``magento_match`` is a line-by-line port of Magento's REST routing: ``getRestRoutes`` of
``app/code/Magento/Webapi/Model/Rest/Config.php`` (an exact URL first; else every route whose
URL starts with the path's ``#^/?\\w+/\\w+#`` base, in ``ksort(SORT_STRING)`` order),
``match`` of ``Controller/Rest/Router.php`` (the last matching route wins) and ``match`` of
``Controller/Rest/Router/Route.php`` (segment by segment after trimming slashes; parameters
``urldecode``-d). Static segments are compared with ``==`` where PHP uses ``!=``, which differs
only for numeric strings, and no route here has a numeric static segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote_plus

from integration_core import AclTree, ResourceSelection
from integration_core.webapi import Route

_BASE = re.compile(r"/?\w+/\w+", re.ASCII)


def _route_match(url: str, path: str) -> dict[str, str] | None:
    path_parts = path.strip("/").split("/")
    route_parts = url.strip("/").split("/")
    if len(path_parts) != len(route_parts):
        return None
    result: dict[str, str] = {}
    for value, part in zip(path_parts, route_parts, strict=True):
        if part.startswith(":") and part[1:2] != ":":
            result[part[1:]] = unquote_plus(value)
        elif value != part:
            return None
    return result


def magento_match(
    routes: Iterable[Route], method: str, path: str
) -> tuple[Route, dict[str, str]] | None:
    """The route Magento serves for ``method`` and ``path``, and its parameters."""
    if method != method.upper():
        return None  # Rest\Request::getHttpMethod refuses a method that is not upper case
    by_url: dict[str, dict[str, Route]] = {}
    for route in routes:
        by_url.setdefault(route.url, {})[route.method] = route
    if method in by_url.get(path, {}):
        return by_url[path][method], {}
    base = _BASE.match(path)
    if base is None:
        return None
    matched: list[tuple[Route, dict[str, str]]] = []
    for url in sorted(by_url, key=lambda text: text.encode()):
        if not url.strip("/").startswith(base.group(0).strip("/")):
            continue
        for http_method, route in by_url[url].items():
            if http_method.upper() == method.upper():
                params = _route_match(url, path)
                if params is not None:
                    matched.append((route, params))
    return matched[-1] if matched else None


def reference_allowed_call(
    route: Route, tree: AclTree, selection: ResourceSelection | None, *, any_of: bool = False
) -> tuple[bool, list[str]]:
    """
    Whether an integration with ``selection`` (``None``: no credentials) may call ``route``.

    As Magento's ``Rules::saveRel`` stores it: a role that allows anything also gets
    ``Magento_Backend::admin``, which a tree without that id (the screen's) cannot say.
    """
    allowed = set() if selection is None else set(selection.allowed(tree))
    if allowed and "Magento_Backend::admin" not in tree:
        allowed.add("Magento_Backend::admin")
    unsatisfied = [
        ref
        for ref in route.resources
        if ref != "anonymous" and (ref == "self" or ref not in allowed)
    ]
    if any_of:
        return len(unsatisfied) < len(route.resources), unsatisfied
    return not unsatisfied, unsatisfied

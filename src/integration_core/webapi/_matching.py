"""
Matching a request path to a route as Magento's REST router does, compiled to a segment trie.

Magento (``Webapi/Model/Rest/Config.php``, ``Controller/Rest/Router.php``,
``Controller/Rest/Router/Route.php``) first looks the path up as it is among the URLs
declared for the method. Failing that, it walks every route whose URL begins with the
path's first two segments, in byte order of the URL, keeps every one whose segments
match (same number; static segments equal, a ``:name`` takes any one), and serves the
*last*: the greatest URL wins. Here each method has a trie with one dictionary of static
children and at most one parameter child per node, so a match costs about one dictionary
lookup per segment. Where both children could match, the static one is tried first and
the parameter one is kept for later; it is walked only if its subtree holds a URL greater
than the best match found, so the winner is Magento's and no scan of the routes happens.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self
from urllib.parse import unquote_plus

from integration_core.webapi._record import Record
from integration_core.webapi._route import Route

__all__ = ["Found", "Node", "RouteMatch", "backtrack", "build_trie", "search"]


class RouteMatch(Record):
    """
    A request matched to its route, with the values of the URL's parameters.

    A frozen value, equal to another ``RouteMatch`` of the same route and values.

    Attributes:
        route: The route Magento's router serves for the request.
        params: ``(name, value)`` for each ``:name`` of the URL, in order, URL-decoded
            as PHP's ``urldecode`` does (``+`` is a space).

    Example:
        >>> from integration_core.webapi import RouteMap
        >>> routes = RouteMap.from_data([{"method": "GET", "url": "/V1/orders/:id",
        ...     "service_class": "S", "service_method": "get", "resources": ["Magento_Sales::sales"]}])
        >>> routes.match("GET", "/V1/orders/100%2B1").arguments
        {'id': '100+1'}
        >>> routes.match("GET", "/V1/orders/7") == RouteMatch(routes.route("GET", "/V1/orders/:id"), (("id", "7"),))
        True
    """

    __slots__ = ()
    fields = ("route", "params")
    __match_args__ = ("route", "params")

    def __new__(cls, route: Route, params: tuple[tuple[str, str], ...] = ()) -> Self:
        """A match of ``route`` with ``params``."""
        return tuple.__new__(cls, (route, params))

    @property
    def route(self) -> Route:
        """
        The route Magento's router serves for the request.

        Example:
            >>> str(RouteMatch(Route("GET", "/V1/a/:id", "S", "m", ("x",))).route)
            'GET /V1/a/:id'
        """
        route: Route = self[0]
        return route

    @property
    def params(self) -> tuple[tuple[str, str], ...]:
        """
        ``(name, value)`` for each ``:name`` of the URL, in order.

        Example:
            >>> RouteMatch(Route("GET", "/V1/a/:id", "S", "m", ("x",)), (("id", "7"),)).params
            (('id', '7'),)
        """
        params: tuple[tuple[str, str], ...] = self[1]
        return params

    @property
    def arguments(self) -> dict[str, str]:
        """
        The parameters as a dictionary.

        Example:
            >>> RouteMatch(Route("GET", "/V1/a/:id", "S", "m", ("x",)), (("id", "7"),)).arguments
            {'id': '7'}
        """
        return dict(self.params)


class Node:
    """
    One segment position of the trie.

    ``rank`` is the byte order of a URL among all the map's URLs; ``top`` is the greatest
    rank of any route at or below this node and ``low`` the least. ``rival`` is, for a
    static child, the ``top`` of its parent's parameter child when that subtree holds a
    URL greater than one below this child, else -1: the walk that takes this child must
    then beat it. Because ``:`` sorts before letters, it is -1 for nearly every child,
    and :func:`search` tests one number per segment.
    """

    __slots__ = ("low", "param", "rank", "rival", "route", "static", "top")

    def __init__(self) -> None:
        self.static: dict[str, Node] = {}
        self.param: Node | None = None
        self.route: Route | None = None
        self.rank = -1
        self.top = -1
        self.low = -1
        self.rival = -1


def build_trie(routes: Iterable[Route], ranks: dict[Route, int]) -> Node:
    """The trie of ``routes`` (all of one method), with each route's ``ranks`` entry."""
    root = Node()
    for route in routes:
        rank = ranks[route]
        node = root
        for segment in route.segments:
            if segment.startswith(":"):
                if node.param is None:
                    node.param = Node()
                node = node.param
            else:
                node = node.static.setdefault(segment, Node())
        # Two URLs of one shape differ only in parameter names; the greater one wins.
        if rank > node.rank:
            node.route, node.rank = route, rank
    _rank_subtrees(root)
    return root


def _rank_subtrees(root: Node) -> None:
    """Set ``top``, ``low`` and ``rival`` of every node below ``root``, children first."""
    order = [root]
    for node in order:
        order.extend(node.static.values())
        if node.param is not None:
            order.append(node.param)
    for node in reversed(order):
        children = [*node.static.values(), *([] if node.param is None else [node.param])]
        ranks = [rank for rank in [node.rank, *(child.top for child in children)] if rank >= 0]
        lows = [rank for rank in [node.rank, *(child.low for child in children)] if rank >= 0]
        node.top = max(ranks, default=-1)
        node.low = min(lows, default=-1)
        param = node.param
        if param is not None:
            for child in node.static.values():
                child.rival = param.top if param.top > child.low else -1


Found = tuple[Route, tuple[tuple[str, str], ...]]
"""A route and its parameters: what :class:`RouteMatch` holds, as a plain tuple."""


def search(root: Node, path: str) -> Found | None:
    """
    The route Magento serves for ``path`` (no exact URL of the map) in the trie ``root``, with its parameters.

    The walk takes the static child where there is one, else the parameter child. Where
    the static child it takes has a ``rival``, a route below the parameter child passed by
    may be the winner only if its URL is greater than the one the walk ends on; when none
    is, which is the common case, the walk's end is the answer. Otherwise, or when the
    walk ends on no route, :func:`backtrack` searches every branch that can still win.
    """
    # Magento's base-URL pattern #^/?\w+/\w+# allows one leading slash, not two.
    if path.startswith("//"):
        return None
    parts = path.strip("/").split("/")
    node = root
    passed = -1
    route: Route | None = None
    for part in parts:
        child = node.static.get(part, node.param)
        if child is None:
            break
        if child.rival > passed:  # noqa: PLR1730  # max() would cost a call per segment
            passed = child.rival
        node = child
    else:
        if node.rank > passed:
            route = node.route
    if route is None:
        route = backtrack(root, parts)
        if route is None:
            return None
    captures = route._captures  # noqa: SLF001  # the route's own compiled form
    # PHP's urldecode, for the values only when the path has something to decode.
    if "%" in path or "+" in path:
        params = tuple([(name, unquote_plus(parts[at])) for at, name in captures])
    elif len(captures) == 1:
        # Most routes have one parameter: no comprehension, which costs a frame in CPython.
        ((at, name),) = captures
        params = ((name, parts[at]),)
    else:
        params = tuple([(name, parts[at]) for at, name in captures])
    # A plain tuple: the caller builds the one value it answers with.
    return (route, params)


def backtrack(root: Node, parts: list[str]) -> Route | None:
    """:func:`search` over every branch that can still hold a greater URL than the best match."""
    best: Route | None = None
    best_rank = -1
    count = len(parts)
    pending = [(root, 0)]
    while pending:
        node, index = pending.pop()
        if node.top <= best_rank:
            continue
        while index < count:
            child = node.static.get(parts[index])
            param = node.param
            index += 1
            if child is not None:
                # Walk the static child first; keep the parameter child only while it
                # can still hold a greater URL than the best match found.
                if param is not None and param.top > best_rank:
                    pending.append((param, index))
                node = child
            elif param is not None:
                node = param
            else:
                break
        else:
            if node.rank > best_rank:
                best, best_rank = node.route, node.rank
    return best

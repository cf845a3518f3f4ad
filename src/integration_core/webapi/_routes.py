"""The immutable route map: every route of a host's web API, compiled for matching."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from integration_core.acl import MAGENTO_ADMIN
from integration_core.acl._xml_documents import named_documents
from integration_core.errors import RouteDefinitionError, UnknownRouteError
from integration_core.webapi._authorize import RouteDecision, RouteDenial, decide
from integration_core.webapi._matching import Node, RouteMatch, build_trie, search
from integration_core.webapi._route import ANONYMOUS, SELF, Route, route_from_data
from integration_core.webapi._xml import read_webapi_xml

if TYPE_CHECKING:
    from integration_core.selection import Permissions

__all__ = ["RouteMap"]


@attrs.frozen
class _Exact:
    """
    An exact URL of the map: it always matches with no parameters, so its answers are made once.

    ``fixed`` is the answer whatever the permissions (a route that lists ``anonymous`` or
    ``self`` alone); ``single`` is, for a route that lists one ACL resource, that resource
    and the answer when it is denied; ``admin`` is that answer for a route that lists
    ``Magento_Backend::admin`` alone, whose verdict is ``Permissions.allows_admin``. Routes
    with more refs, or ``secure`` ones, are decided per request.
    """

    match: RouteMatch
    allowed: RouteDecision
    fixed: RouteDecision | None
    single: tuple[str, RouteDecision] | None
    admin: RouteDecision | None = None

    @classmethod
    def of(cls, match: RouteMatch) -> _Exact:
        route = match.route
        allowed = RouteDecision(allowed=True, reason=None, match=match)
        if len(route.resources) != 1 or route.secure:
            return cls(match, allowed, None, None)
        only = route.resources[0]
        if only == ANONYMOUS:
            return cls(match, allowed, allowed, None)
        reason = RouteDenial.CUSTOMER_ONLY if only == SELF else RouteDenial.MISSING_RESOURCES
        denied = RouteDecision(allowed=False, reason=reason, match=match, denied=(only,))
        if only == SELF:
            return cls(match, allowed, denied, None)
        if only == MAGENTO_ADMIN:
            return cls(match, allowed, None, None, denied)
        return cls(match, allowed, None, (only, denied))


_NO_METHOD: Final[tuple[dict[str, _Exact], Node]] = ({}, Node())
"""The tables of a method no route has: an unknown method costs no test on the common path."""


_new = tuple.__new__
"""Builds the per-request decision without a Python-level ``__new__``."""


class RouteMap:
    r"""
    Every route of a web API: read from ``webapi.xml`` documents or plain data, then matched.

    Build it with :meth:`from_magento_xml` or :meth:`from_data`. It is immutable;
    :meth:`match` finds the route Magento's REST router would serve for a request at the
    cost of about one dictionary lookup per path segment, and :meth:`authorize` decides
    whether compiled permissions may call it.

    Example:
        >>> routes = RouteMap.from_magento_xml('''<routes>
        ...     <route url="/V1/products/:sku" method="GET">
        ...         <service class="Magento\\Catalog\\Api\\ProductRepositoryInterface" method="get"/>
        ...         <resources><resource ref="Magento_Catalog::products"/></resources>
        ...     </route>
        ...     <route url="/V1/products/attributes" method="GET">
        ...         <service class="Magento\\Catalog\\Api\\ProductAttributeRepositoryInterface" method="getList"/>
        ...         <resources><resource ref="Magento_Catalog::attributes_attributes"/></resources>
        ...     </route>
        ... </routes>''')
        >>> len(routes), str(routes.match("GET", "/V1/products/attributes").route)
        (2, 'GET /V1/products/attributes')
        >>> routes.match("GET", "/V1/products/24-MB01").arguments
        {'sku': '24-MB01'}
        >>> routes.match("DELETE", "/V1/products/24-MB01") is None
        True
    """

    __slots__ = ("_by_key", "_hash", "_methods", "_routes")

    _routes: tuple[Route, ...]
    _by_key: dict[tuple[str, str], Route]
    _methods: dict[str, tuple[dict[str, _Exact], Node]]
    _hash: int | None

    def __init__(self, routes: Sequence[Route] = ()) -> None:
        """
        A map of ``routes``, each ``(method, url)`` once.

        Raises:
            RouteDefinitionError: For a route given twice, or something that is not a Route.
        """
        by_key: dict[tuple[str, str], Route] = {}
        for number, route in enumerate(routes):
            if not isinstance(route, Route):
                raise RouteDefinitionError(
                    f"expected a Route, got {type(route).__name__}", source=f"routes[{number}]"
                )
            first = by_key.setdefault(route.key, route)
            if first is not route:
                raise RouteDefinitionError(
                    f"the route is given twice (first at {first.source or 'an earlier entry'})",
                    route=str(route),
                    source=route.source or f"routes[{number}]",
                )
        self._routes = tuple(by_key.values())
        self._by_key = by_key
        self._hash = None
        # Magento sorts the URLs with ksort(SORT_STRING): byte order, which UTF-8 keeps.
        ordered = sorted({route.url for route in self._routes}, key=lambda url: url.encode())
        url_rank = {url: rank for rank, url in enumerate(ordered)}
        ranks = {route: url_rank[route.url] for route in self._routes}
        methods = dict.fromkeys(route.method for route in self._routes)
        # Per method, its exact URLs and its trie: one lookup finds both.
        self._methods = {
            method: (
                {r.url: _Exact.of(RouteMatch(r)) for r in self._routes if r.method == method},
                build_trie((r for r in self._routes if r.method == method), ranks),
            )
            for method in methods
        }

    @classmethod
    def from_magento_xml(
        cls, documents: Mapping[str, str | bytes] | Sequence[str | bytes] | str | bytes
    ) -> RouteMap:
        """
        Read Magento ``webapi.xml`` documents, merged as Magento merges them.

        A later document that declares a route with the same ``url`` and ``method``
        merges into it: the attributes it gives override (``secure``,
        ``soapOperation``, the service), its resources are added to the route's (all
        of them must then be allowed), and its forced parameters are merged by name.
        DTDs and entities are refused.

        Args:
            documents: One document, a sequence of documents (named ``documents[0]``
                and so on in errors), or a mapping from a name such as
                ``"Magento_Catalog/etc/webapi.xml"`` to its text or bytes, in merge order.

        Raises:
            RouteDefinitionError: Naming the document, the element path and the route:
                malformed or hostile XML, unexpected elements, attributes or text, a
                method ``webapi_base.xsd`` does not allow, a malformed URL, a route
                declared twice in one document, or a missing service or resources.

        Example:
            >>> routes = RouteMap.from_magento_xml({
            ...     "Catalog.xml": '''<routes><route url="/V1/products" method="POST">
            ...         <service class="ProductRepositoryInterface" method="save"/>
            ...         <resources><resource ref="Magento_Catalog::products"/></resources>
            ...     </route></routes>''',
            ...     "Vendor.xml": '''<routes><route url="/V1/products" method="POST">
            ...         <service class="ProductRepositoryInterface" method="save"/>
            ...         <resources><resource ref="Vendor_Pim::sync"/></resources>
            ...     </route></routes>''',
            ... })
            >>> routes.route("POST", "/V1/products").resources
            ('Magento_Catalog::products', 'Vendor_Pim::sync')
            >>> RouteMap.from_magento_xml('<routes><route url="/V1/a/b" method="PATCH"/></routes>')
            Traceback (most recent call last):
                ...
            integration_core.errors.RouteDefinitionError: webapi.xml: /routes[1]/route[1]: PATCH /V1/a/b: method must be GET, POST, PUT or DELETE, got 'PATCH'
        """
        named = named_documents(documents, "webapi.xml")
        if named is None:
            raise RouteDefinitionError(
                "documents must be a str, bytes, a sequence or a mapping of them, "
                f"got {type(documents).__name__}",
                source="documents",
            )
        return cls(read_webapi_xml(named))

    @classmethod
    def from_data(cls, data: Sequence[Mapping[str, Any]]) -> RouteMap:
        """
        Build a map from plain data, as :meth:`to_data` exports it: for hosts that are not Magento.

        Each route is a mapping with ``method``, ``url``, ``service_class``,
        ``service_method`` and ``resources`` (a list of refs), and optionally
        ``secure``, ``parameters`` (mappings with ``name``, ``value`` and ``force``),
        ``soap_operation`` and ``input_array_size_limit``. Other keys are refused.

        Raises:
            RouteDefinitionError: Naming the route and its path, such as ``data[2]``.

        Example:
            >>> RouteMap.from_data([{"method": "GET", "url": "/v2/orders", "service_class": "Orders",
            ...     "service_method": "list", "resources": ["sales"], "colour": "red"}])
            Traceback (most recent call last):
                ...
            integration_core.errors.RouteDefinitionError: data[0]: GET /v2/orders: unknown keys: colour
        """
        if isinstance(data, str | bytes | Mapping) or not isinstance(data, Sequence):
            raise RouteDefinitionError(
                f"data must be a list of routes, got {type(data).__name__}", source="data"
            )
        return cls([route_from_data(item, f"data[{number}]") for number, item in enumerate(data)])

    def to_data(self) -> list[dict[str, Any]]:
        """
        The routes as JSON-safe data that :meth:`from_data` reads back to an equal map.

        Example:
            >>> data = [{"method": "GET", "url": "/V1/a/b", "service_class": "S",
            ...          "service_method": "m", "resources": ["anonymous"]}]
            >>> RouteMap.from_data(RouteMap.from_data(data).to_data()) == RouteMap.from_data(data)
            True
        """
        return [route.to_data() for route in self._routes]

    @property
    def routes(self) -> tuple[Route, ...]:
        """
        Every route, in the order first declared.

        Example:
            >>> [str(route) for route in RouteMap([Route("GET", "/V1/a/b", "S", "m", ("x",))]).routes]
            ['GET /V1/a/b']
        """
        return self._routes

    @property
    def resources(self) -> frozenset[str]:
        """
        Every ACL resource id some route requires (``self`` and ``anonymous`` left out).

        Example:
            >>> RouteMap([Route("GET", "/V1/a/b", "S", "m", ("self", "x"))]).resources
            frozenset({'x'})
        """
        return frozenset(ref for route in self._routes for ref in route.acl_resources)

    def route(self, method: str, url: str) -> Route:
        """
        The route declared with ``method`` and the URL template ``url``.

        Raises:
            UnknownRouteError: If there is none.

        Example:
            >>> RouteMap().route("GET", "/V1/a/b")
            Traceback (most recent call last):
                ...
            integration_core.errors.UnknownRouteError: no route GET /V1/a/b
        """
        try:
            return self._by_key[method, url]
        except (KeyError, TypeError):
            raise UnknownRouteError(str(method), str(url)) from None

    def checking(self, resource_id: str) -> tuple[Route, ...]:
        """
        The routes that require ``resource_id`` itself.

        Example:
            >>> routes = RouteMap([Route("GET", "/V1/a/b", "S", "m", ("x",)),
            ...                    Route("GET", "/V1/a/c", "S", "m", ("y",))])
            >>> [str(route) for route in routes.checking("x")]
            ['GET /V1/a/b']
        """
        return tuple(route for route in self._routes if resource_id in route.resources)

    def match(self, method: str, path: str) -> RouteMatch | None:
        """
        The route Magento's REST router serves for ``method`` and ``path``, or ``None``.

        ``path`` is what Magento calls the path info: after ``/rest`` and the store
        code, without the query string, as received (still URL-encoded). The rules,
        from Magento's own source, are in the "Web API routes" page of the docs: an
        exact URL first, else static and ``:name`` segments where the greatest URL in
        byte order wins.

        Example:
            >>> routes = RouteMap([Route("GET", "/V1/a/:id", "S", "m", ("x",))])
            >>> routes.match("GET", "/V1/a/7/").arguments, routes.match("GET", "/V1/a") is None
            ({'id': '7'}, True)
        """
        tables = self._methods.get(method, _NO_METHOD)
        exact = tables[0].get(path)
        if exact is not None:
            return exact.match
        found = search(tables[1], path)
        return None if found is None else _new(RouteMatch, found)

    def authorize(
        self,
        permissions: Permissions | None,
        method: str,
        path: str,
        *,
        https: bool = True,
        any_of: bool = False,
    ) -> RouteDecision:
        """
        Whether ``permissions`` (``None``: no credentials) may call ``method path``.

        See :func:`~integration_core.webapi.authorize` for the rules; this is it, with
        :meth:`match` first.

        Example:
            >>> routes = RouteMap([Route("GET", "/V1/a/b", "S", "m", ("anonymous",))])
            >>> routes.authorize(None, "GET", "/V1/a/b").allowed
            True
        """
        tables = self._methods.get(method, _NO_METHOD)
        exact = tables[0].get(path)
        if exact is not None:
            if exact.fixed is not None:
                return exact.fixed
            single = exact.single
            if single is not None:
                return (
                    exact.allowed
                    if permissions is not None and permissions.is_allowed(single[0])
                    else single[1]
                )
            admin = exact.admin
            if admin is not None:
                return (
                    exact.allowed if permissions is not None and permissions.allows_admin else admin
                )
            return decide(
                exact.match, permissions, https=https, any_of=any_of, allowed=exact.allowed
            )
        found = search(tables[1], path)
        if found is not None:
            route, params = found
            refs = route._plain  # noqa: SLF001  # the route's own compiled form
            if refs is not None and permissions is not None and not any_of:
                # The common case, decided here without the general rules of decide.
                is_allowed = permissions.is_allowed
                for ref in refs:
                    if not is_allowed(ref):
                        break
                else:
                    # RouteDecision's own layout: allowed, reason, route, params, denied.
                    return _new(RouteDecision, (True, None, route, params, ()))
        match = None if found is None else _new(RouteMatch, found)
        return decide(match, permissions, https=https, any_of=any_of)

    def __len__(self) -> int:
        return len(self._routes)

    def __iter__(self) -> Iterator[Route]:
        return iter(self._routes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RouteMap):
            return NotImplemented
        return self._routes == other._routes

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self._routes)
        return self._hash

    def __repr__(self) -> str:
        return f"<RouteMap of {len(self._routes)} routes>"

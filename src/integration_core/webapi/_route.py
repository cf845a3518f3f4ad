"""One web API route: method, URL template, service, required resources, forced parameters."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, cast
from urllib.parse import quote

import attrs

from integration_core.acl import MAGENTO_ADMIN
from integration_core.errors import RouteDefinitionError

__all__ = ["ANONYMOUS", "SELF", "ForcedParameter", "Route"]

ANONYMOUS: Final = "anonymous"
"""
The resource ref that lets anyone call a route, without credentials.

Example:
    >>> Route("GET", "/V1/store/storeViews", "S", "getList", (ANONYMOUS,)).anonymous
    True
"""
SELF: Final = "self"
"""
The resource ref of routes a signed-in customer calls for their own data.

Example:
    >>> Route("GET", "/V1/customers/me", "S", "getById", (SELF,)).customer_self
    True
"""

_METHOD: Final = re.compile(r"[A-Z]{1,20}", re.ASCII)
# Magento's Rest\Config asks for a path whose start matches #^/?\w+/\w+#, and keeps only the
# routes whose URL begins with it: the first segment is all word characters, the second starts
# with one, and neither can be a :param, or the route never matches.
_FIRST_SEGMENT: Final = re.compile(r"[A-Za-z0-9_]+", re.ASCII)
_SECOND_SEGMENT: Final = re.compile(r"[A-Za-z0-9_][^\s/?#]*")
_STATIC_SEGMENT: Final = re.compile(r"[^\s/?#:][^\s/?#]*")
_PARAM_SEGMENT: Final = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)", re.ASCII)
_NAME: Final = re.compile(r"\S+")


@attrs.frozen
class ForcedParameter:
    """
    A ``<data><parameter>`` of a route: an argument Magento fills from the caller's context.

    Attributes:
        name: The argument, possibly nested: ``"customerId"``, ``"cartItem.quote_id"``.
        value: The value or placeholder, such as ``"%customer_id%"``; ``None`` for the text
            ``null``, which Magento's converter reads as null.
        force: Whether the value overrides what the request sends.

    Example:
        >>> ForcedParameter("customerId", "%customer_id%")
        ForcedParameter(name='customerId', value='%customer_id%', force=True)
    """

    name: str
    value: str | None
    force: bool = True


def _label(method: object, url: object) -> str:
    return f"{method} {url}"


@attrs.frozen
class Route:
    r"""
    One REST route of a ``webapi.xml``: what it serves and what it requires.

    The URL is a template of ``/``-separated segments; a segment ``:name`` matches any
    value of one segment. A route may be called when every entry of ``resources`` is
    satisfied: ``anonymous`` always is, ``self`` only for a signed-in customer (never
    for an integration), any other entry when the caller's permissions allow that ACL
    resource.

    Attributes:
        method: ``GET``, ``POST``, ``PUT`` or ``DELETE`` in Magento's files; plain data
            may use any upper-case method name.
        url: The URL template, such as ``"/V1/products/:sku"``.
        service_class: The PHP interface that serves the route.
        service_method: Its method.
        resources: The refs the route lists, in order: ACL resource ids, ``self`` or
            ``anonymous``.
        secure: Whether Magento serves the route over HTTPS only.
        parameters: The forced parameters of the route's ``<data>``.
        soap_operation: The ``soapOperation`` attribute, if given.
        input_array_size_limit: The ``input-array-size-limit`` of ``<data>``, if given.
        source: Where the route was first declared (not part of equality).

    Raises:
        RouteDefinitionError: Naming the route and its source, for a malformed URL, an
            empty or repeated resource ref, a repeated parameter name or a wrong type.

    Example:
        >>> route = Route("GET", "/V1/products/:sku", "Magento\\Catalog\\Api\\ProductRepositoryInterface",
        ...               "get", ("Magento_Catalog::products",))
        >>> route.params, route.acl_resources, str(route)
        (('sku',), ('Magento_Catalog::products',), 'GET /V1/products/:sku')
        >>> route.path(sku="24-MB01/blue")
        '/V1/products/24-MB01%2Fblue'
        >>> Route("GET", "/V1/:version/x", "S", "m", ("a",))
        Traceback (most recent call last):
            ...
        integration_core.errors.RouteDefinitionError: GET /V1/:version/x: the second segment must be static and start with a letter, digit or '_', got ':version'
    """

    method: str
    url: str
    service_class: str
    service_method: str
    resources: tuple[str, ...]
    secure: bool = False
    parameters: tuple[ForcedParameter, ...] = ()
    soap_operation: str | None = None
    input_array_size_limit: int | None = None
    source: str = attrs.field(default="", eq=False, repr=False)
    _segments: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    _captures: tuple[tuple[int, str], ...] = attrs.field(init=False, eq=False, repr=False)
    _acl: tuple[str, ...] | None = attrs.field(init=False, eq=False, repr=False)
    _plain: tuple[str, ...] | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        segments = self._check()
        captures = tuple(
            (position, segment[1:])
            for position, segment in enumerate(segments)
            if segment.startswith(":")
        )
        object.__setattr__(self, "_segments", segments)
        object.__setattr__(self, "_captures", captures)
        # Routes that list neither self nor Magento_Backend::admin (whose verdict is not a
        # lookup on the screen's tree) are decided by each ACL ref's verdict: _acl; those
        # that are not secure either, by that alone: _plain.
        direct = SELF not in self.resources and MAGENTO_ADMIN not in self.resources
        acl = self.acl_resources if direct else None
        object.__setattr__(self, "_acl", acl)
        object.__setattr__(self, "_plain", None if self.secure else acl)

    def _refuse(self, reason: str) -> RouteDefinitionError:
        return RouteDefinitionError(reason, route=_label(self.method, self.url), source=self.source)

    def _check(self) -> tuple[str, ...]:
        """The URL's segments, once every field is checked."""
        for field in ("method", "url", "service_class", "service_method"):
            value = getattr(self, field)
            if not isinstance(value, str):
                raise self._refuse(f"{field} must be a string, got {type(value).__name__}")
        if _METHOD.fullmatch(self.method) is None:
            raise self._refuse(f"method must be an upper-case HTTP method, got {self.method!r}")
        for field in ("service_class", "service_method"):
            if _NAME.fullmatch(getattr(self, field)) is None:
                raise self._refuse(f"{field} must be a non-empty name without spaces")
        segments = self._check_url()
        self._check_resources()
        self._check_options()
        return segments

    def _check_url(self) -> tuple[str, ...]:
        if not self.url.startswith("/"):
            raise self._refuse("the URL must start with '/'")
        # Magento's Router\Route trims the slashes around a URL: "/V1/stockItems/lowStock/"
        # (CatalogInventory) has the segments of "/V1/stockItems/lowStock".
        segments = tuple(self.url[1:].rstrip("/").split("/"))
        if len(segments) < 2:  # noqa: PLR2004  # Magento's router needs a version and a service
            raise self._refuse("the URL needs at least two segments, such as /V1/products")
        if _FIRST_SEGMENT.fullmatch(segments[0]) is None:
            raise self._refuse(
                f"the first segment must be letters, digits or '_', got {segments[0]!r}"
            )
        if _SECOND_SEGMENT.fullmatch(segments[1]) is None:
            raise self._refuse(
                "the second segment must be static and start with a letter, digit or '_', "
                f"got {segments[1]!r}"
            )
        names: set[str] = set()
        for segment in segments[2:]:
            param = _PARAM_SEGMENT.fullmatch(segment)
            if param is None:
                if _STATIC_SEGMENT.fullmatch(segment) is None:
                    raise self._refuse(
                        f"segment {segment!r} is neither a static segment nor ':name'"
                    )
            elif param.group(1) in names:
                raise self._refuse(f"parameter {segment!r} appears twice")
            else:
                names.add(param.group(1))
        return segments

    def _check_resources(self) -> None:
        if not isinstance(self.resources, tuple):
            raise self._refuse(f"resources must be a tuple, got {type(self.resources).__name__}")
        if not self.resources:
            raise self._refuse("a route needs at least one resource ref")
        for ref in cast("tuple[object, ...]", self.resources):
            if not isinstance(ref, str) or _NAME.fullmatch(ref) is None:
                raise self._refuse(f"resource refs must be non-empty names, got {ref!r}")
        if len(set(self.resources)) != len(self.resources):
            raise self._refuse("a resource ref appears twice")

    def _check_options(self) -> None:
        if not isinstance(self.secure, bool):
            raise self._refuse(f"secure must be a bool, got {type(self.secure).__name__}")
        if not isinstance(self.parameters, tuple):
            raise self._refuse(f"parameters must be a tuple, got {type(self.parameters).__name__}")
        names: set[str] = set()
        for parameter in self.parameters:
            if not isinstance(parameter, ForcedParameter):
                raise self._refuse(
                    f"parameters must be ForcedParameter, got {type(parameter).__name__}"
                )
            if parameter.name in names:
                raise self._refuse(f"parameter {parameter.name!r} is forced twice")
            names.add(parameter.name)
        if self.soap_operation is not None and not isinstance(self.soap_operation, str):
            raise self._refuse("soap_operation must be a string or None")
        limit = self.input_array_size_limit
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise self._refuse("input_array_size_limit must be an int or None")

    def __str__(self) -> str:
        return _label(self.method, self.url)

    @property
    def key(self) -> tuple[str, str]:
        """
        ``(method, url)``: what identifies a route, and what Magento merges routes by.

        Example:
            >>> Route("GET", "/V1/a/b", "S", "m", ("x",)).key
            ('GET', '/V1/a/b')
        """
        return (self.method, self.url)

    @property
    def segments(self) -> tuple[str, ...]:
        """
        The URL's segments, ``:name`` for a parameter.

        Example:
            >>> Route("GET", "/V1/a/:id", "S", "m", ("x",)).segments
            ('V1', 'a', ':id')
        """
        return self._segments

    @property
    def params(self) -> tuple[str, ...]:
        """
        The names of the URL's parameters, in order.

        Example:
            >>> Route("GET", "/V1/a/:id/b/:code", "S", "m", ("x",)).params
            ('id', 'code')
        """
        return tuple(name for _, name in self._captures)

    @property
    def acl_resources(self) -> tuple[str, ...]:
        """
        The ACL resource ids the route requires: ``resources`` without ``self`` and ``anonymous``.

        Example:
            >>> Route("GET", "/V1/a/b", "S", "m", ("self", "Magento_Sales::sales")).acl_resources
            ('Magento_Sales::sales',)
        """
        return tuple(ref for ref in self.resources if ref not in {ANONYMOUS, SELF})

    @property
    def anonymous(self) -> bool:
        """
        Whether the route lists ``anonymous``: that ref is satisfied without credentials.

        Example:
            >>> Route("GET", "/V1/a/b", "S", "m", ("anonymous",)).anonymous
            True
        """
        return ANONYMOUS in self.resources

    @property
    def customer_self(self) -> bool:
        """
        Whether the route lists ``self``: only a signed-in customer satisfies it.

        Example:
            >>> Route("GET", "/V1/a/b", "S", "m", ("Magento_Sales::sales",)).customer_self
            False
        """
        return SELF in self.resources

    def path(self, **values: str) -> str:
        """
        A request path for this route: each ``:name`` replaced by ``values[name]``, URL-encoded.

        Raises:
            KeyError: For a parameter without a value.

        Example:
            >>> Route("GET", "/V1/orders/:id", "S", "m", ("x",)).path(id="100 01")
            '/V1/orders/100%2001'
        """
        trailing = self.url[len(self.url.rstrip("/")) :]
        return (
            "/"
            + "/".join(
                quote(values[segment[1:]], safe="") if segment.startswith(":") else segment
                for segment in self._segments
            )
            + trailing
        )

    def to_data(self) -> dict[str, Any]:
        """
        The route as JSON-safe data, read back by :meth:`RouteMap.from_data`.

        Example:
            >>> Route("GET", "/V1/a/b", "S", "m", ("x",)).to_data()
            {'method': 'GET', 'url': '/V1/a/b', 'service_class': 'S', 'service_method': 'm', 'resources': ['x'], 'secure': False, 'parameters': [], 'soap_operation': None, 'input_array_size_limit': None}
        """
        return {
            "method": self.method,
            "url": self.url,
            "service_class": self.service_class,
            "service_method": self.service_method,
            "resources": list(self.resources),
            "secure": self.secure,
            "parameters": [
                {"name": parameter.name, "value": parameter.value, "force": parameter.force}
                for parameter in self.parameters
            ],
            "soap_operation": self.soap_operation,
            "input_array_size_limit": self.input_array_size_limit,
        }


_DATA_KEYS: Final = frozenset(
    {
        "method",
        "url",
        "service_class",
        "service_method",
        "resources",
        "secure",
        "parameters",
        "soap_operation",
        "input_array_size_limit",
    }
)
_REQUIRED_KEYS: Final = frozenset({"method", "url", "service_class", "service_method", "resources"})
_PARAMETER_KEYS: Final = frozenset({"name", "value", "force"})


def route_from_data(item: object, source: str) -> Route:
    """One route from plain data, as :meth:`Route.to_data` makes it; errors name ``source``."""
    if not isinstance(item, Mapping):
        raise RouteDefinitionError(
            f"a route must be a mapping, got {type(item).__name__}", source=source
        )
    label = _label(item.get("method"), item.get("url"))
    keys = set(item)
    unknown = sorted(map(str, keys - _DATA_KEYS))
    missing = sorted(_REQUIRED_KEYS - keys)
    if unknown or missing:
        reason = (
            f"unknown keys: {', '.join(unknown)}"
            if unknown
            else f"missing keys: {', '.join(missing)}"
        )
        raise RouteDefinitionError(reason, route=label, source=source)
    resources = item["resources"]
    if isinstance(resources, str | bytes) or not isinstance(resources, Iterable):
        raise RouteDefinitionError(
            f"resources must be a list of refs, got {type(resources).__name__}",
            route=label,
            source=source,
        )
    parameters = item.get("parameters", ())
    if not isinstance(parameters, list | tuple):
        raise RouteDefinitionError(
            f"parameters must be a list, got {type(parameters).__name__}",
            route=label,
            source=source,
        )
    return Route(
        item["method"],
        item["url"],
        item["service_class"],
        item["service_method"],
        tuple(resources),
        secure=item.get("secure", False),
        parameters=tuple(
            _parameter_from_data(parameter, label, f"{source}.parameters[{number}]")
            for number, parameter in enumerate(parameters)
        ),
        soap_operation=item.get("soap_operation"),
        input_array_size_limit=item.get("input_array_size_limit"),
        source=source,
    )


def _parameter_from_data(item: object, label: str, source: str) -> ForcedParameter:
    if not isinstance(item, Mapping) or not {"name", "value"} <= set(item) <= _PARAMETER_KEYS:
        raise RouteDefinitionError(
            "a parameter must be a mapping with 'name', 'value' and optionally 'force'",
            route=label,
            source=source,
        )
    name, value, force = item["name"], item["value"], item.get("force", True)
    if not isinstance(name, str) or _NAME.fullmatch(name) is None:
        raise RouteDefinitionError(
            f"a parameter name must be a non-empty name, got {name!r}", route=label, source=source
        )
    if not (value is None or isinstance(value, str)) or not isinstance(force, bool):
        raise RouteDefinitionError(
            "a parameter value must be a string or None and force a bool",
            route=label,
            source=source,
        )
    return ForcedParameter(name, value, force)

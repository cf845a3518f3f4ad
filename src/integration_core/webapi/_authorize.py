"""Authorizing a request by its route: compiled permissions, a matched route, allowed or denied."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Final, Self

from integration_core.webapi._matching import RouteMatch
from integration_core.webapi._record import Record
from integration_core.webapi._route import ANONYMOUS, SELF, Route

if TYPE_CHECKING:
    from integration_core.selection import Permissions

__all__ = ["RouteDecision", "RouteDenial", "authorize", "decide"]


class RouteDenial(enum.Enum):
    """
    Why a request was denied, in the order Magento checks: route, resources, HTTPS.

    Example:
        >>> RouteDenial.MISSING_RESOURCES.value
        'missing_resources'
    """

    NO_ROUTE = "no_route"
    """No route matches the method and path (Magento answers 404)."""
    MISSING_RESOURCES = "missing_resources"
    """A required ACL resource is not allowed (or there are no credentials)."""
    CUSTOMER_ONLY = "customer_only"
    """The route needs ``self``, a signed-in customer; an integration is not one."""
    HTTPS_REQUIRED = "https_required"
    """The route is ``secure`` and the request came over plain HTTP."""


class RouteDecision(Record):
    """
    The answer for one request: allowed, or denied with the reason.

    A frozen value, equal to another ``RouteDecision`` with equal fields.

    Attributes:
        allowed: Whether the request may proceed.
        reason: ``None`` when allowed, else the :class:`RouteDenial`.
        match: The matched route and its parameters; ``None`` when no route matches.
        denied: The route's refs that are not satisfied, in the route's order: ACL
            resource ids, and ``self`` for an integration.

    Example:
        >>> from integration_core.webapi import Route
        >>> route = Route("GET", "/V1/orders/:id", "S", "get", ("Magento_Sales::sales",))
        >>> print(RouteDecision(False, RouteDenial.MISSING_RESOURCES, RouteMatch(route), ("Magento_Sales::sales",)).message)
        The consumer isn't authorized to access Magento_Sales::sales.
    """

    __slots__ = ()
    fields = ("allowed", "reason", "match", "denied")
    __match_args__ = ("allowed", "reason", "match", "denied")

    # Underneath: (allowed, reason, route, params, denied). The match is made when it is
    # read, so that deciding a request builds one value, not two.

    def __new__(
        cls,
        allowed: bool,
        reason: RouteDenial | None,
        match: RouteMatch | None,
        denied: tuple[str, ...] = (),
    ) -> Self:
        """A decision with these fields."""
        if match is None:
            return tuple.__new__(cls, (allowed, reason, None, (), denied))
        return tuple.__new__(cls, (allowed, reason, match.route, match.params, denied))

    @property
    def allowed(self) -> bool:
        """
        Whether the request may proceed.

        Example:
            >>> RouteDecision(False, RouteDenial.NO_ROUTE, None).allowed
            False
        """
        allowed: bool = self[0]
        return allowed

    @property
    def reason(self) -> RouteDenial | None:
        """
        ``None`` when allowed, else the :class:`RouteDenial`.

        Example:
            >>> RouteDecision(False, RouteDenial.NO_ROUTE, None).reason
            <RouteDenial.NO_ROUTE: 'no_route'>
        """
        reason: RouteDenial | None = self[1]
        return reason

    @property
    def match(self) -> RouteMatch | None:
        """
        The matched route and its parameters; ``None`` when no route matches.

        A new value, equal to the last, each time it is read.

        Example:
            >>> RouteDecision(False, RouteDenial.NO_ROUTE, None).match is None
            True
        """
        if self[2] is None:
            return None
        return _new(RouteMatch, (self[2], self[3]))

    @property
    def denied(self) -> tuple[str, ...]:
        """
        The route's refs that are not satisfied, in the route's order.

        Example:
            >>> RouteDecision(False, RouteDenial.NO_ROUTE, None).denied
            ()
        """
        denied: tuple[str, ...] = self[4]
        return denied

    @property
    def route(self) -> Route | None:
        """
        The matched route, if any.

        Example:
            >>> RouteDecision(False, RouteDenial.NO_ROUTE, None).route is None
            True
        """
        route: Route | None = self[2]
        return route

    def __repr__(self) -> str:
        return (
            f"RouteDecision(allowed={self.allowed!r}, reason={self.reason!r}, "
            f"match={self.match!r}, denied={self.denied!r})"
        )

    def __getnewargs__(self) -> tuple[object, ...]:
        return (self.allowed, self.reason, self.match, self.denied)

    @property
    def message(self) -> str:
        """
        Magento's sentence for the answer, for logs and API error bodies.

        Like Magento's ``RequestValidator``, a resource denial names every resource the
        route lists; :attr:`denied` says which of them failed.

        Example:
            >>> RouteDecision(False, RouteDenial.NO_ROUTE, None).message
            'Request does not match any route.'
        """
        if self.reason is None:
            return "Allowed."
        if self.reason is RouteDenial.NO_ROUTE:
            return "Request does not match any route."
        if self.reason is RouteDenial.HTTPS_REQUIRED:
            return "Operation allowed only in HTTPS"
        assert self.route is not None  # noqa: S101  # every other reason has a route
        return f"The consumer isn't authorized to access {', '.join(self.route.resources)}."


_new = tuple.__new__
"""Builds a value from the tuple underneath, without a Python-level ``__new__``."""

_NO_ROUTE: Final = RouteDecision(allowed=False, reason=RouteDenial.NO_ROUTE, match=None)
"""Decisions are immutable: every unmatched request gets this one."""


def authorize(
    match: RouteMatch | None,
    permissions: Permissions | None,
    *,
    https: bool = True,
    any_of: bool = False,
) -> RouteDecision:
    """
    Decide a matched request for compiled permissions (``None``: a caller without credentials).

    The rules, in Magento's order (``Webapi/Controller/Rest/RequestValidator.php``):

    1. No route: denied, :attr:`RouteDenial.NO_ROUTE`.
    2. Every ref the route lists must be satisfied (Magento's ``Authorization``
       returns false at the first one that is not): ``anonymous`` always is; ``self``
       never is here, because it needs a signed-in customer and an integration is not
       one; an ACL resource id is when ``permissions`` allow it. ``Magento_Backend::admin``
       is when :attr:`~integration_core.selection.Permissions.allows_admin`: on the
       screen's tree, which does not hold it, when anything is allowed, as Magento gives
       it to every integration that allows a resource. With ``any_of=True``
       (issue #6906, for hosts that want it) one satisfied ref is enough.
    3. A ``secure`` route over plain HTTP (``https=False``) is denied,
       :attr:`RouteDenial.HTTPS_REQUIRED`.

    Raises:
        UnknownResourceError: For a required resource the permissions' tree does not
            hold (``Magento_Backend::admin`` aside): a route naming an id no ``acl.xml`` declares is a host bug
            (:func:`~integration_core.webapi.lint` lists them), not a denial.

    Example:
        >>> from integration_core import AclTree, ResourceSelection
        >>> from integration_core.webapi import RouteMap
        >>> tree = AclTree.from_data([{"id": "Magento_Sales::sales"}, {"id": "Magento_Catalog::products"}])
        >>> permissions = ResourceSelection.custom(tree, allow=["Magento_Sales::sales"]).compile(tree)
        >>> routes = RouteMap.from_data([
        ...     {"method": "GET", "url": "/V1/orders/:id", "service_class": "S", "service_method": "get",
        ...      "resources": ["Magento_Sales::sales"]},
        ...     {"method": "GET", "url": "/V1/products/:sku", "service_class": "S", "service_method": "get",
        ...      "resources": ["Magento_Catalog::products"]},
        ...     {"method": "GET", "url": "/V1/customers/me", "service_class": "S", "service_method": "get",
        ...      "resources": ["self"]},
        ... ])
        >>> routes.authorize(permissions, "GET", "/V1/orders/7").allowed
        True
        >>> decision = routes.authorize(permissions, "GET", "/V1/products/24-MB01")
        >>> decision.reason, decision.denied
        (<RouteDenial.MISSING_RESOURCES: 'missing_resources'>, ('Magento_Catalog::products',))
        >>> routes.authorize(permissions, "GET", "/V1/customers/me").reason
        <RouteDenial.CUSTOMER_ONLY: 'customer_only'>
        >>> routes.authorize(permissions, "GET", "/V1/nowhere/at-all").reason
        <RouteDenial.NO_ROUTE: 'no_route'>
    """
    return decide(match, permissions, https=https, any_of=any_of)


def decide(
    match: RouteMatch | None,
    permissions: Permissions | None,
    *,
    https: bool,
    any_of: bool,
    allowed: RouteDecision | None = None,
) -> RouteDecision:
    """:func:`authorize`, answering with ``allowed`` (made for ``match``) when it allows."""
    if match is None:
        return _NO_ROUTE
    route = match.route
    refs = route._acl  # noqa: SLF001  # the route's own compiled form
    if permissions is not None and not any_of and refs is not None:
        # The common case, an integration calling a route it may call, without a list.
        is_allowed = permissions.is_allowed
        for ref in refs:
            if not is_allowed(ref):
                break
        else:
            return _allowed(match, allowed, https=https)
    resources = route.resources
    if permissions is None:
        denied = [ref for ref in resources if ref != ANONYMOUS]
    else:
        # The permissions decide the ACL refs, Magento_Backend::admin included (denied_among).
        refused = frozenset(permissions.denied_among(route.acl_resources))
        denied = [ref for ref in resources if ref == SELF or ref in refused]
    if denied and not (any_of and len(denied) < len(resources)):
        reason = RouteDenial.CUSTOMER_ONLY if denied == [SELF] else RouteDenial.MISSING_RESOURCES
        return RouteDecision(False, reason, match, tuple(denied))  # noqa: FBT003  # see _allowed
    return _allowed(match, allowed, https=https)


def _allowed(match: RouteMatch, allowed: RouteDecision | None, *, https: bool) -> RouteDecision:
    """The decision once every required ref is satisfied: allowed, unless HTTPS is missing."""
    if match.route.secure and not https:
        return RouteDecision(allowed=False, reason=RouteDenial.HTTPS_REQUIRED, match=match)
    # Positional arguments: attrs' __init__ is cheaper called so, and this runs per request.
    return allowed or RouteDecision(True, None, match)  # noqa: FBT003

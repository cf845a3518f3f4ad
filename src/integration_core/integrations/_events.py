"""
Domain events: what each command did, for hosts to audit or publish.

Every event names the integration and the time (from the injected clock). Events
never carry a secret.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from integration_core.integrations._status import SetupType
from integration_core.selection import SelectionDiff
from integration_core.webapi import RouteImpact

__all__ = [
    "Event",
    "FieldChange",
    "IntegrationActivated",
    "IntegrationCreated",
    "IntegrationDeleted",
    "IntegrationReauthorized",
    "IntegrationReset",
    "IntegrationUpdated",
    "PermissionsChanged",
    "RequestTokenIssued",
    "TokenExchangeStarted",
]


@attrs.frozen
class IntegrationCreated:
    """
    An integration was created (inactive).

    Example:
        >>> from datetime import UTC, datetime
        >>> IntegrationCreated("i1", datetime(2024, 1, 1, tzinfo=UTC), "Shop", SetupType.MANUAL).name
        'Shop'
    """

    integration_id: str
    occurred_at: datetime
    name: str
    setup_type: SetupType


@attrs.frozen
class FieldChange:
    """
    One field of an integration before and after an edit.

    Example:
        >>> FieldChange("email", None, "ops@example.com")
        FieldChange(field='email', before=None, after='ops@example.com')
    """

    field: str
    before: str | None
    after: str | None


@attrs.frozen
class IntegrationUpdated:
    """
    An edit changed the integration's Info fields.

    Example:
        >>> from datetime import UTC, datetime
        >>> event = IntegrationUpdated("i1", datetime(2024, 1, 1, tzinfo=UTC), (FieldChange("name", "A", "B"),))
        >>> event.changes[0].field
        'name'
    """

    integration_id: str
    occurred_at: datetime
    changes: tuple[FieldChange, ...]


@attrs.frozen
class PermissionsChanged:
    """
    The allowed resources changed, effective at once (no reauthorization needed).

    Attributes:
        diff: The resources newly allowed and newly denied.
        routes: The web API routes the change opens and closes, when the service that
            made it has a route map (``IntegrationService(..., routes=...)``); ``None``
            without one, and for changes made by configuration sync.

    Example:
        >>> from datetime import UTC, datetime
        >>> changed = PermissionsChanged("i1", datetime(2024, 1, 1, tzinfo=UTC), SelectionDiff({"a"}, ()))
        >>> changed.diff.allowed, changed.routes
        (frozenset({'a'}), None)
    """

    integration_id: str
    occurred_at: datetime
    diff: SelectionDiff
    routes: RouteImpact | None = None


@attrs.frozen
class TokenExchangeStarted:
    """
    Activation started the OAuth exchange: the host must post to the callback URL.

    Example:
        >>> from datetime import UTC, datetime
        >>> TokenExchangeStarted("i1", datetime(2024, 1, 1, tzinfo=UTC), "k" * 32).consumer_key[:3]
        'kkk'
    """

    integration_id: str
    occurred_at: datetime
    consumer_key: str


@attrs.frozen
class RequestTokenIssued:
    """
    The consumer exchanged its key for a request token.

    Example:
        >>> from datetime import UTC, datetime
        >>> RequestTokenIssued("i1", datetime(2024, 1, 1, tzinfo=UTC)).integration_id
        'i1'
    """

    integration_id: str
    occurred_at: datetime


@attrs.frozen
class IntegrationActivated:
    """
    An access token was issued and the integration became active.

    Attributes:
        via_exchange: Whether the third party completed the OAuth exchange (else the
            tokens were issued directly and shown to the admin).

    Example:
        >>> from datetime import UTC, datetime
        >>> IntegrationActivated("i1", datetime(2024, 1, 1, tzinfo=UTC), via_exchange=False).via_exchange
        False
    """

    integration_id: str
    occurred_at: datetime
    via_exchange: bool


@attrs.frozen
class IntegrationReauthorized:
    """
    New access credentials were requested; the old access token stopped working.

    Example:
        >>> from datetime import UTC, datetime
        >>> IntegrationReauthorized("i1", datetime(2024, 1, 1, tzinfo=UTC)).integration_id
        'i1'
    """

    integration_id: str
    occurred_at: datetime


@attrs.frozen
class IntegrationDeleted:
    """
    The integration and all its credentials were removed.

    Example:
        >>> from datetime import UTC, datetime
        >>> IntegrationDeleted("i1", datetime(2024, 1, 1, tzinfo=UTC), "Shop").name
        'Shop'
    """

    integration_id: str
    occurred_at: datetime
    name: str


@attrs.frozen
class IntegrationReset:
    """
    A changed configuration recreated the integration: new credentials, status ``RESET``.

    Attributes:
        changes: The fields whose definition changed (``"selection"`` for resources).

    Example:
        >>> from datetime import UTC, datetime
        >>> IntegrationReset("i1", datetime(2024, 1, 1, tzinfo=UTC), "Shop", ("email",)).changes
        ('email',)
    """

    integration_id: str
    occurred_at: datetime
    name: str
    changes: tuple[str, ...]


Event = (
    IntegrationCreated
    | IntegrationUpdated
    | PermissionsChanged
    | TokenExchangeStarted
    | RequestTokenIssued
    | IntegrationActivated
    | IntegrationReauthorized
    | IntegrationDeleted
    | IntegrationReset
)
"""
Any domain event: the union of the event classes, for annotations and ``isinstance``.

Example:
    >>> from datetime import UTC
    >>> deleted = IntegrationDeleted("i1", datetime(2024, 1, 1, tzinfo=UTC), "Shop")
    >>> isinstance(deleted, Event), isinstance("Shop", Event)
    (True, False)
"""

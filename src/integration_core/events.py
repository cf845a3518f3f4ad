"""
Domain events: what each transition of an integration did, for hosts to audit or publish.

Every event names the integration and the time (from the injected clock). Events
never carry a secret.

Example:
    >>> from integration_core.events import IntegrationDeleted
    >>> IntegrationDeleted.__name__
    'IntegrationDeleted'
"""

from integration_core.integrations._events import (
    Event,
    FieldChange,
    IntegrationActivated,
    IntegrationCreated,
    IntegrationDeleted,
    IntegrationReauthorized,
    IntegrationReset,
    IntegrationUpdated,
    PermissionsChanged,
    RequestTokenIssued,
    TokenExchangeStarted,
)

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

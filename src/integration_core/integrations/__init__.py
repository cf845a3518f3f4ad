"""
The ``Integration`` aggregate: its form and validation, its lifecycle and the OAuth exchange.

Its events live in :mod:`integration_core.events` and its credentials in
:mod:`integration_core.credentials`.

Example:
    >>> from integration_core.integrations import IntegrationStatus
    >>> IntegrationStatus.RESET.label
    'Reset'
"""

from integration_core.integrations._config import ConfigIntegration
from integration_core.integrations._exchange import (
    ExchangeInstructions,
    IssuedCredentials,
    OAuthSettings,
    PendingExchange,
)
from integration_core.integrations._form import IntegrationForm
from integration_core.integrations._grid import (
    PAGE_MAX,
    PAGE_SIZE_MAX,
    GridSort,
    IntegrationPage,
    IntegrationQuery,
)
from integration_core.integrations._integration import Integration, Transition
from integration_core.integrations._names import name_key, name_search_key
from integration_core.integrations._post import FormPost
from integration_core.integrations._status import IntegrationStatus, SetupType
from integration_core.integrations._validation import (
    EMAIL_MAX,
    NAME_MAX,
    URL_MAX,
    UrlPolicy,
    check_name,
)

__all__ = [
    "EMAIL_MAX",
    "NAME_MAX",
    "PAGE_MAX",
    "PAGE_SIZE_MAX",
    "URL_MAX",
    "ConfigIntegration",
    "ExchangeInstructions",
    "FormPost",
    "GridSort",
    "Integration",
    "IntegrationForm",
    "IntegrationPage",
    "IntegrationQuery",
    "IntegrationStatus",
    "IssuedCredentials",
    "OAuthSettings",
    "PendingExchange",
    "SetupType",
    "Transition",
    "UrlPolicy",
    "check_name",
    "name_key",
    "name_search_key",
]

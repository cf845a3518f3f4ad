"""
integration-core: the domain core of Magento's "System > Integrations" screen.

An ACL resource tree (:class:`AclTree`), the All / Custom resource selection with
its grant rules (:class:`ResourceSelection`), permissions compiled for O(1) checks
(:class:`Permissions`), and integrations with their lifecycle. The core does no I/O.

Example:
    >>> from integration_core import AclTree, ResourceSelection
    >>> tree = AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}]}])
    >>> ResourceSelection.custom(tree, allow=["sales"]).compile(tree).is_allowed("orders")
    True
"""

from integration_core._access import AccessMode, CheckState, Decision
from integration_core._authorization import AuthorizationDecision, DenialReason
from integration_core._clock import Clock, ManualClock, SystemClock
from integration_core._config_integrations import ConfigIntegration, SyncReport
from integration_core._credentials import (
    ConsumerCredentials,
    CredentialGenerator,
    IssuedToken,
    Secret,
    SecretsGenerator,
    StoredToken,
)
from integration_core._definition import MAX_DEPTH
from integration_core._diff import SelectionDiff
from integration_core._events import (
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
from integration_core._form import IntegrationForm
from integration_core._integration import (
    Integration,
    IntegrationStatus,
    PendingExchange,
    SetupType,
    name_key,
)
from integration_core._memory import InMemoryIntegrationRepository
from integration_core._node import MAGENTO_RESOURCE_ID, AclNode
from integration_core._oauth import ExchangeInstructions, IssuedCredentials, OAuthSettings
from integration_core._permissions import Permissions
from integration_core._repository import IntegrationRepository
from integration_core._selection import MAGENTO_ADMIN, MAGENTO_ALL, ResourceSelection
from integration_core._service import (
    ActivationResult,
    CommandResult,
    IntegrationService,
    TokenResult,
)
from integration_core._tree import AclTree
from integration_core._validation import UrlPolicy

__all__ = [
    "MAGENTO_ADMIN",
    "MAGENTO_ALL",
    "MAGENTO_RESOURCE_ID",
    "MAX_DEPTH",
    "AccessMode",
    "AclNode",
    "AclTree",
    "ActivationResult",
    "AuthorizationDecision",
    "CheckState",
    "Clock",
    "CommandResult",
    "ConfigIntegration",
    "ConsumerCredentials",
    "CredentialGenerator",
    "Decision",
    "DenialReason",
    "Event",
    "ExchangeInstructions",
    "FieldChange",
    "InMemoryIntegrationRepository",
    "Integration",
    "IntegrationActivated",
    "IntegrationCreated",
    "IntegrationDeleted",
    "IntegrationForm",
    "IntegrationReauthorized",
    "IntegrationRepository",
    "IntegrationReset",
    "IntegrationService",
    "IntegrationStatus",
    "IntegrationUpdated",
    "IssuedCredentials",
    "IssuedToken",
    "ManualClock",
    "OAuthSettings",
    "PendingExchange",
    "Permissions",
    "PermissionsChanged",
    "RequestTokenIssued",
    "ResourceSelection",
    "Secret",
    "SecretsGenerator",
    "SelectionDiff",
    "SetupType",
    "StoredToken",
    "SyncReport",
    "SystemClock",
    "TokenExchangeStarted",
    "TokenResult",
    "UrlPolicy",
    "name_key",
]


def __dir__() -> list[str]:
    return sorted(__all__)

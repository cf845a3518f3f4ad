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
from integration_core._credentials import (
    AccessCredentials,
    ConsumerCredentials,
    CredentialGenerator,
    Secret,
    SecretsGenerator,
    StoredToken,
)
from integration_core._definition import MAX_DEPTH
from integration_core._integration import (
    Integration,
    IntegrationStatus,
    PendingExchange,
    SetupType,
    name_key,
)
from integration_core._memory import InMemoryIntegrationRepository
from integration_core._node import MAGENTO_RESOURCE_ID, AclNode
from integration_core._permissions import Permissions
from integration_core._repository import IntegrationRepository
from integration_core._selection import MAGENTO_ADMIN, MAGENTO_ALL, ResourceSelection, SelectionDiff
from integration_core._tree import AclTree

__all__ = [
    "MAGENTO_ADMIN",
    "MAGENTO_ALL",
    "MAGENTO_RESOURCE_ID",
    "MAX_DEPTH",
    "AccessCredentials",
    "AccessMode",
    "AclNode",
    "AclTree",
    "CheckState",
    "ConsumerCredentials",
    "CredentialGenerator",
    "Decision",
    "InMemoryIntegrationRepository",
    "Integration",
    "IntegrationRepository",
    "IntegrationStatus",
    "PendingExchange",
    "Permissions",
    "ResourceSelection",
    "Secret",
    "SecretsGenerator",
    "SelectionDiff",
    "SetupType",
    "StoredToken",
    "name_key",
]


def __dir__() -> list[str]:
    return sorted(__all__)

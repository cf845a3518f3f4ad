"""
integration-core: the domain core of Magento's "System > Integrations" screen.

An ACL resource tree (:class:`AclTree`), the All / Custom resource selection with
its grant rules (:class:`ResourceSelection`), permissions compiled for O(1) checks
(:class:`Permissions`), and integrations with their lifecycle. The core does no I/O.

The root holds the names a host uses every day; everything else lives in documented
submodules: :mod:`~integration_core.acl`, :mod:`~integration_core.selection`,
:mod:`~integration_core.integrations`, :mod:`~integration_core.events`,
:mod:`~integration_core.credentials`, :mod:`~integration_core.service`,
:mod:`~integration_core.ports`, :mod:`~integration_core.adapters`,
:mod:`~integration_core.errors` and :mod:`~integration_core.testing`.

Example:
    >>> from integration_core import AclTree, ResourceSelection
    >>> tree = AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}]}])
    >>> ResourceSelection.custom(tree, allow=["sales"]).compile(tree).is_allowed("orders")
    True
"""

from integration_core.acl import MAGENTO_ADMIN, AclNode, AclTree, CheckState
from integration_core.adapters import InMemoryIntegrationRepository, ManualClock, SystemClock
from integration_core.credentials import Secret
from integration_core.integrations import (
    ConfigIntegration,
    Integration,
    IntegrationForm,
    IntegrationStatus,
    OAuthSettings,
    SetupType,
)
from integration_core.ports import IntegrationRepository
from integration_core.selection import AccessMode, Permissions, ResourceSelection
from integration_core.service import AuthorizationDecision, IntegrationService

__all__ = [
    "MAGENTO_ADMIN",
    "AccessMode",
    "AclNode",
    "AclTree",
    "AuthorizationDecision",
    "CheckState",
    "ConfigIntegration",
    "InMemoryIntegrationRepository",
    "Integration",
    "IntegrationForm",
    "IntegrationRepository",
    "IntegrationService",
    "IntegrationStatus",
    "ManualClock",
    "OAuthSettings",
    "Permissions",
    "ResourceSelection",
    "Secret",
    "SetupType",
    "SystemClock",
]


def __dir__() -> list[str]:
    return sorted(__all__)

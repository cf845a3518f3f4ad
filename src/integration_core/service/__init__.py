"""
The application service: the admin screen's commands, orchestrated over a repository.

Example:
    >>> from integration_core.service import DenialReason
    >>> DenialReason.INACTIVE.value
    'inactive'
"""

from integration_core.service._authorization import AuthorizationDecision, DenialReason
from integration_core.service._config_sync import SyncReport
from integration_core.service._service import (
    ActivationResult,
    CommandResult,
    IntegrationService,
    TokenResult,
)

__all__ = [
    "ActivationResult",
    "AuthorizationDecision",
    "CommandResult",
    "DenialReason",
    "IntegrationService",
    "SyncReport",
    "TokenResult",
]

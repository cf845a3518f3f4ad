"""Where an integration is in its lifecycle, and how it was declared."""

from __future__ import annotations

import enum

__all__ = ["IntegrationStatus", "SetupType"]


class IntegrationStatus(enum.Enum):
    """
    Where an integration is in its lifecycle (Magento's status column, 0/1/2).

    ``RESET`` is Magento's "Reset" (``STATUS_RECREATED``): a configuration
    integration recreated with new credentials because its definition changed.

    Example:
        >>> IntegrationStatus.ACTIVE.label, IntegrationStatus.RESET.value
        ('Active', 2)
    """

    INACTIVE = 0
    ACTIVE = 1
    RESET = 2

    @property
    def label(self) -> str:
        """
        The label Magento's grid shows.

        Example:
            >>> IntegrationStatus.INACTIVE.label
            'Inactive'
        """
        return self.name.capitalize()


class SetupType(enum.Enum):
    """
    How an integration was declared: on the admin screen or in configuration.

    Example:
        >>> SetupType.CONFIG.value
        1
    """

    MANUAL = 0
    CONFIG = 1

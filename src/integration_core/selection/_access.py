"""The vocabulary of resource access: modes, decisions and check states."""

from __future__ import annotations

import enum

__all__ = ["AccessMode", "Decision"]


class AccessMode(enum.Enum):
    """
    The "Resource Access" choice of Magento's API tab.

    Example:
        >>> AccessMode("custom")
        <AccessMode.CUSTOM: 'custom'>
    """

    ALL = "all"
    """Every resource, including resources added to the tree later."""
    CUSTOM = "custom"
    """The resources explicitly granted, less those explicitly excluded."""


class Decision(enum.Enum):
    """
    An explicit decision on one resource of a Custom selection.

    Example:
        >>> Decision.ALLOW.value, Decision.DENY.value
        ('allow', 'deny')
    """

    ALLOW = "allow"
    DENY = "deny"

"""The vocabulary of resource access: modes, decisions and check states."""

from __future__ import annotations

import enum

__all__ = ["AccessMode", "CheckState", "Decision"]


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


class CheckState(enum.Enum):
    """
    How a tree widget draws a resource's checkbox for a selection.

    Example:
        >>> [state.mark for state in CheckState]
        ['[x]', '[-]', '[ ]']
    """

    CHECKED = "checked"
    """The resource and its whole subtree are allowed."""
    UNDETERMINED = "undetermined"
    """Some, not all, of the resource and its subtree are allowed."""
    UNCHECKED = "unchecked"
    """Nothing in the resource's subtree is allowed."""

    @property
    def mark(self) -> str:
        """
        The text mark of the state: ``[x]``, ``[-]`` or ``[ ]``.

        Example:
            >>> CheckState.UNDETERMINED.mark
            '[-]'
        """
        return _MARKS[self]


_MARKS = {CheckState.CHECKED: "[x]", CheckState.UNDETERMINED: "[-]", CheckState.UNCHECKED: "[ ]"}

"""How a tree widget draws a resource's checkbox: checked, undetermined or unchecked."""

from __future__ import annotations

import enum

__all__ = ["CheckState"]


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

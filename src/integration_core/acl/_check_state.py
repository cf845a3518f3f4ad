"""How a tree widget draws a resource's checkbox: checked, undetermined or unchecked."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any

from integration_core.errors import UnknownResourceError

__all__ = ["CheckState", "CheckStates"]


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


class CheckStates(Mapping[str, CheckState]):
    """
    The check state of every resource of a tree, read-only, in display order.

    Asking for a resource the tree does not hold raises
    :class:`~integration_core.errors.UnknownResourceError`, as the tree itself does;
    ``get`` and ``in`` answer as for any mapping.

    Example:
        >>> states = CheckStates({"a": CheckState.CHECKED})
        >>> states["a"], states.get("b"), "b" in states
        (<CheckState.CHECKED: 'checked'>, None, False)
        >>> states["b"]
        Traceback (most recent call last):
            ...
        integration_core.errors.UnknownResourceError: unknown resource id: 'b'
    """

    __slots__ = ("_states",)

    def __init__(self, states: dict[str, CheckState]) -> None:
        self._states = states

    def __getitem__(self, resource_id: str) -> CheckState:
        try:
            return self._states[resource_id]
        except (KeyError, TypeError):
            raise UnknownResourceError([str(resource_id)]) from None

    def get(self, resource_id: object, default: Any = None) -> Any:
        """
        The state of ``resource_id``, or ``default`` when the tree lacks it (any type of id).

        Example:
            >>> CheckStates({"a": CheckState.UNCHECKED}).get(["a"], "none")
            'none'
        """
        try:
            return self._states.get(resource_id, default)  # type: ignore[call-overload]
        except TypeError:
            return default

    def __contains__(self, resource_id: object) -> bool:
        return self.get(resource_id) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._states)

    def __len__(self) -> int:
        return len(self._states)

    def __repr__(self) -> str:
        return f"CheckStates({self._states!r})"

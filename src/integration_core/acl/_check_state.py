"""How a tree widget draws a resource's checkbox: checked, undetermined or unchecked."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from integration_core.errors import InvalidSelectionError, UnknownResourceError

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

    A state says what a resource's subtree holds, not whether the resource itself is
    allowed: an undetermined parent may be allowed (its children denied) or not. The
    states a selection computes also carry :attr:`allowed`, which the jstree export
    needs for an exact round trip. Given ``allowed``, it must agree with the states:
    every checked resource is in it, no unchecked one is.

    Raises:
        InvalidSelectionError: Naming ``allowed`` when it disagrees with the states.

    Example:
        >>> states = CheckStates({"a": CheckState.CHECKED})
        >>> states["a"], states.get("b"), "b" in states
        (<CheckState.CHECKED: 'checked'>, None, False)
        >>> states["b"]
        Traceback (most recent call last):
            ...
        integration_core.errors.UnknownResourceError: unknown resource id: 'b'
        >>> CheckStates({"a": CheckState.UNCHECKED}, allowed=["a"])
        Traceback (most recent call last):
            ...
        integration_core.errors.InvalidSelectionError: allowed: resource 'a' is unchecked, so it cannot be allowed
    """

    __slots__ = ("_allowed", "_states")

    def __init__(self, states: dict[str, CheckState], allowed: Iterable[str] | None = None) -> None:
        self._states = states
        self._allowed = None if allowed is None else _agreeing(states, allowed)

    @property
    def allowed(self) -> frozenset[str] | None:
        """
        The resources allowed themselves, or ``None`` when these states do not say.

        A selection's :meth:`~integration_core.ResourceSelection.check_states` always
        say; states built from a plain mapping do not.

        Example:
            >>> from integration_core import AclTree, ResourceSelection
            >>> tree = AclTree.from_data([{"id": "p", "children": [{"id": "c"}]}])
            >>> states = ResourceSelection.custom(tree, allow=["p"], deny=["c"]).check_states(tree)
            >>> states["p"], sorted(states.allowed or ())
            (<CheckState.UNDETERMINED: 'undetermined'>, ['p'])
            >>> CheckStates({"p": CheckState.CHECKED}).allowed is None
            True
        """
        return self._allowed

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


def _agreeing(states: Mapping[str, CheckState], ids: Iterable[str]) -> frozenset[str]:
    """``ids`` as a set when it agrees with ``states``; otherwise the first disagreement, named."""
    if isinstance(ids, str | bytes) or not isinstance(ids, Iterable):
        raise InvalidSelectionError(
            "allowed", f"expected a collection of resource ids, got {type(ids).__name__}"
        )
    try:
        allowed = frozenset(ids)
    except TypeError:
        raise InvalidSelectionError("allowed", "expected hashable resource ids") from None
    unknown = sorted(map(repr, allowed - states.keys()))
    if unknown:
        raise InvalidSelectionError("allowed", f"no check state for resource {unknown[0]}")
    for resource_id, state in states.items():
        if state is CheckState.CHECKED and resource_id not in allowed:
            raise InvalidSelectionError(
                "allowed", f"resource {resource_id!r} is checked, so it must be allowed"
            )
        if state is CheckState.UNCHECKED and resource_id in allowed:
            raise InvalidSelectionError(
                "allowed", f"resource {resource_id!r} is unchecked, so it cannot be allowed"
            )
    return allowed

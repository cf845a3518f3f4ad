"""What changes on a tree when one resource selection replaces another."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = ["SelectionDiff"]


def _ids(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


@attrs.frozen
class SelectionDiff:
    """
    What changes between two selections on one tree.

    Attributes:
        allowed: Resources denied before and allowed after.
        denied: Resources allowed before and denied after.

    Example:
        >>> SelectionDiff(frozenset({"a"}), frozenset()).changed
        True
    """

    allowed: frozenset[str] = attrs.field(converter=_ids)
    denied: frozenset[str] = attrs.field(converter=_ids)

    @property
    def changed(self) -> bool:
        """
        Whether anything changes at all.

        Example:
            >>> SelectionDiff(frozenset(), frozenset()).changed
            False
        """
        return bool(self.allowed or self.denied)

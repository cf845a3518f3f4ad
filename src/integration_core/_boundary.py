"""What every repository checks of its arguments: one answer for every adapter."""

from __future__ import annotations

from typing import TypeGuard

from integration_core.errors import InvalidArgumentError
from integration_core.integrations import Integration

__all__ = ["a_version", "an_integration", "storable"]


def a_version(value: object) -> TypeGuard[int]:
    """
    Whether ``value`` can be a stored version: an ``int`` (``True`` and ``1.0`` are not).

    A write based on anything else is stale, whatever the repository holds.

    Example:
        >>> a_version(3), a_version(True), a_version("3")
        (True, False, False)
    """
    return isinstance(value, int) and not isinstance(value, bool)


def an_integration(value: object) -> Integration:
    """
    ``value``, refused unless it is an :class:`~integration_core.Integration`.

    Example:
        >>> an_integration({"name": "Shop"})
        Traceback (most recent call last):
            ...
        integration_core.errors.InvalidArgumentError: integration: expected an Integration, got dict
    """
    if not isinstance(value, Integration):
        raise InvalidArgumentError(
            "integration", f"expected an Integration, got {type(value).__name__}"
        )
    return value


def storable(value: object) -> TypeGuard[str]:
    r"""
    Whether ``value`` is a ``str`` every store holds unchanged: valid UTF-8 and no NUL.

    A lone surrogate cannot be encoded, and PostgreSQL refuses NUL in text; a lookup
    by such a key finds nothing in any repository, and no integration holds one.

    Example:
        >>> storable("Shop"), storable("\ud800"), storable("a\x00b"), storable(["a"])
        (True, False, False, False)
    """
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

"""
The one hierarchy of errors that integration-core raises.

Every error derives from :class:`IntegrationCoreError`; the specific ones also derive
from the builtin they mean (``ValueError`` for bad input, ``LookupError`` for
something that is not there), so callers can catch either.

Example:
    >>> from integration_core.errors import IntegrationCoreError, UnknownResourceError
    >>> issubclass(UnknownResourceError, LookupError)
    True
    >>> issubclass(UnknownResourceError, IntegrationCoreError)
    True
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "AclDefinitionError",
    "IntegrationCoreError",
    "InvalidSelectionError",
    "UnknownResourceError",
]


def __dir__() -> list[str]:
    return sorted(__all__)


class IntegrationCoreError(Exception):
    """
    Root of every error integration-core raises.

    Example:
        >>> try:
        ...     raise IntegrationCoreError("something went wrong")
        ... except IntegrationCoreError as error:
        ...     print(error)
        something went wrong
    """


class AclDefinitionError(IntegrationCoreError, ValueError):
    """
    An ACL tree definition (nested data, flat records or ``acl.xml``) is invalid.

    Attributes:
        resource_id: The offending resource id, or ``None`` when the problem is not
            tied to one id (malformed XML, wrong top-level type).
        source: Where the problem was found: the document name and a path such as
            ``"Backend.xml: /config/acl/resources/resource[2]"`` or ``"data[0].children[3]"``.
        reason: The problem, without the location.

    Example:
        >>> from integration_core import AclTree
        >>> AclTree.from_data([{"id": "a"}, {"id": "a"}])
        Traceback (most recent call last):
            ...
        integration_core.errors.AclDefinitionError: data[1]: duplicate resource id 'a' (first declared at data[0])
    """

    def __init__(self, reason: str, *, resource_id: str | None = None, source: str = "") -> None:
        self.reason = reason
        self.resource_id = resource_id
        self.source = source
        super().__init__(f"{source}: {reason}" if source else reason)


class UnknownResourceError(IntegrationCoreError, LookupError):
    """
    One or more resource ids are not in the ACL tree.

    Attributes:
        resource_ids: The unknown ids, sorted.

    Example:
        >>> from integration_core import AclTree
        >>> AclTree.from_data([{"id": "a"}])["b"]
        Traceback (most recent call last):
            ...
        integration_core.errors.UnknownResourceError: unknown resource id: 'b'
    """

    def __init__(self, resource_ids: Iterable[str]) -> None:
        self.resource_ids: tuple[str, ...] = tuple(sorted(set(resource_ids)))
        noun = "id" if len(self.resource_ids) == 1 else "ids"
        listed = ", ".join(repr(resource_id) for resource_id in self.resource_ids)
        super().__init__(f"unknown resource {noun}: {listed}")

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidSelectionError(IntegrationCoreError, ValueError):
    """
    Serialized resource-selection data is malformed.

    Attributes:
        field: The offending key of the data, such as ``"mode"`` or ``"allow"``.

    Example:
        >>> from integration_core import ResourceSelection
        >>> ResourceSelection.from_data({"mode": "some"})
        Traceback (most recent call last):
            ...
        integration_core.errors.InvalidSelectionError: mode: expected 'all' or 'custom', got 'some'
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")

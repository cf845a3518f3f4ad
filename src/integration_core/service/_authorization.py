"""Authorizing an API call: a presented access token and the resources a route requires."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Final

import attrs

from integration_core.acl import AclTree
from integration_core.errors import AclTreeMismatchError, InvalidArgumentError
from integration_core.integrations import Integration, IntegrationStatus
from integration_core.integrations._credentials import digest
from integration_core.ports import IntegrationRepository
from integration_core.selection import Permissions, ResourceSelection
from integration_core.selection._tree_shape import decided_on_other_tree

__all__ = ["AuthorizationDecision", "CallAuthorizer", "DenialReason"]


class DenialReason(enum.Enum):
    """
    Why a call was denied.

    Example:
        >>> DenialReason.MISSING_RESOURCES.value
        'missing_resources'
    """

    UNKNOWN_TOKEN = "unknown_token"  # noqa: S105 - a reason code, not a password
    INACTIVE = "inactive"
    MISSING_RESOURCES = "missing_resources"


@attrs.frozen
class AuthorizationDecision:
    """
    The answer for one call: allowed, or denied with the reason.

    Attributes:
        allowed: Whether the call may proceed.
        reason: ``None`` when allowed, else the :class:`DenialReason`.
        integration_id: The integration the token belongs to, if any.
        missing: The required resources it may not use, in the order required.

    Example:
        >>> AuthorizationDecision(False, DenialReason.UNKNOWN_TOKEN, None).message
        'The access token is not valid.'
    """

    allowed: bool
    reason: DenialReason | None
    integration_id: str | None
    missing: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """
        A sentence for logs and API error bodies (never containing the token).

        Example:
            >>> AuthorizationDecision(False, DenialReason.MISSING_RESOURCES, "i1", ("a", "b")).message
            "The consumer isn't authorized to access a, b."
        """
        if self.reason is None:
            return "Allowed."
        if self.reason is DenialReason.UNKNOWN_TOKEN:
            return "The access token is not valid."
        if self.reason is DenialReason.INACTIVE:
            return "The integration is not active."
        return f"The consumer isn't authorized to access {', '.join(self.missing)}."


class CallAuthorizer:
    """
    Answers "may this token call a route requiring these resources?" on the hot path.

    A call costs one SHA-256 digest, one repository lookup by digest, and one set
    lookup per required resource: compiled :class:`~integration_core.Permissions`,
    with the integration's "allowed" answer, are cached per integration id together
    with the selection they were compiled from, and used only for an integration read
    with an equal selection. The decision is therefore always the one its stored
    selection gives, whoever wrote it: an edit applies at once, another service's write
    too, and an id used again after a delete never inherits the deleted one's rights.

    Safe to share between threads: entries are immutable and replaced whole, so a
    thread sees an old entry or a new one, and either is checked against the selection
    it reads.

    Example:
        >>> from integration_core import AclTree, InMemoryIntegrationRepository
        >>> from integration_core.testing.builders import sample_integration
        >>> repository = InMemoryIntegrationRepository()
        >>> _ = repository.add(sample_integration("Shop", access_token="t" * 32))
        >>> authorizer = CallAuthorizer(repository, AclTree.from_data([{"id": "sales"}]))
        >>> authorizer.authorize("t" * 32, ["sales"]).allowed
        True
        >>> authorizer.authorize("x" * 32, ["sales"]).reason
        <DenialReason.UNKNOWN_TOKEN: 'unknown_token'>
    """

    def __init__(self, repository: IntegrationRepository, tree: AclTree) -> None:
        self._repository = repository
        self._tree = tree
        self._compiled: dict[str, _Compiled] = {}

    def authorize(self, access_token: str, required: Iterable[str]) -> AuthorizationDecision:
        """
        Decide one call; every required resource must be allowed, as in Magento's web API.

        A token that is not a string is unknown, like any token no integration holds.

        Raises:
            UnknownResourceError: A required resource is not in the tree (a route
                declaring an id the tree does not hold is a host bug, not a denial).
            InvalidArgumentError: ``required`` is not a collection of string ids.
            AclTreeMismatchError: The integration's selection was decided on the other
                shape of the Magento tree (the full tree or the screen's): a host bug
                that would otherwise quietly deny.
        """
        if isinstance(required, str | bytes) or not isinstance(required, Iterable):
            raise InvalidArgumentError(
                "required",
                f"expected a collection of resource ids, got {type(required).__name__}",
            )
        if not isinstance(access_token, str):
            return _UNKNOWN_TOKEN
        integration = self._repository.find_by_access_token_digest(digest(access_token))
        if integration is None:
            return _UNKNOWN_TOKEN
        return self.decide(integration, required)

    def decide(self, integration: Integration, required: Iterable[str]) -> AuthorizationDecision:
        """
        Decide one call of an integration already read (a signed call found it by its token).

        Raises:
            UnknownResourceError: As :meth:`authorize`.
            InvalidArgumentError: As :meth:`authorize`.

        Example:
            >>> from integration_core import AclTree, InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> authorizer = CallAuthorizer(InMemoryIntegrationRepository(), AclTree.from_data([{"id": "a"}]))
            >>> authorizer.decide(sample_integration(access_token="t" * 32), ["a"]).allowed
            True
        """
        if integration.status is not IntegrationStatus.ACTIVE:
            return _denied(DenialReason.INACTIVE, integration.id)
        compiled = self._compile(integration)
        try:
            missing = compiled.permissions.denied_among(required)
        except TypeError:
            raise InvalidArgumentError(
                "required", "expected resource ids (strings), got an unhashable value"
            ) from None
        if missing:
            return _denied(DenialReason.MISSING_RESOURCES, integration.id, missing)
        return compiled.allowed

    def permissions(self, integration: Integration) -> Permissions:
        """
        The compiled permissions of ``integration``'s selection, from the cache.

        Example:
            >>> from integration_core import AclTree, InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> authorizer = CallAuthorizer(InMemoryIntegrationRepository(), AclTree.from_data([{"id": "a"}]))
            >>> integration = sample_integration()
            >>> authorizer.permissions(integration) is authorizer.permissions(integration)
            True
        """
        return self._compile(integration).permissions

    def _compile(self, integration: Integration) -> _Compiled:
        """The cache entry of ``integration``: compiled when its selection is not the cached one."""
        cached = self._compiled.get(integration.id)
        # The selection is the whole input of the compiled permissions: an equal one is a sound
        # key whatever id, version or incarnation it came with (identity first: memory stores).
        if cached is not None and (
            cached.selection is integration.selection or cached.selection == integration.selection
        ):
            return cached
        decided_on = decided_on_other_tree(integration.selection, self._tree)
        if decided_on is not None:
            raise AclTreeMismatchError(integration.id, decided_on)
        entry = _Compiled(
            integration.selection,
            integration.selection.compile(self._tree),
            AuthorizationDecision(allowed=True, reason=None, integration_id=integration.id),
        )
        # One atomic store of an immutable entry: racing threads each store a sound one.
        self._compiled[integration.id] = entry
        return entry

    def forget(self, integration_id: str) -> None:
        """
        Drop the cached permissions of a deleted integration (memory only: a stale entry is never used).

        Example:
            >>> from integration_core import AclTree, InMemoryIntegrationRepository
            >>> CallAuthorizer(InMemoryIntegrationRepository(), AclTree.from_data([])).forget("gone")
        """
        self._compiled.pop(integration_id, None)


@attrs.frozen
class _Compiled:
    """One cache entry: a selection, its permissions on the tree and the "allowed" decision."""

    selection: ResourceSelection
    permissions: Permissions
    allowed: AuthorizationDecision


_UNKNOWN_TOKEN: Final = AuthorizationDecision(
    allowed=False, reason=DenialReason.UNKNOWN_TOKEN, integration_id=None
)
"""Decisions are immutable: every unknown token gets this one."""


def _denied(
    reason: DenialReason, integration_id: str | None, missing: tuple[str, ...] = ()
) -> AuthorizationDecision:
    return AuthorizationDecision(
        allowed=False, reason=reason, integration_id=integration_id, missing=missing
    )

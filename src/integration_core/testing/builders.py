"""
Builders of sample values for examples and tests, free of pytest and Hypothesis.

Example:
    >>> sample_integration("Shop").name
    'Shop'
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from integration_core.acl import AclTree
from integration_core.adapters import InMemoryIntegrationRepository, ManualClock
from integration_core.adapters.sealing import AesGcmSealer
from integration_core.credentials import (
    CredentialIssuer,
    IssuedToken,
    Secret,
    SecretsGenerator,
)
from integration_core.integrations import Integration, IntegrationStatus, OAuthSettings, SetupType
from integration_core.ports import IntegrationRepository
from integration_core.selection import ResourceSelection
from integration_core.service import IntegrationService

__all__ = ["sample_integration", "sample_issuer", "sample_sealer", "sample_service"]


_WHEN = datetime(2024, 5, 17, 9, 30, 15, 123456, tzinfo=UTC)
_SAMPLE_KEY = bytes(range(32))


def sample_sealer() -> AesGcmSealer:
    """
    A sealer with a fixed, published key: for examples and tests only, never for a store.

    Example:
        >>> sealer = sample_sealer()
        >>> sealer.open(sealer.seal("s", context="c"), context="c")
        's'
    """
    return AesGcmSealer({"sample": _SAMPLE_KEY}, current="sample")


def sample_issuer() -> CredentialIssuer:
    """
    Credentials from :mod:`secrets`, sealed by :func:`sample_sealer`.

    Example:
        >>> len(sample_issuer().credential().reveal())
        32
    """
    return CredentialIssuer(SecretsGenerator(), sample_sealer())


def sample_integration(
    name: str = "Sample",
    *,
    integration_id: str | None = None,
    consumer_key: str | None = None,
    access_token: str | None = None,
    callback_url: str | None = None,
    identity_link_url: str | None = None,
    setup_type: SetupType = SetupType.MANUAL,
) -> Integration:
    """
    A valid, never-stored integration for tests; ids and keys are fresh unless given.

    Args:
        name: Its name.
        integration_id: Its id (default: a fresh UUID hex).
        consumer_key: Its consumer key (default: a fresh 32-character key).
        access_token: When given, the integration is active with this token (stored as a digest).
        callback_url: Its callback URL.
        identity_link_url: Its identity link URL.
        setup_type: Manual (the default) or configuration.

    Example:
        >>> integration = sample_integration("Shop", access_token="t" * 32)
        >>> integration.status.label, integration.access.matches("t" * 32)
        ('Active', True)
    """
    fresh = uuid.uuid4().hex
    access = None
    if access_token is not None:
        access = sample_issuer().store(IssuedToken(Secret(access_token), Secret(fresh)))
    return Integration(
        id=fresh if integration_id is None else integration_id,
        name=name,
        email="ops@example.com",
        callback_url=callback_url,
        identity_link_url=identity_link_url,
        status=IntegrationStatus.INACTIVE if access is None else IntegrationStatus.ACTIVE,
        setup_type=setup_type,
        selection=ResourceSelection.all(),
        consumer=sample_issuer().consumer(consumer_key),
        created_at=_WHEN,
        updated_at=_WHEN,
        access=access,
    )


def sample_service(
    tree: AclTree | None = None, *, repository: IntegrationRepository | None = None
) -> IntegrationService:
    """
    A service for examples and tests: a new in-memory repository, a clock standing still.

    The clock is a :class:`~integration_core.ManualClock` (``service.clock``, to move
    it), the host is ``https://shop.example/``, credentials come from :mod:`secrets` and
    are sealed by :func:`sample_sealer`.

    Args:
        tree: The ACL tree (default: one resource, ``sales``).
        repository: Where integrations live (default: a new in-memory repository).

    Example:
        >>> service = sample_service()
        >>> service.tree.ids, service.settings.store_base_url, service.repository.list()
        (('sales',), 'https://shop.example/', ())
    """
    return IntegrationService(
        InMemoryIntegrationRepository() if repository is None else repository,
        AclTree.from_data([{"id": "sales"}]) if tree is None else tree,
        ManualClock(_WHEN),
        OAuthSettings("https://shop.example/", "https://shop.example/admin/ok"),
        sealer=sample_sealer(),
    )

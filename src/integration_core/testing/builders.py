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
from integration_core.credentials import ConsumerCredentials, IssuedToken, Secret
from integration_core.integrations import Integration, IntegrationStatus, OAuthSettings, SetupType
from integration_core.selection import ResourceSelection
from integration_core.service import IntegrationService

__all__ = ["sample_integration", "sample_service"]


_WHEN = datetime(2024, 5, 17, 9, 30, 15, 123456, tzinfo=UTC)


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
        access = IssuedToken(Secret(access_token), Secret(fresh)).stored()
    return Integration(
        id=fresh if integration_id is None else integration_id,
        name=name,
        email="ops@example.com",
        callback_url=callback_url,
        identity_link_url=identity_link_url,
        status=IntegrationStatus.INACTIVE if access is None else IntegrationStatus.ACTIVE,
        setup_type=setup_type,
        selection=ResourceSelection.all(),
        consumer=ConsumerCredentials(
            fresh if consumer_key is None else consumer_key, Secret(uuid.uuid4().hex)
        ),
        created_at=_WHEN,
        updated_at=_WHEN,
        access=access,
    )


def sample_service(tree: AclTree | None = None) -> IntegrationService:
    """
    A service for examples and tests: a new in-memory repository, a clock standing still.

    The clock is a :class:`~integration_core.ManualClock` (``service.clock``, to move
    it), the host is ``https://shop.example/``, and credentials come from :mod:`secrets`.

    Args:
        tree: The ACL tree (default: one resource, ``sales``).

    Example:
        >>> service = sample_service()
        >>> service.tree.ids, service.settings.store_base_url, service.repository.list()
        (('sales',), 'https://shop.example/', ())
    """
    return IntegrationService(
        InMemoryIntegrationRepository(),
        AclTree.from_data([{"id": "sales"}]) if tree is None else tree,
        ManualClock(_WHEN),
        OAuthSettings("https://shop.example/", "https://shop.example/admin/ok"),
    )

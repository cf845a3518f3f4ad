"""Shared pieces for the lifecycle tests: a small Magento-like tree and a service on it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from integration_core import (
    AclTree,
    InMemoryIntegrationRepository,
    IntegrationService,
    ManualClock,
    OAuthSettings,
)
from integration_core.integrations import UrlPolicy
from integration_core.testing.builders import sample_sealer

START = datetime(2024, 5, 17, 9, 0, tzinfo=UTC)
SETTINGS = OAuthSettings("https://shop.example/", "https://shop.example/admin/integration/ok")
TREE = AclTree.from_data(
    [
        {
            "id": "Magento_Sales::sales",
            "title": "Sales",
            "children": [
                {"id": "Magento_Sales::invoice", "title": "Invoice"},
                {"id": "Magento_Sales::cancel", "title": "Cancel"},
            ],
        },
        {
            "id": "Magento_Catalog::catalog",
            "title": "Catalog",
            "children": [{"id": "Magento_Catalog::products", "title": "Products"}],
        },
    ]
)


class CountingGenerator:
    """Deterministic credentials: 32 digits counting up."""

    def __init__(self) -> None:
        self.counter = itertools.count(1)

    def __call__(self) -> str:
        return f"{next(self.counter):032d}"


def make_service(
    *, url_policy: UrlPolicy = UrlPolicy.STANDARD, settings: OAuthSettings = SETTINGS
) -> tuple[IntegrationService, ManualClock]:
    clock = ManualClock(START)
    service = IntegrationService(
        InMemoryIntegrationRepository(),
        TREE,
        clock,
        settings,
        generator=CountingGenerator(),
        url_policy=url_policy,
        sealer=sample_sealer(),
    )
    return service, clock

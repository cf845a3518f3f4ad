"""
The integration hot path: authorize an API call by access token.

An in-memory repository holds several active integrations, each with a Custom
selection on the Magento 2.4 tree from the fixtures. A call presents an access token
and the resources its route requires; the service digests the token, finds the
integration, and checks the resources against its cached compiled permissions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from benchmarks.config import Config
from benchmarks.magento import EXCLUDED, GRANTED, REGRANTED, read_documents
from benchmarks.report import Row, format_ns, format_ratio
from benchmarks.timing import Measure, interleaved_best_ns
from integration_core import (
    AclTree,
    InMemoryIntegrationRepository,
    IntegrationForm,
    IntegrationService,
    ManualClock,
    OAuthSettings,
    ResourceSelection,
)
from integration_core.integrations import IssuedCredentials
from integration_core.integrations._credentials import digest
from integration_core.testing.builders import sample_sealer

__all__ = ["ALLOWED_ROUTE", "INTEGRATIONS", "integration_rows", "issued"]

INTEGRATIONS = 50
"""Active integrations in the repository."""

ALLOWED_ROUTE = (REGRANTED,)
DENIED_ROUTE = (REGRANTED, "Magento_Sales::cancel")


def issued(
    tree: AclTree, start: datetime = datetime(2024, 1, 1, tzinfo=UTC)
) -> tuple[IntegrationService, list[IssuedCredentials]]:
    """
    A service with :data:`INTEGRATIONS` active integrations, and their four credentials.

    The service's clock stands still at ``start``.
    """
    service = IntegrationService(
        InMemoryIntegrationRepository(),
        tree,
        ManualClock(start),
        OAuthSettings("https://shop.example/", "https://shop.example/admin/ok"),
        sealer=sample_sealer(),
    )
    selection = ResourceSelection.custom(tree, allow=[GRANTED, REGRANTED], deny=[EXCLUDED])
    every: list[IssuedCredentials] = []
    for number in range(INTEGRATIONS):
        form = IntegrationForm(name=f"Integration {number}", selection=selection)
        credentials = service.save_and_activate(form).credentials
        assert credentials is not None, "an integration without endpoints gets tokens directly"
        every.append(credentials)
    return service, every


def _service(tree: AclTree) -> tuple[IntegrationService, list[str]]:
    """A service with :data:`INTEGRATIONS` active integrations, and their access tokens."""
    service, every = issued(tree)
    return service, [credentials.access_token.reveal() for credentials in every]


def _calls(
    action: Callable[[str], object], tokens: Sequence[str], calls: int
) -> Callable[[], None]:
    presented = [tokens[number % len(tokens)] for number in range(calls)]

    def run() -> None:
        for token in presented:
            action(token)

    return run


def integration_rows(config: Config) -> list[Row]:
    """Time authorized, denied and unknown-token calls, and the parts they are made of."""
    tree = AclTree.from_magento_xml(read_documents())
    service, tokens = _service(tree)
    authorize = service.authorize
    unknown = [f"unknown-{number:026d}" for number in range(len(tokens))]
    decisions = {
        "allowed": authorize(tokens[0], ALLOWED_ROUTE),
        "denied": authorize(tokens[0], DENIED_ROUTE),
        "unknown": authorize(unknown[0], ALLOWED_ROUTE),
    }
    if (
        not decisions["allowed"].allowed
        or decisions["denied"].allowed
        or decisions["unknown"].allowed
    ):
        raise AssertionError(f"unexpected decisions: {decisions}")

    calls = config.integration_checks
    is_allowed = service.repository.list()[0].selection.compile(tree).is_allowed
    best = interleaved_best_ns(
        {
            "allowed": Measure(
                _calls(lambda token: authorize(token, ALLOWED_ROUTE), tokens, calls)
            ),
            "denied": Measure(_calls(lambda token: authorize(token, DENIED_ROUTE), tokens, calls)),
            "unknown": Measure(
                _calls(lambda token: authorize(token, ALLOWED_ROUTE), unknown, calls)
            ),
            "digest": Measure(_calls(digest, tokens, calls)),
            "check": Measure(_calls(lambda _token: is_allowed(REGRANTED), tokens, calls)),
        },
        config.repeats,
    )
    allowed, denied, rejected, hashing, checking = (
        best[name] / calls for name in ("allowed", "denied", "unknown", "digest", "check")
    )
    where = f"{INTEGRATIONS} active integrations, Magento 2.4 tree"
    return [
        Row(
            "integration",
            f"`authorize(token, [1 resource])`, allowed ({where})",
            format_ns(allowed),
            f"{format_ratio(allowed / checking)} a bare `is_allowed` call",
            "indicative",
        ),
        Row(
            "integration",
            "`authorize(token, [2 resources])`, one denied",
            format_ns(denied),
            "",
            "indicative",
        ),
        Row(
            "integration",
            "`authorize` with an unknown token",
            format_ns(rejected),
            "",
            "indicative",
        ),
        Row(
            "integration",
            "of which: SHA-256 digest of the token",
            format_ns(hashing),
            f"{hashing / allowed:.0%} of an allowed call",
        ),
        Row(
            "integration",
            "of which: `is_allowed` (through a lambda)",
            format_ns(checking),
            f"{checking / allowed:.0%} of an allowed call",
        ),
    ]

from __future__ import annotations

import attrs
import pytest
from hypothesis import given

from integration_core import Integration
from integration_core.adapters.memory import InMemoryIntegrationRepository
from integration_core.ports import IntegrationRepository
from integration_core.testing._threads import race as _race
from integration_core.testing.builders import sample_integration, sample_issuer
from integration_core.testing.contract import IntegrationRepositoryContract
from integration_core.testing.strategies import integrations
from tests.lifecycle_support import TREE


class TestInMemoryIntegrationRepository(IntegrationRepositoryContract):
    def make_repository(self) -> IntegrationRepository:
        return InMemoryIntegrationRepository()


def test_the_in_memory_repository_satisfies_the_protocol() -> None:
    assert isinstance(InMemoryIntegrationRepository(), IntegrationRepository)


def test_the_repr_counts_integrations_and_shows_no_secret() -> None:
    repository = InMemoryIntegrationRepository()
    integration = repository.add(sample_integration("Shop"))
    text = repr(repository)
    assert text == "<InMemoryIntegrationRepository: 1 integrations>"
    assert sample_issuer().consumer_secret(integration.consumer).reveal() not in text


def test_a_failure_in_a_racing_thread_is_raised_in_the_caller() -> None:
    def fail() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        _race(fail, lambda: None)


@pytest.mark.law
@given(integrations(TREE))
def test_any_integration_reads_back_equal_after_it_is_added(integration: Integration) -> None:
    """
    Rule: a repository returns a value equal to the one it was given, at version 1, by id and by
    name key.
    """
    repository = InMemoryIntegrationRepository()
    stored = repository.add(integration)
    assert attrs.evolve(integration, version=1) == stored == repository.get(integration.id)
    assert stored == repository.get_by_name(integration.name.casefold())

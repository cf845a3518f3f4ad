from __future__ import annotations

import pytest

from integration_core._memory import InMemoryIntegrationRepository
from integration_core._repository import IntegrationRepository
from integration_core.testing.contract import (
    IntegrationRepositoryContract,
    _race,
    sample_integration,
)


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
    assert integration.consumer.secret.reveal() not in text


def test_a_failure_in_a_racing_thread_is_raised_in_the_caller() -> None:
    def fail() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        _race(fail, lambda: None)

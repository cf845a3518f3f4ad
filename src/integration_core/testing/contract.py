# ruff: noqa: S101, D102 - a test kit: its methods are pytest tests
"""
The repository contract kit: pytest test classes a storage adapter subclasses.

Subclass :class:`IntegrationRepositoryContract` in a module pytest collects, name
the subclass ``Test...`` and implement :meth:`~IntegrationRepositoryContract.make_repository`
to return a new, empty repository of yours::

    from integration_core.testing.contract import IntegrationRepositoryContract

    class TestSqlRepository(IntegrationRepositoryContract):
        def make_repository(self):
            return SqlIntegrationRepository(make_fresh_engine())

Every test then runs against your adapter. The kit needs ``pytest`` (the
``testing`` extra).

Example:
    >>> from integration_core import InMemoryIntegrationRepository
    >>> class TestInMemory(IntegrationRepositoryContract):
    ...     def make_repository(self):
    ...         return InMemoryIntegrationRepository()
    >>> TestInMemory().make_repository().list()
    ()
"""

from __future__ import annotations

import abc
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from integration_core._credentials import ConsumerCredentials, Secret, StoredToken, digest
from integration_core._integration import (
    Integration,
    IntegrationStatus,
    PendingExchange,
    SetupType,
)
from integration_core._repository import IntegrationRepository
from integration_core._selection import ResourceSelection
from integration_core.errors import (
    ConcurrencyConflictError,
    DuplicateIdentityError,
    DuplicateNameError,
    IntegrationNotFoundError,
)

__all__ = ["IntegrationRepositoryContract", "sample_integration"]

_WHEN = datetime(2024, 5, 17, 9, 30, 15, 123456, tzinfo=UTC)


def sample_integration(
    name: str = "Sample",
    *,
    integration_id: str | None = None,
    consumer_key: str | None = None,
    access_token: str | None = None,
    callback_url: str | None = None,
    identity_link_url: str | None = None,
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

    Example:
        >>> integration = sample_integration("Shop", access_token="t" * 32)
        >>> integration.status.label, integration.access.token_digest == digest("t" * 32)
        ('Active', True)
    """
    fresh = uuid.uuid4().hex
    access = None
    if access_token is not None:
        access = StoredToken(token_digest=digest(access_token), secret_digest=digest(fresh))
    return Integration(
        id=fresh if integration_id is None else integration_id,
        name=name,
        email="ops@example.com",
        callback_url=callback_url,
        identity_link_url=identity_link_url,
        status=IntegrationStatus.INACTIVE if access is None else IntegrationStatus.ACTIVE,
        setup_type=SetupType.MANUAL,
        selection=ResourceSelection.all(),
        consumer=ConsumerCredentials(
            fresh if consumer_key is None else consumer_key, Secret(uuid.uuid4().hex)
        ),
        created_at=_WHEN,
        updated_at=_WHEN,
        access=access,
    )


class IntegrationRepositoryContract(abc.ABC):
    """
    The behaviour every :class:`~integration_core.IntegrationRepository` must show.

    Attributes:
        race_rounds: How many writes each of the two racing threads makes in the
            concurrency tests (the issue asks for 1,000).

    Example:
        >>> IntegrationRepositoryContract.race_rounds
        1000
    """

    race_rounds = 1000

    @abc.abstractmethod
    def make_repository(self) -> IntegrationRepository:
        """Return a new, empty repository of the adapter under test."""

    @pytest.fixture
    def repository(self) -> IntegrationRepository:
        """A new, empty repository for each test."""
        return self.make_repository()

    def test_an_added_integration_reads_back_equal_at_version_one(
        self, repository: IntegrationRepository
    ) -> None:
        integration = sample_integration("Shop Sync", access_token="a" * 32)
        stored = repository.add(integration)
        assert attrs.evolve(integration, version=1) == stored
        assert stored == repository.get(integration.id)

    def test_every_field_round_trips_including_a_pending_exchange(
        self, repository: IntegrationRepository
    ) -> None:
        integration = attrs.evolve(
            sample_integration("\uff25xchange", callback_url="https://a.example/cb?x=1"),
            email=None,
            identity_link_url="http://a.example/login",
            status=IntegrationStatus.RESET,
            setup_type=SetupType.CONFIG,
            updated_at=_WHEN + timedelta(days=1, microseconds=1),
            exchange=PendingExchange(
                Secret("v" * 32),
                _WHEN + timedelta(seconds=5),
                StoredToken(token_digest=digest("r"), secret_digest=digest("s")),
            ),
        )
        repository.add(integration)
        assert attrs.evolve(integration, version=1) == repository.get(integration.id)

    def test_get_of_an_unknown_id_raises_not_found(self, repository: IntegrationRepository) -> None:
        with pytest.raises(IntegrationNotFoundError) as raised:
            repository.get("missing")
        assert (raised.value.key, raised.value.field) == ("missing", "id")

    def test_get_by_name_finds_case_and_width_variants(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Shop Sync"))
        assert stored == repository.get_by_name("\uff33\uff28\uff2f\uff30 sync")

    def test_get_by_name_of_an_unknown_name_raises_not_found(
        self, repository: IntegrationRepository
    ) -> None:
        repository.add(sample_integration("Shop Sync"))
        with pytest.raises(IntegrationNotFoundError) as raised:
            repository.get_by_name("Shop")
        assert (raised.value.key, raised.value.field) == ("Shop", "name")

    def test_adding_a_case_variant_of_a_taken_name_raises_and_stores_nothing(
        self, repository: IntegrationRepository
    ) -> None:
        first = repository.add(sample_integration("Shop Sync"))
        second = sample_integration("shop SYNC")
        with pytest.raises(DuplicateNameError) as raised:
            repository.add(second)
        assert raised.value.name == "shop SYNC"
        assert (first,) == repository.list()
        assert repository.find_by_consumer_key(second.consumer.key) is None

    @pytest.mark.parametrize("field", ["id", "consumer_key", "access_token"])
    def test_adding_a_taken_identity_or_credential_raises_naming_it(
        self, repository: IntegrationRepository, field: str
    ) -> None:
        first = repository.add(sample_integration("One", access_token="a" * 32))
        clash = {
            "id": {"integration_id": first.id},
            "consumer_key": {"consumer_key": first.consumer.key},
            "access_token": {"access_token": "a" * 32},
        }[field]
        with pytest.raises(DuplicateIdentityError) as raised:
            repository.add(sample_integration("Two", **clash))
        assert field == raised.value.field
        assert (first,) == repository.list()

    def test_save_stores_the_change_at_the_next_version(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Shop Sync"))
        saved = repository.save(attrs.evolve(stored, name="Shop Sync 2", email=None))
        assert (saved.version, saved.name, saved.email) == (2, "Shop Sync 2", None)
        assert saved == repository.get(stored.id)
        assert saved == repository.get_by_name("shop sync 2")
        with pytest.raises(IntegrationNotFoundError):
            repository.get_by_name("Shop Sync")

    def test_save_with_a_stale_version_raises_and_changes_nothing(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Shop Sync"))
        current = repository.save(attrs.evolve(stored, email="new@example.com"))
        with pytest.raises(ConcurrencyConflictError) as raised:
            repository.save(attrs.evolve(stored, name="Lost Update"))
        assert (raised.value.expected_version, raised.value.actual_version) == (1, 2)
        assert (current,) == repository.list()

    def test_save_of_an_unknown_id_raises_not_found(
        self, repository: IntegrationRepository
    ) -> None:
        with pytest.raises(IntegrationNotFoundError):
            repository.save(attrs.evolve(sample_integration(), version=1))

    def test_save_renaming_to_a_taken_name_raises_and_changes_nothing(
        self, repository: IntegrationRepository
    ) -> None:
        first = repository.add(sample_integration("First"))
        second = repository.add(sample_integration("Second"))
        with pytest.raises(DuplicateNameError):
            repository.save(attrs.evolve(second, name="FIRST"))
        assert (first, second) == repository.list()

    def test_save_renaming_to_a_case_variant_of_its_own_name_is_allowed(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Shop Sync"))
        saved = repository.save(attrs.evolve(stored, name="SHOP SYNC"))
        assert repository.get_by_name("shop sync").name == "SHOP SYNC"
        assert saved == repository.get(stored.id)

    def test_save_taking_another_integrations_access_token_raises_and_changes_nothing(
        self, repository: IntegrationRepository
    ) -> None:
        first = repository.add(sample_integration("First", access_token="a" * 32))
        second = repository.add(sample_integration("Second"))
        with pytest.raises(DuplicateIdentityError) as raised:
            repository.save(attrs.evolve(second, access=first.access))
        assert raised.value.field == "access_token"
        assert (first, second) == repository.list()

    def test_credentials_are_found_by_consumer_key_and_access_token_digest(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Shop Sync", access_token="a" * 32))
        assert stored == repository.find_by_consumer_key(stored.consumer.key)
        assert stored == repository.find_by_access_token_digest(digest("a" * 32))
        assert repository.find_by_consumer_key("0" * 32) is None
        assert repository.find_by_access_token_digest(digest("b" * 32)) is None

    def test_a_replaced_access_token_no_longer_finds_the_integration(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Shop Sync", access_token="a" * 32))
        renewed = sample_integration(access_token="b" * 32).access
        saved = repository.save(attrs.evolve(stored, access=renewed))
        assert repository.find_by_access_token_digest(digest("a" * 32)) is None
        assert saved == repository.find_by_access_token_digest(digest("b" * 32))

    def test_delete_removes_the_integration_and_its_credentials(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Shop Sync", access_token="a" * 32))
        kept = repository.add(sample_integration("Other", access_token="b" * 32))
        repository.delete(stored.id, version=1)
        assert (kept,) == repository.list()
        with pytest.raises(IntegrationNotFoundError):
            repository.get(stored.id)
        assert repository.find_by_consumer_key(stored.consumer.key) is None
        assert repository.find_by_access_token_digest(digest("a" * 32)) is None
        assert kept == repository.find_by_access_token_digest(digest("b" * 32))
        assert repository.add(sample_integration("Shop Sync")).name == "Shop Sync"

    def test_delete_with_a_stale_version_raises_and_removes_nothing(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Shop Sync"))
        saved = repository.save(stored)
        with pytest.raises(ConcurrencyConflictError):
            repository.delete(stored.id, version=1)
        assert (saved,) == repository.list()

    def test_delete_of_an_unknown_id_raises_not_found(
        self, repository: IntegrationRepository
    ) -> None:
        with pytest.raises(IntegrationNotFoundError):
            repository.delete("missing", version=1)

    def test_list_is_ordered_by_name_key_then_id(self, repository: IntegrationRepository) -> None:
        names = ["beta", "Alpha", "gamma", "\uff21lpha\uff12"]
        for name in names:
            repository.add(sample_integration(name))
        assert [i.name for i in repository.list()] == ["Alpha", "\uff21lpha\uff12", "beta", "gamma"]

    def test_racing_creates_of_overlapping_names_leave_exactly_one_per_name(
        self, repository: IntegrationRepository
    ) -> None:
        names = self.race_rounds // 2
        outcomes: list[list[str]] = [[], []]

        def create(thread: int, spell: Callable[[str], str]) -> None:
            for round_ in range(self.race_rounds):
                name = spell(f"Racer {round_ % names}")
                try:
                    repository.add(sample_integration(name))
                except DuplicateNameError:
                    outcomes[thread].append("duplicate")
                else:
                    outcomes[thread].append("created")

        _race(lambda: create(0, str.lower), lambda: create(1, str.upper))
        stored = repository.list()
        assert sorted(f"racer {n}" for n in range(names)) == sorted(i.name.lower() for i in stored)
        assert names == sum(outcome.count("created") for outcome in outcomes)

    def test_racing_saves_lose_no_update(self, repository: IntegrationRepository) -> None:
        stored = repository.add(sample_integration("Counter"))

        def bump(thread: int) -> None:
            done = 0
            while done < self.race_rounds:
                current = repository.get(stored.id)
                try:
                    repository.save(attrs.evolve(current, email=f"t{thread}-{done}@example.com"))
                except ConcurrencyConflictError:
                    continue
                else:
                    done += 1

        _race(lambda: bump(0), lambda: bump(1))
        assert 1 + 2 * self.race_rounds == repository.get(stored.id).version


def _race(*work: Callable[[], None]) -> None:
    """Run each callable in its own thread, released together, and wait for all."""
    barrier = threading.Barrier(len(work))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        barrier.wait()
        try:
            job()
        except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]

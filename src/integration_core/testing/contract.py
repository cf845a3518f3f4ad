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

Every test then runs against your adapter. The kit needs ``pytest`` and
``hypothesis`` (the ``testing`` extra).

To check how your adapter reports a store that is down, also implement
:meth:`~IntegrationRepositoryContract.make_unavailable_repository` to return a
repository whose storage fails (say, an engine on a database without the table):
every method must then raise :class:`~integration_core.errors.StorageUnavailableError`
showing no secret. Without it, those tests are skipped and say why.

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
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs
import pytest

from integration_core.credentials import SealedSecret, StoredToken, digest
from integration_core.errors import (
    ConcurrencyConflictError,
    DuplicateIdentityError,
    DuplicateNameError,
    IntegrationNotFoundError,
    InvalidArgumentError,
    StorageUnavailableError,
)
from integration_core.integrations import (
    Integration,
    IntegrationQuery,
    IntegrationStatus,
    PendingExchange,
    SetupType,
)
from integration_core.ports import IntegrationRepository
from integration_core.testing._contract_atomic import AtomicWrites
from integration_core.testing._contract_grid import GridQueries
from integration_core.testing._contract_values import WHEN, ValuesAndRaces
from integration_core.testing.builders import sample_integration

__all__ = ["IntegrationRepositoryContract"]


_OPERATIONS: dict[str, Callable[[IntegrationRepository, Integration], object]] = {
    "add": lambda repository, integration: repository.add(integration),
    "get": lambda repository, integration: repository.get(integration.id),
    "get_by_name": lambda repository, integration: repository.get_by_name(integration.name),
    "find_by_consumer_key": lambda repository, integration: repository.find_by_consumer_key(
        integration.consumer.key
    ),
    "find_by_access_token_digest": lambda repository, _: repository.find_by_access_token_digest(
        digest("a" * 32)
    ),
    "save": lambda repository, integration: repository.save(attrs.evolve(integration, version=1)),
    "delete": lambda repository, integration: repository.delete(integration.id, version=1),
    "list": lambda repository, _: repository.list(),
    "query": lambda repository, integration: repository.query(
        IntegrationQuery(name_contains=integration.name)
    ),
}
"""Every repository method, called with one integration's values."""


class IntegrationRepositoryContract(ValuesAndRaces, GridQueries, AtomicWrites, abc.ABC):
    """
    The behaviour every :class:`~integration_core.IntegrationRepository` must show.

    Attributes:
        race_rounds: How many writes each of the two racing threads makes in the
            concurrency tests.

    Example:
        >>> IntegrationRepositoryContract.race_rounds
        1000
    """

    race_rounds = 1000

    @abc.abstractmethod
    def make_repository(self) -> IntegrationRepository:
        """
        Return a new, empty repository of the adapter under test; the kit calls it for each test.

        Example:
            >>> class TestUnfinished(IntegrationRepositoryContract):
            ...     pass
            >>> TestUnfinished()
            Traceback (most recent call last):
                ...
            TypeError: Can't instantiate abstract class TestUnfinished...make_repository...
        """

    @pytest.fixture
    def repository(self) -> IntegrationRepository:
        """A new, empty repository for each test."""
        return self.make_repository()

    def make_unavailable_repository(self) -> IntegrationRepository | None:
        """
        Return a repository whose storage fails, or ``None`` (the default) to skip those tests.

        Override it to show how your adapter maps a store that is down (a database
        that cannot be reached, a table that is missing) to
        :class:`~integration_core.errors.StorageUnavailableError`: the kit then calls
        every method on it and checks that the error, traceback included, shows no
        secret. An in-memory repository has no store to lose and keeps the default.

        Example:
            >>> from integration_core import InMemoryIntegrationRepository
            >>> class TestInMemory(IntegrationRepositoryContract):
            ...     def make_repository(self):
            ...         return InMemoryIntegrationRepository()
            >>> TestInMemory().make_unavailable_repository() is None
            True
        """
        return None

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
            updated_at=WHEN + timedelta(days=1, microseconds=1),
            exchange=PendingExchange(
                digest("v" * 32),
                WHEN + timedelta(seconds=5),
                StoredToken(token_digest=digest("r"), secret=SealedSecret("sample.c2VhbGVk")),
                WHEN + timedelta(seconds=6),
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
        clash: dict[str, Any] = {
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

    @pytest.mark.parametrize(
        "key",
        [["x"], None, 7, b"k", "\ud800", "\udfff" * 32, "a\x00b", ""],
        ids=["list", "none", "int", "bytes", "surrogate", "surrogates", "nul", "empty"],
    )
    def test_a_key_of_any_type_or_content_finds_nothing_and_changes_nothing(
        self, repository: IntegrationRepository, key: Any
    ) -> None:
        """Every adapter answers a key no integration can hold as it answers an unknown key."""
        stored = repository.add(sample_integration("Shop", access_token="t" * 32))
        with pytest.raises(IntegrationNotFoundError):
            repository.get(key)
        with pytest.raises(IntegrationNotFoundError):
            repository.get_by_name(key)
        with pytest.raises(IntegrationNotFoundError):
            repository.delete(key, version=1)
        with pytest.raises(IntegrationNotFoundError):
            repository.save(attrs.evolve(stored, id=key))
        assert repository.find_by_consumer_key(key) is None
        assert repository.find_by_access_token_digest(key) is None
        assert repository.list() == (stored,)

    @pytest.mark.parametrize("version", ["1", None, 1.5, True])
    def test_a_version_that_is_no_integer_is_stale(
        self, repository: IntegrationRepository, version: Any
    ) -> None:
        stored = repository.add(sample_integration("Shop"))
        with pytest.raises(ConcurrencyConflictError):
            repository.delete(stored.id, version=version)
        assert repository.list() == (stored,)

    def test_something_other_than_an_integration_is_refused_naming_the_argument(
        self, repository: IntegrationRepository
    ) -> None:
        for write in (repository.add, repository.save):
            with pytest.raises(InvalidArgumentError) as raised:
                write({"name": "Shop"})  # type: ignore[arg-type]
            assert raised.value.field == "integration"
            assert raised.value.reason == "expected an Integration, got dict"
        assert repository.list() == ()

    # Every adapter's subclass runs this one method: the draws do not depend on the class.

    @pytest.mark.parametrize("operation", list(_OPERATIONS))
    def test_a_failing_store_raises_storage_unavailable_showing_no_secret(
        self, operation: str
    ) -> None:
        unavailable = self.make_unavailable_repository()
        if unavailable is None:
            pytest.skip(
                "make_unavailable_repository() returns None: override it to check "
                "that a failing store raises StorageUnavailableError"
            )
        integration = attrs.evolve(
            sample_integration("Shop Sync", access_token="a" * 32),
            exchange=PendingExchange(digest("v" * 32), WHEN),
        )
        with pytest.raises(StorageUnavailableError) as raised:
            _OPERATIONS[operation](unavailable, integration)
        shown = "".join(traceback.format_exception(raised.value))
        for secret in (integration.consumer.secret.sealed, "v" * 32):
            assert secret not in shown

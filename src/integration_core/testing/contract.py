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
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from integration_core.acl import AclTree
from integration_core.credentials import SealedSecret, StoredToken, digest
from integration_core.errors import (
    ConcurrencyConflictError,
    DuplicateIdentityError,
    DuplicateNameError,
    IntegrationCoreError,
    IntegrationNotFoundError,
    InvalidArgumentError,
    StorageUnavailableError,
)
from integration_core.integrations import (
    Integration,
    IntegrationStatus,
    PendingExchange,
    SetupType,
    name_key,
)
from integration_core.ports import IntegrationRepository
from integration_core.selection import ResourceSelection
from integration_core.testing._threads import race
from integration_core.testing.builders import sample_integration
from integration_core.testing.strategies import trees_with_selections

_WHEN = sample_integration().created_at

__all__ = ["IntegrationRepositoryContract"]


_LONG_NAME_START = (
    "\uff33\uff48\uff4f\uff50 Stra\u00dfe Cafe\u0301 \u5e97\u8217 \u0645\u062a\u062c\u0631 "
    "\uff8a\uff9d\uff76\uff78 \U0001d518"
)
_LONG_NAME = _LONG_NAME_START + "\U0001f6d2" * (255 - len(_LONG_NAME_START))
"""A 255-character name: full-width, halfwidth, combining, CJK, Arabic and astral characters."""
_LONG_EMAIL = f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 53}.example"
"""A 254-character email: the longest local part and labels."""
_LONG_URL = "https://shop.example/cb?q=%C3%A9&x=" + "x" * 220
"""A 255-character callback URL."""

_Attempt = tuple[Integration, Callable[[IntegrationRepository], object], type[IntegrationCoreError]]
"""A refused write: the value it tries to store, the write, and the error it must raise."""


def _adding(candidate: Integration, error: type[IntegrationCoreError]) -> _Attempt:
    return candidate, lambda repository: repository.add(candidate), error


def _saving(candidate: Integration, error: type[IntegrationCoreError]) -> _Attempt:
    return candidate, lambda repository: repository.save(candidate), error


def _renewed(integration: Integration, name: str = "Third") -> Integration:
    """``integration`` renamed, with a fresh consumer key and access token ``c``: nothing taken."""
    fresh = sample_integration(name, access_token="c" * 32)
    return attrs.evolve(integration, name=name, consumer=fresh.consumer, access=fresh.access)


_FAILED_WRITES: dict[str, Callable[[Integration, Integration], _Attempt]] = {
    "add_taking_a_name": lambda _first, _second: _adding(
        sample_integration("FIRST", access_token="c" * 32), DuplicateNameError
    ),
    "add_taking_an_id": lambda first, _second: _adding(
        sample_integration("Third", integration_id=first.id, access_token="c" * 32),
        DuplicateIdentityError,
    ),
    "add_taking_a_consumer_key": lambda first, _second: _adding(
        sample_integration("Third", consumer_key=first.consumer.key, access_token="c" * 32),
        DuplicateIdentityError,
    ),
    "add_taking_an_access_token": lambda _first, _second: _adding(
        sample_integration("Third", access_token="a" * 32), DuplicateIdentityError
    ),
    "save_taking_a_name": lambda _first, second: _saving(
        _renewed(second, name="\uff26IRST"), DuplicateNameError
    ),
    "save_taking_a_consumer_key": lambda first, second: _saving(
        attrs.evolve(_renewed(second), consumer=first.consumer), DuplicateIdentityError
    ),
    "save_taking_an_access_token": lambda first, second: _saving(
        attrs.evolve(_renewed(second), access=first.access), DuplicateIdentityError
    ),
    "save_of_a_stale_version": lambda _first, second: _saving(
        _renewed(attrs.evolve(second, version=1)), ConcurrencyConflictError
    ),
    "save_of_an_unknown_id": lambda _first, second: _saving(
        _renewed(attrs.evolve(second, id=uuid.uuid4().hex)), IntegrationNotFoundError
    ),
    "delete_of_a_stale_version": lambda _first, second: (
        second,
        lambda repository: repository.delete(second.id, version=1),
        ConcurrencyConflictError,
    ),
    "delete_of_an_unknown_id": lambda _first, _second: (
        sample_integration("Third"),
        lambda repository: repository.delete("missing", version=1),
        IntegrationNotFoundError,
    ),
}
"""
Writes the repository must refuse, each made from two stored integrations.

``First`` (token ``a``) and ``Second`` (token ``b``, saved once: version 2). Each entry
gives the value it tries to write (whose id, name, keys and token must then find what
they found before), the write itself, and the error it must raise.
"""

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
}
"""Every repository method, called with one integration's values."""


class IntegrationRepositoryContract(abc.ABC):
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
            updated_at=_WHEN + timedelta(days=1, microseconds=1),
            exchange=PendingExchange(
                digest("v" * 32),
                _WHEN + timedelta(seconds=5),
                StoredToken(token_digest=digest("r"), secret=SealedSecret("sample.c2VhbGVk")),
                _WHEN + timedelta(seconds=6),
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

    def test_list_is_ordered_by_name_key_then_id(self, repository: IntegrationRepository) -> None:
        names = ["beta", "Alpha", "gamma", "\uff21lpha\uff12"]
        for name in names:
            repository.add(sample_integration(name))
        assert [i.name for i in repository.list()] == ["Alpha", "\uff21lpha\uff12", "beta", "gamma"]

    def test_timestamps_in_any_offset_read_back_as_the_same_aware_instants(
        self, repository: IntegrationRepository
    ) -> None:
        integration = attrs.evolve(
            sample_integration("Zoned"),
            # 20:59 on New Year's Eve in Newfoundland is already 2025 in UTC
            created_at=datetime(2024, 12, 31, 20, 59, 59, 999999, tzinfo=_zone(-3, -30)),
            # 1 March at Kiribati is still 29 February in UTC
            updated_at=datetime(2024, 3, 1, 0, 0, 0, 1, tzinfo=_zone(14)),
            exchange=PendingExchange(
                digest("v" * 32), datetime(2024, 6, 30, 5, 44, 59, 500000, tzinfo=_zone(5, 45))
            ),
        )
        stored = repository.add(integration)
        changed = attrs.evolve(stored, updated_at=datetime(2025, 1, 1, tzinfo=_zone(-12)))
        saved = repository.save(changed)
        for read in (
            repository.get(stored.id),
            *repository.list(),
            repository.get_by_name("zoned"),
        ):
            assert _timestamps(changed) == _timestamps(read)
        assert saved == repository.get(stored.id)

    def test_names_emails_and_urls_at_their_longest_round_trip_exactly(
        self, repository: IntegrationRepository
    ) -> None:
        integration = attrs.evolve(
            sample_integration(_LONG_NAME, callback_url=_LONG_URL, identity_link_url=_LONG_URL),
            email=_LONG_EMAIL,
        )
        stored = repository.add(integration)
        assert stored == repository.get(integration.id)
        read = repository.get_by_name(name_key(_LONG_NAME).upper())
        assert (read.name, read.email, read.callback_url) == (_LONG_NAME, _LONG_EMAIL, _LONG_URL)
        assert stored == read

    @pytest.mark.parametrize(
        ("taken", "variant"),
        [
            ("Stra\u00dfe Sync", "STRASSE sync"),
            ("\ufb01le Sync", "FILE \uff33ync"),
            ("\u00c5ngstr\u00f6m", "a\u030angstro\u0308m"),
            ("Shop Sync", "\u0405hop \u0405ync"),
            ("Firm", "Firrn"),
        ],
        ids=["casefold", "compatibility", "composition", "cyrillic-look-alike", "rn-for-m"],
    )
    def test_a_normalization_variant_of_a_taken_name_is_refused_on_add_and_on_save(
        self, repository: IntegrationRepository, taken: str, variant: str
    ) -> None:
        first = repository.add(sample_integration(taken))
        other = repository.add(sample_integration("Other"))
        assert first == repository.get_by_name(variant)
        with pytest.raises(DuplicateNameError) as raised:
            repository.add(sample_integration(variant))
        assert variant == raised.value.name
        with pytest.raises(DuplicateNameError) as raised:
            repository.save(attrs.evolve(other, name=variant))
        assert variant == raised.value.name
        assert {first, other} == set(repository.list())
        assert other == repository.get_by_name("other")

    def test_all_and_custom_selections_of_a_thousand_resources_round_trip(
        self, repository: IntegrationRepository
    ) -> None:
        tree = AclTree.from_data(
            [
                {
                    "id": f"Vendor_Module{module}::root",
                    "children": [{"id": f"Vendor_Module{module}::r{n}"} for n in range(99)],
                }
                for module in range(10)
            ]
        )
        children = [i for i in tree.ids if not i.endswith("::root")]
        custom = ResourceSelection.custom(
            tree, allow=[*tree.ids[::100], *children[::3]], deny=children[1::3]
        )
        selections = [
            ResourceSelection.all(),
            custom,
            custom.grant(tree, "Vendor_Module3::root").exclude(tree, "Vendor_Module4::r7"),
            ResourceSelection.all().exclude(tree, "Vendor_Module9::root"),
            ResourceSelection.custom(tree),
        ]
        for number, selection in enumerate(selections):
            integration = attrs.evolve(
                sample_integration(f"Selection {number}"), selection=selection
            )
            read = repository.get(repository.add(integration).id).selection
            assert selection == read
            assert selection.allowed(tree) == read.allowed(tree)

    # Every adapter's subclass runs this one method: the draws do not depend on the class.
    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(pair=trees_with_selections())
    def test_any_selection_round_trips(
        self, repository: IntegrationRepository, pair: tuple[AclTree, ResourceSelection]
    ) -> None:
        tree, selection = pair
        integration = attrs.evolve(sample_integration(uuid.uuid4().hex), selection=selection)
        read = repository.get(repository.add(integration).id).selection
        assert selection == read
        assert selection.check_states(tree) == read.check_states(tree)

    def test_add_ignores_the_version_it_is_given(self, repository: IntegrationRepository) -> None:
        integration = attrs.evolve(sample_integration("Shop Sync"), version=7)
        assert 1 == repository.add(integration).version == repository.get(integration.id).version

    def test_a_save_that_clears_every_optional_field_stores_them_cleared(
        self, repository: IntegrationRepository
    ) -> None:
        full = attrs.evolve(
            sample_integration("Full", callback_url="https://a.example/cb", access_token="a" * 32),
            identity_link_url="https://a.example/login",
            exchange=PendingExchange(
                digest("v" * 32),
                _WHEN,
                StoredToken(token_digest=digest("r"), secret=SealedSecret("sample.c2VhbGVk")),
                _WHEN + timedelta(seconds=1),
                3,
            ),
        )
        stored = repository.add(full)
        cleared = attrs.evolve(
            stored,
            email=None,
            callback_url=None,
            identity_link_url=None,
            access=None,
            exchange=None,
        )
        saved = repository.save(cleared)
        assert attrs.evolve(cleared, version=2) == saved == repository.get(stored.id)
        assert repository.find_by_access_token_digest(digest("a" * 32)) is None
        assert repository.find_by_access_token_digest(digest("r")) is None

    def test_a_value_read_stays_as_it_was_whatever_the_repository_does_next(
        self, repository: IntegrationRepository
    ) -> None:
        integration = sample_integration("Shop Sync", access_token="a" * 32)
        added = repository.add(integration)
        read = repository.get(integration.id)
        listed = repository.list()
        renewed = sample_integration(access_token="b" * 32).access
        saved = repository.save(attrs.evolve(read, name="Renamed", email=None, access=renewed))
        repository.delete(integration.id, version=saved.version)
        expected = attrs.evolve(integration, version=1)
        assert (expected, expected, (expected,)) == (added, read, listed)

    @pytest.mark.parametrize("write", list(_FAILED_WRITES))
    def test_a_refused_write_leaves_every_lookup_as_it_was(
        self, repository: IntegrationRepository, write: str
    ) -> None:
        first = repository.add(sample_integration("First", access_token="a" * 32))
        second = repository.save(
            repository.add(sample_integration("Second", access_token="b" * 32))
        )
        attempted, attempt, error = _FAILED_WRITES[write](first, second)
        before = _lookups(repository, first, second, attempted)
        with pytest.raises(error):
            attempt(repository)
        assert before == _lookups(repository, first, second, attempted)

    def test_a_rename_a_new_consumer_key_and_a_new_token_free_the_old_ones(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Old Name", access_token="a" * 32))
        repository.save(_renewed(stored, name="New Name"))
        reused = repository.add(
            sample_integration("OLD name", consumer_key=stored.consumer.key, access_token="a" * 32)
        )
        assert reused == repository.get_by_name("old name")
        assert reused == repository.find_by_consumer_key(stored.consumer.key)
        assert reused == repository.find_by_access_token_digest(digest("a" * 32))

    def test_a_deleted_integrations_id_name_and_credentials_may_all_be_used_again(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Shop Sync", access_token="a" * 32))
        repository.delete(stored.id, version=1)
        same_keys = sample_integration(
            "shop sync", consumer_key=stored.consumer.key, access_token="a" * 32
        )
        same_id = sample_integration("Other", integration_id=stored.id)
        assert (repository.add(same_id), repository.add(same_keys)) == repository.list()
        assert same_keys.id == repository.get_by_name("Shop Sync").id

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
            exchange=PendingExchange(digest("v" * 32), _WHEN),
        )
        with pytest.raises(StorageUnavailableError) as raised:
            _OPERATIONS[operation](unavailable, integration)
        shown = "".join(traceback.format_exception(raised.value))
        for secret in (integration.consumer.secret.sealed, "v" * 32):
            assert secret not in shown

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

        race(lambda: create(0, str.lower), lambda: create(1, str.upper))
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

        race(lambda: bump(0), lambda: bump(1))
        assert 1 + 2 * self.race_rounds == repository.get(stored.id).version


def _zone(hours: int, minutes: int = 0) -> timezone:
    return timezone(timedelta(hours=hours, minutes=minutes))


def _timestamps(integration: Integration) -> list[tuple[bool, str]]:
    """Its three timestamps, each as (timezone-aware?, the instant in UTC to the microsecond)."""
    assert integration.exchange is not None
    times = (integration.created_at, integration.updated_at, integration.exchange.started_at)
    return [(time.utcoffset() is not None, time.astimezone(UTC).isoformat()) for time in times]


def _lookups(repository: IntegrationRepository, *integrations: Integration) -> dict[str, object]:
    """What every lookup by the ids, names, consumer keys and token digests given finds now."""
    found: dict[str, object] = {"list()": repository.list()}
    for integration in integrations:
        found[f"get({integration.id!r})"] = _found(repository.get, integration.id)
        found[f"get_by_name({integration.name!r})"] = _found(
            repository.get_by_name, integration.name
        )
        key = integration.consumer.key
        found[f"find_by_consumer_key({key!r})"] = repository.find_by_consumer_key(key)
        if integration.access is not None:
            token = integration.access.token_digest
            found[f"find_by_access_token_digest({token!r})"] = (
                repository.find_by_access_token_digest(token)
            )
    return found


def _found(lookup: Callable[[str], Integration], key: str) -> Integration | None:
    try:
        return lookup(key)
    except IntegrationNotFoundError:
        return None

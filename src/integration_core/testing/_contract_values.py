"""The contract kit's checks of values at their extremes, refused writes and races: a mixin."""

# ruff: noqa: S101 - a test kit: its methods are pytest tests

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

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
)
from integration_core.integrations import (
    Integration,
    PendingExchange,
    name_key,
)
from integration_core.ports import IntegrationRepository
from integration_core.selection import ResourceSelection
from integration_core.testing._threads import race
from integration_core.testing.builders import sample_integration
from integration_core.testing.strategies import trees_with_selections

WHEN = sample_integration().created_at

LONG_NAME_START = (
    "\uff33\uff48\uff4f\uff50 Stra\u00dfe Cafe\u0301 \u5e97\u8217 \u0645\u062a\u062c\u0631 "
    "\uff8a\uff9d\uff76\uff78 \U0001d518"
)

LONG_NAME = LONG_NAME_START + "\U0001f6d2" * (255 - len(LONG_NAME_START))
"""A 255-character name: full-width, halfwidth, combining, CJK, Arabic and astral characters."""

LONG_EMAIL = f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 53}.example"
"""A 254-character email: the longest local part and labels."""

LONG_URL = "https://shop.example/cb?q=%C3%A9&x=" + "x" * 220
"""A 255-character callback URL."""

Attempt = tuple[Integration, Callable[[IntegrationRepository], object], type[IntegrationCoreError]]
"""A refused write: the value it tries to store, the write, and the error it must raise."""


def adding(candidate: Integration, error: type[IntegrationCoreError]) -> Attempt:
    return candidate, lambda repository: repository.add(candidate), error


def saving(candidate: Integration, error: type[IntegrationCoreError]) -> Attempt:
    return candidate, lambda repository: repository.save(candidate), error


def renewed(integration: Integration, name: str = "Third") -> Integration:
    """``integration`` renamed, with a fresh consumer key and access token ``c``: nothing taken."""
    fresh = sample_integration(name, access_token="c" * 32)
    return attrs.evolve(integration, name=name, consumer=fresh.consumer, access=fresh.access)


FAILED_WRITES: dict[str, Callable[[Integration, Integration], Attempt]] = {
    "add_taking_a_name": lambda _first, _second: adding(
        sample_integration("FIRST", access_token="c" * 32), DuplicateNameError
    ),
    "add_taking_an_id": lambda first, _second: adding(
        sample_integration("Third", integration_id=first.id, access_token="c" * 32),
        DuplicateIdentityError,
    ),
    "add_taking_a_consumer_key": lambda first, _second: adding(
        sample_integration("Third", consumer_key=first.consumer.key, access_token="c" * 32),
        DuplicateIdentityError,
    ),
    "add_taking_an_access_token": lambda _first, _second: adding(
        sample_integration("Third", access_token="a" * 32), DuplicateIdentityError
    ),
    "save_taking_a_name": lambda _first, second: saving(
        renewed(second, name="\uff26IRST"), DuplicateNameError
    ),
    "save_taking_a_consumer_key": lambda first, second: saving(
        attrs.evolve(renewed(second), consumer=first.consumer), DuplicateIdentityError
    ),
    "save_taking_an_access_token": lambda first, second: saving(
        attrs.evolve(renewed(second), access=first.access), DuplicateIdentityError
    ),
    "save_of_a_stale_version": lambda _first, second: saving(
        renewed(attrs.evolve(second, version=1)), ConcurrencyConflictError
    ),
    "save_of_an_unknown_id": lambda _first, second: saving(
        renewed(attrs.evolve(second, id=uuid.uuid4().hex)), IntegrationNotFoundError
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


def zone(hours: int, minutes: int = 0) -> timezone:
    return timezone(timedelta(hours=hours, minutes=minutes))


def timestamps(integration: Integration) -> list[tuple[bool, str]]:
    """Its three timestamps, each as (timezone-aware?, the instant in UTC to the microsecond)."""
    assert integration.exchange is not None
    times = (integration.created_at, integration.updated_at, integration.exchange.started_at)
    return [(time.utcoffset() is not None, time.astimezone(UTC).isoformat()) for time in times]


def lookups(repository: IntegrationRepository, *integrations: Integration) -> dict[str, object]:
    """What every lookup by the ids, names, consumer keys and token digests given finds now."""
    found: dict[str, object] = {"list()": repository.list()}
    for integration in integrations:
        found[f"get({integration.id!r})"] = found_by(repository.get, integration.id)
        found[f"get_by_name({integration.name!r})"] = found_by(
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


def found_by(lookup: Callable[[str], Integration], key: str) -> Integration | None:
    try:
        return lookup(key)
    except IntegrationNotFoundError:
        return None


class ValuesAndRaces:
    """The contract's checks of values at their extremes, refused writes and races."""

    race_rounds: int  # set, and documented, by IntegrationRepositoryContract

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
            created_at=datetime(2024, 12, 31, 20, 59, 59, 999999, tzinfo=zone(-3, -30)),
            # 1 March at Kiribati is still 29 February in UTC
            updated_at=datetime(2024, 3, 1, 0, 0, 0, 1, tzinfo=zone(14)),
            exchange=PendingExchange(
                digest("v" * 32), datetime(2024, 6, 30, 5, 44, 59, 500000, tzinfo=zone(5, 45))
            ),
        )
        stored = repository.add(integration)
        changed = attrs.evolve(stored, updated_at=datetime(2025, 1, 1, tzinfo=zone(-12)))
        saved = repository.save(changed)
        for read in (
            repository.get(stored.id),
            *repository.list(),
            repository.get_by_name("zoned"),
        ):
            assert timestamps(changed) == timestamps(read)
        assert saved == repository.get(stored.id)

    def test_names_emails_and_urls_at_their_longest_round_trip_exactly(
        self, repository: IntegrationRepository
    ) -> None:
        integration = attrs.evolve(
            sample_integration(LONG_NAME, callback_url=LONG_URL, identity_link_url=LONG_URL),
            email=LONG_EMAIL,
        )
        stored = repository.add(integration)
        assert stored == repository.get(integration.id)
        read = repository.get_by_name(name_key(LONG_NAME).upper())
        assert (read.name, read.email, read.callback_url) == (LONG_NAME, LONG_EMAIL, LONG_URL)
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
                WHEN,
                StoredToken(token_digest=digest("r"), secret=SealedSecret("sample.c2VhbGVk")),
                WHEN + timedelta(seconds=1),
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

    @pytest.mark.parametrize("write", list(FAILED_WRITES))
    def test_a_refused_write_leaves_every_lookup_as_it_was(
        self, repository: IntegrationRepository, write: str
    ) -> None:
        first = repository.add(sample_integration("First", access_token="a" * 32))
        second = repository.save(
            repository.add(sample_integration("Second", access_token="b" * 32))
        )
        attempted, attempt, error = FAILED_WRITES[write](first, second)
        before = lookups(repository, first, second, attempted)
        with pytest.raises(error):
            attempt(repository)
        assert before == lookups(repository, first, second, attempted)

    def test_a_rename_a_new_consumer_key_and_a_new_token_free_the_old_ones(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Old Name", access_token="a" * 32))
        repository.save(renewed(stored, name="New Name"))
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

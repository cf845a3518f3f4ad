"""The contract kit's checks of units of work, through the repository and a real service: a mixin."""

# ruff: noqa: S101 - a test kit: its methods are pytest tests

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import attrs
import pytest

from integration_core.errors import (
    ConcurrencyConflictError,
    DuplicateNameError,
    StorageUnavailableError,
)
from integration_core.events import (
    IntegrationActivated,
    IntegrationCreated,
    IntegrationReset,
    TokenExchangeStarted,
)
from integration_core.integrations import (
    ConfigIntegration,
    Integration,
    IntegrationForm,
)
from integration_core.ports import IntegrationRepository
from integration_core.testing._contract_values import lookups
from integration_core.testing._threads import race
from integration_core.testing.builders import sample_integration, sample_service
from integration_core.testing.failing import FailingWrites

EXCHANGE_FORM = IntegrationForm(
    name="ERP",
    callback_url="https://erp.example/cb",
    identity_link_url="https://erp.example/in",
)
"""A form whose activation starts the OAuth exchange instead of issuing tokens."""

SYNCED = [ConfigIntegration(name, f"{name.lower()}@example.com") for name in ("ERP", "PIM")]
"""Configuration integrations as a first sync stores them."""

CHANGED = [
    *(attrs.evolve(definition, email=f"new-{definition.email}") for definition in SYNCED),
    ConfigIntegration("CRM", "crm@example.com"),
]
"""A second sync: both changed (each reset, a write), and one new (created, a write)."""


class _UnitEndedError(Exception):
    """Raised inside a unit of work to end it by an error."""


def _ended_by_an_error(repository: IntegrationRepository, *writes: Callable[[], object]) -> None:
    """Make ``writes`` in a unit of work, then end it by raising :class:`_UnitEndedError`."""
    with repository.atomic():
        for write in writes:
            write()
        raise _UnitEndedError


class AtomicWrites:
    """The contract's checks that a unit of work is stored whole or not at all."""

    race_rounds: int  # set, and documented, by IntegrationRepositoryContract

    def test_the_writes_of_a_unit_are_read_inside_it_and_stored_together(
        self, repository: IntegrationRepository
    ) -> None:
        kept = repository.add(sample_integration("Kept"))
        with repository.atomic():
            first = repository.add(sample_integration("First", access_token="a" * 32))
            assert first == repository.get_by_name("first")
            renamed = repository.save(attrs.evolve(kept, name="Renamed"))
            assert renamed == repository.get(kept.id)
            repository.delete(first.id, version=first.version)
            second = repository.add(sample_integration("Second"))
        assert (renamed, second) == repository.list()

    def test_a_unit_that_raises_stores_none_of_its_writes(
        self, repository: IntegrationRepository
    ) -> None:
        kept = repository.add(sample_integration("Kept", access_token="a" * 32))
        gone = repository.add(sample_integration("Gone"))
        added = sample_integration("Added", access_token="b" * 32)
        before = lookups(repository, kept, gone, added)
        with pytest.raises(_UnitEndedError):
            _ended_by_an_error(
                repository,
                lambda: repository.add(added),
                lambda: repository.save(attrs.evolve(kept, name="Renamed", access=None)),
                lambda: repository.delete(gone.id, version=gone.version),
            )
        assert before == lookups(repository, kept, gone, added)
        assert repository.save(kept).version == kept.version + 1

    def test_a_write_refused_inside_a_unit_changes_nothing_and_the_unit_goes_on(
        self, repository: IntegrationRepository
    ) -> None:
        with repository.atomic():
            first = repository.add(sample_integration("First"))
            with pytest.raises(DuplicateNameError):
                repository.add(sample_integration("FIRST"))
            with pytest.raises(ConcurrencyConflictError):
                repository.save(attrs.evolve(first, version=7))
            second = repository.add(sample_integration("Second"))
        assert (first, second) == repository.list()

    def test_a_unit_inside_a_unit_that_raises_is_undone_alone(
        self, repository: IntegrationRepository
    ) -> None:
        with repository.atomic():
            first = repository.add(sample_integration("First"))
            with pytest.raises(_UnitEndedError):
                _ended_by_an_error(
                    repository,
                    lambda: repository.add(sample_integration("Inner")),
                    lambda: repository.save(first),
                )
            with repository.atomic():
                second = repository.add(sample_integration("Second"))
        assert (first, second) == repository.list()

    def test_another_thread_sees_all_of_a_unit_or_none_of_it(
        self, repository: IntegrationRepository
    ) -> None:
        seen: list[tuple[Integration, ...]] = []
        reader = threading.Thread(target=lambda: seen.append(repository.list()))
        with repository.atomic():
            first = repository.add(sample_integration("First"))
            reader.start()
            second = repository.add(sample_integration("Second"))
        reader.join()
        assert seen[0] in {(), (first, second)}

    def test_racing_units_lose_no_update_and_are_never_half_stored(
        self, repository: IntegrationRepository
    ) -> None:
        stored = repository.add(sample_integration("Counter"))
        done = [0, 0]

        def bump_twice(thread: int) -> None:
            for _ in range(max(1, self.race_rounds // 10)):
                # A unit that meets a concurrent one's change is undone whole: nothing to count.
                with contextlib.suppress(ConcurrencyConflictError), repository.atomic():
                    current = repository.get(stored.id)
                    bumped = repository.save(attrs.evolve(current, email=f"t{thread}@a.example"))
                    repository.save(bumped)
                    done[thread] += 1

        race(lambda: bump_twice(0), lambda: bump_twice(1))
        assert sum(done) > 0
        assert 1 + 2 * sum(done) == repository.get(stored.id).version

    # -- the commands that write more than once, through a real service --------------------

    @pytest.mark.parametrize(
        ("form", "activation"),
        [
            (IntegrationForm(name="Shop Sync"), IntegrationActivated),
            (EXCHANGE_FORM, TokenExchangeStarted),
        ],
        ids=["tokens", "exchange"],
    )
    def test_save_and_activate_is_stored_whole_or_not_at_all_and_a_retry_succeeds(
        self, repository: IntegrationRepository, form: IntegrationForm, activation: type[object]
    ) -> None:
        fail_at = 1
        failing = FailingWrites(repository, fail_at=fail_at)
        service = sample_service(repository=failing)
        with pytest.raises(StorageUnavailableError):
            service.save_and_activate(form)
        assert repository.list() == ()
        activated = service.save_and_activate(form)
        assert failing.writes == fail_at + 1  # one write per attempt: none half-stored
        assert (activated.integration,) == repository.list()
        assert [type(event) for event in activated.events] == [IntegrationCreated, activation]
        assert activated.uses_token_exchange is (activation is TokenExchangeStarted)

    @pytest.mark.parametrize("fail_at", range(1, len(CHANGED) + 1))
    def test_a_sync_failing_at_any_write_changes_nothing_and_a_retry_reports_every_event(
        self, repository: IntegrationRepository, fail_at: int
    ) -> None:
        sample_service(repository=repository).sync_config(SYNCED)
        before = lookups(repository, *repository.list())
        failing = sample_service(repository=FailingWrites(repository, fail_at=fail_at))
        with pytest.raises(StorageUnavailableError):
            failing.sync_config(CHANGED)
        assert before == lookups(repository, *repository.list())
        report = failing.sync_config(CHANGED)
        assert (report.reset, report.created) == (("ERP", "PIM"), ("CRM",))
        reset = [event.integration_id for event in report.events if type(event) is IntegrationReset]
        assert reset == [repository.get_by_name(name).id for name in ("ERP", "PIM")]
        assert sample_service(repository=repository).sync_config(CHANGED).unchanged == (
            "ERP",
            "PIM",
            "CRM",
        )

"""Services sharing one store, and one service shared by threads, never disagree with the store."""

from __future__ import annotations

import contextlib
import itertools
import sys
import threading
from collections.abc import Callable, Iterable, Iterator

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.pool import StaticPool

from integration_core import (
    AuthorizationDecision,
    InMemoryIntegrationRepository,
    IntegrationForm,
    IntegrationService,
    ManualClock,
    ResourceSelection,
)
from integration_core.adapters.sqlalchemy import SqlIntegrationRepository, create_tables
from integration_core.errors import ConcurrencyConflictError
from integration_core.ports import IntegrationRepository
from integration_core.service import DenialReason
from integration_core.service._authorization import CallAuthorizer
from integration_core.testing._threads import race
from integration_core.testing.builders import sample_sealer
from tests.lifecycle_support import SETTINGS, START, TREE, CountingGenerator

BACKENDS = ("memory", "sqlite")
SALES = "Magento_Sales::sales"
CATALOG = "Magento_Catalog::catalog"


@contextlib.contextmanager
def store(backend: str) -> Iterator[IntegrationRepository]:
    """One store for several services: in memory, or SQLite through the SQL adapter."""
    if backend == "memory":
        yield InMemoryIntegrationRepository()
        return
    engine = sa.create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    create_tables(engine)
    try:
        yield SqlIntegrationRepository(engine)
    finally:
        engine.dispose()


def service_over(
    repository: IntegrationRepository, generator: CountingGenerator | None = None
) -> IntegrationService:
    return IntegrationService(
        repository,
        TREE,
        ManualClock(START),
        SETTINGS,
        generator=generator or CountingGenerator(),
        sealer=sample_sealer(),
    )


def form(selection: ResourceSelection) -> IntegrationForm:
    return IntegrationForm(name="Shop", selection=selection)


def custom(allow: Iterable[str]) -> ResourceSelection:
    return ResourceSelection.custom(TREE, allow=allow)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_reused_id_never_inherits_the_deleted_integrations_permissions(backend: str) -> None:
    with store(backend) as repository:
        generator = CountingGenerator()
        writer, reader = service_over(repository, generator), service_over(repository)
        everything = writer.save_and_activate(form(ResourceSelection.all()))
        assert everything.credentials is not None
        assert reader.authorize(everything.credentials.access_token.reveal(), [SALES]).allowed
        writer.delete(everything.integration.id)
        # The same draws again: the same id, consumer key and token, at the same version.
        generator.counter = itertools.count(1)
        nothing = writer.save_and_activate(form(custom([])))
        assert nothing.credentials is not None
        assert (nothing.integration.id, nothing.integration.version) == (
            everything.integration.id,
            everything.integration.version,
        )
        decision = reader.authorize(nothing.credentials.access_token.reveal(), [SALES])
        assert (decision.reason, decision.missing) == (DenialReason.MISSING_RESOURCES, (SALES,))


def fresh_decision(
    repository: IntegrationRepository, token: str, required: Iterable[str]
) -> AuthorizationDecision:
    """The decision computed from the stored integration alone: nothing cached."""
    return CallAuthorizer(repository, TREE).authorize(token, required)


SELECTIONS = st.one_of(
    st.just(ResourceSelection.all()), st.sets(st.sampled_from(TREE.ids)).map(custom)
)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), SELECTIONS),
        st.tuples(st.just("recreate"), SELECTIONS),
        st.tuples(st.just("reauthorize"), st.none()),
        st.tuples(st.just("authorize"), st.lists(st.sampled_from(TREE.ids), max_size=3)),
    ),
    max_size=12,
)


@pytest.mark.law
@settings(max_examples=100, deadline=None)
@given(backend=st.sampled_from(BACKENDS), first=SELECTIONS, steps=STEPS)
def test_a_service_reading_a_shared_store_decides_as_the_store_says(
    backend: str, first: ResourceSelection, steps: list[tuple[str, object]]
) -> None:
    """
    Rule: for any interleaving of writes by one service and calls authorized by another over the
    same store, every decision equals the one computed afresh from the stored integration.
    """
    with store(backend) as repository:
        generator = CountingGenerator()
        writer, reader = service_over(repository, generator), service_over(repository)
        activated = writer.save_and_activate(form(first))
        assert activated.credentials is not None
        current, tokens = activated.integration.id, [activated.credentials.access_token.reveal()]
        for step, argument in steps:
            if step == "edit":
                assert isinstance(argument, ResourceSelection)
                writer.edit(current, form(argument))
            elif step == "recreate":
                assert isinstance(argument, ResourceSelection)
                writer.delete(current)
                generator.counter = itertools.count(1)
                activated = writer.save_and_activate(form(argument))
                current = activated.integration.id
            elif step == "reauthorize":
                activated = writer.reauthorize(current)
            else:
                assert isinstance(argument, list)
                for token, required in itertools.product(tokens, (argument, TREE.ids)):
                    decision = reader.authorize(token, required)
                    assert fresh_decision(repository, token, required) == decision
            assert activated.credentials is not None
            tokens = sorted({*tokens, activated.credentials.access_token.reveal()})


@pytest.fixture
def eager_switching() -> Iterator[None]:
    """Threads handed the interpreter every few microseconds, so edits land between calls."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(interval)


@pytest.mark.usefixtures("eager_switching")
@pytest.mark.parametrize("backend", BACKENDS)
def test_threads_sharing_one_service_only_see_stored_permissions(backend: str) -> None:
    with store(backend) as repository:
        race_edits_and_calls(service_over(repository))


def race_edits_and_calls(service: IntegrationService) -> None:
    # Each selection gives the two required resources a different answer.
    selections = [custom([SALES]), custom([CATALOG]), ResourceSelection.all()]
    required = [SALES, CATALOG]
    activated = service.save_and_activate(form(selections[0]))
    assert activated.credentials is not None
    token, integration_id = activated.credentials.access_token.reveal(), activated.integration.id
    reference = CallAuthorizer(InMemoryIntegrationRepository(), TREE)
    possible = {
        reference.decide(attrs.evolve(activated.integration, selection=selection), required)
        for selection in selections
    }
    editing = [threading.Event(), threading.Event()]
    seen: list[AuthorizationDecision] = []

    def edit(offset: int) -> Callable[[], None]:
        def run() -> None:
            try:
                for turn in range(100):
                    with contextlib.suppress(ConcurrencyConflictError):
                        service.edit(integration_id, form(selections[(turn + offset) % 3]))
            finally:
                editing[offset].set()

        return run

    def authorize() -> None:
        while not all(done.is_set() for done in editing):
            seen.append(service.authorize(token, required))

    race(edit(0), edit(1), authorize, authorize, authorize)
    assert set(seen) <= possible
    assert service.authorize(token, required) == fresh_decision(service.repository, token, required)

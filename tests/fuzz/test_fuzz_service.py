"""
Every service command and repository method fuzzed on both shipped adapters.

Each answers or raises our error; a refused command changes nothing; and the in-memory and
the SQLite repository answer alike, call for call.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import partial
from typing import Any

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.pool import StaticPool

from integration_core import (
    ConfigIntegration,
    InMemoryIntegrationRepository,
    IntegrationForm,
    IntegrationRepository,
    IntegrationService,
    ManualClock,
)
from integration_core.adapters.sqlalchemy import SqlIntegrationRepository, create_tables
from integration_core.errors import DuplicateIdentityError, IntegrationCoreError
from integration_core.testing.builders import sample_integration, sample_sealer
from tests.fuzz._gate import FUZZ, outcome
from tests.fuzz._values import ANY, with_ids
from tests.lifecycle_support import SETTINGS, START, TREE, CountingGenerator

COMMANDS = (
    "save",
    "save_and_activate",
    "activate",
    "reauthorize",
    "edit",
    "delete",
    "request_token",
    "access_token",
    "authorize",
    "sync_config",
)
EXCHANGE = IntegrationForm(
    name="ERP",
    callback_url="https://erp.example/callback",
    identity_link_url="https://erp.example/login",
)


class Pair:
    """One service per adapter, built alike, so their answers can be compared."""

    def __init__(self) -> None:
        self.engine = sa.create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        create_tables(self.engine)
        repositories: dict[str, IntegrationRepository] = {
            "memory": InMemoryIntegrationRepository(),
            "sqlite": SqlIntegrationRepository(self.engine),
        }
        self.services = {
            kind: IntegrationService(
                repository,
                TREE,
                ManualClock(START),
                SETTINGS,
                generator=CountingGenerator(),
                sealer=sample_sealer(),
            )
            for kind, repository in repositories.items()
        }
        self.tokens: list[str] = []
        for service in self.services.values():
            activated = service.save_and_activate(IntegrationForm(name="Shop"))
            assert activated.credentials is not None
            self.tokens.append(activated.credentials.access_token.reveal())
            service.activate(service.save(EXCHANGE).integration.id)

    def known(self) -> tuple[str, ...]:
        """Ids, names, consumer keys and tokens the services hold: arguments that reach deep."""
        found: list[str] = [*self.tokens, "Shop", "ERP"]
        for integration in self.services["memory"].repository.list():
            found.extend((integration.id, integration.consumer.key))
        return tuple(found)


@contextlib.contextmanager
def fresh_pair() -> Iterator[Pair]:
    """A new pair for each example: commands change what the services hold."""
    made = Pair()
    try:
        yield made
    finally:
        made.engine.dispose()


def _arguments(data: st.DataObject, command: str, known: tuple[str, ...]) -> tuple[Any, ...]:
    value = with_ids(known)
    resource = with_ids(TREE.ids)
    form = st.builds(IntegrationForm, name=st.sampled_from(["Shop", "ERP", "New", " "])) | ANY
    drawn: dict[str, tuple[Any, ...]] = {
        "save": (data.draw(form),),
        "save_and_activate": (data.draw(form),),
        "activate": (data.draw(value),),
        "reauthorize": (data.draw(value),),
        "edit": (data.draw(value), data.draw(form)),
        "delete": (data.draw(value),),
        "request_token": (data.draw(value),),
        "access_token": (data.draw(value), data.draw(value), data.draw(value)),
        "authorize": (data.draw(value), data.draw(st.lists(resource, max_size=3) | ANY)),
        "sync_config": (
            data.draw(
                st.lists(
                    st.builds(ConfigIntegration, name=st.sampled_from(["ERP", "Cfg"])) | ANY,
                    max_size=2,
                )
                | ANY
            ),
        ),
    }
    return drawn[command]


@FUZZ
@given(data=st.data())
def test_any_command_answers_alike_on_both_adapters_and_a_refusal_changes_nothing(
    data: st.DataObject,
) -> None:
    with fresh_pair() as pair:
        for _ in range(data.draw(st.integers(1, 3))):
            command = data.draw(st.sampled_from(COMMANDS))
            arguments = _arguments(data, command, pair.known())
            answers: dict[str, str] = {}
            for kind, service in pair.services.items():
                before = service.repository.list()
                result = outcome(partial(getattr(service, command), *arguments))
                if isinstance(result, IntegrationCoreError):
                    assert before == service.repository.list(), f"{command} on {kind} half-applied"
                answers[kind] = _kind(result)
            assert answers["memory"] == answers["sqlite"], (command, answers)


@FUZZ
@given(data=st.data())
def test_every_repository_method_answers_alike_for_any_argument(data: st.DataObject) -> None:
    with fresh_pair() as pair:
        _repositories_answer_alike(pair, data)


def _repositories_answer_alike(pair: Pair, data: st.DataObject) -> None:
    value = data.draw(with_ids(pair.known()))
    version = data.draw(st.integers(0, 3) | ANY)
    stored = pair.services["memory"].repository.list()[0]
    candidate = data.draw(st.sampled_from([stored, sample_integration("Fuzz")]) | ANY)
    answers: dict[str, list[str]] = {}
    for kind, service in pair.services.items():
        answers[kind] = _answers(service.repository, value, version, candidate)
    assert answers["memory"] == answers["sqlite"]


def _answers(
    repository: IntegrationRepository, value: Any, version: Any, candidate: Any
) -> list[str]:
    """The type of what each method answers; only a delete that succeeded changed anything."""
    before = repository.list()
    calls = (
        lambda: repository.get(value),
        lambda: repository.get_by_name(value),
        lambda: repository.find_by_consumer_key(value),
        lambda: repository.find_by_access_token_digest(value),
        lambda: repository.query(value),
        lambda: repository.delete(value, version=version),
    )
    answers = [_kind(outcome(call)) for call in calls]
    if before != repository.list():
        assert answers[-1] == "NoneType"
    answers.append(_kind(outcome(lambda: repository.add(candidate))))
    answers.append(_kind(outcome(lambda: repository.save(candidate))))
    return answers


def _kind(answer: object) -> str:
    """The answer's type; a write clashing on several unique keys may name any of them."""
    if isinstance(answer, DuplicateIdentityError):
        return DuplicateIdentityError.__name__
    return type(answer).__name__

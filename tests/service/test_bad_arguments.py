"""Commands given arguments of the wrong type or content: a typed error or an answer, never a crash."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from integration_core import (
    InMemoryIntegrationRepository,
    IntegrationForm,
    IntegrationRepository,
    IntegrationService,
    ManualClock,
)
from integration_core.adapters.sqlalchemy import SqlIntegrationRepository, create_tables
from integration_core.errors import (
    IntegrationNotFoundError,
    IntegrationValidationError,
    InvalidArgumentError,
    TokenExchangeError,
)
from integration_core.service import DenialReason
from integration_core.testing.builders import sample_sealer
from tests.lifecycle_support import SETTINGS, START, TREE, CountingGenerator

ODD_KEYS = [["x"], None, 7, "\ud800", "\udfff", "a\x00b"]


def sql_repository() -> SqlIntegrationRepository:
    engine = sa.create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    create_tables(engine)
    return SqlIntegrationRepository(engine)


@pytest.fixture(params=["memory", "sqlite"])
def service(request: pytest.FixtureRequest) -> IntegrationService:
    repository: IntegrationRepository = (
        InMemoryIntegrationRepository() if request.param == "memory" else sql_repository()
    )
    return IntegrationService(
        repository,
        TREE,
        ManualClock(START),
        SETTINGS,
        generator=CountingGenerator(),
        sealer=sample_sealer(),
    )


@pytest.mark.parametrize("key", ODD_KEYS)
def test_commands_by_an_odd_id_answer_not_found_on_every_repository(
    service: IntegrationService, key: Any
) -> None:
    service.save(IntegrationForm(name="Shop"))
    for command in (service.activate, service.reauthorize, service.delete):
        with pytest.raises(IntegrationNotFoundError):
            command(key)
    with pytest.raises(IntegrationNotFoundError):
        service.edit(key, IntegrationForm(name="Shop"))
    assert [i.name for i in service.repository.list()] == ["Shop"]


@pytest.mark.parametrize("key", ODD_KEYS)
def test_the_token_exchange_with_an_odd_value_is_refused_as_unknown(
    service: IntegrationService, key: Any
) -> None:
    service.save(IntegrationForm(name="Shop", callback_url="https://shop.example/cb"))
    with pytest.raises(TokenExchangeError):
        service.request_token(key)
    with pytest.raises(TokenExchangeError):
        service.access_token(key, "r", "v")


def test_access_token_with_odd_request_tokens_and_verifiers_is_refused(
    service: IntegrationService,
) -> None:
    form = IntegrationForm(
        name="Shop",
        callback_url="https://erp.example/callback",
        identity_link_url="https://erp.example/login",
    )
    saved = service.save(form)
    service.activate(saved.integration.id)
    consumer_key = saved.integration.consumer.key
    service.request_token(consumer_key)
    for request_token, verifier in (("\ud800", "v"), (None, "v"), ("r", ["v"]), ("r", "\udfff")):
        with pytest.raises(TokenExchangeError):
            service.access_token(consumer_key, request_token, verifier)  # type: ignore[arg-type]


@pytest.mark.parametrize("token", [None, 7, ["t"], "\ud800", "a\x00b"])
def test_authorizing_an_odd_token_denies_it_as_unknown(
    service: IntegrationService, token: Any
) -> None:
    decision = service.authorize(token, ["Magento_Sales::sales"])
    assert decision.reason is DenialReason.UNKNOWN_TOKEN


@pytest.mark.parametrize("required", [None, "Magento_Sales::sales", 7, [["unhashable"]]])
def test_authorizing_against_required_resources_of_the_wrong_type_names_the_argument(
    required: Any,
) -> None:
    repository = InMemoryIntegrationRepository()
    service = IntegrationService(
        repository,
        TREE,
        ManualClock(START),
        SETTINGS,
        generator=CountingGenerator(),
        sealer=sample_sealer(),
    )
    activated = service.save_and_activate(IntegrationForm(name="Shop"))
    assert activated.credentials is not None
    token = activated.credentials.access_token.reveal()
    with pytest.raises(InvalidArgumentError) as raised:
        service.authorize(token, required)
    assert raised.value.field == "required"


class LookupsForbidden(InMemoryIntegrationRepository):
    """A repository that fails the test if a name is looked up."""

    def get_by_name(self, name: str) -> Any:
        pytest.fail(f"the name {name!r} was looked up")


@pytest.mark.parametrize("name", ["\ud800", "Shop\x00", "x" * 256])
def test_a_bad_name_is_reported_before_any_repository_lookup(name: str) -> None:
    service = IntegrationService(
        LookupsForbidden(),
        TREE,
        ManualClock(START),
        SETTINGS,
        generator=CountingGenerator(),
        sealer=sample_sealer(),
    )
    with pytest.raises(IntegrationValidationError) as raised:
        service.save(IntegrationForm(name=name))
    assert raised.value.fields == ("name",)


@pytest.mark.parametrize("form", [None, {"name": "Shop"}, "Shop"])
def test_save_and_edit_refuse_something_that_is_not_a_form(
    service: IntegrationService, form: Any
) -> None:
    stored = service.save(IntegrationForm(name="Shop")).integration
    with pytest.raises(InvalidArgumentError) as raised:
        service.save(form)
    assert raised.value.field == "form"
    with pytest.raises(InvalidArgumentError):
        service.edit(stored.id, form)
    assert service.repository.list() == (stored,)

"""The service driven by random commands, checked against a simple model."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from integration_core import (
    IntegrationForm,
    IntegrationService,
    IntegrationStatus,
    ResourceSelection,
)
from integration_core.errors import IntegrationValidationError, LifecycleError, TokenExchangeError
from integration_core.integrations import name_key
from integration_core.testing.strategies import integration_forms
from tests.lifecycle_support import SETTINGS, TREE, make_service

WINDOW = timedelta(seconds=300)


@attrs.define
class Model:
    """What the service should hold for one integration."""

    name_key: str
    allowed: frozenset[str]
    exchange_path: bool
    consumer_key: str
    status: IntegrationStatus = IntegrationStatus.INACTIVE
    token: str | None = None
    verifier: str | None = None
    started: datetime | None = None
    request_token: str | None = None
    request_issued: datetime | None = None


def _exchange_path(form: IntegrationForm) -> bool:
    return bool(form.callback_url.strip() and form.identity_link_url.strip())


def _allowed(form: IntegrationForm) -> frozenset[str]:
    return (form.selection or ResourceSelection.custom(TREE)).allowed(TREE)


class ServiceMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.service: IntegrationService
        self.service, self.clock = make_service()
        self.model: dict[str, Model] = {}

    def _pick(self, data: st.DataObject) -> tuple[str, Model]:
        integration_id = data.draw(st.sampled_from(sorted(self.model)))
        return integration_id, self.model[integration_id]

    def _taken(self, form: IntegrationForm, exclude: str | None = None) -> bool:
        key = name_key(form.name.strip())
        return any(m.name_key == key for i, m in self.model.items() if i != exclude)

    @rule(form=integration_forms(TREE))
    def save(self, form: IntegrationForm) -> None:
        if self._taken(form):
            with pytest.raises(IntegrationValidationError):
                self.service.save(form)
            return
        integration = self.service.save(form).integration
        self.model[integration.id] = Model(
            integration.name_key, _allowed(form), _exchange_path(form), integration.consumer.key
        )

    @precondition(lambda self: self.model)
    @rule(data=st.data(), reauthorizing=st.booleans())
    def activate(self, data: st.DataObject, reauthorizing: bool) -> None:
        integration_id, model = self._pick(data)
        if not reauthorizing and model.status is IntegrationStatus.ACTIVE:
            with pytest.raises(LifecycleError):
                self.service.activate(integration_id)
            return
        command = self.service.reauthorize if reauthorizing else self.service.activate
        result = command(integration_id)
        model.request_token = None
        if model.exchange_path:
            assert result.exchange is not None
            model.status, model.token = IntegrationStatus.INACTIVE, None
            model.verifier, model.started = result.exchange.verifier.reveal(), self.clock.now()
        else:
            assert result.credentials is not None
            model.status = IntegrationStatus.ACTIVE
            model.token = result.credentials.access_token.reveal()
            model.verifier = model.started = None

    @rule(seconds=st.integers(0, 400))
    def wait(self, seconds: int) -> None:
        self.clock.advance(timedelta(seconds=seconds))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def request_token(self, data: st.DataObject) -> None:
        _, model = self._pick(data)
        now = self.clock.now()
        if model.started is None or not timedelta(0) <= now - model.started < WINDOW:
            with pytest.raises(TokenExchangeError):
                self.service.request_token(model.consumer_key)
            return
        model.request_token = self.service.request_token(model.consumer_key).token.token.reveal()
        model.request_issued = now

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def access_token(self, data: st.DataObject) -> None:
        _, model = self._pick(data)
        expired = (
            model.request_issued is None
            or self.clock.now() - model.request_issued >= SETTINGS.request_token_lifetime
        )
        if model.request_token is None or model.verifier is None or expired:
            with pytest.raises(TokenExchangeError):
                self.service.access_token(model.consumer_key, "0" * 32, "0" * 32)
            return
        result = self.service.access_token(model.consumer_key, model.request_token, model.verifier)
        model.status, model.token = IntegrationStatus.ACTIVE, result.token.token.reveal()
        model.verifier = model.started = model.request_token = None

    @precondition(lambda self: self.model)
    @rule(data=st.data(), form=integration_forms(TREE))
    def edit(self, data: st.DataObject, form: IntegrationForm) -> None:
        integration_id, model = self._pick(data)
        if self._taken(form, exclude=integration_id):
            with pytest.raises(IntegrationValidationError):
                self.service.edit(integration_id, form)
            return
        self.service.edit(integration_id, form)
        model.name_key, model.allowed = name_key(form.name.strip()), _allowed(form)
        model.exchange_path = _exchange_path(form)
        if not model.exchange_path:
            # An exchange needs both URLs: removing one ends the exchange in progress.
            model.verifier = model.started = model.request_token = model.request_issued = None

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        integration_id, _ = self._pick(data)
        self.service.delete(integration_id)
        del self.model[integration_id]

    @invariant()
    def the_repository_holds_what_the_model_holds(self) -> None:
        stored = {i.id: (i.name_key, i.status) for i in self.service.repository.list()}
        assert {i: (m.name_key, m.status) for i, m in self.model.items()} == stored

    @invariant()
    def every_issued_token_authorizes_exactly_its_allowed_resources(self) -> None:
        for integration_id, model in self.model.items():
            if model.token is None:
                continue
            decision = self.service.authorize(model.token, TREE.ids)
            expected = tuple(r for r in TREE.ids if r not in model.allowed)
            assert (integration_id, expected) == (decision.integration_id, decision.missing)


ServiceMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=30, deadline=None)
TestService = ServiceMachine.TestCase

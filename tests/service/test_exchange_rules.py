"""The OAuth exchange's rules: windows that close, bounded verifier guesses, no stale exchange."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from integration_core import IntegrationForm, IntegrationStatus
from integration_core.errors import InvalidVerifierError, TokenExchangeError
from tests.lifecycle_support import SETTINGS, make_service

FORM = IntegrationForm(
    name="ERP",
    email="erp@example.com",
    callback_url="https://erp.example/callback",
    identity_link_url="https://erp.example/login",
)


def test_a_request_token_expires_after_its_lifetime() -> None:
    service, clock = make_service()
    exchange = service.save_and_activate(FORM).exchange
    assert exchange is not None
    request = service.request_token(exchange.consumer_key).token
    clock.advance(SETTINGS.request_token_lifetime)
    with pytest.raises(TokenExchangeError, match=r"^Specified request token does not exist$"):
        service.access_token(
            exchange.consumer_key, request.token.reveal(), exchange.verifier.reveal()
        )
    assert service.repository.list()[0].status is IntegrationStatus.INACTIVE


def test_a_request_token_within_its_lifetime_is_traded_once() -> None:
    service, clock = make_service()
    exchange = service.save_and_activate(FORM).exchange
    assert exchange is not None
    request = service.request_token(exchange.consumer_key).token
    clock.advance(SETTINGS.request_token_lifetime - timedelta(microseconds=1))
    token, verifier = request.token.reveal(), exchange.verifier.reveal()
    active = service.access_token(exchange.consumer_key, token, verifier)
    assert active.integration.status is IntegrationStatus.ACTIVE
    with pytest.raises(TokenExchangeError, match="No token exchange is in progress"):
        service.access_token(exchange.consumer_key, token, verifier)


def test_verifier_guesses_are_bounded_then_the_exchange_is_void() -> None:
    settings = attrs.evolve(SETTINGS, verifier_attempts=3)
    service, _ = make_service(settings=settings)
    exchange = service.save_and_activate(FORM).exchange
    assert exchange is not None
    request = service.request_token(exchange.consumer_key).token.token.reveal()
    for attempt in range(1, 3):
        with pytest.raises(InvalidVerifierError, match=r"^Verifier is invalid$"):
            service.access_token(exchange.consumer_key, request, "0" * 32)
        pending = service.repository.list()[0].exchange
        assert pending is not None
        assert pending.failed_attempts == attempt
    with pytest.raises(InvalidVerifierError):
        service.access_token(exchange.consumer_key, request, "0" * 32)
    assert service.repository.list()[0].exchange is None
    with pytest.raises(TokenExchangeError, match="No token exchange is in progress"):
        service.access_token(exchange.consumer_key, request, exchange.verifier.reveal())


def test_a_clock_stepped_back_never_reopens_the_consumer_window() -> None:
    service, clock = make_service()
    exchange = service.save_and_activate(FORM).exchange
    assert exchange is not None
    clock.advance(timedelta(days=-365))
    with pytest.raises(TokenExchangeError, match=r"^Consumer key has expired$"):
        service.request_token(exchange.consumer_key)


def test_removing_a_url_ends_the_exchange_in_progress() -> None:
    service, _ = make_service()
    activation = service.save_and_activate(FORM)
    exchange = activation.exchange
    assert exchange is not None
    request = service.request_token(exchange.consumer_key).token.token.reveal()
    edited = service.edit(activation.integration.id, attrs.evolve(FORM, identity_link_url=""))
    assert edited.integration.exchange is None
    with pytest.raises(TokenExchangeError, match="No token exchange is in progress"):
        service.access_token(exchange.consumer_key, request, exchange.verifier.reveal())


def test_a_deleted_or_reauthorized_integration_completes_no_old_exchange() -> None:
    service, _ = make_service()
    activation = service.save_and_activate(FORM)
    old = activation.exchange
    assert old is not None
    old_request = service.request_token(old.consumer_key).token.token.reveal()
    again = service.reauthorize(activation.integration.id)
    assert again.exchange is not None
    with pytest.raises(TokenExchangeError, match="No request token has been issued"):
        service.access_token(old.consumer_key, old_request, old.verifier.reveal())
    service.request_token(old.consumer_key)
    with pytest.raises(TokenExchangeError, match=r"^Specified request token does not exist$"):
        service.access_token(old.consumer_key, old_request, again.exchange.verifier.reveal())
    service.delete(activation.integration.id)
    with pytest.raises(TokenExchangeError, match="A consumer having the specified key"):
        service.access_token(old.consumer_key, old_request, old.verifier.reveal())

"""
Activation and the OAuth token exchange, as pure functions over an integration.

Two paths, as in Magento: with both a callback URL and an identity link URL the
exchange starts (the integration stays inactive until the third party trades the
verifier for a request token and then an access token); otherwise tokens are issued
directly and the integration becomes active.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode

import attrs

from integration_core._credentials import CredentialGenerator, IssuedToken, Secret, new_credential
from integration_core._integration import Integration, IntegrationStatus, PendingExchange
from integration_core.errors import TokenExchangeError

__all__ = [
    "ExchangeInstructions",
    "IssuedCredentials",
    "OAuthSettings",
    "activate_directly",
    "issue_access_token",
    "issue_request_token",
    "start_exchange",
]

CONSUMER_WINDOW = timedelta(seconds=300)
"""Magento's default ``oauth/consumer/expiration_period``."""


@attrs.frozen
class OAuthSettings:
    """
    What the token exchange needs to know about the host.

    Attributes:
        store_base_url: Posted to the callback URL as ``store_base_url``.
        success_callback_url: Passed to the identity link as ``success_call_back``.
        consumer_window: How long after an activation the consumer may request a
            token (Magento: 300 s, ``oauth/consumer/expiration_period``).

    Example:
        >>> OAuthSettings("https://shop.example/", "https://shop.example/admin/ok").consumer_window
        datetime.timedelta(seconds=300)
    """

    store_base_url: str
    success_callback_url: str
    consumer_window: timedelta = CONSUMER_WINDOW


@attrs.frozen
class IssuedCredentials:
    """
    The four credentials Magento's "Integration Tokens for Extensions" popup shows, once.

    Example:
        >>> issued = IssuedCredentials("k" * 32, Secret("s"), Secret("t"), Secret("ts"))
        >>> issued
        IssuedCredentials(consumer_key='kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', consumer_secret=Secret('********'), access_token=Secret('********'), access_token_secret=Secret('********'))
        >>> issued.access_token.reveal()
        't'
    """

    consumer_key: str
    consumer_secret: Secret
    access_token: Secret
    access_token_secret: Secret


@attrs.frozen
class ExchangeInstructions:
    """
    What the host must do to start the exchange: POST to the callback, open the identity link.

    Attributes:
        callback_url: Where to POST :meth:`post_fields` (form-encoded).
        identity_link_url: The identity link with ``oauth_consumer_key`` and
            ``success_call_back`` added, to open for the admin.

    Example:
        >>> instructions = ExchangeInstructions(
        ...     callback_url="https://erp.example/cb", identity_link_url="https://erp.example/login?oauth_consumer_key=k",
        ...     consumer_key="k", consumer_secret=Secret("s"), store_base_url="https://shop.example/",
        ...     verifier=Secret("v"),
        ... )
        >>> sorted(instructions.post_fields())
        ['oauth_consumer_key', 'oauth_consumer_secret', 'oauth_verifier', 'store_base_url']
        >>> "'s'" in repr(instructions)
        False
    """

    callback_url: str
    identity_link_url: str
    consumer_key: str
    consumer_secret: Secret
    store_base_url: str
    verifier: Secret

    def post_fields(self) -> dict[str, str]:
        """
        The form fields to POST to the callback URL, secrets revealed.

        Example:
            >>> ExchangeInstructions("c", "i", "k", Secret("s"), "b", Secret("v")).post_fields()["oauth_verifier"]
            'v'
        """
        return {
            "oauth_consumer_key": self.consumer_key,
            "oauth_consumer_secret": self.consumer_secret.reveal(),
            "store_base_url": self.store_base_url,
            "oauth_verifier": self.verifier.reveal(),
        }


def activate_directly(
    integration: Integration, generator: CredentialGenerator, now: datetime
) -> tuple[Integration, IssuedCredentials]:
    """
    Issue an access token at once: the integration becomes active.

    Any previous access token and any abandoned exchange are dropped.

    Example:
        >>> from integration_core.testing.contract import sample_integration
        >>> active, issued = activate_directly(sample_integration(), lambda: "t" * 32, sample_integration().created_at)
        >>> active.status.label, active.access.matches(issued.access_token.reveal())
        ('Active', True)
    """
    token = IssuedToken.generate(generator)
    activated = attrs.evolve(
        integration,
        status=IntegrationStatus.ACTIVE,
        access=token.stored(),
        exchange=None,
        updated_at=now,
    )
    credentials = IssuedCredentials(
        consumer_key=integration.consumer.key,
        consumer_secret=integration.consumer.secret,
        access_token=token.token,
        access_token_secret=token.token_secret,
    )
    return activated, credentials


def start_exchange(
    integration: Integration, generator: CredentialGenerator, now: datetime, settings: OAuthSettings
) -> tuple[Integration, ExchangeInstructions]:
    """
    Start (or restart) the OAuth exchange: a new verifier, a new consumer window.

    The integration is inactive and without an access token until the exchange
    completes. A previous, abandoned exchange is simply replaced, so it can never
    block this one (Magento #2540), and the window restarts now (Magento #3449).

    Example:
        >>> from integration_core.testing.contract import sample_integration
        >>> settings = OAuthSettings("https://shop.example/", "https://shop.example/ok")
        >>> integration = sample_integration(callback_url="https://erp.example/cb", identity_link_url="https://erp.example/in")
        >>> pending, instructions = start_exchange(integration, lambda: "v" * 32, integration.created_at, settings)
        >>> pending.status.label, pending.exchange.started_at == integration.created_at
        ('Inactive', True)
        >>> instructions.identity_link_url.startswith("https://erp.example/in?oauth_consumer_key=")
        True
    """
    callback_url, identity_link_url = integration.callback_url, integration.identity_link_url
    if callback_url is None or identity_link_url is None:
        raise TokenExchangeError("the token exchange needs a callback URL and an identity link URL")
    verifier = new_credential(generator)
    pending = attrs.evolve(
        integration,
        status=IntegrationStatus.INACTIVE,
        access=None,
        exchange=PendingExchange(verifier=verifier, started_at=now),
        updated_at=now,
    )
    query = urlencode(
        {
            "oauth_consumer_key": integration.consumer.key,
            "success_call_back": settings.success_callback_url,
        }
    )
    separator = "&" if "?" in identity_link_url else "?"
    instructions = ExchangeInstructions(
        callback_url=callback_url,
        identity_link_url=f"{identity_link_url}{separator}{query}",
        consumer_key=integration.consumer.key,
        consumer_secret=integration.consumer.secret,
        store_base_url=settings.store_base_url,
        verifier=verifier,
    )
    return pending, instructions


def issue_request_token(
    integration: Integration | None,
    generator: CredentialGenerator,
    now: datetime,
    window: timedelta,
) -> tuple[Integration, IssuedToken]:
    """
    First exchange step: the consumer asks for a request token.

    Allowed only while an exchange is pending and within ``window`` of its start.
    Asking again replaces the previous request token.

    Raises:
        TokenExchangeError: Unknown consumer, no exchange pending, or
            "Consumer key has expired".

    Example:
        >>> issue_request_token(None, lambda: "r" * 32, None, CONSUMER_WINDOW)
        Traceback (most recent call last):
            ...
        integration_core.errors.TokenExchangeError: A consumer having the specified key does not exist
    """
    found, exchange = _pending(integration)
    if now - exchange.started_at > window:
        raise TokenExchangeError("Consumer key has expired")
    token = IssuedToken.generate(generator)
    updated = attrs.evolve(
        found,
        exchange=attrs.evolve(exchange, request_token=token.stored()),
        updated_at=now,
    )
    return updated, token


def issue_access_token(
    integration: Integration | None,
    request_token: str,
    verifier: str,
    generator: CredentialGenerator,
    now: datetime,
) -> tuple[Integration, IssuedToken]:
    """
    Second exchange step: trade the request token and the verifier for an access token.

    Both are compared in constant time. On success the integration is active and the
    exchange is over.

    Raises:
        TokenExchangeError: Unknown consumer, no request token issued, or a wrong
            request token or verifier (the presented values are never echoed).

    Example:
        >>> issue_access_token(None, "r", "v", lambda: "a" * 32, None)
        Traceback (most recent call last):
            ...
        integration_core.errors.TokenExchangeError: A consumer having the specified key does not exist
    """
    found, exchange = _pending(integration)
    if exchange.request_token is None:
        raise TokenExchangeError("No request token has been issued for this consumer")
    token_ok = exchange.request_token.matches(request_token)
    verifier_ok = exchange.verifier.matches(verifier)
    if not token_ok:
        raise TokenExchangeError("Specified request token does not exist")
    if not verifier_ok:
        raise TokenExchangeError("Verifier is invalid")
    token = IssuedToken.generate(generator)
    activated = attrs.evolve(
        found,
        status=IntegrationStatus.ACTIVE,
        access=token.stored(),
        exchange=None,
        updated_at=now,
    )
    return activated, token


def _pending(integration: Integration | None) -> tuple[Integration, PendingExchange]:
    if integration is None:
        raise TokenExchangeError("A consumer having the specified key does not exist")
    if integration.exchange is None:
        raise TokenExchangeError("No token exchange is in progress for this consumer")
    return integration, integration.exchange

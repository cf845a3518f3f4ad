"""
The OAuth token exchange's values: the host's settings, what to post, what to show once.

Two paths, as in Magento: with both a callback URL and an identity link URL the
exchange starts (the integration stays inactive until the third party trades the
verifier for a request token and then an access token); otherwise tokens are issued
directly and the integration becomes active. The transitions themselves are
:class:`~integration_core.Integration`'s methods.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

import attrs

from integration_core.integrations._credentials import Secret, StoredToken, digest

__all__ = [
    "CONSUMER_WINDOW",
    "REQUEST_TOKEN_LIFETIME",
    "VERIFIER_ATTEMPTS",
    "ExchangeInstructions",
    "IssuedCredentials",
    "OAuthSettings",
    "PendingExchange",
]

CONSUMER_WINDOW = timedelta(seconds=300)
"""Magento's default ``oauth/consumer/expiration_period``."""

REQUEST_TOKEN_LIFETIME = timedelta(minutes=120)
"""Magento's default ``oauth/cleanup/expiration_period``: request tokens older are gone."""

VERIFIER_ATTEMPTS = 5
"""Wrong verifiers accepted before the pending exchange is void."""


@attrs.frozen
class OAuthSettings:
    """
    What the token exchange needs to know about the host.

    Attributes:
        store_base_url: Posted to the callback URL as ``store_base_url``.
        success_callback_url: Passed to the identity link as ``success_call_back``.
        consumer_window: How long after an activation the consumer may request a
            token (Magento: 300 s, ``oauth/consumer/expiration_period``); at exactly
            the window's length it has expired, as in Magento.
        request_token_lifetime: How long a request token may be traded for the
            access token (Magento: 120 minutes, ``oauth/cleanup/expiration_period``).
        verifier_attempts: Wrong ``oauth_verifier`` values accepted before the
            pending exchange is void and the admin must activate again.

    Example:
        >>> settings = OAuthSettings("https://shop.example/", "https://shop.example/admin/ok")
        >>> settings.consumer_window, settings.request_token_lifetime, settings.verifier_attempts
        (datetime.timedelta(seconds=300), datetime.timedelta(seconds=7200), 5)
    """

    store_base_url: str
    success_callback_url: str
    consumer_window: timedelta = CONSUMER_WINDOW
    request_token_lifetime: timedelta = REQUEST_TOKEN_LIFETIME
    verifier_attempts: int = VERIFIER_ATTEMPTS


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


@attrs.frozen
class PendingExchange:
    """
    An OAuth token exchange in progress: what the verifier posted to the callback opened.

    Attributes:
        verifier_digest: The SHA-256 digest of the ``oauth_verifier`` the third party
            must present for the access token (the verifier itself is never stored).
        started_at: When the activation started it; the consumer may request a token
            only within the consumer window after this.
        request_token: The request token (digest, sealed secret) once issued, else ``None``.
        request_token_issued_at: When the request token was issued, else ``None``.
        failed_attempts: Wrong verifiers presented so far.

    Example:
        >>> from datetime import UTC, datetime
        >>> pending = PendingExchange(digest("v" * 32), datetime(2024, 1, 1, tzinfo=UTC))
        >>> pending.verifier_matches("v" * 32), pending.verifier_matches("w" * 32), pending.failed_attempts
        (True, False, 0)
    """

    verifier_digest: str
    started_at: datetime
    request_token: StoredToken | None = None
    request_token_issued_at: datetime | None = None
    failed_attempts: int = 0

    def verifier_matches(self, presented: object) -> bool:
        """
        Whether ``presented`` is the verifier, compared in constant time.

        Example:
            >>> from datetime import UTC, datetime
            >>> PendingExchange(digest("v"), datetime(2024, 1, 1, tzinfo=UTC)).verifier_matches(None)
            False
        """
        return isinstance(presented, str) and hmac.compare_digest(
            digest(presented), self.verifier_digest
        )

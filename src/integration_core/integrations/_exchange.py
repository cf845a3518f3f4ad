"""
The OAuth token exchange's values: the host's settings, what to post, what to show once.

Two paths, as in Magento: with both a callback URL and an identity link URL the
exchange starts (the integration stays inactive until the third party trades the
verifier for a request token and then an access token); otherwise tokens are issued
directly and the integration becomes active. The transitions themselves are
:class:`~integration_core.Integration`'s methods.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from integration_core.integrations._credentials import Secret, StoredToken

__all__ = [
    "CONSUMER_WINDOW",
    "ExchangeInstructions",
    "IssuedCredentials",
    "OAuthSettings",
    "PendingExchange",
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


@attrs.frozen
class PendingExchange:
    """
    An OAuth token exchange in progress: the verifier posted to the callback URL.

    Attributes:
        verifier: The ``oauth_verifier`` the third party must present for the access token.
        started_at: When the activation started it; the consumer may request a token
            only within the consumer window after this.
        request_token: Digests of the request token once issued, else ``None``.

    Example:
        >>> from datetime import UTC, datetime
        >>> PendingExchange(Secret("v" * 32), datetime(2024, 1, 1, tzinfo=UTC))
        PendingExchange(verifier=Secret('********'), started_at=datetime.datetime(2024, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), request_token=None)
    """

    verifier: Secret
    started_at: datetime
    request_token: StoredToken | None = None

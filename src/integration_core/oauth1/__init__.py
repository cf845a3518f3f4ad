"""
Magento-compatible OAuth 1.0a: the token exchange and signed API calls, checked with oauthlib.

Needs the ``oauth1`` extra (oauthlib). A host hands each request its endpoints receive
to :class:`OAuth1Provider` — ``request_token``, ``access_token``, ``protected_resource``
— and sends back the :class:`OAuthResponse` it returns; nonces go to a
:class:`~integration_core.ports.NonceStore`.

Example:
    >>> from integration_core.adapters import InMemoryNonceStore
    >>> from integration_core.testing.builders import sample_service
    >>> provider = OAuth1Provider(sample_service(), InMemoryNonceStore())
    >>> provider.settings.allow_bearer
    False
"""

from integration_core.oauth1._provider import (
    HMAC_SHA1,
    HMAC_SHA256,
    OAuth1Provider,
    OAuth1Settings,
    OAuthResponse,
)

__all__ = ["HMAC_SHA1", "HMAC_SHA256", "OAuth1Provider", "OAuth1Settings", "OAuthResponse"]

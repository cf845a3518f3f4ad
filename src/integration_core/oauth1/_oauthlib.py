"""
The one adapter between integration-core and oauthlib: read a request's OAuth parameters, check a signature.

oauthlib parses the ``Authorization`` header, a form body and the query string as RFC 5849
says (one place for the ``oauth_`` parameters, duplicates refused) and computes HMAC
signatures; everything Magento decides on top of that (which parameters, lengths, windows,
messages) is ours. Its parser lives on its endpoint base class, so a bare endpoint with a
default validator is kept here only to parse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs
from oauthlib.common import Request
from oauthlib.oauth1 import RequestValidator
from oauthlib.oauth1.rfc5849 import errors, signature
from oauthlib.oauth1.rfc5849.endpoints.base import BaseEndpoint

__all__ = [
    "HMAC_SHA1",
    "HMAC_SHA256",
    "ParsedRequest",
    "UnreadableRequest",
    "parse",
    "signature_matches",
]

HMAC_SHA1: Final = "HMAC-SHA1"
"""
The older signature method many clients still use: accepted only where the host allows it.

Example:
    >>> HMAC_SHA1
    'HMAC-SHA1'
"""

HMAC_SHA256: Final = "HMAC-SHA256"
"""
The signature method Magento 2.4 accepts, and the default here.

Example:
    >>> HMAC_SHA256
    'HMAC-SHA256'
"""

_PARSER = BaseEndpoint(RequestValidator())
_VERIFIERS = {HMAC_SHA1: signature.verify_hmac_sha1, HMAC_SHA256: signature.verify_hmac_sha256}


class UnreadableRequest(ValueError):  # noqa: N818  # a reason to answer 400, not a failure of ours
    """The request's OAuth parameters cannot be read: oauthlib's description, for a 400."""


@attrs.frozen
class ParsedRequest:
    """A request whose OAuth parameters were read: oauthlib's request and its ``oauth_`` values."""

    request: Request
    oauth: Mapping[str, str]


def parse(method: str, uri: str, headers: Mapping[str, str | bytes], body: str) -> ParsedRequest:
    """
    Read the OAuth parameters of a request as the client sent it.

    Raises:
        UnreadableRequest: No OAuth parameters, parameters in two places, duplicates, or a
            header or body oauthlib cannot read.
    """
    # Servers hand header values as text; HTTP clients' prepared requests hold some as bytes.
    text_headers = {
        name: value.decode("latin-1") if isinstance(value, bytes) else value
        for name, value in headers.items()
    }
    try:
        request = _PARSER._create_request(uri, method, body, text_headers)  # noqa: SLF001  # oauthlib's parser
    except errors.OAuth1Error as error:
        raise UnreadableRequest(
            error.description or "Missing mandatory OAuth parameters."
        ) from None
    except (ValueError, TypeError, KeyError) as error:
        raise UnreadableRequest(f"the OAuth parameters cannot be read: {error}") from None
    return ParsedRequest(request, dict(request.oauth_params))


def signature_matches(parsed: ParsedRequest, consumer_secret: str, token_secret: str) -> bool:
    """Whether the request's signature is the HMAC of its base string under both secrets."""
    verify = _VERIFIERS[parsed.oauth["oauth_signature_method"]]
    return bool(verify(parsed.request, consumer_secret, token_secret))

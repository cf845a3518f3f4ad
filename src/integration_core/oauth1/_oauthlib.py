"""
The one adapter between integration-core and oauthlib: read a request's OAuth parameters, check a signature.

oauthlib parses the ``Authorization`` header, a form body and the query string as RFC 5849
says (one place for the ``oauth_`` parameters, duplicates refused) and computes HMAC
signatures; everything Magento decides on top of that (which parameters, lengths, windows,
messages) is ours. Its parser lives on its endpoint base class, so a bare endpoint with a
default validator is kept here only to parse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Final

import attrs
from oauthlib.common import Request
from oauthlib.oauth1 import RequestValidator
from oauthlib.oauth1.rfc5849 import errors, signature, utils
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
_SIGNERS = {
    HMAC_SHA1: signature.sign_hmac_sha1_with_client,
    HMAC_SHA256: signature.sign_hmac_sha256_with_client,
}
_CHUNKS = re.compile(r"\d+|\D+")


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
    """
    Whether the request's signature is the HMAC of its base string under both secrets.

    RFC 5849 sorts the parameters by byte; Magento 2.4's own signer sorts them in PHP's
    natural order (``uksort($params, 'strnatcmp')``), so ``…[2]…`` comes before ``…[10]…``.
    Clients built against Magento sign that way, so a request signed in either order is
    accepted; the two orders differ only when a name holds a number of several digits.
    """
    method = parsed.oauth["oauth_signature_method"]
    request = parsed.request
    if _VERIFIERS[method](request, consumer_secret, token_secret):
        return True
    natural = _natural_parameters(request.params)
    if natural == signature.normalize_parameters(request.params):
        return False
    base = signature.signature_base_string(
        request.http_method, signature.base_string_uri(request.uri), natural
    )
    secrets = SimpleNamespace(client_secret=consumer_secret, resource_owner_secret=token_secret)
    expected = _SIGNERS[method](base, secrets)
    return bool(signature.safe_string_equals(expected, request.signature))


def _natural_parameters(params: list[tuple[str, str]]) -> str:
    """The parameters encoded and joined in PHP's natural order of names, then of values."""
    encoded = [(utils.escape(name), utils.escape(value)) for name, value in params]
    encoded.sort(key=lambda pair: (_natural(pair[0]), _natural(pair[1])))
    return "&".join(f"{name}={value}" for name, value in encoded)


def _natural(text: str) -> list[tuple[int, int, str]]:
    """A sort key comparing runs of digits as numbers, as PHP's ``strnatcmp`` does."""
    return [
        (0, int(chunk), chunk) if chunk.isdigit() else (1, 0, chunk)
        for chunk in _CHUNKS.findall(text)
    ]

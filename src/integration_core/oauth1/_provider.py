"""
Magento's three OAuth 1.0a endpoints, as pure calls: the request a host received in, the answer out.

Each call takes the HTTP method, the URI as the client saw it (scheme, host and port
before any TLS-terminating proxy), the headers and the body, and returns the status,
headers and body to answer with. The order of checks is Magento's where it is sound:
the request is read, then its parameters, signature method, lengths and timestamp are
checked (400 when malformed), then the consumer and token are found, the signature
verified and the nonce used once (401 when refused), and only then does the exchange
step or the authorization run. A wrong verifier is counted only under a valid signature,
so nobody without the secrets can use up an exchange's attempts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from urllib.parse import urlencode

import attrs

from integration_core.credentials import Secret, StoredToken, digest
from integration_core.errors import SealingError, StorageUnavailableError, TokenExchangeError
from integration_core.integrations import Integration
from integration_core.oauth1._oauthlib import (
    HMAC_SHA1,
    HMAC_SHA256,
    ParsedRequest,
    UnreadableRequest,
    parse,
    signature_matches,
)
from integration_core.ports import NonceStore
from integration_core.service import IntegrationService

__all__ = ["HMAC_SHA1", "HMAC_SHA256", "OAuth1Provider", "OAuth1Settings", "OAuthResponse"]

_FORM = (("Content-Type", "application/x-www-form-urlencoded"),)
_LENGTH = 32
_SIGNED = (
    "oauth_consumer_key",
    "oauth_signature",
    "oauth_signature_method",
    "oauth_nonce",
    "oauth_timestamp",
)
_WITH_TOKEN = (*_SIGNED, "oauth_token")
_WITH_VERIFIER = (*_WITH_TOKEN, "oauth_verifier")
_BAD_SIGNATURE = "The signature is invalid. Verify and try again."
_BAD_TIMESTAMP = "Incorrect timestamp value in the oauth_timestamp parameter"


@attrs.frozen
class OAuth1Settings:
    """
    How strictly the endpoints check a signed request.

    Attributes:
        signature_methods: The methods accepted (Magento 2.4 accepts HMAC-SHA256 only;
            many older clients sign with HMAC-SHA1). PLAINTEXT and RSA are never accepted.
        timestamp_window: Requests whose ``oauth_timestamp`` is older are refused:
            stricter than Magento, which accepts any past timestamp, so that the nonce
            store needs to keep nonces only this long.
        future_skew: How far ahead of the clock a timestamp may be (Magento: 600 s).
        allow_bearer: Whether an access token alone (``Authorization: Bearer``) may call
            the API: off by default, as in Magento 2.4.4 and later
            (``oauth/consumer/enable_integration_as_bearer``).

    Example:
        >>> OAuth1Settings().signature_methods
        frozenset({'HMAC-SHA256'})
    """

    signature_methods: frozenset[str] = frozenset({HMAC_SHA256})
    timestamp_window: timedelta = timedelta(seconds=300)
    future_skew: timedelta = timedelta(seconds=600)
    allow_bearer: bool = False


@attrs.frozen
class OAuthResponse:
    """
    What to answer: status, headers and body (form-encoded ``oauth_problem=…`` when refused).

    On a token step's success the body carries the issued token and its secret: it is
    meant for the wire, so it never shows in ``repr``.

    Attributes:
        status: 200, 400 (a malformed request), 401 (refused credentials) or 500.
        headers: Headers to send.
        body: The body to send.
        integration_id: The integration the request was made for, once known.
        problem: Magento's message when refused, else ``None``.

    Example:
        >>> OAuthResponse(401, (), "oauth_problem=x", None, "x")
        OAuthResponse(status=401, integration_id=None, problem='x')
    """

    status: int
    headers: tuple[tuple[str, str], ...] = attrs.field(repr=False)
    body: str = attrs.field(repr=False)
    integration_id: str | None
    problem: str | None

    @property
    def ok(self) -> bool:
        """
        Whether the request was accepted.

        Example:
            >>> OAuthResponse(200, (), "", "i-1", None).ok
            True
        """
        return self.status == 200  # noqa: PLR2004  # HTTP OK


class _Refused(Exception):  # noqa: N818  # control flow inside this module, never raised out
    def __init__(self, status: int, problem: str, integration_id: str | None = None) -> None:
        super().__init__(problem)
        self.status = status
        self.problem = problem
        self.integration_id = integration_id


class OAuth1Provider:
    """
    ``POST /oauth/token/request``, ``POST /oauth/token/access`` and signed API calls, checked.

    Built on the host's :class:`~integration_core.service.IntegrationService` (its
    repository, clock, sealed credentials and exchange commands) and a
    :class:`~integration_core.ports.NonceStore`.

    Example:
        >>> from integration_core.adapters import InMemoryNonceStore
        >>> from integration_core.testing.builders import sample_service
        >>> provider = OAuth1Provider(sample_service(), InMemoryNonceStore())
        >>> refused = provider.request_token("POST", "https://shop.example/oauth/token/request", {}, "")
        >>> refused.status, refused.body
        (400, 'oauth_problem=Missing+mandatory+OAuth+parameters.')
    """

    def __init__(
        self,
        service: IntegrationService,
        nonces: NonceStore,
        settings: OAuth1Settings | None = None,
    ) -> None:
        self.service = service
        self.nonces = nonces
        self.settings = OAuth1Settings() if settings is None else settings

    def __repr__(self) -> str:
        return f"<OAuth1Provider over {self.service!r}>"

    def request_token(
        self, method: str, uri: str, headers: Mapping[str, str | bytes], body: str
    ) -> OAuthResponse:
        """
        ``POST /oauth/token/request``: signed with the consumer key and secret, no token.

        Answers ``oauth_token=…&oauth_token_secret=…`` within the consumer window;
        refuses with Magento's status and ``oauth_problem`` otherwise.

        Example:
            >>> from integration_core.adapters import InMemoryNonceStore
            >>> from integration_core.testing.builders import sample_service
            >>> provider = OAuth1Provider(sample_service(), InMemoryNonceStore())
            >>> header = {"Authorization": 'OAuth oauth_consumer_key="x", oauth_signature="y"'}
            >>> provider.request_token("POST", "https://shop.example/oauth/token/request", header, "").problem
            '"oauth_nonce" is required. Enter and try again. "oauth_signature_method" is required. Enter and try again. "oauth_timestamp" is required. Enter and try again.'
        """
        try:
            parsed = self._read(method, uri, headers, body, _SIGNED)
            integration = self._consumer(parsed)
            self._verify(parsed, integration, *self._secrets(integration, None))
            issued = self.service.request_token(integration.consumer.key).token
        except _Refused as refused:
            return _refusal(refused)
        except TokenExchangeError as error:
            return _refusal(_Refused(401, error.reason, None))
        return _tokens(issued.token, issued.token_secret, integration.id)

    def access_token(
        self, method: str, uri: str, headers: Mapping[str, str | bytes], body: str
    ) -> OAuthResponse:
        """
        ``POST /oauth/token/access``: signed with the consumer secret and the request token's secret.

        Checks that the request token belongs to this consumer and the verifier; answers
        the access token, and the integration is active.

        Example:
            >>> from integration_core.adapters import InMemoryNonceStore
            >>> from integration_core.testing.builders import sample_service
            >>> provider = OAuth1Provider(sample_service(), InMemoryNonceStore())
            >>> provider.access_token("GET", "https://shop.example/oauth/token/access", {}, "").status
            400
        """
        try:
            parsed = self._read(method, uri, headers, body, _WITH_VERIFIER)
            integration = self._consumer(parsed)
            request_token = _request_token(integration, parsed)
            self._verify(parsed, integration, *self._secrets(integration, request_token))
            issued = self.service.access_token(
                integration.consumer.key,
                parsed.oauth["oauth_token"],
                parsed.oauth["oauth_verifier"],
            ).token
        except _Refused as refused:
            return _refusal(refused)
        except TokenExchangeError as error:
            return _refusal(_Refused(401, error.reason, None))
        return _tokens(issued.token, issued.token_secret, integration.id)

    def protected_resource(
        self,
        method: str,
        uri: str,
        headers: Mapping[str, str | bytes],
        body: str,
        required: Iterable[str],
    ) -> OAuthResponse:
        """
        A signed API call (or a Bearer token, where allowed) for a route requiring ``required``.

        Answers 200 with an empty body when the integration may call the route: the host
        then serves it. Refused: 400 or 401 with Magento's ``oauth_problem``.

        Raises:
            UnknownResourceError: A required resource is not in the service's tree (a
                route declaring an id the tree lacks is a host bug, not a denial).

        Example:
            >>> from integration_core.adapters import InMemoryNonceStore
            >>> from integration_core.testing.builders import sample_service
            >>> provider = OAuth1Provider(sample_service(), InMemoryNonceStore())
            >>> bearer = {"Authorization": "Bearer " + "t" * 32}
            >>> provider.protected_resource("GET", "https://shop.example/rest/V1/orders", bearer, "", ["sales"]).problem
            "The consumer isn't authorized to access sales."
        """
        needed = tuple(required)
        authorization = _header(headers, "authorization")
        if authorization.lower().startswith("bearer "):
            if not self.settings.allow_bearer:
                return _refusal(_Refused(401, _not_authorized(needed)))
            return self._authorized(authorization[7:].strip(), needed, None)
        try:
            parsed = self._read(method, uri, headers, body, _WITH_TOKEN)
            token = parsed.oauth["oauth_token"]
            integration, access = self._token_holder(parsed)
            self._verify(parsed, integration, *self._secrets(integration, access))
        except _Refused as refused:
            return _refusal(refused)
        return self._authorized(token, needed, integration)

    # -- the checks, in order ---------------------------------------------------------------

    def _read(
        self,
        method: str,
        uri: str,
        headers: Mapping[str, str | bytes],
        body: str,
        required: tuple[str, ...],
    ) -> ParsedRequest:
        try:
            parsed = parse(method, uri, headers, body)
        except UnreadableRequest as error:
            raise _Refused(400, str(error)) from None
        oauth = parsed.oauth
        missing = [name for name in sorted(required) if not oauth.get(name)]
        if missing:
            raise _Refused(
                400, " ".join(f'"{name}" is required. Enter and try again.' for name in missing)
            )
        version = oauth.get("oauth_version", "1.0")
        if version != "1.0":
            raise _Refused(400, f'The "{version}" Oauth version isn\'t supported.')
        method_name = oauth["oauth_signature_method"]
        if method_name not in self.settings.signature_methods:
            raise _Refused(400, f"Signature method {method_name} is not supported")
        if "oauth_token" in required and len(oauth["oauth_token"]) != _LENGTH:
            raise _Refused(400, "The token length is invalid. Check the length and try again.")
        if len(oauth["oauth_consumer_key"]) != _LENGTH:
            raise _Refused(401, "Consumer key is not the correct length")
        if "oauth_verifier" in required and len(oauth["oauth_verifier"]) != _LENGTH:
            raise _Refused(401, "Verifier is not the correct length")
        self._check_timestamp(oauth["oauth_timestamp"])
        return parsed

    def _check_timestamp(self, text: str) -> None:
        if not (text.isascii() and text.isdigit()) or int(text) <= 0:
            raise _Refused(400, _BAD_TIMESTAMP)
        now = self.service.clock.now().timestamp()
        timestamp = int(text)
        too_old = timestamp < now - self.settings.timestamp_window.total_seconds()
        if too_old or timestamp > now + self.settings.future_skew.total_seconds():
            raise _Refused(400, _BAD_TIMESTAMP)

    def _consumer(self, parsed: ParsedRequest) -> Integration:
        key = parsed.oauth["oauth_consumer_key"]
        integration = self.service.repository.find_by_consumer_key(key)
        if integration is None:
            raise _Refused(401, "A consumer having the specified key does not exist")
        return integration

    def _token_holder(self, parsed: ParsedRequest) -> tuple[Integration, StoredToken]:
        """The integration holding the presented access token, for the consumer that signed."""
        token = parsed.oauth["oauth_token"]
        integration = self.service.repository.find_by_access_token_digest(digest(token))
        if integration is None or integration.access is None:
            raise _Refused(401, "Specified token does not exist")
        if integration.consumer.key != parsed.oauth["oauth_consumer_key"]:
            raise _Refused(401, "Token is not associated with the specified consumer")
        return integration, integration.access

    def _secrets(
        self, integration: Integration, token: StoredToken | None
    ) -> tuple[Secret, Secret]:
        """The consumer secret and the token's, opened; a key the host lost is its error, a 500."""
        issuer = self.service.issuer
        try:
            consumer = issuer.consumer_secret(integration.consumer)
            return consumer, Secret("") if token is None else issuer.token_secret(token)
        except SealingError:
            raise _Refused(500, "internal_error", integration.id) from None

    def _verify(
        self,
        parsed: ParsedRequest,
        integration: Integration,
        consumer_secret: Secret,
        token_secret: Secret,
    ) -> None:
        if not signature_matches(parsed, consumer_secret.reveal(), token_secret.reveal()):
            raise _Refused(401, _BAD_SIGNATURE, integration.id)
        oauth = parsed.oauth
        try:
            fresh = self.nonces.use(
                integration.consumer.key,
                oauth["oauth_nonce"],
                int(oauth["oauth_timestamp"]),
                token=oauth.get("oauth_token"),
            )
        except StorageUnavailableError:
            raise _Refused(401, "An error occurred validating the nonce", integration.id) from None
        if not fresh:
            raise _Refused(
                401,
                f"The nonce is already being used by the consumer with ID {integration.id}",
                integration.id,
            )

    def _authorized(
        self, token: str, required: tuple[str, ...], integration: Integration | None
    ) -> OAuthResponse:
        # A signed call's holder was read to check its signature: decide on that same read.
        decision = (
            self.service.authorize(token, required)
            if integration is None
            else self.service.authorize_integration(integration, required)
        )
        if decision.allowed:
            return OAuthResponse(200, (), "", decision.integration_id, None)
        known = decision.integration_id or (None if integration is None else integration.id)
        return _refusal(_Refused(401, _not_authorized(required), known))


def _request_token(integration: Integration, parsed: ParsedRequest) -> StoredToken:
    """The pending exchange's request token, if it is the one presented."""
    exchange = integration.exchange
    request_token = None if exchange is None else exchange.request_token
    if request_token is None or not request_token.matches(parsed.oauth["oauth_token"]):
        raise _Refused(401, "Specified request token does not exist", integration.id)
    return request_token


def _header(headers: Mapping[str, str | bytes], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value.decode("latin-1") if isinstance(value, bytes) else value
    return ""


def _not_authorized(required: tuple[str, ...]) -> str:
    return f"The consumer isn't authorized to access {', '.join(required)}."


def _refusal(refused: _Refused) -> OAuthResponse:
    body = urlencode({"oauth_problem": refused.problem})
    headers = _FORM if refused.status != 401 else (*_FORM, ("WWW-Authenticate", 'OAuth realm=""'))  # noqa: PLR2004
    return OAuthResponse(refused.status, headers, body, refused.integration_id, refused.problem)


def _tokens(token: Secret, token_secret: Secret, integration_id: str) -> OAuthResponse:
    body = urlencode({"oauth_token": token.reveal(), "oauth_token_secret": token_secret.reveal()})
    return OAuthResponse(200, _FORM, body, integration_id, None)

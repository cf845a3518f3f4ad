"""A shop with the OAuth endpoints, and the third party's side: prepared, signed requests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import attrs
import requests
from requests_oauthlib import OAuth1

from integration_core import (
    AclTree,
    InMemoryIntegrationRepository,
    IntegrationForm,
    IntegrationService,
    ManualClock,
    OAuthSettings,
    ResourceSelection,
)
from integration_core.adapters import InMemoryNonceStore
from integration_core.integrations import ExchangeInstructions
from integration_core.oauth1 import (
    HMAC_SHA1,
    HMAC_SHA256,
    OAuth1Provider,
    OAuth1Settings,
    OAuthResponse,
)
from integration_core.ports import IntegrationRepository, NonceStore
from integration_core.testing.builders import sample_sealer

STORE = "https://shop.example"
TREE = AclTree.from_data(
    [
        {"id": "sales", "children": [{"id": "orders"}, {"id": "cancel"}]},
        {"id": "catalog"},
    ]
)
FORM = IntegrationForm(
    name="ERP",
    email="erp@example.com",
    callback_url="https://erp.example/callback",
    identity_link_url="https://erp.example/login",
    selection=ResourceSelection.custom(TREE, allow=["sales"], deny=["cancel"]),
)
BOTH_METHODS = OAuth1Settings(signature_methods=frozenset({HMAC_SHA1, HMAC_SHA256}))

Endpoint = Callable[[str, str, Mapping[str, str | bytes], str], OAuthResponse]


@attrs.define
class Shop:
    """The host: a service over a repository, the provider over it, a clock set to now."""

    provider: OAuth1Provider
    clock: ManualClock

    @property
    def service(self) -> IntegrationService:
        return self.provider.service


def shop(
    settings: OAuth1Settings = BOTH_METHODS,
    repository: IntegrationRepository | None = None,
    nonces: NonceStore | None = None,
) -> Shop:
    clock = ManualClock(datetime.now(UTC))
    service = IntegrationService(
        InMemoryIntegrationRepository() if repository is None else repository,
        TREE,
        clock,
        OAuthSettings(f"{STORE}/", f"{STORE}/admin/integration/ok"),
        sealer=sample_sealer(),
    )
    provider = OAuth1Provider(service, InMemoryNonceStore() if nonces is None else nonces, settings)
    return Shop(provider, clock)


def activated(host: Shop) -> ExchangeInstructions:
    """Save & Activate: what the callback POST hands the third party."""
    exchange = host.service.save_and_activate(FORM).exchange
    assert exchange is not None
    return exchange


def send(endpoint: Endpoint, prepared: requests.PreparedRequest) -> OAuthResponse:
    """Hand a prepared request to an endpoint as a server would: method, URL, headers, body."""
    body = prepared.body or ""
    text = body.decode() if isinstance(body, bytes) else str(body)
    assert prepared.method is not None
    assert prepared.url is not None
    return endpoint(prepared.method, prepared.url, dict(prepared.headers), text)


def guarded(host: Shop, *required: str) -> Endpoint:
    """The protected-resource check of a route requiring ``required``, as an endpoint."""

    def check(
        method: str, uri: str, headers: Mapping[str, str | bytes], body: str
    ) -> OAuthResponse:
        return host.provider.protected_resource(method, uri, headers, body, required)

    return check


def form(response: OAuthResponse) -> dict[str, str]:
    return dict(parse_qsl(response.body))


def signed(
    method: str, url: str, auth: requests.auth.AuthBase, **kwargs: object
) -> requests.PreparedRequest:
    return requests.Request(method, url, auth=auth, **kwargs).prepare()  # type: ignore[arg-type]


@attrs.frozen
class Credentials:
    consumer_key: str
    consumer_secret: str
    token: str
    token_secret: str


def exchange_with_requests_oauthlib(host: Shop, method: str = HMAC_SHA256) -> Credentials:
    """The third party's whole exchange with requests-oauthlib: request token, then access token."""
    exchange = activated(host)
    key, secret = exchange.consumer_key, exchange.consumer_secret.reveal()
    step_1 = signed(
        "POST", f"{STORE}/oauth/token/request", OAuth1(key, secret, signature_method=method)
    )
    request_token = form(send(host.provider.request_token, step_1))
    auth = OAuth1(
        key,
        secret,
        resource_owner_key=request_token["oauth_token"],
        resource_owner_secret=request_token["oauth_token_secret"],
        verifier=exchange.verifier.reveal(),
        signature_method=method,
    )
    access = form(
        send(host.provider.access_token, signed("POST", f"{STORE}/oauth/token/access", auth))
    )
    return Credentials(key, secret, access["oauth_token"], access["oauth_token_secret"])


def api_auth(credentials: Credentials, method: str = HMAC_SHA256) -> OAuth1:
    return OAuth1(
        credentials.consumer_key,
        credentials.consumer_secret,
        resource_owner_key=credentials.token,
        resource_owner_secret=credentials.token_secret,
        signature_method=method,
    )

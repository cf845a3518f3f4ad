"""
The walkthrough behind ``python -m integration_core``.

It follows Magento's admin screen end to end: load the ACL, fill in the Info tab
(name, email, callback URL, identity link URL), choose Custom resources on the API
tab (a parent granted, one child left out), **Save and Activate**, and print the tree
with its marks and the activation result; then play the third party's side: the
callback POST it receives, its signed request-token and access-token calls and two
signed API calls, one allowed and one denied. The requests are signed with oauthlib's
client (the ``oauth1`` extra) and handed in-process to :class:`OAuth1Provider`; what
goes over the wire is printed with every secret cut to its first characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial
from http import HTTPStatus
from urllib.parse import parse_qsl

from oauthlib.oauth1 import Client

from integration_core._sample import SAMPLE_ACL_XML
from integration_core.acl import MAGENTO_ADMIN, AclTree
from integration_core.adapters.clock import SystemClock
from integration_core.adapters.memory import InMemoryIntegrationRepository, InMemoryNonceStore
from integration_core.adapters.sealing import AesGcmSealer
from integration_core.integrations import ExchangeInstructions, IntegrationForm, OAuthSettings
from integration_core.oauth1 import HMAC_SHA256, OAuth1Provider, OAuthResponse
from integration_core.selection import ResourceSelection
from integration_core.service import IntegrationService

__all__ = ["main"]

STORE = "https://shop.example"
SECRETS = frozenset(
    {
        "oauth_consumer_secret",
        "oauth_verifier",
        "oauth_token",
        "oauth_token_secret",
        "oauth_signature",
    }
)
"""The fields printed cut short: every secret, the tokens, and the signatures (for width)."""

Endpoint = Callable[[str, str, Mapping[str, str], str], OAuthResponse]
_HEADER_FIELD = re.compile(r'(\w+)="([^"]*)"')


def mask(value: str) -> str:
    """
    The first 4 characters of ``value`` and an ellipsis: enough to tell values apart.

    Example:
        >>> mask("nw844dhlmshoikrl3k9vpayu1k40hymt")
        'nw84…'
    """
    return f"{value[:4]}…"


def _shown(name: str, value: str) -> str:
    return mask(value) if name in SECRETS else value


def _form(body: str) -> str:
    return "&".join(f"{name}={_shown(name, value)}" for name, value in parse_qsl(body))


def _authorization(header: str) -> str:
    """The ``Authorization`` header, secrets cut, one parameter a line."""
    shown = _HEADER_FIELD.sub(lambda m: f'{m[1]}="{_shown(m[1], m[2])}"', header)
    return shown.replace(", ", ",\n  >     ")


def main(out: Callable[[str], None] = print) -> None:
    """Run the walkthrough, writing each line through ``out``."""
    acl = AclTree.from_magento_xml(SAMPLE_ACL_XML)
    tree = acl.subtree(MAGENTO_ADMIN)
    out(f"Loaded {len(acl)} ACL resources from {len(SAMPLE_ACL_XML)} acl.xml documents;")
    out(f"the API tab shows the {len(tree)} resources under {MAGENTO_ADMIN}.")
    service = IntegrationService(
        InMemoryIntegrationRepository(),
        tree,
        SystemClock(),
        OAuthSettings(f"{STORE}/", f"{STORE}/admin/integration/ok"),
        sealer=AesGcmSealer({"2024-01": AesGcmSealer.generate_key()}, current="2024-01"),
    )

    out("\n== Info tab: name, email, callback URL, identity link URL")
    selection = (
        ResourceSelection.custom(tree)
        .grant(tree, "Magento_Sales::sales")
        .exclude(tree, "Magento_Sales::cancel")
    )
    form = IntegrationForm(
        name="ERP Connector",
        email="erp@example.com",
        callback_url="https://erp.example/magento/callback",
        identity_link_url="https://erp.example/magento/login",
        selection=selection,
    )
    for field in ("name", "email", "callback_url", "identity_link_url"):
        out(f"  {field}: {getattr(form, field)}")
    out("\n== API tab: Resource Access Custom -- Sales granted, Cancel left out")
    out(tree.render(selection.check_states(tree)))

    out("\n== Save and Activate")
    activation = service.save_and_activate(form)
    integration = activation.integration
    out(f"  events: {', '.join(type(event).__name__ for event in activation.events)}")
    out(f"  status: {integration.status.label} (until the third party completes the exchange)")
    exchange = activation.exchange
    assert exchange is not None  # noqa: S101  # both URLs are set, so the exchange starts
    out(f"  open for the admin: {exchange.identity_link_url}")
    _third_party(out, OAuth1Provider(service, InMemoryNonceStore()), exchange)


def _third_party(
    out: Callable[[str], None], provider: OAuth1Provider, exchange: ExchangeInstructions
) -> None:
    """The third party's side: what it receives and what it signs, on the wire, secrets cut."""
    out("\n== The third party's callback receives the credentials")
    out(f"  > POST {exchange.callback_url}")
    out("  > Content-Type: application/x-www-form-urlencoded")
    fields = exchange.post_fields()
    for name, value in fields.items():
        out(f"  >   {name}={_shown(name, value)}")
    key, secret = fields["oauth_consumer_key"], fields["oauth_consumer_secret"]

    def send(
        endpoint: Endpoint, client: Client, method: str, uri: str, body: str = ""
    ) -> dict[str, str]:
        headers = {"Content-Type": "application/json"} if body else {}
        uri, headers, _ = client.sign(uri, http_method=method, body=body or None, headers=headers)
        out(f"  > {method} {uri}")
        out(f"  > Authorization: {_authorization(headers['Authorization'])}")
        if body:
            out(f"  > Content-Type: {headers['Content-Type']}")
            out(f"  > {body}")
        response = endpoint(method, uri, headers, body)
        out(f"  < {response.status} {HTTPStatus(response.status).phrase}")
        if response.body:
            out(f"  < {_form(response.body)}")
        return dict(parse_qsl(response.body))

    def signer(tokens: Mapping[str, str], verifier: str | None = None) -> Client:
        """The consumer's credentials, and a token's once one is issued (none: ``{}``)."""
        return Client(
            key,
            client_secret=secret,
            resource_owner_key=tokens.get("oauth_token"),
            resource_owner_secret=tokens.get("oauth_token_secret"),
            verifier=verifier,
            signature_method=HMAC_SHA256,
        )

    out("\n== It asks for a request token, signed with the consumer key and secret")
    request = send(provider.request_token, signer({}), "POST", f"{STORE}/oauth/token/request")

    out("\n== It exchanges the request token and the verifier for an access token")
    step_2 = signer(request, verifier=fields["oauth_verifier"])
    access = send(provider.access_token, step_2, "POST", f"{STORE}/oauth/token/access")
    (integration,) = provider.service.repository.list()
    out(f"  status: {integration.status.label}")

    out("\n== Signed API calls with the access token")
    api = signer(access)
    for route, path, required in (
        ("POST /V1/invoices", "/rest/V1/invoices", "Magento_Sales::invoice"),
        ("POST /V1/orders/{id}/cancel", "/rest/V1/orders/7/cancel", "Magento_Sales::cancel"),
    ):
        out(f"\n  {route}, which needs {required}:")
        guarded = partial(provider.protected_resource, required=[required])
        answer = send(guarded, api, "POST", f"{STORE}{path}", '{"entity": {"order_id": 7}}')
        problem = answer.get("oauth_problem")
        out(f"  => {route}: {'allowed' if problem is None else f'denied: {problem}'}")

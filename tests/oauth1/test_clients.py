"""Two independent clients complete Magento's exchange and sign API calls against the endpoints."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import quote

import pytest
from authlib.integrations.requests_client import OAuth1Auth
from hypothesis import given, settings
from hypothesis import strategies as st

from integration_core import IntegrationStatus
from integration_core.oauth1 import HMAC_SHA1, HMAC_SHA256
from integration_core.testing.oauth1 import ApiCredentials, signed_requests
from tests.oauth1.support import (
    STORE,
    activated,
    api_auth,
    exchange_with_requests_oauthlib,
    form,
    guarded,
    send,
    shop,
    signed,
)


@pytest.mark.parametrize("method", [HMAC_SHA256, HMAC_SHA1])
def test_requests_oauthlib_completes_the_exchange_and_calls_the_api(method: str) -> None:
    host = shop()
    credentials = exchange_with_requests_oauthlib(host, method)
    assert (len(credentials.token), len(credentials.token_secret)) == (32, 32)
    (integration,) = host.service.repository.list()
    assert integration.status is IntegrationStatus.ACTIVE
    call = signed(
        "GET", f"{STORE}/rest/V1/orders?searchCriteria[pageSize]=10", api_auth(credentials, method)
    )
    allowed = send(guarded(host, "orders"), call)
    assert (allowed.status, allowed.integration_id) == (200, integration.id)
    again = signed("GET", f"{STORE}/rest/V1/orders/1/cancel", api_auth(credentials, method))
    denied = send(guarded(host, "cancel"), again)
    assert (denied.status, denied.problem) == (
        401,
        "The consumer isn't authorized to access cancel.",
    )


@pytest.mark.parametrize(
    ("kwargs", "content_type"),
    [
        ({"data": {"status": "complete", "note": "é & ü"}}, "application/x-www-form-urlencoded"),
        ({"data": json.dumps({"entity": {"status": "complete"}})}, "application/json"),
        (
            {
                "params": {
                    f"searchCriteria[filter_groups][{i}][filters][0][field]": "sku"
                    for i in range(12)
                }
            },
            None,
        ),
    ],
    ids=["form", "json", "twelve-indexed-query-parameters"],
)
def test_signed_calls_with_form_json_and_query_parameters_are_accepted(
    kwargs: dict[str, object], content_type: str | None
) -> None:
    host = shop()
    credentials = exchange_with_requests_oauthlib(host)
    headers = {} if content_type is None else {"Content-Type": content_type}
    call = signed(
        "POST", f"{STORE}/rest/V1/orders", api_auth(credentials), headers=headers, **kwargs
    )
    response = send(guarded(host, "sales"), call)
    assert response.ok, response.problem


def test_authlib_completes_the_exchange_and_calls_the_api() -> None:
    host = shop()
    exchange = activated(host)
    key, secret = exchange.consumer_key, exchange.consumer_secret.reveal()
    step_1 = signed("POST", f"{STORE}/oauth/token/request", OAuth1Auth(key, secret))
    request_token = form(send(host.provider.request_token, step_1))
    step_2 = signed(
        "POST",
        f"{STORE}/oauth/token/access",
        OAuth1Auth(
            key,
            secret,
            token=request_token["oauth_token"],
            token_secret=request_token["oauth_token_secret"],
            verifier=exchange.verifier.reveal(),
        ),
    )
    access = form(send(host.provider.access_token, step_2))
    auth = OAuth1Auth(
        key, secret, token=access["oauth_token"], token_secret=access["oauth_token_secret"]
    )
    call = signed("PUT", f"{STORE}/rest/V1/orders/7?fields=items", auth, data={"status": "ok"})
    response = send(guarded(host, "sales"), call)
    assert response.ok, response.problem
    (integration,) = host.service.repository.list()
    assert integration.status is IntegrationStatus.ACTIVE


def test_a_signed_request_is_accepted_exactly_once() -> None:
    host = shop()
    credentials = exchange_with_requests_oauthlib(host)
    call = signed("GET", f"{STORE}/rest/V1/orders", api_auth(credentials))
    check = guarded(host, "sales")
    assert send(check, call).ok
    replayed = send(check, call)
    assert replayed.status == 401
    assert replayed.problem is not None
    assert replayed.problem.startswith("The nonce is already being used by the consumer with ID ")


@pytest.mark.law
@settings(max_examples=30)
@given(st.data())
def test_a_correctly_signed_request_is_accepted_exactly_once(data: st.DataObject) -> None:
    """
    Rule: a correctly signed API call, of any method, path, query and body, is accepted once
    and refused when replayed.
    """
    host = shop()
    issued = exchange_with_requests_oauthlib(host)
    credentials = ApiCredentials(
        issued.consumer_key,
        issued.consumer_secret,
        issued.token,
        issued.token_secret,
        timestamp=int(host.clock.now().timestamp()),
    )
    request = data.draw(signed_requests(credentials, STORE))
    check = guarded(host, "sales")
    first = check(request.method, request.uri, request.headers, request.body)
    assert first.ok, first.problem
    again = check(request.method, request.uri, request.headers, request.body)
    assert (again.status, again.ok) == (401, False)


def test_a_call_signed_in_magentos_natural_parameter_order_is_accepted() -> None:
    host = shop()
    credentials = exchange_with_requests_oauthlib(host)
    names = [f"searchCriteria[filter_groups][{i}][filters][0][field]" for i in (2, 10)]
    query = "&".join(f"{quote(name, safe='')}=sku" for name in names)
    url = f"{STORE}/rest/V1/products?{query}"
    oauth = {
        "oauth_consumer_key": credentials.consumer_key,
        "oauth_nonce": "magento-style",
        "oauth_signature_method": HMAC_SHA256,
        "oauth_timestamp": str(int(host.clock.now().timestamp())),
        "oauth_token": credentials.token,
        "oauth_version": "1.0",
    }
    # As Magento's signer orders them: [2] before [10] (byte order puts [10] first).
    encoded = [(name, quote(value, safe="~")) for name, value in sorted(oauth.items())] + [
        (quote(name, safe="~"), "sku") for name in names
    ]
    natural = "&".join(f"{name}={value}" for name, value in encoded)
    base = "&".join(["GET", quote(f"{STORE}/rest/V1/products", safe="~"), quote(natural, safe="~")])
    key = f"{credentials.consumer_secret}&{credentials.token_secret}".encode()
    digest = base64.b64encode(hmac.new(key, base.encode(), hashlib.sha256).digest()).decode()
    header = "OAuth " + ", ".join(
        f'{name}="{quote(value, safe="~")}"'
        for name, value in {**oauth, "oauth_signature": digest}.items()
    )
    response = host.provider.protected_resource(
        "GET", url, {"Authorization": header}, "", ["sales"]
    )
    assert response.ok, response.problem
    forged = header.replace(digest[:8], "AAAAAAAA")
    refused = host.provider.protected_resource("GET", url, {"Authorization": forged}, "", ["sales"])
    assert refused.status == 401

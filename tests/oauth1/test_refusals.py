"""Every refusal, with Magento's status and message; a signed byte changed is always refused."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from requests_oauthlib import OAuth1

from integration_core.adapters import InMemoryNonceStore
from integration_core.adapters.sealing import AesGcmSealer
from integration_core.errors import StorageUnavailableError
from integration_core.integrations import IntegrationForm
from integration_core.oauth1 import HMAC_SHA1, OAuth1Settings, OAuthResponse
from tests.oauth1.support import (
    FORM,
    STORE,
    Shop,
    activated,
    api_auth,
    exchange_with_requests_oauthlib,
    form,
    guarded,
    send,
    shop,
    signed,
)

REQUEST = f"{STORE}/oauth/token/request"


def activated_form() -> IntegrationForm:
    return FORM


ACCESS = f"{STORE}/oauth/token/access"


def request_token_call(host: Shop, **oauth: str) -> OAuthResponse:
    exchange = activated(host)
    key, secret = exchange.consumer_key, exchange.consumer_secret.reveal()
    auth = OAuth1(
        oauth.pop("key", key),
        oauth.pop("secret", secret),
        signature_method=oauth.pop("method", "HMAC-SHA256"),
        **oauth,
    )
    return send(host.provider.request_token, signed("POST", REQUEST, auth))


def header(**params: str) -> dict[str, str]:
    return {
        "Authorization": "OAuth " + ", ".join(f'{name}="{value}"' for name, value in params.items())
    }


def raw(host: Shop, **params: str) -> OAuthResponse:
    return host.provider.request_token("POST", REQUEST, header(**params), "")


FULL = {
    "oauth_consumer_key": "k" * 32,
    "oauth_signature": "x",
    "oauth_signature_method": "HMAC-SHA256",
    "oauth_nonce": "n",
    "oauth_timestamp": "1",
}


@pytest.mark.parametrize(
    ("params", "status", "problem"),
    [
        ({}, 400, "Missing mandatory OAuth parameters."),
        (
            {"oauth_consumer_key": "k" * 32},
            400,
            (
                '"oauth_nonce" is required. Enter and try again. "oauth_signature" is required. '
                'Enter and try again. "oauth_signature_method" is required. Enter and try again. '
                '"oauth_timestamp" is required. Enter and try again.'
            ),
        ),
        ({**FULL, "oauth_version": "2.0"}, 400, 'The "2.0" Oauth version isn\'t supported.'),
        (
            {**FULL, "oauth_signature_method": "PLAINTEXT"},
            400,
            "Signature method PLAINTEXT is not supported",
        ),
        (
            {**FULL, "oauth_signature_method": "RSA-SHA1"},
            400,
            "Signature method RSA-SHA1 is not supported",
        ),
        ({**FULL, "oauth_consumer_key": "k" * 31}, 401, "Consumer key is not the correct length"),
        (
            {**FULL, "oauth_timestamp": "0"},
            400,
            "Incorrect timestamp value in the oauth_timestamp parameter",
        ),
        (
            {**FULL, "oauth_timestamp": "soon"},
            400,
            "Incorrect timestamp value in the oauth_timestamp parameter",
        ),
        (
            {**FULL, "oauth_timestamp": "1"},
            400,
            "Incorrect timestamp value in the oauth_timestamp parameter",
        ),
    ],
)
def test_malformed_requests_are_refused_naming_what_is_wrong(
    params: dict[str, str], status: int, problem: str
) -> None:
    response = raw(shop(), **params)
    assert (response.status, response.problem) == (status, problem)
    assert response.body == requests.models.RequestEncodingMixin._encode_params(
        {"oauth_problem": problem}
    )
    assert ("Content-Type", "application/x-www-form-urlencoded") in response.headers


def test_sha1_is_refused_where_the_host_accepts_only_sha256() -> None:
    response = request_token_call(shop(OAuth1Settings()), method=HMAC_SHA1)
    assert (response.status, response.problem) == (
        400,
        "Signature method HMAC-SHA1 is not supported",
    )


@pytest.mark.parametrize(
    ("seconds", "ok"), [(599, True), (601, False), (-299, True), (-301, False)]
)
def test_timestamps_are_accepted_600_s_ahead_and_300_s_behind(seconds: int, ok: bool) -> None:
    host = shop()
    host.clock.advance(timedelta(seconds=-seconds))  # the client's clock is `seconds` ahead
    response = request_token_call(host)
    assert response.ok is ok
    if not ok:
        assert response.problem == "Incorrect timestamp value in the oauth_timestamp parameter"


def test_refused_credentials_answer_401_with_magentos_message() -> None:
    unknown = request_token_call(shop(), key="u" * 32)
    assert (unknown.status, unknown.problem) == (
        401,
        "A consumer having the specified key does not exist",
    )
    wrong = request_token_call(shop(), secret="w" * 32)
    assert (wrong.status, wrong.problem) == (401, "The signature is invalid. Verify and try again.")
    assert ("WWW-Authenticate", 'OAuth realm=""') in wrong.headers
    for elapsed, problem in (
        (timedelta(seconds=299, microseconds=999999), None),
        (timedelta(seconds=300), "Consumer key has expired"),
    ):
        host = shop()
        exchange = activated(host)
        host.clock.advance(elapsed)
        stamp = str(int(host.clock.now().timestamp()))
        auth = OAuth1(
            exchange.consumer_key,
            exchange.consumer_secret.reveal(),
            signature_method="HMAC-SHA256",
            timestamp=stamp,
        )
        response = send(host.provider.request_token, signed("POST", REQUEST, auth))
        assert response.problem == problem
        assert response.status == (200 if problem is None else 401)


def access_call(
    host: Shop, *, verifier: str | None = None, token: str | None = None
) -> OAuthResponse:
    exchange = activated(host)
    key, secret = exchange.consumer_key, exchange.consumer_secret.reveal()
    step_1 = signed("POST", REQUEST, OAuth1(key, secret, signature_method="HMAC-SHA256"))
    request_token = form(send(host.provider.request_token, step_1))
    auth = OAuth1(
        key,
        secret,
        resource_owner_key=token or request_token["oauth_token"],
        resource_owner_secret=request_token["oauth_token_secret"],
        verifier=verifier or exchange.verifier.reveal(),
        signature_method="HMAC-SHA256",
    )
    return send(host.provider.access_token, signed("POST", ACCESS, auth))


def test_the_access_token_step_refuses_a_wrong_verifier_or_token() -> None:
    wrong = access_call(shop(), verifier="0" * 32)
    assert (wrong.status, wrong.problem) == (401, "Verifier is invalid")
    short = access_call(shop(), verifier="0" * 31)
    assert (short.status, short.problem) == (401, "Verifier is not the correct length")
    other = access_call(shop(), token="r" * 32)
    assert (other.status, other.problem) == (401, "Specified request token does not exist")
    bad_length = access_call(shop(), token="r" * 31)
    assert (bad_length.status, bad_length.problem) == (
        400,
        "The token length is invalid. Check the length and try again.",
    )


def test_a_request_token_presented_by_another_consumer_is_refused() -> None:
    host = shop()
    first = activated(host)
    step_1 = signed(
        "POST",
        REQUEST,
        OAuth1(first.consumer_key, first.consumer_secret.reveal(), signature_method="HMAC-SHA256"),
    )
    theirs = form(send(host.provider.request_token, step_1))
    second = host.service.save_and_activate(attrs.evolve(activated_form(), name="Other")).exchange
    assert second is not None
    auth = OAuth1(
        second.consumer_key,
        second.consumer_secret.reveal(),
        resource_owner_key=theirs["oauth_token"],
        resource_owner_secret=theirs["oauth_token_secret"],
        verifier=second.verifier.reveal(),
        signature_method="HMAC-SHA256",
    )
    response = send(host.provider.access_token, signed("POST", ACCESS, auth))
    assert (response.status, response.problem) == (401, "Specified request token does not exist")


def test_api_calls_are_refused_for_unknown_tokens_other_consumers_and_bearer_use() -> None:
    host = shop()
    credentials = exchange_with_requests_oauthlib(host)
    check = guarded(host, "sales")
    unknown = attrs.evolve(credentials, token="u" * 32)
    refused = send(check, signed("GET", f"{STORE}/rest/V1/orders", api_auth(unknown)))
    assert (refused.status, refused.problem) == (401, "Specified token does not exist")
    other = host.service.save_and_activate(
        attrs.evolve(
            activated_form(),
            name="Other",
            callback_url="",
            identity_link_url="",
        )
    ).credentials
    assert other is not None
    mixed = attrs.evolve(
        credentials, consumer_key=other.consumer_key, consumer_secret=other.consumer_secret.reveal()
    )
    crossed = send(check, signed("GET", f"{STORE}/rest/V1/orders", api_auth(mixed)))
    assert (crossed.status, crossed.problem) == (
        401,
        "Token is not associated with the specified consumer",
    )
    bearer = {"Authorization": f"Bearer {credentials.token}"}
    off = host.provider.protected_resource("GET", f"{STORE}/rest/V1/orders", bearer, "", ["sales"])
    assert (off.status, off.problem) == (401, "The consumer isn't authorized to access sales.")
    allowing = attrs.evolve(host.provider.settings, allow_bearer=True)
    host.provider.settings = allowing
    on = host.provider.protected_resource("GET", f"{STORE}/rest/V1/orders", bearer, "", ["sales"])
    assert on.ok
    reauthorized = host.service.reauthorize(on.integration_id or "")
    assert reauthorized.exchange is not None
    stale = host.provider.protected_resource(
        "GET", f"{STORE}/rest/V1/orders", bearer, "", ["sales"]
    )
    assert stale.status == 401


def test_a_nonce_store_that_fails_refuses_the_request() -> None:
    class Failing(InMemoryNonceStore):
        def use(
            self, consumer_key: str, nonce: str, timestamp: int, *, token: str | None = None
        ) -> bool:
            raise StorageUnavailableError("down")

    host = shop(nonces=Failing())
    response = request_token_call(host)
    assert (response.status, response.problem) == (401, "An error occurred validating the nonce")


def test_oauth_parameters_in_two_places_are_refused() -> None:
    host = shop()
    response = host.provider.request_token("POST", f"{REQUEST}?oauth_nonce=x", header(**FULL), "")
    assert response.status == 400


@pytest.mark.law
@given(st.data())
def test_changing_any_signed_byte_is_refused_and_no_refusal_shows_a_secret(
    data: st.DataObject,
) -> None:
    """
    Rule: a correctly signed request is accepted; the same request with any one character of
    its method, URL, form body or oauth parameters changed is refused, and no refusal shows a
    secret.
    """
    host = shop()
    credentials = exchange_with_requests_oauthlib(host)
    call = signed("POST", f"{STORE}/rest/V1/orders?x=1", api_auth(credentials), data={"a": "b"})
    assert call.url is not None
    body = str(call.body)
    authorization = call.headers["Authorization"]
    text = authorization.decode() if isinstance(authorization, bytes) else authorization
    part = data.draw(st.sampled_from(["url", "body", "header"]))
    original = {"url": call.url, "body": body, "header": text}[part]
    start = {"url": len("https://"), "body": 0, "header": len("OAuth ")}[part]
    position = start + data.draw(st.integers(min_value=0, max_value=10_000)) % (
        len(original) - start
    )
    replacement = data.draw(st.sampled_from("0aZ%"))
    changed = original[:position] + replacement + original[position + 1 :]
    if changed == original:
        return
    url = changed if part == "url" else call.url
    headers = {**dict(call.headers), "Authorization": changed if part == "header" else text}
    response = host.provider.protected_resource(
        "POST", url, headers, changed if part == "body" else body, ["sales"]
    )
    if response.ok:
        # Only a change oauthlib normalizes away (case of a percent-escape, a default port) may pass.
        assert part == "url"
    else:
        shown = response.body + repr(response) + str(response.problem)
        for secret in (credentials.consumer_secret, credentials.token_secret):
            assert secret not in shown


def test_a_lost_key_answers_500_and_changes_nothing() -> None:
    host = shop()
    exchange = activated(host)
    forgetful = attrs.evolve(
        host.service.issuer, sealer=AesGcmSealer({"other": bytes(32)}, current="other")
    )
    host.service.issuer = forgetful
    auth = OAuth1(
        exchange.consumer_key, exchange.consumer_secret.reveal(), signature_method="HMAC-SHA256"
    )
    response = send(host.provider.request_token, signed("POST", REQUEST, auth))
    assert (response.status, response.problem) == (500, "internal_error")
    (integration,) = host.service.repository.list()
    assert integration.exchange is not None
    assert integration.exchange.request_token is None
    assert repr(host.provider) == f"<OAuth1Provider over {host.service!r}>"


def test_a_bearer_header_in_bytes_is_read_as_text() -> None:
    host = shop(attrs.evolve(OAuth1Settings(), allow_bearer=True))
    credentials = host.service.save_and_activate(
        attrs.evolve(activated_form(), callback_url="", identity_link_url="")
    ).credentials
    assert credentials is not None
    bearer = {"Authorization": f"Bearer {credentials.access_token.reveal()}".encode()}
    response = host.provider.protected_resource(
        "GET",
        f"{STORE}/rest/V1/orders",
        bearer,
        "",
        ["sales"],
    )
    assert response.ok


@pytest.mark.parametrize(
    ("headers", "uri"),
    [
        ({"Authorization": "OAuth oauth_consumer_key"}, REQUEST),
        ({}, f"{REQUEST}?oauth_nonce=%zz"),
        ({}, REQUEST),
    ],
    ids=["malformed-header", "bad-escape", "no-oauth-at-all"],
)
def test_an_unreadable_request_is_a_400_naming_why(
    headers: dict[str, str | bytes], uri: str
) -> None:
    host = shop()
    for response in (
        host.provider.request_token("POST", uri, headers, ""),
        host.provider.protected_resource("GET", uri, headers, "", ["sales"]),
    ):
        assert response.status == 400
        assert response.problem


def test_oauth_callback_is_optional_and_oob_is_accepted_on_the_request_token_step() -> None:
    without = request_token_call(shop())
    with_oob = request_token_call(shop(), callback_uri="oob")
    assert (without.ok, with_oob.ok) == (True, True)
    assert set(form(with_oob)) == {"oauth_token", "oauth_token_secret"}

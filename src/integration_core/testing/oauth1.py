"""
Hypothesis strategies for signed OAuth 1.0a requests, for hosts testing their endpoint wiring.

Needs the ``oauth1`` and ``testing`` extras. :func:`signed_requests` draws API calls —
method, path, query, form or JSON body, signature method — signed with oauthlib's own
client for given credentials, as a third party would send them: hand each to your
endpoint (or to :meth:`~integration_core.oauth1.OAuth1Provider.protected_resource`) and
assert what it answers. Each request carries a fresh random nonce; Hypothesis may replay
an example while shrinking, so give each example a new nonce store, or expect the replay
to be refused.

Example:
    >>> from hypothesis import find
    >>> credentials = ApiCredentials("k" * 32, "s" * 32, "t" * 32, "u" * 32, timestamp=1_700_000_000)
    >>> request = find(signed_requests(credentials, "https://shop.example"), lambda r: r.method == "GET")
    >>> request.headers["Authorization"].startswith('OAuth oauth_nonce="')
    True
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import urlencode

import attrs
from hypothesis import strategies as st
from oauthlib.oauth1 import Client

from integration_core.oauth1 import HMAC_SHA1, HMAC_SHA256

__all__ = ["ApiCredentials", "SignedRequest", "signed_requests"]

_FORM = "application/x-www-form-urlencoded"
_SEGMENTS = st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True)
_VALUES = st.text(min_size=0, max_size=12)


@attrs.frozen
class ApiCredentials:
    """
    The four credentials of an active integration, and the time requests are signed at.

    Example:
        >>> ApiCredentials("k" * 32, "s" * 32, "t" * 32, "u" * 32, timestamp=1).timestamp
        1
    """

    consumer_key: str
    consumer_secret: str = attrs.field(repr=False)
    access_token: str
    access_token_secret: str = attrs.field(repr=False)
    timestamp: int


@attrs.frozen
class SignedRequest:
    """
    One signed request as a server receives it: method, URI, headers and body.

    Example:
        >>> SignedRequest("GET", "https://shop.example/rest/V1/orders", {}, "").method
        'GET'
    """

    method: str
    uri: str
    headers: dict[str, str]
    body: str


@st.composite
def signed_requests(
    draw: st.DrawFn,
    credentials: ApiCredentials,
    base_url: str,
    *,
    signature_methods: tuple[str, ...] = (HMAC_SHA256, HMAC_SHA1),
) -> SignedRequest:
    """
    API calls under ``base_url`` signed with ``credentials`` by oauthlib's client.

    Args:
        draw: Supplied by Hypothesis.
        credentials: The integration's four credentials and the signing time.
        base_url: Scheme and host (and port), such as ``"https://shop.example"``.
        signature_methods: The methods to draw from.

    Example:
        >>> from hypothesis import find
        >>> credentials = ApiCredentials("k" * 32, "s" * 32, "t" * 32, "u" * 32, timestamp=1_700_000_000)
        >>> find(signed_requests(credentials, "https://shop.example"), lambda r: bool(r.body)).method
        'POST'
        >>> kinds = {"application/json", "application/x-www-form-urlencoded"}
        >>> sorted(
        ...     find(signed_requests(credentials, "https://shop.example"), lambda r, k=k: r.headers.get("Content-Type") == k)
        ...     .headers["Content-Type"]
        ...     for k in kinds
        ... )
        ['application/json', 'application/x-www-form-urlencoded']
    """
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE"]))
    path = "/rest/V1/" + "/".join(draw(st.lists(_SEGMENTS, min_size=1, max_size=4)))
    query = draw(st.lists(st.tuples(_SEGMENTS, _VALUES), max_size=4))
    uri = f"{base_url}{path}" + (f"?{urlencode(query)}" if query else "")
    headers: dict[str, str] = {}
    body = ""
    kind = draw(st.sampled_from(["none", "form", "json"])) if method != "GET" else "none"
    if kind == "form":
        headers["Content-Type"] = _FORM
        body = urlencode(draw(st.lists(st.tuples(_SEGMENTS, _VALUES), min_size=1, max_size=4)))
    elif kind == "json":
        headers["Content-Type"] = "application/json"
        body = json.dumps(draw(st.dictionaries(_SEGMENTS, _VALUES, max_size=4)))
    client = Client(
        credentials.consumer_key,
        credentials.consumer_secret,
        resource_owner_key=credentials.access_token,
        resource_owner_secret=credentials.access_token_secret,
        signature_method=draw(st.sampled_from(signature_methods)),
        nonce=uuid.uuid4().hex,
        timestamp=str(credentials.timestamp),
    )
    signed_uri, signed_headers, signed_body = client.sign(
        uri, http_method=method, body=body or None, headers=headers
    )
    return SignedRequest(method, signed_uri, dict(signed_headers), signed_body or "")

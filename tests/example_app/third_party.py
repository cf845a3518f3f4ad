"""
A test third party for the example admin: it receives the callback POST and completes the exchange.

It answers the shop's POST only after trading the posted verifier for an access token, signed
with requests-oauthlib against the shop's OAuth endpoints: the shop's threaded server must then
serve those calls while the admin request that posted waits for the answer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import requests
from requests_oauthlib import OAuth1
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

SIGNATURE = "HMAC-SHA256"


@dataclass
class Linked:
    """What the third party holds once an exchange is done."""

    consumer_key: str
    consumer_secret: str
    access_token: str
    access_token_secret: str

    def auth(self) -> Any:
        """The requests auth that signs an API call with all four credentials."""
        return OAuth1(
            self.consumer_key,
            self.consumer_secret,
            resource_owner_key=self.access_token,
            resource_owner_secret=self.access_token_secret,
            signature_method=SIGNATURE,
        )


@dataclass
class ThirdParty:
    """The callback receiver, a callback that hangs, its identity page, and the exchanges done."""

    url: str = ""
    posts: list[dict[str, str]] = field(default_factory=list)
    linked: list[Linked] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # ``/slow`` answers only once this is set (or after 10 s): a third party that hangs.
    release: threading.Event = field(default_factory=threading.Event)

    def exchange(self, posted: dict[str, str]) -> Linked:
        """The signed two steps: a request token, then the access token for the verifier."""
        shop = posted["store_base_url"].rstrip("/")
        key, secret = posted["oauth_consumer_key"], posted["oauth_consumer_secret"]
        step = requests.post(
            f"{shop}/oauth/token/request",
            auth=OAuth1(key, secret, signature_method=SIGNATURE),
            timeout=10,
        )
        step.raise_for_status()
        request_token = dict(parse_qsl(step.text))
        step = requests.post(
            f"{shop}/oauth/token/access",
            auth=OAuth1(
                key,
                secret,
                resource_owner_key=request_token["oauth_token"],
                resource_owner_secret=request_token["oauth_token_secret"],
                verifier=posted["oauth_verifier"],
                signature_method=SIGNATURE,
            ),
            timeout=10,
        )
        step.raise_for_status()
        access = dict(parse_qsl(step.text))
        return Linked(key, secret, access["oauth_token"], access["oauth_token_secret"])

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/callback" and request.method == "POST":
            posted = dict(request.form.items())
            self.posts.append(posted)
            try:
                self.linked.append(self.exchange(posted))
            except requests.RequestException as error:
                self.failures.append(repr(error))
                return Response("exchange failed", status=502)(environ, start_response)
            return Response("ok")(environ, start_response)
        if request.path == "/slow":
            self.release.wait(10)
            return Response("late")(environ, start_response)
        if request.path == "/login":
            back = request.args.get("success_call_back", "")
            page = (
                f'<p>Linked {request.args.get("oauth_consumer_key")}</p><a href="{back}">Back</a>'
            )
            return Response(page, mimetype="text/html")(environ, start_response)
        return Response("not found", status=404)(environ, start_response)


@contextmanager
def serving_third_party() -> Iterator[ThirdParty]:
    """The third party, listening on a free port of 127.0.0.1 for as long as the block runs."""
    party = ThirdParty()
    server = make_server("127.0.0.1", 0, party, threaded=True)
    party.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield party
    finally:
        server.shutdown()
        thread.join()

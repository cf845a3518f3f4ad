"""The third party's side of the shop: the OAuth 1.0a endpoints and the signed REST routes."""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from admin_app._context import shop
from integration_core.errors import StorageUnavailableError
from integration_core.oauth1 import OAuthResponse

api = Blueprint("api", __name__)

# The sample data the one served route answers with; a real shop reads its orders.
SAMPLE_ORDERS = [
    {"entity_id": 1, "increment_id": "000000001", "status": "pending", "grand_total": 36.39},
    {"entity_id": 2, "increment_id": "000000002", "status": "processing", "grand_total": 129.0},
]
SERVED = {
    ("GET", "/V1/orders"): lambda: {"items": SAMPLE_ORDERS, "total_count": len(SAMPLE_ORDERS)}
}
STORE_CODES = ("default", "all")


def _received() -> tuple[str, str, dict[str, str], str]:
    """The request as the client signed it: method, URI, headers and body."""
    # The dev server hands the raw request target: the path exactly as the client sent it.
    target = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    uri = f"{request.scheme}://{request.host}{target}" if target else request.url
    # Form bodies are percent-encoded ASCII: Latin-1 never fails and changes no signed byte.
    return request.method, uri, dict(request.headers), request.get_data().decode("latin-1")


def _reply(answer: OAuthResponse) -> Response:
    return Response(answer.body, status=answer.status, headers=list(answer.headers))


def _json(data: object, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


@api.errorhandler(StorageUnavailableError)
def _storage_down(_: StorageUnavailableError) -> Response:
    return _json({"message": "The service is unavailable."}, 503)


@api.post("/oauth/token/request")
def token_request() -> Response:
    """Step one of the exchange: a request token for the consumer key and secret."""
    return _reply(shop().provider.request_token(*_received()))


@api.post("/oauth/token/access")
def token_access() -> Response:
    """Step two: the request token and the verifier traded for an access token."""
    return _reply(shop().provider.access_token(*_received()))


@api.route("/rest/<path:path>", methods=["GET", "POST", "PUT", "DELETE"])
def rest(path: str) -> Response:
    """A REST call: matched on the shipped routes, signed and checked against the route's ACL refs."""
    segments = path.split("/")
    if segments[0] in STORE_CODES:
        segments = segments[1:]
    route_path = "/" + "/".join(segments)
    match = shop().routes.match(request.method, route_path)
    serve = None if match is None else SERVED.get((match.route.method, match.route.url))
    if match is None or serve is None:
        return _json({"message": "Request does not match any route."}, 404)
    answer = shop().provider.protected_resource(*_received(), match.route.acl_resources)
    if not answer.ok:
        return _reply(answer)
    return _json(serve())

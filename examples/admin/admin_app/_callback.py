"""Posting the OAuth exchange's fields to the third party's callback URL, as Magento does."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlencode

from integration_core.integrations import ExchangeInstructions


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Magento's ``post_maxredirects`` is 0: a redirect is an answer, never followed."""

    def redirect_request(self, *_: object, **__: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post_to_consumer(exchange: ExchangeInstructions, timeout: float) -> str | None:
    """
    POST the consumer key, secret, verifier and store URL to the callback URL.

    Returns ``None`` when the third party answered with a 2xx status, else what went wrong.
    This runs on the admin request's thread; the server is threaded, so a third party that
    calls the token endpoints while it handles this post is served by other threads, and
    the timeout bounds the wait.
    """
    body = urlencode(exchange.post_fields()).encode()
    request = urllib.request.Request(  # noqa: S310  # the scheme was checked when the URL was saved
        exchange.callback_url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            status = int(answer.status)
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError) as error:
        return f"the callback URL could not be reached ({type(error).__name__})"
    if 200 <= status < 300:  # noqa: PLR2004
        return None
    return f"the callback URL answered {status}"

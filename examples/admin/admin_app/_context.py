"""What a view reaches for: the shop of the current application, and the session's CSRF token."""

from __future__ import annotations

import secrets
from typing import cast

from flask import abort, current_app, request, session

from admin_app._shop import Shop


def shop() -> Shop:
    """The shop of the application serving the current request."""
    return cast("Shop", current_app.extensions["shop"])


def csrf_token() -> str:
    """The session's token, which every admin form posts back."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return cast("str", session["csrf"])


def check_csrf() -> None:
    """Refuse an admin POST that does not carry the session's token."""
    if request.method != "POST" or request.blueprint != "admin":
        return
    expected = str(session.get("csrf", ""))
    posted = request.form.get("csrf_token", "")
    # A session without a token (a forged post carries no cookie) matches nothing, not "".
    if not expected or not secrets.compare_digest(posted, expected):
        abort(400, "The form has expired: reload the page and try again.")

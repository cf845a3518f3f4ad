"""The Flask application: the admin screens, the OAuth endpoints and the REST route over one shop."""

from __future__ import annotations

from flask import Flask, Response, abort, send_from_directory
from flask.typing import ResponseReturnValue

from admin_app._admin import admin
from admin_app._api import api
from admin_app._context import check_csrf, csrf_token
from admin_app._shop import HERE, Settings, open_shop
from integration_core.acl import widget

# Only the built files of the two npm packages are served, nothing else of node_modules.
VENDOR = {"jquery": "jquery/dist", "jstree": "jstree/dist"}


def _vendor(package: str, filename: str) -> ResponseReturnValue:
    if package not in VENDOR:
        abort(404)
    return send_from_directory(HERE / "node_modules" / VENDOR[package], filename)


def _tree_glue() -> Response:
    """integration-core's jstree glue, served from the package as it ships it."""
    return Response(widget.script(), mimetype="text/javascript")


def create_app(settings: Settings) -> Flask:
    """The application over the shop that ``settings`` describe."""
    app = Flask(__name__)
    opened = open_shop(settings)
    app.extensions["shop"] = opened
    app.secret_key = opened.session_secret
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.before_request(check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.add_url_rule("/vendor/<package>/<path:filename>", "vendor", _vendor)
    app.add_url_rule(f"/static/core/{widget.SCRIPT_NAME}", "tree_glue", _tree_glue)
    app.register_blueprint(admin)
    app.register_blueprint(api)
    return app

"""The example admin served on 127.0.0.1 for the browser, and a test third party."""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.conftest import CHROMIUM, browser, page, screenshot
from tests.example_app.third_party import ThirdParty, serving_third_party

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples" / "admin"))

from admin_app import Settings, create_app  # noqa: E402  # the example is not an installed package
from admin_app._shop import Shop  # noqa: E402

NODE_MODULES = ROOT / "examples" / "admin" / "node_modules"
# The browser and a page come from the browser tests' fixtures: Debian's Chromium, local hosts only.
__all__ = ["browser", "page", "screenshot"]


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not (NODE_MODULES / "jstree").is_dir() or not (NODE_MODULES / "jquery").is_dir():
        return f"no jQuery and jstree in {NODE_MODULES} (npm ci --prefix examples/admin)"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Outside CI, skip the browser tests saying what is missing; in CI they fail instead."""
    reason = _missing()
    if reason is None or os.environ.get("CI"):
        return
    for item in items:
        if item.path.name == "test_admin_in_browser.py":
            item.add_marker(pytest.mark.skip(reason=reason))


@dataclass
class Admin:
    """The running example admin: its URL and the shop behind it."""

    url: str
    shop: Shop


@contextmanager
def serving(settings: Settings) -> Iterator[Admin]:
    """The app over ``settings``, served by Werkzeug's threaded server as ``run`` serves it."""
    app = create_app(settings)
    server = make_server(settings.host, settings.port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Admin(settings.base_url.rstrip("/"), app.extensions["shop"])
    finally:
        server.shutdown()
        thread.join()
        app.extensions["shop"].engine.dispose()


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Admin]:
    """The example admin on a fresh SQLite file, its default."""
    # A callback POST waits 2 s at most here (5 s by default), so the hanging callback's test is short.
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("admin"), port=free_port(), callback_timeout=2.0
    )
    with serving(settings) as running:
        yield running


@pytest.fixture(scope="session")
def third_party() -> Iterator[ThirdParty]:
    """The test third party that receives callbacks and completes exchanges."""
    with serving_third_party() as party:
        yield party

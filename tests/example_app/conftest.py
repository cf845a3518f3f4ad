"""The example admin served on 127.0.0.1 for the browser, a test third party, and screenshots."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from tests.example_app.third_party import ThirdParty, serving_third_party

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples" / "admin"))

from admin_app import Settings, create_app  # noqa: E402  # the example is not an installed package
from admin_app._shop import Shop  # noqa: E402

SCREENSHOTS = Path(os.environ.get("EXAMPLE_ADMIN_SCREENSHOTS", ROOT / "build" / "screenshots"))


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
    with serving(Settings(data_dir=tmp_path_factory.mktemp("admin"), port=free_port())) as running:
        yield running


@pytest.fixture(scope="session")
def third_party() -> Iterator[ThirdParty]:
    """The test third party that receives callbacks and completes exchanges."""
    with serving_third_party() as party:
        yield party


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the run keeps its screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    chromium = shutil.which("chromium")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs Debian's chromium (scripts/test): it is missing")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context and page for each test."""
    context = browser.new_context()
    yield context.new_page()
    context.close()

"""
Browser test fixtures: Debian's Chromium driven by Playwright, and static files on 127.0.0.1.

Any test module under ``tests/browser/`` can use them:

- ``browser``: one headless Chromium (``/usr/bin/chromium``, never a downloaded browser) for
  each test package, launched with the flags CI needs (no sandbox, no GPU, no network services).
- ``page``: a fresh page in a fresh context for each test. Requests to anything but
  127.0.0.1 / localhost are aborted, so a page can never load a script from a CDN; uncaught
  page errors fail the test.
- ``serve_directory``: ``serve_directory(path) -> base URL`` serves a directory with the
  standard library's HTTP server in a thread, on a free port, until the test ends.
- ``screenshot``: ``screenshot(page, name) -> Path`` keeps a PNG under ``build/screenshots/``
  (git-ignored) for the docs and for reading a CI run.
- ``node_modules``: ``tests/browser/node_modules``, where ``npm ci`` put jQuery and jstree.
- ``widget_assets``: ``widget_assets(directory)`` copies ``jquery.min.js``, ``jstree.min.js``,
  jstree's ``themes/`` and the package's glue (``integration-core-tree.js``) into a directory
  to serve.

Outside CI the tests are skipped, saying why, when Chromium or ``node_modules`` is missing;
``apt-get install chromium`` and ``npm ci --prefix tests/browser`` enable them.
``scripts/test`` installs both when ``CI`` is set, and there a missing one fails the tests.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from integration_core.acl.widget import SCRIPT_NAME, script

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
SCREENSHOTS = HERE.parents[1] / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if not (NODE_MODULES / "jstree").is_dir() or not (NODE_MODULES / "jquery").is_dir():
        return f"no jQuery and jstree in {NODE_MODULES} (npm ci --prefix tests/browser)"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = _missing()
    if reason is None or os.environ.get("CI"):
        return  # in CI a missing browser fails the tests (see ``browser``), never skips them
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.skip(reason=reason))


# One Chromium per test package, not per session: the example admin's tests
# (tests/example_app) import these fixtures, and one thread can drive one Playwright at a time.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    reason = _missing()
    if reason is not None:
        pytest.fail(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _local_only(route: Route) -> None:
    if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    context.route("**/*", _local_only)
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == []


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  # the stdlib's name
        """Tests read responses, not the server's access log."""


@pytest.fixture
def serve_directory() -> Iterator[Callable[[Path], str]]:
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def serve(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    def keep(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return keep


@pytest.fixture
def node_modules() -> Path:
    return NODE_MODULES


def _stage_widget_assets(directory: Path) -> None:
    """Copy jQuery, jstree (script and default theme) and the package's glue into a directory."""
    shutil.copy(NODE_MODULES / "jquery" / "dist" / "jquery.min.js", directory)
    shutil.copy(NODE_MODULES / "jstree" / "dist" / "jstree.min.js", directory)
    shutil.copytree(NODE_MODULES / "jstree" / "dist" / "themes", directory / "themes")
    (directory / SCRIPT_NAME).write_text(script(), encoding="utf-8")


@pytest.fixture
def widget_assets() -> Callable[[Path], None]:
    return _stage_widget_assets

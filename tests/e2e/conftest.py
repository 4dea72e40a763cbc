"""Browser tests: each service served on a free local port, driven by Debian's headless Chromium.

Screenshots go to ``test-artifacts/screenshots`` (kept by CI); a failing test also saves one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://localhost:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()


@pytest.fixture
def live(make_app) -> Iterator:
    """``live("penalty")`` → a running server for a fresh app on a clean database."""
    servers: list[LiveServer] = []

    def start(service: str, **config) -> LiveServer:
        server = LiveServer(make_app(service, **config)).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser):
    """A page in a fresh browser context (its own cookies), recording console errors in
    ``page.console_errors``."""
    page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    # A form answered with 400 (its errors shown on the page) is expected; any other error is not.
    page.on(
        "console",
        lambda m: m.type == "error" and "status of 400" not in m.text and page.console_errors.append(m.text),
    )
    return page


@pytest.fixture
def page(browser, request):
    page = new_page(browser)
    context = page.context
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        screenshot(page, f"FAILED-{request.node.name}")
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

"""The browser the hosted-page tests share: Debian's headless Chromium driven by
Playwright, one per test session (a second Playwright in one process would find the
first's event loop running), a fresh context per test; the app the browser is sent back
to (a tiny loopback HTTP server); screenshots of each page in test-artifacts/screenshots/
(git-ignored). conftest.py registers the fixtures once for every test module."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# what a closed network needs (machines/python-svc.md): no background connections
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: apt-get install -y chromium (.ci/run does)")
    with sync_playwright() as driver:
        # Playwright gives each launch a fresh, empty profile directory
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


class _AppPages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><title>app</title><p>app</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The app the browser is sent back to (loopback http is a valid callback)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AppPages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def new_tab(chromium: Any) -> Any:
    """A page in a fresh context: no cookies."""
    tab = chromium.new_context().new_page()
    tab.set_default_timeout(15000)
    return tab


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    tab = new_tab(chromium)
    yield tab
    tab.context.close()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Any:
    """`shot(page, name)`: a full-page screenshot, named after the test and the page."""
    test = re.sub(r"[^A-Za-z0-9_-]", "_", request.node.name)

    def take(tab: Any, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"{test}--{name}.png"), full_page=True)

    return take


def submit_sign_in(page: Any, username: str, password: str) -> None:
    page.fill("#signInFormUsername", username)
    page.fill("#signInFormPassword", password)
    page.click("input[name=signInSubmitButton]")

"""A real server in a subprocess and Debian's chromium driven by playwright.

Every page records failed requests and requests that leave 127.0.0.1; a test fails if
there are any (the app must work offline: DESIGN.md, "Offline front end").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import (  # noqa: F401
    ARGS,
    CHROMIUM,
    SCREENSHOTS,
    free_port,
    serve,
    start_server,
    stop_server,
    wait_ready,
)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    yield from serve()


@pytest.fixture(scope="session")
def browser(server: str, chromium):
    return chromium  # the session's one chromium (tests/conftest.py)


class NetworkWatch:
    """Collects failed requests and any request to a host other than 127.0.0.1."""

    def __init__(self) -> None:
        self.failed: list[str] = []
        self.external: list[str] = []

    def attach(self, page) -> None:
        # A request the page cancels by navigating away (Solara's "close this kernel" beacon)
        # is aborted, not failed.
        page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
                and self.failed.append(f"{r.url} ({r.failure})"))
        page.on("request", self._request)

    def _request(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:")):
            return
        if not url.startswith("http://127.0.0.1:") and not url.startswith("ws://127.0.0.1:"):
            self.external.append(url)

    def check(self) -> None:
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.external, f"requests leaving 127.0.0.1: {self.external}"


@pytest.fixture
def open_page(browser, server):
    """``open_page(path, width=1280, height=800)`` -> a fresh context's page, watched."""
    contexts = []
    watches = []

    def make(path: str = "", width: int = 1280, height: int = 800):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        watch = NetworkWatch()
        watch.attach(page)
        watches.append(watch)
        page.goto(server + path.lstrip("/"))
        return page

    yield make
    for context in contexts:
        context.close()
    for watch in watches:
        watch.check()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS

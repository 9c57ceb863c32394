"""A real server in a subprocess and Debian's chromium driven by playwright.

Every page records failed requests and requests that leave 127.0.0.1; a test fails if
there are any (the app must work offline: DESIGN.md, "Offline front end").
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# The same flags as the session browser in tests/conftest.py; benchmarks/browser.py reads them.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, command: list[str] | None = None,
                 env: dict[str, str] | None = None) -> subprocess.Popen:
    """``command`` (default ``negotiate app``) on 127.0.0.1:``port``, in its own process group."""
    full_env = dict(os.environ, SOLARA_TELEMETRY_MIXPANEL_ENABLE="False", **(env or {}))
    command = command or [sys.executable, "-m", "negotiate.cli", "app"]
    return subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"server exited early ({process.returncode}):\n{out}")
        try:
            with urllib.request.urlopen(url + "readyz", timeout=2) as response:
                if response.status == 200:
                    # The first page view imports the app; do it once here, not in a test.
                    urllib.request.urlopen(url, timeout=30).read()
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} not ready after {timeout:.0f} s")


def stop_server(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)  # the group we started: negotiate + solara
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def serve(command: list[str] | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``command`` on a free port, yield its address once ready, stop it after.

    The one server start-up every browser suite uses (tests/a11y loads this module too).
    """
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make chromium)")
    port = free_port()
    process = start_server(port, command, env)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_ready(url, process)
        yield url
    finally:
        stop_server(process)


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

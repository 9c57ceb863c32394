"""``negotiate app`` in a subprocess for the accessibility scans, and watched pages.

The same approach as tests/browser/conftest.py (real server on a free 127.0.0.1 port, the
session's one Debian chromium, every page watched for failed or outgoing requests); kept
separate so this folder can run on its own.
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

PROBE = Path(__file__).with_name("component_probe.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"server exited early ({process.returncode}):\n{out}")
        try:
            with urllib.request.urlopen(url + "readyz", timeout=2) as response:
                if response.status == 200:
                    urllib.request.urlopen(url, timeout=30).read()  # first view imports the app
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} not ready after {timeout:.0f} s")


def _serve(command: list[str]) -> Iterator[str]:
    port = _free_port()
    env = dict(os.environ, SOLARA_TELEMETRY_MIXPANEL_ENABLE="False")
    process = subprocess.Popen([*command, "--host", "127.0.0.1", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_ready(url, process)
        yield url
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)  # the group we started: server and children
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def app_server(chromium) -> Iterator[str]:
    """``negotiate app``, exactly as a teacher starts it."""
    yield from _serve([sys.executable, "-m", "negotiate.cli", "app"])


@pytest.fixture(scope="session")
def probe_server(chromium) -> Iterator[str]:
    """component_probe.py: single Solara/Vuetify controls, each in its own ``#probe-…`` block."""
    yield from _serve([sys.executable, "-m", "solara", "run", str(PROBE), "--production",
                       "--no-open", "--no-check-version"])


@pytest.fixture
def open_url(chromium):
    """``open_url(url)`` -> a fresh page; fails the test on failed or outgoing requests."""
    contexts, failed, external = [], [], []

    def on_request(request) -> None:
        if not request.url.startswith(("data:", "blob:", "http://127.0.0.1:", "ws://127.0.0.1:")):
            external.append(request.url)

    def make(url: str):
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
        page.on("request", on_request)
        page.goto(url)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not failed, f"failed requests: {failed}"
    assert not external, f"requests leaving 127.0.0.1: {external}"


@pytest.fixture
def a11y_page(open_url, app_server):
    """``a11y_page(path)`` -> a watched page of ``negotiate app``."""
    return lambda path="": open_url(app_server + path.lstrip("/"))


@pytest.fixture
def probe_page(open_url, probe_server):
    """The component probe, fully rendered (its last blocks are on the page)."""
    page = open_url(probe_server)
    page.wait_for_selector("#probe-button-colours-darker button")
    page.wait_for_selector("#probe-image img")
    page.wait_for_selector("#probe-figure-matplotlib img")
    return page

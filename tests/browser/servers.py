"""The browser suites' servers: a free port, a server started and stopped, the chromium flags.

A plain module (not a conftest) so test files and other suites can import it by name.
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

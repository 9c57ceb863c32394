"""``negotiate app`` under SIGTERM: its server child stops and the port is free again."""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest
from servers import free_port, start_server, wait_ready

pytestmark = pytest.mark.browser


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_sigterm_stops_the_server_child_and_frees_the_port():
    port = free_port()
    process = start_server(port)
    try:
        wait_ready(f"http://127.0.0.1:{port}/", process)
        servers = children(process.pid)
        assert servers, "negotiate app runs its server as a child process"
        assert not port_free(port)
        os.kill(process.pid, signal.SIGTERM)  # the parent only, as a service manager does
        assert process.wait(timeout=30) == 130
        assert not [pid for pid in servers if alive(pid)], "the server child outlived its parent"
        assert port_free(port)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

"""Fixtures: a fresh classroom service on a temporary SQLite file, and a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from negotiate.classroom.service import ClassroomService

TEACHER_KEY = "test-teacher-key"


@pytest.fixture
def service(tmp_path):
    svc = ClassroomService(tmp_path / "class.sqlite", teacher_key=TEACHER_KEY)
    yield svc
    svc.close()


@pytest.fixture
def room(service):
    info = service.create_room(service.teacher_key, turns=6, seed=3)
    return info


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``negotiate classroom`` in a subprocess, on a free 127.0.0.1 port."""

    def __init__(self, db: Path, port: int | None = None) -> None:
        self.db = db
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        env = dict(os.environ, SOLARA_TELEMETRY_MIXPANEL_ENABLE="False",
                   NEGOTIATE_TEACHER_KEY=TEACHER_KEY)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "negotiate.cli", "classroom", "--host", "127.0.0.1",
             "--port", str(self.port), "--db", str(self.db)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=self.db.parent)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.stdout.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not become ready")

    def kill(self, sig: int = 9) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=20)

    def api(self, action: str, **body):
        import json

        if action == "create":
            body.setdefault("credential", TEACHER_KEY)
        req = urllib.request.Request(f"{self.base}/classroom-api/{action}", method="POST",
                                     data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return json.loads(r.read())["result"]
        except urllib.error.HTTPError as exc:
            raise RuntimeError(json.loads(exc.read())["error"]) from None


@pytest.fixture
def server(tmp_path):
    srv = Server(tmp_path / "server.sqlite")
    yield srv
    srv.kill()


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """One real classroom server for every browser test (each test makes its own room)."""
    srv = Server(tmp_path_factory.mktemp("class") / "class.sqlite")
    srv.start()
    yield srv
    srv.kill()

"""Helpers shared by the sweep tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

SCENARIO = "classroom-short"
VENV_BIN = Path(sys.executable).parent
#: 4 points x 150 reps: long enough (a few seconds on 2 workers) to be killed part-way.
LONG = {"grid": ["noise.perception=0.0,0.05,0.1,0.2"], "reps": 150, "seed": 11}


def long_args() -> list[str]:
    return ["--grid", LONG["grid"][0], "--reps", str(LONG["reps"]), "--seed", str(LONG["seed"])]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chunk_count(out: Path) -> int:
    folder = out / "summary"
    return len([p for p in folder.glob("runs-*.parquet")]) if folder.is_dir() else 0


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    return env

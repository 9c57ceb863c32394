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


def watch_sweep(out: Path, runs: int, chunk: int) -> tuple[list[tuple[int, int]], str, int]:
    """Run ``runs`` one-week classic runs (the cheapest real run, so the sweep machinery is
    what is measured) on 2 workers; sample (chunks written, parent RSS bytes) while it runs.
    Returns the samples, stdout and the exit code. Shared with benchmarks/sweep_memory.py."""
    import subprocess
    import time

    import psutil

    command = [str(VENV_BIN / "negotiate"), "sweep", SCENARIO, "--reps", str(runs),
               "--weeks", "1", "--set", "mode=classic", "--workers", "2",
               "--chunk-size", str(chunk), "--out", str(out), "--quiet"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=child_env())
    parent = psutil.Process(proc.pid)
    samples: list[tuple[int, int]] = []
    try:
        while proc.poll() is None:
            try:
                samples.append((chunk_count(out), parent.memory_info().rss))
            except (psutil.NoSuchProcess, FileNotFoundError):
                break
            time.sleep(0.02)
        stdout, _ = proc.communicate(timeout=1800)
    finally:
        if proc.poll() is None:
            proc.kill()
    return samples, stdout, proc.returncode


def rss_growth(samples: list[tuple[int, int]], total_chunks: int) -> int:
    """Peak parent RSS once half the chunks are written minus the peak in the first fifth."""
    early = [rss for chunks, rss in samples if chunks <= total_chunks // 5]
    late = [rss for chunks, rss in samples if chunks >= total_chunks // 2]
    assert early and late, "too few memory samples"
    return max(late) - max(early)

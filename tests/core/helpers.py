"""Small helpers shared by the core tests."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def negotiate(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real command line in a separate process."""
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    return subprocess.run([sys.executable, "-m", "negotiate.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, env=env)


def negotiate_here(*args: str) -> subprocess.CompletedProcess:
    """The command line's ``main`` in this process (exit code, stdout, stderr as a process
    would give them): for the many bad-flag cases, which each cost a process start, a second
    of imports, otherwise. ``negotiate`` runs the real process for the rest."""
    from negotiate.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse's usage errors
            code = stop.code if isinstance(stop.code, int) else 1
    return subprocess.CompletedProcess(["negotiate", *args], code, out.getvalue(), err.getvalue())


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    err = proc.stderr.strip()
    assert "Traceback" not in proc.stderr, proc.stderr
    assert len(err.splitlines()) == 1, err
    for needle in needles:
        assert needle in err, (needle, err)
    return err

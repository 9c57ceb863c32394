"""Kill a real sweep with SIGKILL part-way, resume it, and get the uninterrupted table."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time

import pandas as pd
from sweephelpers import LONG, SCENARIO, VENV_BIN, child_env, chunk_count, long_args

from negotiate.sweep.api import load_summary

TOTAL_CHUNKS = 4 * LONG["reps"] // 10


def _wait_for_chunks(out, count, proc, timeout=90.0):
    deadline = time.monotonic() + timeout
    while chunk_count(out) < count:
        assert proc.poll() is None, "the sweep ended before it could be killed"
        assert time.monotonic() < deadline, "the sweep wrote no chunks"
        time.sleep(0.02)


def test_sigkill_then_resume_matches_the_uninterrupted_sweep(tmp_path, long_reference):
    out = tmp_path / "sweep"
    command = [str(VENV_BIN / "negotiate"), "sweep", SCENARIO, *long_args(), "--workers", "2",
               "--chunk-size", "10", "--out", str(out), "--quiet"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=child_env(), start_new_session=True)
    try:
        _wait_for_chunks(out, 6, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        written = chunk_count(out)
        assert 6 <= written < TOTAL_CHUNKS, "the kill must land part-way"

        # Without --resume the folder is refused; with it the sweep finishes.
        refused = subprocess.run(command, capture_output=True, text=True, env=child_env())
        assert refused.returncode == 2 and "--resume" in refused.stderr
        resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True,
                                 env=child_env(), timeout=180)
        assert resumed.returncode == 0, resumed.stderr
        assert f"sweep started: {written * 10:,}/600 runs done" in resumed.stderr
    finally:
        # the killed sweep's pool children and fork server, if any outlived it
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    table = load_summary(out)
    assert table["run_id"].is_unique
    assert list(table["run_id"]) == list(range(600))
    pd.testing.assert_frame_equal(table, long_reference, check_exact=True)
    assert not list(out.rglob("*.tmp"))

"""100,000 runs: the sweep's parent process stays flat in memory (it streams chunks)."""

from __future__ import annotations

import subprocess
import time

import psutil
import pyarrow.parquet as pq
import pytest
from sweephelpers import SCENARIO, VENV_BIN, child_env, chunk_count

RUNS = 100_000
CHUNK = 500


@pytest.mark.slow
def test_a_100k_run_sweep_keeps_the_parent_flat(tmp_path):
    out = tmp_path / "sweep"
    # One week of the classic game: the cheapest real run, so the test is about the sweep.
    command = [str(VENV_BIN / "negotiate"), "sweep", SCENARIO, "--reps", str(RUNS),
               "--weeks", "1", "--set", "mode=classic", "--workers", "2",
               "--chunk-size", str(CHUNK), "--out", str(out), "--quiet"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env())
    parent = psutil.Process(proc.pid)
    samples: list[tuple[int, int]] = []  # (chunks written, parent RSS in bytes)
    try:
        while proc.poll() is None:
            try:
                samples.append((chunk_count(out), parent.memory_info().rss))
            except (psutil.NoSuchProcess, FileNotFoundError):
                break
            time.sleep(0.05)
        stdout, stderr = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert "100,000 runs (0 failed)" in stdout

    total_chunks = RUNS // CHUNK
    early = [rss for chunks, rss in samples if chunks <= total_chunks // 5]
    late = [rss for chunks, rss in samples if chunks >= total_chunks // 2]
    assert early and late, "too few memory samples"
    growth = max(late) - max(early)
    # Holding the rows would add hundreds of MB; streaming adds at most noise.
    assert growth < 20 * 2**20, f"parent RSS grew by {growth / 2**20:.1f} MiB"

    files = sorted((out / "summary").glob("runs-*.parquet"))
    assert len(files) == total_chunks
    run_ids = pq.ParquetDataset([str(f) for f in files]).read(columns=["run_id"]).column(0)
    assert len(run_ids) == RUNS and len(set(run_ids.to_pylist())) == RUNS

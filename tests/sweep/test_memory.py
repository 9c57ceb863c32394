"""The sweep's parent process stays flat in memory (it streams chunks to disk).

A small, fast version of the check: 2,000 runs in 50 chunks. The same check at 100,000 runs
is in ``benchmarks/sweep_memory.py`` (``python benchmarks/run.py sweep_memory``).
"""

from __future__ import annotations

import pyarrow.parquet as pq
from sweephelpers import rss_growth, watch_sweep

RUNS = 2_000
CHUNK = 40


def test_the_parent_stays_flat_while_chunks_stream(tmp_path):
    out = tmp_path / "sweep"
    samples, stdout, code = watch_sweep(out, RUNS, CHUNK)
    assert code == 0
    assert f"{RUNS:,} runs (0 failed)" in stdout
    growth = rss_growth(samples, RUNS // CHUNK)
    # Holding the rows would grow with every chunk; streaming adds at most noise.
    assert growth < 20 * 2**20, f"parent RSS grew by {growth / 2**20:.1f} MiB"

    files = sorted((out / "summary").glob("runs-*.parquet"))
    assert len(files) == RUNS // CHUNK
    run_ids = pq.ParquetDataset([str(f) for f in files]).read(columns=["run_id"]).column(0)
    assert len(run_ids) == RUNS and len(set(run_ids.to_pylist())) == RUNS

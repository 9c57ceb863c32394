"""Memory of a 100,000-run sweep: the parent process must stay flat (it streams chunks).

Moved out of the test suite (it takes minutes); ``tests/sweep/test_memory.py`` keeps the
same check at 2,000 runs. Baseline, from the same run: the parent's peak RSS while the
first fifth of the chunks is written. ``growth_ratio`` is the peak once half the chunks are
written divided by that baseline (goal: about 1.0; holding the rows would grow it steadily).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "sweep"))

from sweephelpers import rss_growth, watch_sweep  # noqa: E402

RUNS = 100_000
CHUNK = 500


def measure() -> dict:
    with tempfile.TemporaryDirectory(prefix="negotiate-bench-") as tmp:
        out = Path(tmp) / "sweep"
        samples, stdout, code = watch_sweep(out, RUNS, CHUNK)
        files = len(list((out / "summary").glob("runs-*.parquet")))
    if code != 0:
        return {"error": f"the sweep exited {code}"}
    total_chunks = RUNS // CHUNK
    early = max(rss for chunks, rss in samples if chunks <= total_chunks // 5)
    growth = rss_growth(samples, total_chunks)
    return {
        "growth_ratio": round((early + growth) / early, 3),
        "growth_mib": round(growth / 2**20, 1),
        "detail": {"runs": RUNS, "chunk": CHUNK, "chunks": files,
                   "baseline_rss_mib": round(early / 2**20, 1), "samples": len(samples),
                   "finished_line": stdout.strip().splitlines()[-1] if stdout else ""},
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))

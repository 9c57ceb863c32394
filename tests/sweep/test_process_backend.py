"""The process pool backend hands out every chunk exactly once, including the chunks this
process runs itself while the pool's fork server is still importing the model."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from sweephelpers import SCENARIO, child_env

from negotiate.sweep.backends import ProcessBackend
from negotiate.sweep.worker import ChunkTask, SweepSpec, run_chunk


def _tasks(runs: int) -> list[ChunkTask]:
    spec = SweepSpec(SCENARIO, (("collect.weekly", False),), (), runs, 5, False)
    return [ChunkTask(spec, start, start + 1, 0, ((),)) for start in range(runs)]


@pytest.mark.parametrize("runs", [3, 5, 40], ids=["fewer-than-in-flight", "as-many", "many"])
def test_every_chunk_comes_back_once_and_as_run_alone(runs):
    tasks = _tasks(runs)
    backend = ProcessBackend(2)
    try:
        outputs = list(backend.map(iter(tasks)))
    finally:
        backend.close()
    assert sorted((out.start, out.stop) for out in outputs) == [(t.start, t.stop) for t in tasks]
    by_start = {out.start: out for out in outputs}
    for task in (tasks[0], tasks[-1]):
        alone = pq.read_table(io.BytesIO(run_chunk(task).summary)).drop(["version"])
        pooled = pq.read_table(io.BytesIO(by_start[task.start].summary)).drop(["version"])
        assert pooled.equals(alone)


STARTUP_SCRIPT = """
import json
from negotiate.sweep.backends import ProcessBackend
from negotiate.sweep.worker import ChunkTask, SweepSpec

if __name__ == "__main__":
    spec = SweepSpec("classroom-short", (("collect.weekly", False),), (), 40, 5, False)
    backend = ProcessBackend(2)
    try:
        print(json.dumps([out.start for out in backend.map(
            ChunkTask(spec, start, start + 1, 0, ((),)) for start in range(40))]))
    finally:
        backend.close()
"""


def test_while_a_cold_pool_starts_this_process_runs_the_next_chunks_and_hands_each_back(tmp_path):
    # A fresh interpreter, so the fork server starts cold (it imports the model, ~1 s, while
    # a one-run chunk takes milliseconds): the first chunks back are the ones run here, from
    # the sixth on (the first five wait in the pool), and every chunk still comes back once.
    script = tmp_path / "startup.py"
    script.write_text(STARTUP_SCRIPT)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, env=child_env())
    assert proc.returncode == 0, proc.stderr
    starts = json.loads(proc.stdout)
    assert sorted(starts) == list(range(40))
    assert starts[0] == 5 and starts[1] == 6, starts

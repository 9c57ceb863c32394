"""The process pool backend hands out every chunk exactly once, including the chunks this
process runs itself while the pool's fork server is still importing the model."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
import pytest
from sweephelpers import SCENARIO

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

"""Speed of sweeps: runs per second serially, on a 2-process pool, on a 2-worker Dask
LocalCluster and on an external Dask cluster (one ``dask scheduler`` and two ``dask worker``
processes on 127.0.0.1, started here), parallel efficiency, sweep overhead, and a
projection to a million runs.

``measure()`` is imported by ``benchmarks/run.py``; ``python benchmarks/sweep.py`` prints the
same dictionary as JSON. Everything runs ``classroom-short`` (14 weeks, 20 firms) without
weekly tables, the way a sweep runs it.

- ``overhead``: a serial sweep's wall time against the time its runs spent inside
  ``negotiate.run`` (timed around each call, in the same process at the same moment, so
  other load on the machine hits both alike): ``sweep time / model time - 1``. Everything
  else -- building each run's scenario, seeds, rows, Parquet, files, progress -- is
  overhead. ``detail.overhead_vs_plain_loop`` cross-checks against a plain loop of
  ``negotiate.run`` on the same runs, in alternating halves (noisier under load).
- ``efficiency``: parallel runs/s divided by (workers x serial runs/s). Start-up (pool,
  LocalCluster) is included: it is part of what a researcher waits for. The external
  cluster is already running when its sweep starts (as on a real cluster); its start-up is
  reported apart, in ``detail.external_cluster_start_s``.
- ``projected_1m_runs_h``: hours for 1,000,000 runs at the rate of a measured 20,000-run
  sweep on the faster of the two parallel backends.

The machine has 2 cores; anything else running skews the parallel figures, so the load
average before and after is reported too.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

SCENARIO = "classroom-short"
SERIAL_RUNS = 2_000  # per half; two halves
PROJECTION_RUNS = 20_000
DASK_RUNS = 10_000
WORKERS = 2
#: Runs per task (and per file) tried on the external cluster; the best is reported.
EXTERNAL_CHUNKS = (100, 300, 1000)


def _pure_loop(runs: int, seed: int) -> float:
    """Seconds for ``runs`` plain model runs, the same runs a sweep of one point would do."""
    import negotiate
    from negotiate.sweep.seeds import run_seed

    scenario = negotiate.load_scenario(SCENARIO, {"collect.weekly": False})
    began = time.perf_counter()
    for rep in range(runs):
        negotiate.run(scenario, seed=run_seed(seed, 0, rep))
    return time.perf_counter() - began


def _sweep(out: Path, runs: int, seed: int, **options) -> tuple[float, float]:
    """(wall seconds, seconds inside negotiate.run) of one sweep."""
    from negotiate.sweep.api import run_sweep

    began = time.perf_counter()
    stats = run_sweep(SCENARIO, reps=runs, seed=seed, out=out, quiet=True,
                      progress_interval=3600, **options)
    elapsed = time.perf_counter() - began
    assert stats.done == runs and stats.failed == 0, stats
    return elapsed, stats.model_seconds


@contextlib.contextmanager
def external_cluster(workers: int) -> Iterator[tuple[str, float]]:
    """A ``dask scheduler`` and ``workers`` single-thread ``dask worker`` processes on
    127.0.0.1; yields (address, seconds until all workers joined)."""
    from dask.distributed import Client

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")
    began = time.perf_counter()
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    try:
        procs += [subprocess.Popen([dask, "worker", address, "--host", "127.0.0.1",
                                    "--nthreads", "1", "--no-dashboard"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                  for _ in range(workers)]
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)
        yield address, time.perf_counter() - began
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def measure() -> dict:
    """Measure once; returns runs/s, efficiency, overhead and the projection (see module doc)."""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="negotiate-bench-") as tmp:
        tmp_path = Path(tmp)
        _pure_loop(50, 0)  # warm imports and caches for both paths
        _sweep(tmp_path / "warm", 50, 0, workers=1)

        pure = sweep_serial = model_serial = 0.0
        for half, seed in enumerate((1, 2)):
            pure += _pure_loop(SERIAL_RUNS, seed)
            wall, model = _sweep(tmp_path / f"serial{half}", SERIAL_RUNS, seed, workers=1)
            sweep_serial += wall
            model_serial += model
        serial_rps = 2 * SERIAL_RUNS / sweep_serial

        process_s, process_model = _sweep(tmp_path / "process", PROJECTION_RUNS, 3,
                                          workers=WORKERS, backend="process")
        process_rps = PROJECTION_RUNS / process_s
        dask_s, dask_model = _sweep(tmp_path / "dask", DASK_RUNS, 4, workers=WORKERS,
                                    backend="dask")
        dask_rps = DASK_RUNS / dask_s
        with external_cluster(WORKERS) as (address, cluster_start):
            _sweep(tmp_path / "external-warm", 50, 0, scheduler=address)  # import on workers
            external = {}
            for chunk in EXTERNAL_CHUNKS:
                wall, model = _sweep(tmp_path / f"external-{chunk}", DASK_RUNS, 5,
                                     scheduler=address, chunk_size=chunk)
                external[chunk] = (DASK_RUNS / wall, wall, model)
        best_chunk = max(external, key=lambda c: external[c][0])
        external_rps, external_s, external_model = external[best_chunk]

    best = max(process_rps, dask_rps, external_rps)
    return {
        "runs_per_s": {"serial": round(serial_rps, 1), "process_2": round(process_rps, 1),
                       "dask_2": round(dask_rps, 1), "dask_external_2": round(external_rps, 1)},
        "efficiency": {"process": round(process_rps / (WORKERS * serial_rps), 3),
                       "dask": round(dask_rps / (WORKERS * serial_rps), 3),
                       "dask_external": round(external_rps / (WORKERS * serial_rps), 3)},
        "overhead": round(sweep_serial / model_serial - 1, 4),
        "projected_1m_runs_h": round(1_000_000 / best / 3600, 3),
        "detail": {
            "scenario": SCENARIO,
            "model_ms_per_run": round(1000 * model_serial / (2 * SERIAL_RUNS), 3),
            "overhead_vs_plain_loop": round(sweep_serial / pure - 1, 4),
            # wall x workers against model time: everything a parallel sweep loses
            "process_overhead": round(process_s * WORKERS / process_model - 1, 4),
            # model time per run inside the parallel workers: above model_ms_per_run means
            # the cores were shared (other load, or the parent), not sweep overhead
            "process_model_ms_per_run": round(1000 * process_model / PROJECTION_RUNS, 3),
            "dask_model_ms_per_run": round(1000 * dask_model / DASK_RUNS, 3),
            "dask_overhead": round(dask_s * WORKERS / dask_model - 1, 4),
            "serial_runs": 2 * SERIAL_RUNS,
            "process_runs": PROJECTION_RUNS, "process_seconds": round(process_s, 2),
            "dask_runs": DASK_RUNS, "dask_seconds": round(dask_s, 2),
            "external_cluster_start_s": round(cluster_start, 2),
            "external_efficiency_by_chunk_size": {
                str(c): round(rps / (WORKERS * serial_rps), 3)
                for c, (rps, _, _) in external.items()},
            "external_best_chunk_size": best_chunk,
            "external_seconds": round(external_s, 2),
            "external_model_ms_per_run": round(1000 * external_model / DASK_RUNS, 3),
            "cores": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))

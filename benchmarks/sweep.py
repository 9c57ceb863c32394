"""Speed of sweeps: runs per second serially, on a 2-process pool, on a 2-worker Dask
LocalCluster and on an external Dask cluster (one ``dask scheduler`` and two ``dask worker``
processes on 127.0.0.1, started here), parallel efficiency, sweep overhead, and a
projection to a million runs.

``measure()`` is imported by ``benchmarks/run.py``; ``python benchmarks/sweep.py`` prints the
same dictionary as JSON. Everything runs ``classroom-short`` (14 weeks, 20 firms) without
weekly tables, the way a sweep runs it.

- Same work: every sweep uses the same root seed, so the serial baseline's runs are the
  first runs of each parallel sweep, and every sweep is timed the same way (a whole
  ``run_sweep`` call: checks, lock, backend, runs, files). The serial baseline is measured
  before and after the parallel sweeps and the two are pooled, so a change in the
  machine's load during the benchmark hits the baseline as much as the parallel figures.
- ``overhead``: a serial sweep's wall time against the time its runs spent inside
  ``negotiate.run`` (timed around each call, in the same process at the same moment, so
  other load on the machine hits both alike): ``sweep time / model time - 1``. Everything
  else -- building each run's scenario, seeds, rows, Parquet, files, progress -- is
  overhead. ``detail.overhead_vs_plain_loop`` cross-checks against a plain loop of
  ``negotiate.run`` on the same runs, alternating with the sweeps (noisier under load).
- ``efficiency``: parallel runs/s divided by (workers x serial runs/s). Start-up (pool,
  LocalCluster) is included: it is part of what a researcher waits for. The external
  cluster is already running when its sweep starts (as on a real cluster); its start-up is
  reported apart, in ``detail.external_cluster_start_s``. Its sweep connects a client and
  uses the automatic chunk size, as ``negotiate sweep --scheduler`` does.
- The external cluster runs with the Dask settings the researcher guide recommends
  (``negotiate.sweep.backends.quiet_dask_env``: no statistical profiler, slower health
  checks); ``detail.external_dask_defaults`` repeats its sweep on a cluster with Dask's
  default settings, for comparison, and ``*_background_cores`` is the CPU the scheduler
  and nanny processes used during each sweep, in cores.
- ``projected_1m_runs_h``: hours for 1,000,000 runs at the rate of a measured 20,000-run
  sweep on the fastest parallel backend.

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
SERIAL_RUNS = 2_000  # per half; two halves, one before and one after the parallel sweeps
PROJECTION_RUNS = 20_000
DASK_RUNS = 10_000
WORKERS = 2
#: One root seed for every sweep: the serial runs are the first runs of each parallel sweep.
SEED = 3


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


def _cpu_seconds(pids: list[int]) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
    return total


def _worker_pids(nannies: list[int]) -> list[int]:
    import psutil

    return [child.pid for pid in nannies for child in psutil.Process(pid).children(recursive=True)]


@contextlib.contextmanager
def external_cluster(workers: int, quiet: bool) -> Iterator[tuple[str, float, dict[str, list[int]]]]:
    """A ``dask scheduler`` and ``workers`` single-thread ``dask worker`` processes (each
    with its nanny, as ``dask worker`` starts by default) on 127.0.0.1, with the recommended
    settings if ``quiet``; yields (address, seconds until all workers joined, the pids of
    its processes: "background" for the scheduler and nannies, "workers")."""
    from dask.distributed import Client

    from negotiate.sweep.backends import quiet_dask_env

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")
    env = {**os.environ, **(quiet_dask_env() if quiet else {})}
    began = time.perf_counter()
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env=env)]
    try:
        procs += [subprocess.Popen([dask, "worker", address, "--host", "127.0.0.1",
                                    "--nthreads", "1", "--no-dashboard"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
                  for _ in range(workers)]
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)
        pids = [proc.pid for proc in procs]
        yield address, time.perf_counter() - began, {"background": pids,
                                                     "workers": _worker_pids(pids[1:])}
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _external(tmp_path: Path, quiet: bool) -> dict[str, float]:
    """One DASK_RUNS sweep on a fresh external cluster (start-up and warm-up not timed)."""
    with external_cluster(WORKERS, quiet) as (address, start_s, pids):
        _sweep(tmp_path / f"external-warm-{quiet}", 50, 0, scheduler=address)  # imports
        background = _cpu_seconds(pids["background"])
        cpu = _cpu_seconds(pids["workers"]) + time.process_time()
        wall, model = _sweep(tmp_path / f"external-{quiet}", DASK_RUNS, SEED, scheduler=address)
        background = _cpu_seconds(pids["background"]) - background
        cpu = _cpu_seconds(pids["workers"]) + time.process_time() - cpu + background
    return {"rps": DASK_RUNS / wall, "seconds": wall, "model": model, "start_s": start_s,
            "background_cores": background / wall, "cpu_ms_per_run": 1000 * cpu / DASK_RUNS}


def measure() -> dict:
    """Measure once; returns runs/s, efficiency, overhead and the projection (see module doc)."""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="negotiate-bench-") as tmp:
        tmp_path = Path(tmp)
        _pure_loop(50, 0)  # warm imports and caches for both paths
        _sweep(tmp_path / "warm", 50, 0, workers=1)

        serial: dict[str, tuple[float, float, float]] = {}

        serial_cpu = [0.0]

        def serial_half(name: str) -> None:
            pure = _pure_loop(SERIAL_RUNS, SEED)
            cpu = time.process_time()
            wall, model = _sweep(tmp_path / f"serial-{name}", SERIAL_RUNS, SEED, workers=1)
            serial_cpu[0] += time.process_time() - cpu
            serial[name] = (pure, wall, model)

        serial_half("before")
        process_s, process_model = _sweep(tmp_path / "process", PROJECTION_RUNS, SEED,
                                          workers=WORKERS, backend="process")
        process_rps = PROJECTION_RUNS / process_s
        dask_s, dask_model = _sweep(tmp_path / "dask", DASK_RUNS, SEED, workers=WORKERS,
                                    backend="dask")
        dask_rps = DASK_RUNS / dask_s
        external = _external(tmp_path, quiet=True)
        defaults = _external(tmp_path, quiet=False)
        serial_half("after")
        load_after = os.getloadavg()

    pure = sum(half[0] for half in serial.values())
    sweep_serial = sum(half[1] for half in serial.values())
    model_serial = sum(half[2] for half in serial.values())
    serial_rps = 2 * SERIAL_RUNS / sweep_serial
    serial_cpu_ms = 1000 * serial_cpu[0] / (2 * SERIAL_RUNS)

    def efficiency(rps: float) -> float:
        return round(rps / (WORKERS * serial_rps), 3)

    best = max(process_rps, dask_rps, external["rps"])
    return {
        "runs_per_s": {"serial": round(serial_rps, 1), "process_2": round(process_rps, 1),
                       "dask_2": round(dask_rps, 1),
                       "dask_external_2": round(external["rps"], 1)},
        "efficiency": {"process": efficiency(process_rps), "dask": efficiency(dask_rps),
                       "dask_external": efficiency(external["rps"])},
        "overhead": round(sweep_serial / model_serial - 1, 4),
        "projected_1m_runs_h": round(1_000_000 / best / 3600, 3),
        "detail": {
            "scenario": SCENARIO,
            "model_ms_per_run": round(1000 * model_serial / (2 * SERIAL_RUNS), 3),
            "serial_runs_per_s_before_after": [round(SERIAL_RUNS / serial[h][1], 1)
                                               for h in ("before", "after")],
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
            "external_cluster_start_s": round(external["start_s"], 2),
            "external_seconds": round(external["seconds"], 2),
            "external_model_ms_per_run": round(1000 * external["model"] / DASK_RUNS, 3),
            "external_overhead": round(external["seconds"] * WORKERS / external["model"] - 1, 4),
            "external_background_cores": round(external["background_cores"], 3),
            # CPU of every process of the cluster and the client per run against the serial
            # sweep's: what the cluster costs in CPU, whoever else shares the cores
            "serial_cpu_ms_per_run": round(serial_cpu_ms, 3),
            "external_cpu_ms_per_run": round(external["cpu_ms_per_run"], 3),
            "external_dask_defaults": {
                "runs_per_s": round(defaults["rps"], 1),
                "efficiency": efficiency(defaults["rps"]),
                "model_ms_per_run": round(1000 * defaults["model"] / DASK_RUNS, 3),
                "overhead": round(defaults["seconds"] * WORKERS / defaults["model"] - 1, 4),
                "background_cores": round(defaults["background_cores"], 3),
                "cpu_ms_per_run": round(defaults["cpu_ms_per_run"], 3)},
            "cores": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
        },
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))

"""Speed of sweeps: runs per second serially, on a 2-process pool, on a 2-worker Dask
LocalCluster and on an external Dask cluster (one ``dask scheduler`` and two ``dask worker``
processes on 127.0.0.1, started here), parallel efficiency, sweep overhead, and a
projection to a million runs.

``measure()`` is imported by ``benchmarks/run.py``; ``python benchmarks/sweep.py`` prints the
same dictionary as JSON. Everything runs ``classroom-short`` (14 weeks, 20 firms) without
weekly tables, the way a sweep runs it.

- Rounds: the benchmark runs ``ROUNDS`` rounds; each is a serial sweep, then the process
  pool, the LocalCluster and the external cluster, then a serial sweep again, and each
  parallel figure is set against the mean of its own round's two serial sweeps. Every
  figure reported is the median over the rounds (each round's are in ``detail``): a burst
  of load from elsewhere on a shared machine moves one round, not the result.
- Same work: within a round every sweep uses the same root seed, so the serial baseline's
  runs are the first runs of each parallel sweep, and every sweep is timed the same way (a
  whole ``run_sweep`` call: checks, lock, backend, runs, files).
- ``overhead``: a serial sweep's wall time against the time its runs spent inside
  ``negotiate.run`` (timed around each call, in the same process at the same moment, so
  other load on the machine hits both alike): ``sweep time / model time - 1``. Everything
  else -- building each run's scenario, seeds, rows, Parquet, files, progress -- is
  overhead. ``detail.overhead_vs_plain_loop`` cross-checks against a plain loop of
  ``negotiate.run`` on the same runs as the first round's serial sweeps (noisier under
  load).
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
- ``projected_1m_runs_h``: hours for 1,000,000 runs at the median rate of the fastest
  parallel backend.

The machine has 2 cores; anything else running skews the parallel figures, so the load
average before and after is reported too.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SCENARIO = "classroom-short"
#: Rounds of paired measurements; every figure is the median over the rounds, so a burst of
#: load from elsewhere on a shared machine moves one round, not the result.
ROUNDS = 3
SERIAL_RUNS = 1_000  # per side of a round: one before and one after its parallel sweeps
PROCESS_RUNS = 6_000  # per round
DASK_RUNS = 4_000  # per round, on the LocalCluster and on the external cluster alike
WORKERS = 2
BACKENDS = ("process", "dask", "dask_external")
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


def _external(tmp_path: Path, quiet: bool, seed: int, tag: str) -> dict[str, float]:
    """One DASK_RUNS sweep on a fresh external cluster (start-up and warm-up not timed)."""
    with external_cluster(WORKERS, quiet) as (address, start_s, pids):
        _sweep(tmp_path / f"external-warm-{tag}", 50, 0, scheduler=address)  # imports
        background = _cpu_seconds(pids["background"])
        cpu = _cpu_seconds(pids["workers"]) + time.process_time()
        wall, model = _sweep(tmp_path / f"external-{tag}", DASK_RUNS, seed, scheduler=address)
        background = _cpu_seconds(pids["background"]) - background
        cpu = _cpu_seconds(pids["workers"]) + time.process_time() - cpu + background
    return {"rps": DASK_RUNS / wall, "seconds": wall, "model": model, "start_s": start_s,
            "background_cores": background / wall, "cpu_ms_per_run": 1000 * cpu / DASK_RUNS}


def _round(tmp_path: Path, index: int) -> dict[str, Any]:
    """One round: serial, process pool, LocalCluster, external cluster, serial again, all on
    the same root seed (the serial runs are the first runs of each parallel sweep)."""
    seed = SEED + index
    serial, serial_cpu = [], 0.0
    for side in ("before", "after"):
        if side == "after":
            process = _sweep(tmp_path / f"process-{index}", PROCESS_RUNS, seed,
                             workers=WORKERS, backend="process")
            dask = _sweep(tmp_path / f"dask-{index}", DASK_RUNS, seed, workers=WORKERS,
                          backend="dask")
            external = _external(tmp_path, True, seed, f"{index}")
        cpu = time.process_time()
        serial.append(_sweep(tmp_path / f"serial-{index}-{side}", SERIAL_RUNS, seed, workers=1))
        serial_cpu += time.process_time() - cpu
    serial_rps = 2 * SERIAL_RUNS / (serial[0][0] + serial[1][0])
    rps = {"process": PROCESS_RUNS / process[0], "dask": DASK_RUNS / dask[0],
           "dask_external": external["rps"]}
    return {"serial": serial, "serial_rps": serial_rps, "serial_cpu": serial_cpu,
            "process": process, "dask": dask, "external": external, "rps": rps,
            "efficiency": {name: value / (WORKERS * serial_rps) for name, value in rps.items()}}


def measure() -> dict:
    """Measure ROUNDS rounds; returns medians of runs/s and efficiency, the overhead and the
    projection (see module doc)."""
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="negotiate-bench-") as tmp:
        tmp_path = Path(tmp)
        _pure_loop(50, 0)  # warm imports and caches for both paths
        _sweep(tmp_path / "warm", 50, 0, workers=1)
        rounds = [_round(tmp_path, index) for index in range(ROUNDS)]
        pure = _pure_loop(SERIAL_RUNS, SEED)  # the same runs as round 0's serial sweeps
        defaults = _external(tmp_path, False, SEED, "defaults")
        load_after = os.getloadavg()

    serial_wall = sum(wall for r in rounds for wall, _ in r["serial"])
    serial_model = sum(model for r in rounds for _, model in r["serial"])
    serial_runs = 2 * SERIAL_RUNS * ROUNDS
    process_wall = sum(r["process"][0] for r in rounds)
    process_model = sum(r["process"][1] for r in rounds)
    dask_wall = sum(r["dask"][0] for r in rounds)
    dask_model = sum(r["dask"][1] for r in rounds)
    external_wall = sum(r["external"]["seconds"] for r in rounds)
    external_model = sum(r["external"]["model"] for r in rounds)

    def median_of(path: Callable[[dict], float]) -> float:
        return statistics.median(path(r) for r in rounds)

    def each(path: Callable[[dict], float], digits: int = 3) -> list[float]:
        return [round(path(r), digits) for r in rounds]

    rps = {name: median_of(lambda r, n=name: r["rps"][n]) for name in BACKENDS}
    efficiency = {name: round(median_of(lambda r, n=name: r["efficiency"][n]), 3)
                  for name in BACKENDS}
    serial_rps = median_of(lambda r: r["serial_rps"])
    round0 = rounds[0]["serial"]
    return {
        "runs_per_s": {"serial": round(serial_rps, 1), "process_2": round(rps["process"], 1),
                       "dask_2": round(rps["dask"], 1),
                       "dask_external_2": round(rps["dask_external"], 1)},
        "efficiency": efficiency,
        "overhead": round(serial_wall / serial_model - 1, 4),
        "projected_1m_runs_h": round(1_000_000 / max(rps.values()) / 3600, 3),
        "detail": {
            "scenario": SCENARIO,
            "rounds": ROUNDS,
            "efficiency_by_round": {name: each(lambda r, n=name: r["efficiency"][n])
                                    for name in BACKENDS},
            "serial_runs_per_s_by_round": each(lambda r: r["serial_rps"], 1),
            "serial_runs_per_s_before_after": [[round(SERIAL_RUNS / wall, 1)
                                                for wall, _ in r["serial"]] for r in rounds],
            "model_ms_per_run": round(1000 * serial_model / serial_runs, 3),
            "overhead_vs_plain_loop": round((round0[0][0] + round0[1][0]) / 2 / pure - 1, 4),
            # wall x workers against model time: everything a parallel sweep loses
            "process_overhead": round(process_wall * WORKERS / process_model - 1, 4),
            # model time per run inside the parallel workers: above model_ms_per_run means
            # the cores were shared (other load, or the parent), not sweep overhead
            "process_model_ms_per_run": round(1000 * process_model / (ROUNDS * PROCESS_RUNS), 3),
            "dask_model_ms_per_run": round(1000 * dask_model / (ROUNDS * DASK_RUNS), 3),
            "dask_overhead": round(dask_wall * WORKERS / dask_model - 1, 4),
            "external_model_ms_per_run": round(1000 * external_model / (ROUNDS * DASK_RUNS), 3),
            "external_overhead": round(external_wall * WORKERS / external_model - 1, 4),
            "serial_runs": serial_runs, "process_runs": ROUNDS * PROCESS_RUNS,
            "dask_runs": ROUNDS * DASK_RUNS, "external_runs": ROUNDS * DASK_RUNS,
            "external_cluster_start_s": each(lambda r: r["external"]["start_s"], 2),
            "external_background_cores": round(median_of(
                lambda r: r["external"]["background_cores"]), 3),
            # CPU of every process of the cluster and the client per run against the serial
            # sweep's: what the cluster costs in CPU, whoever else shares the cores
            "serial_cpu_ms_per_run": round(1000 * sum(r["serial_cpu"] for r in rounds)
                                           / serial_runs, 3),
            "external_cpu_ms_per_run": round(median_of(
                lambda r: r["external"]["cpu_ms_per_run"]), 3),
            "external_dask_defaults": {
                "runs_per_s": round(defaults["rps"], 1),
                "efficiency": round(defaults["rps"] / (WORKERS * serial_rps), 3),
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

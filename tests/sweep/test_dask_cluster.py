"""An existing Dask cluster (real `dask scheduler` and `dask worker` processes on 127.0.0.1):
the sweep uses it, survives losing a worker mid-sweep, and loses nothing."""

from __future__ import annotations

import signal
import subprocess
import threading
import time

import pandas as pd
import pytest
from sweephelpers import LONG, SCENARIO, VENV_BIN, child_env, chunk_count, free_port

from negotiate.sweep.api import load_summary, run_sweep


def _start(args):
    return subprocess.Popen([str(VENV_BIN / "dask"), *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=child_env(), start_new_session=True)


@pytest.fixture
def cluster():
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _start(["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"])
    # No nanny: SIGKILL then really removes the worker instead of being restarted by it.
    workers = [_start(["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                       "--no-nanny", "--no-dashboard", "--death-timeout", "60"])
               for _ in range(2)]
    from dask.distributed import Client

    try:
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=90)
        yield address, workers
    finally:
        for proc in [*workers, scheduler]:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in [*workers, scheduler]:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_existing_cluster_survives_a_killed_worker(tmp_path, cluster, long_reference):
    address, workers = cluster
    out = tmp_path / "sweep"
    outcome: dict[str, object] = {}

    def sweep():
        try:
            outcome["stats"] = run_sweep(SCENARIO, out=out, scheduler=address, chunk_size=10,
                                         quiet=True, **LONG)
        except BaseException as exc:  # handed to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=sweep)
    thread.start()
    deadline = time.monotonic() + 120
    while chunk_count(out) < 6 and thread.is_alive():
        assert time.monotonic() < deadline, "no chunks written by the cluster"
        time.sleep(0.02)
    assert thread.is_alive(), "the sweep ended before a worker could be killed"
    written = chunk_count(out)
    workers[0].send_signal(signal.SIGKILL)
    workers[0].wait(timeout=10)
    thread.join(timeout=180)
    assert not thread.is_alive()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    assert written < 60, "the worker must die part-way"
    stats = outcome["stats"]
    assert stats.backend == "dask" and stats.done == 600

    # The surviving worker of *this* cluster did the work (no LocalCluster was started).
    from dask.distributed import Client

    with Client(address, timeout="30s") as client:
        ran = client.run(lambda: len(__import__("negotiate.sweep.worker").sweep.worker._BASES))
    assert list(ran.values()) == [1]

    table = load_summary(out)
    assert table["run_id"].is_unique and list(table["run_id"]) == list(range(600))
    pd.testing.assert_frame_equal(table, long_reference, check_exact=True)


def test_no_workers_is_said_and_a_killed_scheduler_is_one_line_then_resume(tmp_path,
                                                                           long_reference):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    out = tmp_path / "sweep"
    log = tmp_path / "stderr.txt"
    scheduler = _start(["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"])
    workers: list[subprocess.Popen] = []
    command = [str(VENV_BIN / "negotiate"), "sweep", SCENARIO, "--grid", LONG["grid"][0],
               "--reps", str(LONG["reps"]), "--seed", str(LONG["seed"]), "--chunk-size", "10",
               "--out", str(out), "--quiet"]
    with open(log, "w") as err:
        sweep = subprocess.Popen([*command, "--scheduler", address], stdout=subprocess.DEVNULL,
                                 stderr=err, env=child_env(), start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while "no Dask workers" not in log.read_text():
            assert sweep.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "nothing said while the cluster had no workers"
            time.sleep(0.1)
        assert f"'dask worker {address}'" in log.read_text()
        workers = [_start(["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                           "--no-nanny", "--no-dashboard"]) for _ in range(2)]
        deadline = time.monotonic() + 120
        while chunk_count(out) < 6:
            assert sweep.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "no chunks written by the cluster"
            time.sleep(0.02)
        # The workers are held still first, so that the sweep cannot finish before the
        # scheduler dies however fast the model runs (a lost scheduler is what is tested).
        for worker in workers:
            worker.send_signal(signal.SIGSTOP)
        scheduler.send_signal(signal.SIGKILL)
        code = sweep.wait(timeout=180)
    finally:
        for proc in [sweep, *workers, scheduler]:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
    stderr = log.read_text()
    assert code == 1, stderr
    assert "Traceback" not in stderr and "sweep finished" not in stderr
    assert f"lost the Dask scheduler at {address}" in stderr and "--resume" in stderr
    assert chunk_count(out) < 60

    # The same sweep finishes on any backend: here the local process pool.
    resumed = subprocess.run([*command, "--workers", "2", "--resume"], capture_output=True,
                             text=True, env=child_env(), timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    table = load_summary(out)
    pd.testing.assert_frame_equal(table, long_reference, check_exact=True)

"""Where chunks run: in this process, in a process pool, or on a Dask cluster.

Every backend takes an iterator of chunk tasks and yields chunk outputs as they finish,
keeping only a bounded number of chunks in flight, so the parent's memory does not grow
with the size of the sweep. A chunk whose worker died is retried; one that keeps failing is
yielded as :class:`Lost` (its runs stay missing, so ``--resume`` can try them again).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from ..listen import PORTS, PORTS_ALLOWED
from .store import SweepError, SweepIncomplete
from .worker import ChunkOutput, ChunkTask, run_chunk

#: How many times a chunk is resubmitted after its worker died or the pool broke.
RETRIES = 2


@dataclass
class Lost:
    """A chunk that could not be run (the infrastructure failed, not the model)."""

    start: int
    stop: int
    reason: str


class SerialBackend:
    """Runs chunks in this process (``--workers 1``): no start-up cost, no transfer."""

    name = "serial"
    workers = 1

    def map(self, tasks: Iterable[ChunkTask]) -> Iterator[ChunkOutput | Lost]:
        for task in tasks:
            yield run_chunk(task)

    def close(self) -> None:
        pass


class ProcessBackend:
    """A local process pool.

    Children come from a fork server that has imported the model once: plain fork is unsafe
    here (numpy and Arrow already run thread pools in the parent), and spawn would import the
    model again in every child.

    That import takes the fork server about a second, and the first submit waits for it.
    Rather than idle through it, this process hands the first chunks to the pool from a
    starter thread and runs chunks itself until the pool is up: a sweep of a few hundred runs
    then costs about what a serial one does, and a long one loses no second at its start (the
    first chunks still wait for the pool, so a sweep of a few runs does not gain).
    """

    name = "process"

    def __init__(self, workers: int):
        self.workers = workers
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        import multiprocessing
        from multiprocessing import forkserver

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["negotiate.sweep.worker"])
        # A Ctrl-C in the fork server's first second, while it imports, would print its
        # traceback: it starts with SIGINT ignored (as it sets itself once imported), and
        # each child takes Ctrl-C back, to stop as the sweep does.
        if threading.current_thread() is threading.main_thread():
            before = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                forkserver.ensure_running()
            finally:
                signal.signal(signal.SIGINT, before)
        return ProcessPoolExecutor(self.workers, mp_context=context, initializer=_take_ctrl_c)

    def map(self, tasks: Iterable[ChunkTask]) -> Iterator[ChunkOutput | Lost]:
        todo = iter(tasks)
        retry: deque[tuple[ChunkTask, int]] = deque()
        pending: dict[Future, tuple[ChunkTask, int]] = {}
        limit = 2 * self.workers + 1
        yield from self._while_starting(todo, pending, limit)
        while True:
            while len(pending) < limit:
                if retry:
                    task, tries = retry.popleft()
                else:
                    task = next(todo, None)
                    if task is None:
                        break
                    tries = 0
                pending[self._pool.submit(run_chunk, task)] = (task, tries)
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                task, tries = pending.pop(future)
                exc = future.exception()
                if exc is None:
                    yield future.result()
                elif isinstance(exc, BrokenProcessPool):
                    broken = True
                    yield from self._retry_or_lose(task, tries, exc, retry)
                else:
                    yield Lost(task.start, task.stop, f"{type(exc).__name__}: {exc}")
            if broken:
                # A dead child breaks the whole pool: collect what finished, rerun the rest.
                wait(pending)
                for future, (task, tries) in list(pending.items()):
                    exc = future.exception()
                    if exc is None:
                        yield future.result()
                    else:
                        yield from self._retry_or_lose(task, tries, exc, retry)
                pending.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()

    def _while_starting(self, todo: Iterator[ChunkTask],
                        pending: dict[Future, tuple[ChunkTask, int]],
                        limit: int) -> Iterator[ChunkOutput]:
        """Submit the first ``limit`` chunks from a starter thread; run chunks here meanwhile."""
        first = list(itertools.islice(todo, limit))
        failure: list[BaseException] = []

        def start() -> None:
            try:
                for task in first:
                    pending[self._pool.submit(run_chunk, task)] = (task, 0)
            except BaseException as exc:  # noqa: BLE001 - raised again in the sweep's thread
                failure.append(exc)

        starter = threading.Thread(target=start, name="negotiate-pool-start", daemon=True)
        starter.start()
        while starter.is_alive():
            task = next(todo, None)
            if task is None:
                break
            yield run_chunk(task)
        starter.join()
        if failure:
            raise failure[0]

    @staticmethod
    def _retry_or_lose(task: ChunkTask, tries: int, exc: BaseException,
                       retry: deque[tuple[ChunkTask, int]]) -> Iterator[Lost]:
        if tries < RETRIES:
            retry.append((task, tries + 1))
        else:
            yield Lost(task.start, task.stop, f"worker process died ({exc})")

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _take_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.default_int_handler)


class SchedulerLost(SweepIncomplete):
    """The Dask scheduler went away mid-sweep (exit 1; ``--resume`` finishes the sweep)."""


#: Dask settings for a sweep's scheduler and workers. Dask's statistical profiler samples
#: every running task every 10 ms, and each Dask process checks its event loop every 20 ms
#: and its memory every 100 ms; a sweep uses none of that, yet on a machine whose cores all
#: run chunks it costs several percent of them (benchmarks/sweep.py measures it). The
#: LocalCluster gets these settings; an existing cluster gets them from its environment
#: (:func:`quiet_dask_env`, documented in docs/researcher-guide.md).
QUIET_DASK: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}


def quiet_dask_env() -> dict[str, str]:
    """:data:`QUIET_DASK` as ``DASK_...`` environment variables for ``dask scheduler`` and
    ``dask worker`` processes started by hand."""
    return {"DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value)
            for key, value in QUIET_DASK.items()}


#: Protocols a Dask scheduler listens on that a sweep's client can reach over the network.
SCHEDULER_PROTOCOLS = ("tcp", "tls", "ws", "wss", "ucx")
#: Ports an address may name (port 0 means "any" when listening, never a place to connect).
_ALLOWED_SCHEDULER = ("allowed: the address of a running 'dask scheduler', PROTOCOL://HOST:PORT "
                      f"with a port from {PORTS_ALLOWED}, such as tcp://127.0.0.1:8786")


def check_scheduler(address: Any) -> str:
    """``--scheduler`` as given if it can name a scheduler, else one line saying why not.

    Only the address's form is checked, nothing is contacted: a port that cannot exist is
    refused at once instead of after the connection's time-out, before the folder is touched.
    """
    if not isinstance(address, str):
        raise SweepError(f"--scheduler: got {type(address).__name__}; {_ALLOWED_SCHEDULER}")
    if not address.strip():
        raise SweepError(f"--scheduler is empty; {_ALLOWED_SCHEDULER}")
    protocol, sep, location = address.partition("://")
    if not sep:  # Dask reads a bare HOST:PORT as tcp
        protocol, location = "tcp", address
    if protocol not in SCHEDULER_PROTOCOLS:
        raise SweepError(f"--scheduler: protocol {protocol!r} in {address!r} is not one of "
                         f"{', '.join(SCHEDULER_PROTOCOLS)}; {_ALLOWED_SCHEDULER}")
    host, colon, port = location.rpartition(":")
    if not colon or not host or not re.fullmatch(r"[0-9]+", port):
        raise SweepError(f"--scheduler: {address!r} is not HOST:PORT; {_ALLOWED_SCHEDULER}")
    if int(port) not in PORTS:
        raise SweepError(f"--scheduler: port {int(port)} in {address!r} is out of range; "
                         f"{_ALLOWED_SCHEDULER}")
    return address


#: Seconds to wait for the first worker of an existing cluster before giving up.
WORKER_WAIT = 60.0
#: Seconds between checks of the cluster while no chunk finishes.
CHECK_EVERY = 5.0


class DaskBackend:
    """A Dask cluster: a LocalCluster on 127.0.0.1, or an existing scheduler's workers."""

    name = "dask"

    def __init__(self, workers: int, scheduler: str | None = None,
                 say: Callable[[str], None] = print):
        try:
            import dask
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - declared dependency
            raise SweepError(f"--backend dask needs dask[distributed] ({exc}); allowed: "
                             "pip install 'dask[distributed]'") from None
        self._cluster = None
        self._say = say
        # Distributed logs each lost connection with a traceback; the sweep says it in one
        # line instead (and --resume recovers), so only its own line reaches the terminal.
        self._log_levels = _quieten("distributed")
        # The sweep bounds what is in flight itself; let the scheduler hand out all of it.
        # Set for this backend's lifetime only: a researcher's own Dask work keeps its config.
        self._config = dask.config.set({"distributed.scheduler.worker-saturation": "inf",
                                        **QUIET_DASK})
        self.client = None
        try:
            if scheduler:
                self.address = scheduler
                self.client = self._connect(Client, scheduler)
            else:
                self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                             processes=True, host="127.0.0.1",
                                             dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self._cluster)
                self.address = self._cluster.scheduler_address
            self.workers = max(1, sum(self.client.nthreads().values()))
        except BaseException:
            self.close()  # give back the config and log levels this backend changed
            raise

    def _connect(self, client_class: Any, scheduler: str) -> Any:
        allowed = "allowed: the address of a running 'dask scheduler', such as tcp://127.0.0.1:8786"
        try:
            client = client_class(scheduler, timeout="10s")
        except (ValueError, TypeError) as exc:
            raise SweepError(f"--scheduler: {scheduler!r} is not a scheduler address ({exc}); "
                             f"{allowed}") from None
        except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, comm errors
            raise SweepIncomplete(f"--scheduler: cannot reach a Dask scheduler at {scheduler} "
                                  f"({type(exc).__name__}: {exc}); {allowed}") from None
        try:
            if not client.nthreads():
                self._say(f"no Dask workers are connected to {scheduler} yet; waiting up to "
                          f"{WORKER_WAIT:.0f} s (start some with 'dask worker {scheduler}')")
                client.wait_for_workers(1, timeout=WORKER_WAIT)
        except Exception as exc:  # noqa: BLE001 - a timeout, or the scheduler went away
            with contextlib.suppress(Exception):
                client.close()
            raise SweepIncomplete(f"--scheduler: no Dask worker joined {scheduler} "
                                  f"({type(exc).__name__}); allowed: start workers with 'dask "
                                  f"worker {scheduler}' and run the same command again") from None
        return client

    def _lost(self, exc: BaseException | None = None) -> SchedulerLost:
        why = f"{type(exc).__name__}" if exc is not None else f"client {self.client.status}"
        return SchedulerLost(f"lost the Dask scheduler at {self.address} ({why}); allowed: "
                             "restart it and its workers, then run the same command with "
                             "--resume")

    def _check_cluster(self, idle: dict[str, bool]) -> None:
        """Raise if the scheduler is gone; say once when no worker is connected."""
        if self.client.status not in ("running", "connecting", "newly-created"):
            raise self._lost()
        try:
            nthreads = self.client.nthreads()
        except Exception as exc:  # noqa: BLE001 - the scheduler went away mid-call
            raise self._lost(exc) from None
        self.workers = max(1, sum(nthreads.values()))
        if not nthreads and not idle["said"]:
            self._say(f"no Dask workers are connected to {self.address}; the sweep waits "
                      f"until one joins (start one with 'dask worker {self.address}')")
            idle["said"] = True
        elif nthreads and idle["said"]:
            self._say(f"{len(nthreads)} Dask worker(s) connected again; the sweep goes on")
            idle["said"] = False

    def map(self, tasks: Iterable[ChunkTask]) -> Iterator[ChunkOutput | Lost]:
        from dask.distributed import wait as dask_wait

        todo = iter(tasks)
        pending: dict[Any, tuple[ChunkTask, int]] = {}
        idle = {"said": False}
        checked = time.monotonic()

        def submit(task: ChunkTask, tries: int) -> None:
            try:
                # pure=False: a retried chunk must run again, not reuse a lost result.
                future = self.client.submit(run_chunk, task, pure=False)
            except Exception:  # noqa: BLE001 - a closed client: say why, as one line
                self._check_cluster(idle)
                raise
            pending[future] = (task, tries)

        while True:
            # Workers of a real cluster join over minutes (batch jobs, autoscaling): the bound
            # on chunks in flight follows the current count.
            while len(pending) < 2 * self.workers + 1:
                task = next(todo, None)
                if task is None:
                    break
                submit(task, 0)
            if not pending:
                return
            try:
                done, _ = dask_wait(list(pending), timeout=CHECK_EVERY,
                                    return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = set()
            except Exception as exc:  # noqa: BLE001 - futures cancelled: the scheduler is gone
                raise self._lost(exc) from None
            if not done or time.monotonic() - checked > CHECK_EVERY:
                checked = time.monotonic()
                self._check_cluster(idle)
            for future in done:
                task, tries = pending.pop(future)
                try:
                    result: Any = future.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker, lost comms, ...
                    self._check_cluster(idle)
                    result = None
                    if tries < RETRIES:
                        submit(task, tries + 1)
                    else:
                        result = Lost(task.start, task.stop, f"{type(exc).__name__}: {exc}")
                finally:
                    future.release()
                if result is not None:
                    yield result

    def close(self) -> None:
        # Closing after the scheduler is gone raises from inside distributed: nothing to save.
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
        for name, level in self._log_levels.items():
            logging.getLogger(name).setLevel(level)
        self._config.__exit__(None, None, None)


def _quieten(prefix: str) -> dict[str, int]:
    """Silence ``prefix`` and its child loggers (distributed sets levels on each); return the
    old levels to restore."""
    names = [prefix, *(n for n in logging.Logger.manager.loggerDict if n.startswith(prefix + "."))]
    old = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    return old


def make_backend(backend: str, workers: int, scheduler: str | None,
                 say: Callable[[str], None] = print) -> Any:
    """The backend for ``--backend``/``--workers``/``--scheduler`` (checked by the caller)."""
    if backend == "dask":
        return DaskBackend(workers, scheduler, say)
    if workers == 1:
        return SerialBackend()
    return ProcessBackend(workers)

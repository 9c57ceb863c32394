"""Where chunks run: in this process, in a process pool, or on a Dask cluster.

Every backend takes an iterator of chunk tasks and yields chunk outputs as they finish,
keeping only a bounded number of chunks in flight, so the parent's memory does not grow
with the size of the sweep. A chunk whose worker died is retried; one that keeps failing is
yielded as :class:`Lost` (its runs stay missing, so ``--resume`` can try them again).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from .store import SweepError
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
    """

    name = "process"

    def __init__(self, workers: int):
        self.workers = workers
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        import multiprocessing

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["negotiate.sweep.worker"])
        return ProcessPoolExecutor(self.workers, mp_context=context)

    def map(self, tasks: Iterable[ChunkTask]) -> Iterator[ChunkOutput | Lost]:
        todo = iter(tasks)
        retry: deque[tuple[ChunkTask, int]] = deque()
        pending: dict[Future, tuple[ChunkTask, int]] = {}
        limit = 2 * self.workers + 1
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

    @staticmethod
    def _retry_or_lose(task: ChunkTask, tries: int, exc: BaseException,
                       retry: deque[tuple[ChunkTask, int]]) -> Iterator[Lost]:
        if tries < RETRIES:
            retry.append((task, tries + 1))
        else:
            yield Lost(task.start, task.stop, f"worker process died ({exc})")

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskBackend:
    """A Dask cluster: a LocalCluster on 127.0.0.1, or an existing scheduler's workers."""

    name = "dask"

    def __init__(self, workers: int, scheduler: str | None = None):
        try:
            import dask
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - declared dependency
            raise SweepError(f"--backend dask needs dask[distributed] ({exc}); allowed: "
                             "pip install 'dask[distributed]'") from None
        self._cluster = None
        # The sweep bounds what is in flight itself; let the scheduler hand out all of it.
        dask.config.set({"distributed.scheduler.worker-saturation": "inf"})
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="10s")
                self.client.wait_for_workers(1, timeout=60)
            except (OSError, TimeoutError) as exc:
                raise SweepError(f"cannot reach a Dask scheduler with workers at {scheduler} "
                                 f"({exc}); allowed: the address of a running 'dask scheduler' "
                                 "such as tcp://127.0.0.1:8786") from None
        else:
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         host="127.0.0.1", dashboard_address=None,
                                         silence_logs=logging.ERROR)
            self.client = Client(self._cluster)
        self.workers = max(1, sum(self.client.nthreads().values()))

    def map(self, tasks: Iterable[ChunkTask]) -> Iterator[ChunkOutput | Lost]:
        from dask.distributed import as_completed

        todo = iter(tasks)
        meta: dict[str, tuple[ChunkTask, int]] = {}
        running = as_completed()
        # Workers of a real cluster join over minutes (batch jobs, autoscaling): recount them
        # now and then so the bound on chunks in flight grows with the cluster.
        checked = [0.0, 2 * self.workers + 1]

        def limit() -> int:
            now = time.monotonic()
            if now - checked[0] > 5.0:
                self.workers = max(1, sum(self.client.nthreads().values()))
                checked[:] = [now, 2 * self.workers + 1]
            return int(checked[1])

        def submit(task: ChunkTask, tries: int) -> None:
            # pure=False: a retried chunk must run again, not reuse a lost result.
            future = self.client.submit(run_chunk, task, pure=False)
            meta[future.key] = (task, tries)
            running.add(future)

        def refill() -> None:
            while len(meta) < limit():
                task = next(todo, None)
                if task is None:
                    return
                submit(task, 0)

        refill()
        for future in running:
            task, tries = meta.pop(future.key)
            try:
                result: Any = future.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker, lost comms, ...
                result = None
                if tries < RETRIES:
                    submit(task, tries + 1)
                else:
                    result = Lost(task.start, task.stop, f"{type(exc).__name__}: {exc}")
            finally:
                future.release()
            refill()
            if result is not None:
                yield result

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_backend(backend: str, workers: int, scheduler: str | None) -> Any:
    """The backend for ``--backend``/``--workers``/``--scheduler`` (checked by the caller)."""
    if backend == "dask":
        return DaskBackend(workers, scheduler)
    if workers == 1:
        return SerialBackend()
    return ProcessBackend(workers)

"""``negotiate.sweep(...)``: check the request, lay out the design, run what is missing.

The parent process only plans chunks, writes the bytes workers send back and counts; it
never holds more than the chunks in flight, so its memory does not grow with the sweep.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import shlex
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from ..errors import literal_line
from ..inputs import SEED_MAX, SEED_RANGE
from ..oserrors import os_failure, require_folder_path
from ..scenario import available_scenarios, load_scenario, overrides_dict, validate
from ..version import __version__
from .backends import Lost, check_scheduler, make_backend
from .design import Design, GridSpec, RangeSpec, build_design, check_points
from .lock import LOCK_FILE, WriterLock, describe, readable_chunks
from .progress import Progress
from .store import (
    FORMAT,
    Store,
    SweepError,
    SweepIncomplete,
    design_hash,
    missing_folders,
    plan_chunks,
    remove_created,
)
from .worker import ChunkTask, SweepSpec

BACKENDS = ("process", "dask")
#: Chunks big enough that per-chunk costs (a task, a file) vanish, small enough to balance
#: and to lose little to a kill.
MAX_CHUNK = 500
CHUNKS_PER_WORKER = 16
#: The most local worker processes: far more than any one machine's cores, and beyond it a
#: pool exhausts the process and file limits (its queues are even sized in a C int). An
#: existing cluster's size is its own, whatever --workers says.
MAX_WORKERS = 1024


@dataclass
class SweepStats:
    """What one call did (for the CLI's closing line and the benchmark)."""

    out: Path
    total: int
    done: int
    failed: int
    ran: int
    seconds: float
    model_seconds: float
    backend: str
    workers: int
    chunk_size: int


def _whole(value: Any, flag: str, low: int, high: int | None = None) -> int:
    if (isinstance(value, bool) or not isinstance(value, int) or value < low
            or (high is not None and value > high)):
        allowed = f">= {low}" if high is None else f"from {low} to {high}"
        raise SweepError(f"{flag}: got {value!r}; allowed: a whole number {allowed}")
    return value


def _scenario_ref(scenario: Any) -> str:
    if not isinstance(scenario, str | Path):
        raise SweepError(f"scenario: got {type(scenario).__name__}; allowed: a built-in scenario "
                         "name or a path to a .toml file")
    text = str(scenario)
    if text in available_scenarios():
        return text
    # Workers on other machines or in other folders must find the same file.
    return str(Path(text).expanduser().resolve())


def _command(command: Sequence[str] | str | None) -> str:
    if isinstance(command, str):
        return command
    return shlex.join(command if command is not None else sys.argv)


def prepare(scenario: str | Path, *, grid: GridSpec = None, lhs: RangeSpec = None,
            sobol: RangeSpec = None, samples: int | None = None, reps: int = 1, seed: int = 0,
            weeks: int | None = None, timeseries: bool = False,
            sets: Mapping[str, Any] | Sequence[str] | None = None,
            ) -> tuple[dict[str, Any], Design, SweepSpec]:
    """Check a sweep request; return its identity (what the design hash covers), its design
    and the worker spec. Nothing runs and nothing is written."""
    reps = _whole(reps, "--reps", 1)
    seed = _whole(seed, "--seed", 0)
    if seed > SEED_MAX:
        raise SweepError(f"--seed: got {seed}; allowed: {SEED_RANGE}")
    ref = _scenario_ref(scenario)
    base_sets = overrides_dict(sets, source="--set")
    validate(base_sets, "--set")  # a bad --set weeks=... is refused even beside --weeks
    if weeks is not None:
        base_sets["weeks"] = weeks
    # Weekly tables cost time and are only wanted with --timeseries; the summary needs none.
    base_sets["collect.weekly"] = bool(timeseries)
    base = load_scenario(ref, base_sets)
    design = build_design(grid=grid, lhs=lhs, sobol=sobol, samples=samples, root=seed, reps=reps)
    clash = sorted(set(design.keys) & set(base_sets))
    if clash:
        raise SweepError(f"{clash[0]} is both fixed (--set/--weeks) and swept; allowed: each "
                         "key in one place")
    check_points(design, base)
    identity = {
        "format": FORMAT,
        "scenario": ref,
        "scenario_params": base.params(),
        "sets": base_sets,
        "design": design.to_json(),
        "reps": reps,
        "seed": seed,
        "timeseries": bool(timeseries),
        "version": __version__,
    }
    spec = SweepSpec(ref, tuple(sorted(base_sets.items())), design.keys, reps, seed,
                     bool(timeseries))
    return identity, design, spec


def _differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    import json

    names = [k for k in new if json.dumps(old.get(k), sort_keys=True, default=list)
             != json.dumps(new[k], sort_keys=True, default=list)]
    return ", ".join(names) or "its hash"


def _say(line: str) -> None:
    # These lines name folders and files the user chose: shown as text, never acted on.
    print(literal_line(f"negotiate sweep: {line}"), file=sys.stderr, flush=True)


def _check_folder(store: Store, identity: dict[str, Any], digest: str, resume: bool,
                  command: str) -> dict[str, Any]:
    """The manifest to write for this run of the sweep; refuses the wrong folder. Writes
    nothing, so a refusal leaves the folder as it was."""
    out = store.root
    foreign = store.foreign_files()
    if foreign:
        names = ", ".join(str(p.relative_to(out)) for p in foreign[:3])
        raise SweepError(f"--out: {out} holds files 'negotiate sweep' did not write ({names}"
                         f"{', ...' if len(foreign) > 3 else ''}); allowed: an empty folder or "
                         "one written by 'negotiate sweep'")
    manifest = store.read_manifest()
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if manifest is None:
        if store.done_ranges():
            raise SweepError(f"--out: {out} holds chunk files but no manifest.json; allowed: "
                             "an empty folder or one written by 'negotiate sweep'")
        return {**identity, "design_hash": digest,
                "total_runs": len(identity["design"]["points"]) * identity["reps"],
                "command": command, "created": now, "resumed": [], "complete": False}
    if not resume:
        raise SweepError(f"--out: {out} already holds a sweep (design {manifest['design_hash'][:12]}); "
                         "allowed: --resume to finish it, or a new or empty folder")
    if manifest["design_hash"] != digest:
        raise SweepError(f"--resume: {out} holds a different sweep (differs in "
                         f"{_differences(manifest, identity)}); allowed: the "
                         "same scenario, design, --reps, --seed, --weeks, --set and --timeseries "
                         "as the first run, or a new --out folder")
    manifest["resumed"].append({"command": command, "at": now})
    return manifest


def _has_chunks(store: Store) -> bool:
    try:
        return bool(store.done_ranges())
    except OSError:
        return True


def _look_before(store: Store, identity: dict[str, Any], digest: str, resume: bool,
                 command: str) -> None:
    """Refuse, before anything is created, a folder the writer would refuse once it holds
    the lock (where it checks again: the folder may change in between)."""
    if not store.root.is_dir():
        return
    # In a folder this process may not write, taking the lock says so in one line.
    with contextlib.suppress(OSError):
        WriterLock(store.root).refuse_if_busy()
    _check_folder(store, identity, digest, resume, command)


def _own_paths(store: Store) -> list[Path]:
    """What a sweep may create in a fresh folder besides its chunks, children first."""
    return [store.manifest_path, store.chunks_path, store.summary_dir, store.timeseries_dir,
            store.root / LOCK_FILE]


def _tasks(ranges: Iterator[tuple[int, int]], design: Design, spec: SweepSpec) -> Iterator[ChunkTask]:
    for start, stop in ranges:
        first, last = start // spec.reps, (stop - 1) // spec.reps
        yield ChunkTask(spec, start, stop, first, design.points[first:last + 1])


def _failed_so_far(store: Store) -> int:
    failed = 0
    for path in store.summary_files():
        errors = pq.read_table(path, columns=["error"]).column("error")
        failed += len(errors) - errors.null_count
    return failed


def run_sweep(scenario: str | Path, *, grid: GridSpec = None, lhs: RangeSpec = None,
              sobol: RangeSpec = None, samples: int | None = None, reps: int = 1, seed: int = 0,
              weeks: int | None = None, workers: int | None = None, backend: str = "process",
              scheduler: str | None = None, out: str | Path, resume: bool = False,
              timeseries: bool = False, quiet: bool = False,
              sets: Mapping[str, Any] | Sequence[str] | None = None,
              chunk_size: int | None = None, command: Sequence[str] | str | None = None,
              progress_interval: float = 10.0) -> SweepStats:
    """Run (or finish) a sweep into ``out`` without loading its table; see :func:`sweep`."""
    # Every argument is checked before the folder is touched: a refusal changes nothing.
    if scheduler is not None:
        scheduler = check_scheduler(scheduler)
        backend = "dask"  # an address only makes sense for a Dask cluster
    if backend not in BACKENDS:
        raise SweepError(f"--backend: got {backend!r}; allowed: {', '.join(BACKENDS)}")
    workers = _whole(workers if workers is not None else min(os.cpu_count() or 1, MAX_WORKERS),
                     "--workers", 1, MAX_WORKERS)
    if chunk_size is not None:
        chunk_size = _whole(chunk_size, "--chunk-size", 1)
    root = require_folder_path(out, "--out")
    identity, design, spec = prepare(scenario, grid=grid, lhs=lhs, sobol=sobol, samples=samples,
                                     reps=reps, seed=seed, weeks=weeks, timeseries=timeseries,
                                     sets=sets)
    digest = design_hash(identity)
    command_text = _command(command)
    store = Store(root)
    _look_before(store, identity, digest, resume, command_text)

    # Only what this call creates is removed if it fails before any chunk is written.
    created = [path for path in _own_paths(store) if not path.exists()]
    folders = missing_folders(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = WriterLock(root)
        lock.acquire(command_text)
    except BaseException as exc:
        remove_created([*created, *folders])
        if isinstance(exc, OSError):
            raise os_failure(exc, root) from None
        raise
    finished = False
    try:
        if lock.stale:
            _say(f"the last writer of {root} ({describe(lock.stale)}) is gone; its lock was "
                 "stale and is taken over")
        manifest = _check_folder(store, identity, digest, resume, command_text)
        stats = _run_locked(store, manifest, design, spec, workers, backend, scheduler, quiet,
                            chunk_size, progress_interval)
        finished = True
        return stats
    except OSError as exc:
        kept = store.manifest_path.exists() and (store.manifest_path not in created
                                                 or _has_chunks(store))
        raise os_failure(exc, root, "run the same command with --resume" if kept
                         else "run the same command again") from None
    finally:
        undo = not finished and not _has_chunks(store)
        # The lock file goes while still held: filelock refuses a lock on an unlinked file,
        # so no second writer can be holding it.
        if undo:
            remove_created(created)
        with contextlib.suppress(OSError):
            lock.release()
        if undo:
            remove_created(folders)


def _run_locked(store: Store, manifest: dict[str, Any], design: Design, spec: SweepSpec,
                workers: int, backend: str, scheduler: str | None, quiet: bool,
                chunk_size: int | None, progress_interval: float) -> SweepStats:
    store.prepare(spec.timeseries)
    total = len(design) * spec.reps
    done_ranges = store.verify(_say, quarantine=True, rerun=True)
    done = sum(b - a for a, b in done_ranges)
    remaining = total - done
    began = time.perf_counter()
    # Connect before the manifest is written: a bad --scheduler leaves the folder untouched.
    runner = make_backend(backend, workers, scheduler, _say) if remaining else None
    # An existing cluster has as many workers as it has, whatever --workers says.
    taper = getattr(runner, "workers", 1) if chunk_size is None else 0
    if chunk_size is None:
        chunk_size = max(1, min(MAX_CHUNK, math.ceil(remaining / (max(1, taper)
                                                                  * CHUNKS_PER_WORKER))))
    model_seconds = 0.0
    lost: list[Lost] = []
    ran = 0
    finished = False
    try:
        store.write_manifest(manifest)
        progress = Progress(total, done=done, failed=_failed_so_far(store), quiet=quiet,
                            interval=progress_interval)
        try:
            if runner is not None:
                chunks = plan_chunks(total, done_ranges, chunk_size,
                                     taper_workers=taper if taper > 1 else 0)
                for result in runner.map(_tasks(chunks, design, spec)):
                    if isinstance(result, Lost):
                        lost.append(result)
                        continue
                    store.write_chunk(result.start, result.stop, result.summary,
                                      result.timeseries)
                    model_seconds += result.model_seconds
                    ran += result.stop - result.start
                    progress.update(result.stop - result.start, result.failed)
            finished = not lost
        finally:
            progress.close(finished=finished)
    finally:
        if runner is not None:
            runner.close()
    seconds = time.perf_counter() - began
    if lost:
        missing = sum(item.stop - item.start for item in lost)
        raise SweepIncomplete(f"{missing:,} runs in {len(lost)} chunks could not be run "
                              f"({lost[0].reason}); allowed: run the same command with --resume "
                              "to retry them")
    manifest["complete"] = True
    store.write_manifest(manifest)
    return SweepStats(store.root, total, progress.done, progress.failed, ran, seconds,
                      model_seconds, getattr(runner, "name", "none"),
                      getattr(runner, "workers", 0), chunk_size)


def load_summary(out: str | Path) -> pd.DataFrame:
    """The summary table of a sweep folder, one row per run, sorted by run id (verified
    chunks only; see :func:`negotiate.sweep.lock.readable_chunks`)."""
    files = readable_chunks(Store(out), _say)
    if not files:
        raise SweepError(f"{out} has no summary chunk files; allowed: a folder written by "
                         "'negotiate sweep'")
    table = pq.ParquetDataset([str(f) for f in files]).read()
    return table.to_pandas().sort_values("run_id", kind="stable").reset_index(drop=True)


def sweep(scenario: str | Path, *, grid: GridSpec = None, lhs: RangeSpec = None,
          sobol: RangeSpec = None, samples: int | None = None, reps: int = 1, seed: int = 0,
          weeks: int | None = None, workers: int | None = None, backend: str = "process",
          scheduler: str | None = None, out: str | Path, resume: bool = False,
          timeseries: bool = False, quiet: bool = False,
          sets: Mapping[str, Any] | Sequence[str] | None = None,
          chunk_size: int | None = None) -> pd.DataFrame:
    """Run a parameter sweep and return its summary table (one row per run).

    ``grid`` maps keys to values (or takes ``"KEY=V1,V2"`` strings); ``lhs``/``sobol`` map keys
    to ``(lo, hi)`` (or ``"KEY=LO:HI"``) with ``samples``. Each design point runs ``reps``
    times with seeds spawned from ``seed``. Results go to ``out`` as Parquet chunks; with
    ``resume=True`` a killed sweep is finished. The returned table is loaded from ``out``; for
    sweeps too big to hold in memory use :func:`run_sweep` and query the folder instead.
    """
    command = "negotiate.sweep(" + ", ".join(
        [repr(str(scenario))] + [f"{k}={v!r}" for k, v in {
            "grid": grid, "lhs": lhs, "sobol": sobol, "samples": samples, "reps": reps,
            "seed": seed, "weeks": weeks, "workers": workers, "backend": backend,
            "scheduler": scheduler, "out": str(out), "resume": resume,
            "timeseries": timeseries, "sets": sets, "chunk_size": chunk_size}.items()
            if v is not None]) + ")"
    run_sweep(scenario, grid=grid, lhs=lhs, sobol=sobol, samples=samples, reps=reps, seed=seed,
              weeks=weeks, workers=workers, backend=backend, scheduler=scheduler, out=out,
              resume=resume, timeseries=timeseries, quiet=quiet, sets=sets,
              chunk_size=chunk_size, command=command)
    return load_summary(out)

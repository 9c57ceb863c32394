"""What runs on a worker: one chunk of consecutive runs -> Parquet bytes.

This module is imported by process-pool children and Dask workers, so it stays light and
free of parent state. The base scenario (file + ``--set`` + weeks) is parsed once per worker
process and reused: reading TOML costs about as much as a short run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from ..agents import firm_week
from ..runner import run
from ..scenario import FIELDS, TradeScenario, build_scenario, load_scenario, validate
from .rows import RowBuffer, failed_row, flatten_summary, summary_schema, table_bytes
from .seeds import run_seed, split_run_id


@dataclass(frozen=True)
class SweepSpec:
    """Everything a worker needs besides the chunk's own points (small, sent with each task)."""

    scenario: str
    sets: tuple[tuple[str, Any], ...]
    keys: tuple[str, ...]
    reps: int
    root: int
    timeseries: bool


@dataclass(frozen=True)
class ChunkTask:
    """Runs ``start`` .. ``stop - 1``; ``points`` holds design points ``first_point`` onward."""

    spec: SweepSpec
    start: int
    stop: int
    first_point: int
    points: tuple[tuple[Any, ...], ...]


@dataclass
class ChunkOutput:
    start: int
    stop: int
    failed: int
    summary: bytes
    #: weekly tables by name ("model", "governments"), only with --timeseries
    timeseries: dict[str, bytes]
    #: seconds inside ``negotiate.run`` (the overhead figure's baseline; in no table)
    model_seconds: float


@dataclass(frozen=True)
class _Base:
    values: dict[str, Any]
    name: str
    params: dict[str, Any]


_BASES: dict[tuple[str, tuple[tuple[str, Any], ...]], _Base] = {}


def _base(spec: SweepSpec) -> _Base:
    cache_key = (spec.scenario, spec.sets)
    base = _BASES.get(cache_key)
    if base is None:
        scenario = load_scenario(spec.scenario, dict(spec.sets))
        values = {name: getattr(scenario, name) for name in FIELDS}
        base = _Base(values, scenario.name, scenario.params())
        _BASES[cache_key] = base
    return base


def _scenario(base: _Base, point: dict[str, Any], seed: int) -> TradeScenario:
    values = dict(base.values)
    values.update(validate(point, "design"))
    scenario = build_scenario(values, seed=seed, source="design")
    scenario.name = base.name
    return scenario


def run_chunk(task: ChunkTask) -> ChunkOutput:
    """Run every run of ``task``; a run that raises becomes a row with its error."""
    spec = task.spec
    base = _base(spec)
    rows = RowBuffer(summary_schema())
    weekly: dict[str, list[pa.Table]] = {"model": [], "governments": []}
    failed = 0
    model_seconds = 0.0
    for run_id in range(task.start, task.stop):
        point_index, rep = split_run_id(run_id, spec.reps)
        point = dict(zip(spec.keys, task.points[point_index - task.first_point], strict=True))
        seed = run_seed(spec.root, point_index, rep)
        try:
            scenario = _scenario(base, point, seed)
            began = time.perf_counter()
            result = run(scenario, seed=seed)
            model_seconds += time.perf_counter() - began
            row = flatten_summary(result.summary)
            if spec.timeseries:
                for name, frame in (("model", result.model_table),
                                    ("governments", result.government_table)):
                    frame.insert(0, "seed", seed)
                    frame.insert(0, "run_id", run_id)
                    weekly[name].append(pa.Table.from_pandas(frame, preserve_index=False))
        except Exception as exc:  # noqa: BLE001 - any model failure must become a row
            row = failed_row({**base.params, **point}, exc)
            row["scenario"] = base.name
            failed += 1
        row.update(run_id=run_id, point=point_index, rep=rep, seed=seed, version=_version())
        rows.append(row)
    timeseries = {name: table_bytes(pa.concat_tables(tables, promote_options="permissive"))
                  for name, tables in weekly.items() if tables}
    return ChunkOutput(task.start, task.stop, failed, rows.to_parquet(), timeseries, model_seconds)


# A process pool's fork server imports this module first: the firms' compiled week is loaded
# there once, and every child forked from it starts with it in memory.
firm_week.load()


def _version() -> str:
    from ..version import __version__

    return __version__

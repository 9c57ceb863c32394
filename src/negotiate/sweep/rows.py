"""One sweep row per run: a fixed Arrow schema, so every chunk file has the same columns and
types whether its runs succeeded or failed (a chunk of failures would otherwise infer nulls
and break reading the folder as one table)."""

from __future__ import annotations

import functools
import io
import traceback
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..params import Flag, Range
from ..scenario import FIELDS

#: Free-text scenario metadata: recorded once in the manifest, not in a million rows.
TEXT_KEYS = ("title", "description", "sources")
PARAM_PREFIX = "param."

RUN_COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("run_id", pa.int64()),
    ("point", pa.int64()),
    ("rep", pa.int64()),
    ("seed", pa.int64()),
    ("scenario", pa.string()),
    ("version", pa.string()),
    ("error", pa.string()),
    ("weeks", pa.int64()),
    ("outcome", pa.string()),
    ("outcome_reason", pa.string()),
    ("detente_index", pa.float64()),
    ("detente_mean", pa.float64()),
    ("accusations_us", pa.int64()),
    ("accusations_cn", pa.int64()),
    ("false_accusations_us", pa.int64()),
    ("false_accusations_cn", pa.int64()),
    ("snapbacks", pa.int64()),
    ("agreements", pa.int64()),
    ("agreement_in_force", pa.bool_()),
    ("truce_lapse_week", pa.int64()),
    ("mean_payoff_us", pa.float64()),
    ("mean_payoff_cn", pa.float64()),
    ("cooperation_share", pa.float64()),
    ("rare_earth_flow_min", pa.float64()),
)
#: Summary keys that are not copied from the run's summary (set by the sweep itself).
SWEEP_COLUMNS = ("run_id", "point", "rep", "error")


@functools.cache
def param_keys() -> tuple[str, ...]:
    return tuple(f.key for f in FIELDS.values() if f.key not in TEXT_KEYS and f.key != "events")


@functools.cache
def _param_columns() -> tuple[tuple[str, str], ...]:
    return tuple((k, PARAM_PREFIX + k) for k in param_keys())


def _param_type(key: str) -> pa.DataType:
    field_ = next(f for f in FIELDS.values() if f.key == key)
    if isinstance(field_.spec, Flag):
        return pa.bool_()
    if isinstance(field_.spec, Range):
        return pa.int64() if field_.kind is int else pa.float64()
    return pa.string()


@functools.cache
def summary_schema() -> pa.Schema:
    params = [(PARAM_PREFIX + k, _param_type(k)) for k in param_keys()]
    return pa.schema(list(RUN_COLUMNS) + params)


def param_value(value: Any) -> Any:
    # Subsets (controlled elements) become "Dy,Tb" so the column stays a plain string.
    if isinstance(value, list | tuple):
        return ",".join(map(str, value))
    return value


def flatten_summary(summary: Mapping[str, Any]) -> dict[str, Any]:
    """``negotiate.run(...).summary`` -> one flat row (nested dicts become ``name_side``)."""
    row: dict[str, Any] = {}
    for key, value in summary.items():
        if key == "params":
            continue
        if isinstance(value, Mapping):
            for sub, sub_value in value.items():
                row[f"{key}_{sub}"] = sub_value
        else:
            row[key] = value
    params = summary.get("params", {})
    for key, column in _param_columns():
        value = params.get(key)
        row[column] = ",".join(map(str, value)) if isinstance(value, list | tuple) else value
    return row


def failed_row(params: Mapping[str, Any], exc: BaseException) -> dict[str, Any]:
    """The row of a run that raised: its parameters and the error, nothing measured."""
    row: dict[str, Any] = {PARAM_PREFIX + k: param_value(params.get(k)) for k in param_keys()}
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f" (at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})" if where else ""
    row["error"] = f"{type(exc).__name__}: {exc}{place}"
    return row


class RowBuffer:
    """Column lists for one chunk, in schema order."""

    def __init__(self, schema: pa.Schema):
        self.schema = schema
        self.columns: dict[str, list[Any]] = {name: [] for name in schema.names}

    def append(self, row: Mapping[str, Any]) -> None:
        for name, column in self.columns.items():
            column.append(row.get(name))

    def __len__(self) -> int:
        return len(self.columns["run_id"])

    def to_parquet(self) -> bytes:
        return table_bytes(pa.Table.from_pydict(self.columns, schema=self.schema))


def table_bytes(table: pa.Table) -> bytes:
    """A Parquet file (zstd) in memory: workers return bytes, the parent only writes them."""
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()

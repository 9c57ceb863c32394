"""The output folder: a manifest and Parquet chunk files, each written atomically.

Layout::

    DIR/manifest.json                       design, design hash, scenario, version, command
    DIR/chunks.jsonl                        one line per written chunk: run range, rows, SHA-256
    DIR/summary/runs-<start>-<stop>.parquet one row per run, runs start..stop-1
    DIR/timeseries/<table>/runs-<start>-<stop>.parquet   (with --timeseries)
    DIR/quarantine/...                      damaged chunks moved aside, never read
    DIR/.writer.lock, DIR/writer.json       the writer's lock and who holds it (see lock.py)

A chunk's summary file is its commit mark: it is renamed into place last, so readers never
see half a file. Its record in ``chunks.jsonl`` is appended right after. Resume and report
verify every chunk against its record (a chunk a kill left unrecorded is checked by its
content instead); a damaged one is moved to ``quarantine/`` and its runs count as missing.
Resume recomputes the missing ranges from the verified chunks, whatever chunk size made them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import NegotiateError

MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
QUARANTINE = "quarantine"
FORMAT = 1
#: Digits of a run id in a chunk file's name (fixed, so that names sort by run).
RUN_DIGITS = 10
_CHUNK = re.compile(rf"^runs-(\d{{{RUN_DIGITS}}})-(\d{{{RUN_DIGITS}}})\.parquet$")
#: A file :func:`atomic_write` was writing when its writer was killed (never renamed).
_TEMPORARY = re.compile(rf"^\.(runs-\d{{{RUN_DIGITS}}}-\d{{{RUN_DIGITS}}}\.parquet|"
                        rf"{re.escape(MANIFEST)})\.\d+\.tmp$")
#: The most design points one sweep may have. The parent holds every point and lists them
#: all in manifest.json (a million three-key points take about 0.8 GB and 15 s to lay out);
#: replications are not laid out, so they are bounded only by :data:`MAX_RUNS`.
MAX_POINTS = 1_000_000
#: The most runs (design points x replications) one sweep may have: as many as a chunk
#: file's name can number (RUN_DIGITS digits), far within int64 run ids.
MAX_RUNS = 10**RUN_DIGITS - 1


class SweepError(NegotiateError):
    """The output folder or the sweep's options are unusable; the message says why."""


class SweepIncomplete(SweepError):
    """The machinery failed part-way (workers, scheduler): the runs done are kept, and the
    same command with ``--resume`` finishes the rest. An environmental failure: exit 1."""

    exit_code = 1


def missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist yet, deepest first: what
    creating it creates, and what undoing that removes."""
    return [p for p in (folder, *folder.parents) if not p.exists()]


def remove_created(paths: list[Path]) -> None:
    """Remove ``paths`` that this process created (children before their folders): files
    are unlinked, folders removed only if empty, so anything someone else put there stays."""
    for path in paths:
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink(missing_ok=True)


def design_hash(identity: dict[str, Any]) -> str:
    """A stable hash of everything that decides a sweep's rows."""
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"), default=list)
    return hashlib.sha256(text.encode()).hexdigest()


def chunk_name(start: int, stop: int) -> str:
    return f"runs-{start:0{RUN_DIGITS}d}-{stop:0{RUN_DIGITS}d}.parquet"


def check_total_runs(points: int, reps: int) -> None:
    """Refuse a sweep of more than :data:`MAX_POINTS` design points or :data:`MAX_RUNS`
    runs, before its design is laid out."""
    if points > MAX_POINTS:
        raise SweepError(f"the design would have {points:,} points; allowed: at most "
                         f"{MAX_POINTS:,} points per sweep (fewer values or --samples; "
                         "--reps replicates each point without laying it out again)")
    total = points * reps
    if total > MAX_RUNS:
        raise SweepError(f"the sweep would have {total:,} runs (design points x --reps = "
                         f"{points:,} x {reps:,}); allowed: at most {MAX_RUNS:,} runs per sweep "
                         "(fewer points or --reps, or several sweeps with different --seed)")


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    # Temporary name in the same folder, then rename: readers and resumes never see half a file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        # Name the folder the person chose, not a temporary file they never heard of.
        raise OSError(exc.errno, exc.strerror, str(path.parent)) from None


#: What every manifest holds, and its JSON type (what readers and --resume rely on).
_MANIFEST_FIELDS: dict[str, type | tuple[type, ...]] = {
    "format": int, "scenario": str, "scenario_params": dict, "sets": dict, "design": dict,
    "reps": int, "seed": int, "timeseries": bool, "version": str, "design_hash": str,
    "total_runs": int, "command": str, "created": str, "resumed": list, "complete": bool,
}
_JSON_NAMES = {int: "a whole number", float: "a number", str: "text", dict: "an object",
               list: "a list", bool: "true or false", type(None): "null"}


def _kind_of(value: Any, expected: type) -> bool:
    # JSON true/false are Python bools, which are also ints.
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def manifest_problem(manifest: Any) -> str | None:
    """Why ``manifest`` (parsed JSON) is not what 'negotiate sweep' writes, or None."""
    if not isinstance(manifest, dict):
        return f"it is {_JSON_NAMES.get(type(manifest), 'not JSON')}, not an object"
    for name, expected in _MANIFEST_FIELDS.items():
        if name not in manifest:
            return f"no {name!r}"
        if not _kind_of(manifest[name], expected):
            return f"{name!r} is not {_JSON_NAMES[expected]}"
    if manifest["format"] != FORMAT:
        return f"format {manifest['format']}, not {FORMAT}"
    if manifest["reps"] < 1 or manifest["seed"] < 0:
        return "'reps' below 1 or 'seed' below 0"
    design = manifest["design"]
    from .design import KINDS

    if design.get("kind") not in KINDS:
        return f"design kind {design.get('kind')!r} is not one of {', '.join(KINDS)}"
    keys, points, request = design.get("keys"), design.get("points"), design.get("request")
    if not (isinstance(keys, list) and all(isinstance(k, str) for k in keys)):
        return "design 'keys' is not a list of keys"
    if not isinstance(request, dict):
        return "design 'request' is not an object"
    if not (isinstance(points, list) and points
            and all(isinstance(p, list) and len(p) == len(keys) for p in points)):
        return f"design 'points' is not a list of points with {len(keys)} values each"
    if manifest["total_runs"] != len(points) * manifest["reps"]:
        return (f"'total_runs' {manifest['total_runs']} is not {len(points)} points x "
                f"{manifest['reps']} reps")
    if design["kind"] == "grid":
        values = request.get("values")
        if not (isinstance(values, dict) and all(isinstance(values.get(k), list) for k in keys)):
            return "design 'request' has no list of values for every key"
    if design["kind"] in ("lhs", "sobol"):
        ranges = request.get("ranges")
        if not (isinstance(ranges, dict) and all(
                isinstance(ranges.get(k), list) and len(ranges[k]) == 2
                and all(_kind_of(b, int) or isinstance(b, float) for b in ranges[k])
                for k in keys)):
            return "design 'request' has no LO, HI range for every key"
        if not _kind_of(request.get("samples"), int):
            return "design 'request' has no whole number 'samples'"
    return None


class Store:
    """One sweep's output folder."""

    def __init__(self, out: str | Path):
        self.root = Path(out)
        self.summary_dir = self.root / "summary"
        self.timeseries_dir = self.root / "timeseries"

    # -- manifest ----------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def read_manifest(self) -> dict[str, Any] | None:
        """The folder's manifest (None if it has none), refused unless it has the shape
        'negotiate sweep' writes."""
        try:
            manifest = json.loads(self.manifest_path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise SweepError(f"{self.manifest_path} cannot be read ({exc}); allowed: a folder "
                             "written by 'negotiate sweep'") from None
        problem = manifest_problem(manifest)
        if problem:
            raise SweepError(f"{self.manifest_path} is not a sweep's manifest ({problem}); "
                             "allowed: a folder written by 'negotiate sweep'")
        return manifest

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write(self.manifest_path, json.dumps(manifest, indent=1).encode())

    # -- chunks ------------------------------------------------------------------------
    def _table_dirs(self) -> list[Path]:
        """summary/ and each timeseries/<table>/ that exists."""
        dirs = [self.summary_dir] if self.summary_dir.is_dir() else []
        if self.timeseries_dir.is_dir():
            dirs += sorted(p for p in self.timeseries_dir.iterdir() if p.is_dir())
        return dirs

    def foreign_files(self) -> list[Path]:
        """What in summary/ and timeseries/ no sweep writes (a sweep is not written beside
        someone else's files: its clean-up could not tell them apart)."""
        def foreign(folder: Path) -> list[Path]:
            return [p for p in sorted(folder.iterdir()) if p.is_symlink() or not p.is_file()
                    or not (_CHUNK.match(p.name) or _TEMPORARY.match(p.name))]

        found = [p for p in (self.summary_dir, self.timeseries_dir)
                 if p.exists() and not p.is_dir()]
        if self.summary_dir.is_dir():
            found += foreign(self.summary_dir)
        if self.timeseries_dir.is_dir():
            for table in sorted(self.timeseries_dir.iterdir()):
                found += (foreign(table) if table.is_dir() and not table.is_symlink()
                          else [table])
        return found

    def prepare(self, timeseries: bool) -> None:
        try:
            self.summary_dir.mkdir(parents=True, exist_ok=True)
            if timeseries:
                self.timeseries_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SweepError(f"cannot create {self.root} ({exc.strerror}); allowed: a writable "
                             "folder", ) from None
        # Leftovers of a killed writer: never renamed, so never part of the table. Only its
        # own temporary names, and only where it writes: other files are not the sweep's.
        for folder in (self.root, *self._table_dirs()):
            for tmp in folder.iterdir():
                if _TEMPORARY.match(tmp.name) and tmp.is_file():
                    tmp.unlink(missing_ok=True)

    def done_ranges(self) -> list[tuple[int, int]]:
        """Run ranges already written, sorted."""
        if not self.summary_dir.is_dir():
            return []
        ranges = []
        for entry in os.scandir(self.summary_dir):
            match = _CHUNK.match(entry.name)
            if match:
                ranges.append((int(match[1]), int(match[2])))
        return sorted(ranges)

    def summary_files(self) -> list[Path]:
        return [self.summary_dir / chunk_name(a, b) for a, b in self.done_ranges()]

    def write_chunk(self, start: int, stop: int, summary: bytes,
                    timeseries: dict[str, bytes] | None = None) -> None:
        name = chunk_name(start, stop)
        sums = {}
        for table, data in (timeseries or {}).items():
            folder = self.timeseries_dir / table
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write(folder / name, data)
            sums[table] = checksum(data)
        atomic_write(self.summary_dir / name, summary)
        self._record({"start": start, "stop": stop, "rows": stop - start,
                      "sha256": checksum(summary), "timeseries": sums})

    # -- chunk records and verification --------------------------------------------------
    @property
    def chunks_path(self) -> Path:
        return self.root / CHUNKS

    def _record(self, record: dict[str, Any]) -> None:
        # One short append per chunk: no rewrite of a growing file on every chunk.
        with open(self.chunks_path, "a") as fh:
            fh.write(json.dumps(record, separators=(",", ":")) + "\n")

    def records(self) -> dict[tuple[int, int], dict[str, Any]]:
        """The latest record of each run range (a torn last line, from a kill, is skipped)."""
        found: dict[tuple[int, int], dict[str, Any]] = {}
        try:
            text = self.chunks_path.read_text()
        except FileNotFoundError:
            return found
        for line in text.splitlines():
            try:
                record = json.loads(line)
                found[(int(record["start"]), int(record["stop"]))] = record
            except (ValueError, KeyError, TypeError):
                continue
        return found

    def _chunk_files(self, name: str) -> dict[str, Path]:
        files = {"summary": self.summary_dir / name}
        if self.timeseries_dir.is_dir():
            for folder in sorted(self.timeseries_dir.iterdir()):
                if (folder / name).exists():
                    files[folder.name] = folder / name
        return files

    def problem(self, start: int, stop: int,
                record: dict[str, Any] | None) -> str | None:
        """Why the chunk of runs ``start``..``stop - 1`` cannot be trusted, or None."""
        files = self._chunk_files(chunk_name(start, stop))
        if record is not None:
            expected = {"summary": record.get("sha256"), **record.get("timeseries", {})}
            for table, digest in expected.items():
                path = files.get(table)
                if path is None:
                    return f"its {table} table is missing"
                data = path.read_bytes()
                if not data:
                    return f"its {table} file is empty"
                if checksum(data) != digest:
                    return f"its {table} file does not match the checksum in {CHUNKS}"
            return None
        # Written but not recorded (a kill between the rename and the record): check content.
        import pyarrow.parquet as pq

        for table, path in files.items():
            if path.stat().st_size == 0:
                return f"its {table} file is empty"
            try:
                meta = pq.read_metadata(path)
                if table == "summary":
                    ids = pq.read_table(path, columns=["run_id"]).column(0).to_pylist()
            except Exception as exc:  # noqa: BLE001 - any unreadable Parquet is damage
                return f"its {table} file is not readable Parquet ({type(exc).__name__})"
            if table == "summary" and (meta.num_rows != stop - start
                                       or ids != list(range(start, stop))):
                return f"it holds {meta.num_rows} rows, not runs {start} to {stop - 1}"
        return None

    def verify(self, say: Callable[[str], None], *, quarantine: bool,
               rerun: bool) -> list[tuple[int, int]]:
        """The run ranges of trustworthy chunks, sorted; damaged chunks are reported with one
        line each. Only with ``quarantine`` (the caller holds the writer lock) is the folder
        changed: damaged chunks moved to ``quarantine/``, unrecorded good ones recorded.
        Overlaps are refused."""
        records = self.records()
        good: list[tuple[int, int]] = []
        for start, stop in self.done_ranges():
            record = records.get((start, stop))
            why = self.problem(start, stop, record)
            if why is None:
                if record is None and quarantine:
                    self._record({"start": start, "stop": stop, "rows": stop - start,
                                  "sha256": checksum((self.summary_dir / chunk_name(start, stop))
                                                     .read_bytes()),
                                  "timeseries": {t: checksum(p.read_bytes()) for t, p in
                                                 self._chunk_files(chunk_name(start, stop)).items()
                                                 if t != "summary"}})
                good.append((start, stop))
                continue
            name = f"summary/{chunk_name(start, stop)}"
            then = (f"its runs {start} to {stop - 1} will be run again" if rerun else
                    f"runs {start} to {stop - 1} are left out (run the sweep again with "
                    "--resume to redo them)")
            if quarantine:
                self._quarantine(chunk_name(start, stop))
                say(f"{self.root / name} is damaged ({why}); moved to "
                    f"{self.root / QUARANTINE}/, {then}")
            else:
                say(f"{self.root / name} is damaged ({why}); {then}")
        check_no_overlap(good)
        return good

    def _quarantine(self, name: str) -> None:
        for table, path in self._chunk_files(name).items():
            sub = "summary" if table == "summary" else f"timeseries/{table}"
            target = self.root / QUARANTINE / sub / name
            target.parent.mkdir(parents=True, exist_ok=True)
            copy = 1
            while target.exists():
                target = target.with_name(f"{name}.{copy}")
                copy += 1
            os.replace(path, target)


def check_no_overlap(done: list[tuple[int, int]]) -> None:
    """Refuse chunk files whose run ranges overlap: their rows would be counted twice."""
    for (a, b), (c, d) in zip(done, done[1:], strict=False):
        if c < b:
            raise SweepError(f"summary/{chunk_name(a, b)} and summary/{chunk_name(c, d)} "
                             f"overlap (runs {c} to {min(b, d) - 1} are in both); allowed: a "
                             "folder written by one sweep (move the extra file out, or start "
                             "a new folder)")


def missing_ranges(total: int, done: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The gaps in ``0 .. total - 1`` not covered by ``done`` (sorted, non-overlapping)."""
    check_no_overlap(done)
    cursor = 0
    for start, stop in done:
        if start > cursor:
            yield cursor, start
        cursor = stop
    if cursor < total:
        yield cursor, total


#: A tapered chunk is never smaller than this fraction of the chunk size (tiny chunks cost a
#: task and a file each).
TAPER_FLOOR = 8


def plan_chunks(total: int, done: list[tuple[int, int]], chunk_size: int, *,
                taper_workers: int = 0) -> Iterator[tuple[int, int]]:
    """Chunks of at most ``chunk_size`` runs covering exactly the missing runs.

    With ``taper_workers``, the last chunks shrink (each at most 1/(2 x workers) of the runs
    not yet planned, down to ``chunk_size / TAPER_FLOOR``): the workers then finish within a
    small chunk of each other, instead of all but one waiting for a last big chunk.
    """
    gaps = list(missing_ranges(total, done))
    left = sum(stop - start for start, stop in gaps)
    floor = max(1, chunk_size // TAPER_FLOOR)
    for gap_start, gap_stop in gaps:
        start = gap_start
        while start < gap_stop:
            size = chunk_size
            if taper_workers:
                size = min(chunk_size, max(floor, math.ceil(left / (2 * taper_workers))))
            stop = min(start + size, gap_stop)
            yield start, stop
            left -= stop - start
            start = stop

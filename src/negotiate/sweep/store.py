"""The output folder: a manifest and Parquet chunk files, each written atomically.

Layout::

    DIR/manifest.json                       design, design hash, scenario, version, command
    DIR/summary/runs-<start>-<stop>.parquet one row per run, runs start..stop-1
    DIR/timeseries/<table>/runs-<start>-<stop>.parquet   (with --timeseries)

A chunk's summary file is its commit mark: it is renamed into place last, so after a hard
kill every summary file is whole and every run it names is done. Resume recomputes the
missing ranges from the file names alone, whatever chunk size made them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import NegotiateError

MANIFEST = "manifest.json"
FORMAT = 1
_CHUNK = re.compile(r"^runs-(\d{10})-(\d{10})\.parquet$")


class SweepError(NegotiateError):
    """The output folder or the sweep's options are unusable; the message says why."""


def design_hash(identity: dict[str, Any]) -> str:
    """A stable hash of everything that decides a sweep's rows."""
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"), default=list)
    return hashlib.sha256(text.encode()).hexdigest()


def chunk_name(start: int, stop: int) -> str:
    return f"runs-{start:010d}-{stop:010d}.parquet"


def atomic_write(path: Path, data: bytes) -> None:
    # Temporary name in the same folder, then rename: readers and resumes never see half a file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


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
        try:
            return json.loads(self.manifest_path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise SweepError(f"{self.manifest_path} cannot be read ({exc}); allowed: a folder "
                             "written by 'negotiate sweep'") from None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write(self.manifest_path, json.dumps(manifest, indent=1).encode())

    # -- chunks ------------------------------------------------------------------------
    def prepare(self, timeseries: bool) -> None:
        try:
            self.summary_dir.mkdir(parents=True, exist_ok=True)
            if timeseries:
                self.timeseries_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SweepError(f"cannot create {self.root} ({exc.strerror}); allowed: a writable "
                             "folder", ) from None
        # Leftovers of a killed writer: never renamed, so never part of the table.
        for tmp in self.root.rglob(".*.tmp"):
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
        for table, data in (timeseries or {}).items():
            folder = self.timeseries_dir / table
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write(folder / name, data)
        atomic_write(self.summary_dir / name, summary)


def missing_ranges(total: int, done: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The gaps in ``0 .. total - 1`` not covered by ``done`` (sorted, non-overlapping)."""
    cursor = 0
    for start, stop in done:
        if start < cursor:
            raise SweepError(f"chunk files overlap at run {start}; allowed: a folder written "
                             "by one sweep (remove the extra files or start a new folder)")
        if start > cursor:
            yield cursor, start
        cursor = stop
    if cursor < total:
        yield cursor, total


def plan_chunks(total: int, done: list[tuple[int, int]], chunk_size: int) -> Iterator[tuple[int, int]]:
    """Chunks of at most ``chunk_size`` runs covering exactly the missing runs."""
    for gap_start, gap_stop in missing_ranges(total, done):
        for start in range(gap_start, gap_stop, chunk_size):
            yield start, min(start + chunk_size, gap_stop)

"""A run's tables in one folder, written all or nothing (``negotiate run --out``).

A folder that already holds a run's tables is refused unless the caller says to replace
them, so an earlier run is never silently overwritten. Every file is first written under a
temporary name; only when all of them are written are they renamed into place, so a failed
write leaves the folder as it was, never two runs' tables mixed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .oserrors import PathFailure, os_failure, require_folder_path, special_file_kind

TABLES = ("model", "agents", "governments", "events")
FORMATS = ("parquet", "csv")


def table_files(out: Path) -> list[Path]:
    return [out / f"{name}.{fmt}" for name in TABLES for fmt in FORMATS]


def check_folder(out: str | Path, *, force: bool = False) -> Path:
    """``out`` as a folder a run may write into, or one line saying why not (exit 2)."""
    target = require_folder_path(out, "--out")
    for path in table_files(target):
        if path.is_dir() or special_file_kind(path):
            raise PathFailure(f"--out: {path} is not a file; allowed: a folder whose table "
                              "names are free or hold an earlier run's tables", 2)
    if not force and target.is_dir():
        held = [p.name for p in table_files(target) if p.exists()]
        if held:
            raise PathFailure(f"--out: {target} already holds a run's tables ({', '.join(held[:3])}"
                              f"{', ...' if len(held) > 3 else ''}); allowed: --force to replace "
                              "them, or a new or empty folder", 2)
    return target


def write_all(frames: Mapping[str, pd.DataFrame], out: str | Path, *,
              force: bool = False) -> list[Path]:
    """Write each frame as ``<name>.parquet`` and ``<name>.csv`` in ``out``, all or nothing."""
    target = check_folder(out, force=force)
    tag = os.getpid()
    staged: list[tuple[Path, Path]] = []  # (temporary, final)
    aside: list[tuple[Path, Path]] = []  # (earlier run's file moved aside, its name)
    placed: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            for fmt in FORMATS:
                path = target / f"{name}.{fmt}"
                tmp = target / f".{path.name}.{tag}.tmp"
                staged.append((tmp, path))
                if fmt == "parquet":
                    frame.to_parquet(tmp, index=False)
                else:
                    frame.to_csv(tmp, index=False)
        # Only with --force: the earlier run's files step aside until the new set is in place.
        for _, path in staged:
            if path.exists() or path.is_symlink():
                old = target / f".{path.name}.{tag}.old"
                os.rename(path, old)
                aside.append((old, path))
        for tmp, path in staged:
            os.rename(tmp, path)
            placed.append(path)
    except OSError as exc:
        for path in placed:
            with contextlib.suppress(OSError):
                path.unlink()
        for old, path in aside:
            with contextlib.suppress(OSError):
                os.rename(old, path)
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        raise os_failure(exc, target) from None
    for old, _ in aside:
        with contextlib.suppress(OSError):
            old.unlink()
    return [path for _, path in staged]

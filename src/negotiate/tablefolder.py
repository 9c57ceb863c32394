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

from .oserrors import PathFailure, os_failure, require_folder_path

TABLES = ("model", "agents", "governments", "events")
FORMATS = ("parquet", "csv")


def table_files(out: Path) -> list[Path]:
    return [out / f"{name}.{fmt}" for name in TABLES for fmt in FORMATS]


def check_folder(out: str | Path, *, force: bool = False) -> Path:
    """``out`` as a folder a run may write into, or one line saying why not (exit 2)."""
    target = require_folder_path(out, "--out")
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
    staged: list[tuple[Path, Path]] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            for fmt in FORMATS:
                path = target / f"{name}.{fmt}"
                tmp = target / f".{path.name}.{os.getpid()}.tmp"
                staged.append((tmp, path))
                if fmt == "parquet":
                    frame.to_parquet(tmp, index=False)
                else:
                    frame.to_csv(tmp, index=False)
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        raise os_failure(exc, target) from None
    return [path for _, path in staged]

"""A run's tables in one folder, written all or nothing (``negotiate run --out``).

A folder that already holds a run's tables is refused unless the caller says to replace
them, so an earlier run is never silently overwritten. Every file is first written under a
temporary name; only when all of them are written are they renamed into place, so a failed
write leaves the folder as it was, never two runs' tables mixed. ``negotiate report`` keeps
its folder by the same rule, through :func:`check_free` and :func:`place_all`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from .oserrors import PathFailure, os_failure, require_folder_path, special_file_kind

TABLES = ("model", "agents", "governments", "events")
FORMATS = ("parquet", "csv")


def table_files(out: Path) -> list[Path]:
    return [out / f"{name}.{fmt}" for name in TABLES for fmt in FORMATS]


def check_free(target: Path, paths: Sequence[Path], *, what: str, names: str, earlier: str,
               force: bool = False) -> None:
    """Refuse (one line, exit 2) to write ``paths`` in ``target`` when one of them is a folder
    or a special file, or, unless ``force``, already exists: ``target`` then holds ``what``
    (e.g. "a run's tables"); ``names`` and ``earlier`` word what is allowed."""
    for path in paths:
        if path.is_dir() or special_file_kind(path):
            raise PathFailure(f"--out: {path} is not a file; allowed: a folder whose {names} "
                              f"are free or hold {earlier}", 2)
    if not force and target.is_dir():
        held = [str(p.relative_to(target)) for p in paths if p.exists()]
        if held:
            raise PathFailure(f"--out: {target} already holds {what} ({', '.join(held[:3])}"
                              f"{', ...' if len(held) > 3 else ''}); allowed: --force to replace "
                              "them, or a new or empty folder", 2)


def check_folder(out: str | Path, *, force: bool = False) -> Path:
    """``out`` as a folder a run may write into, or one line saying why not (exit 2)."""
    target = require_folder_path(out, "--out")
    check_free(target, table_files(target), what="a run's tables", names="table names",
               earlier="an earlier run's tables", force=force)
    return target


def _discard(staged: Sequence[tuple[Path, Path]]) -> None:
    for tmp, _ in staged:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def place_all(staged: Sequence[tuple[Path, Path]], target: Path) -> None:
    """Rename each written temporary file to its final name, all or nothing.

    ``staged`` holds (temporary, final) pairs, each on the final's file system; the finals'
    folders exist. Files already at the final names (the caller checked it may replace
    them) step aside until the whole new set is in place; on a failure they come back, the
    new files go, and the error is one line naming ``target``.
    """
    tag = os.getpid()
    aside: list[tuple[Path, Path]] = []  # (earlier file moved aside, its name)
    placed: list[Path] = []
    try:
        for _, path in staged:
            if path.exists() or path.is_symlink():
                old = path.with_name(f".{path.name}.{tag}.old")
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
        _discard(staged)
        raise os_failure(exc, target) from None
    for old, _ in aside:
        with contextlib.suppress(OSError):
            old.unlink()


def write_all(frames: Mapping[str, pd.DataFrame], out: str | Path, *,
              force: bool = False) -> list[Path]:
    """Write each frame as ``<name>.parquet`` and ``<name>.csv`` in ``out``, all or nothing."""
    target = check_folder(out, force=force)
    tag = os.getpid()
    staged: list[tuple[Path, Path]] = []  # (temporary, final)
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
    except OSError as exc:
        _discard(staged)
        raise os_failure(exc, target) from None
    # Only with --force: the earlier run's files step aside until the new set is in place.
    place_all(staged, target)
    return [path for _, path in staged]

"""One writer per sweep folder.

The lock is an operating-system file lock (``filelock``) on ``DIR/.writer.lock``, held for
the whole sweep. The kernel drops it when its holder dies, however it dies, so a lock can
never outlive its writer: a lock file whose lock can be taken again is stale by definition.
Beside it, ``DIR/writer.json`` says who holds it (host, PID, start time, command), for the
line a second writer or a report prints.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ..oserrors import os_failure
from .store import Store, SweepError, chunk_name

LOCK_FILE = ".writer.lock"
HOLDER_FILE = "writer.json"


def describe(holder: dict[str, Any] | None) -> str:
    if not holder:
        return "another process"
    return (f"PID {holder.get('pid', '?')} on {holder.get('host', '?')}, started "
            f"{holder.get('started', '?')}")


class WriterLock:
    """The exclusive writer lock of one folder (taken with :meth:`acquire`)."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = FileLock(str(root / LOCK_FILE), timeout=0)
        self.stale: dict[str, Any] | None = None

    @property
    def holder_path(self) -> Path:
        return self.root / HOLDER_FILE

    def holder(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.holder_path.read_text())
        except (OSError, ValueError):
            return None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; on success remember a stale holder's record."""
        try:
            self._lock.acquire()
        except Timeout:
            return False
        self.stale = self.holder()
        return True

    def _busy(self, holder: dict[str, Any] | None) -> SweepError:
        return SweepError(f"--out: {self.root} is being written by another sweep "
                          f"({describe(holder)}); allowed: wait for it to finish, or another "
                          "--out folder")

    def acquire(self, command: str) -> None:
        """Take the lock for a writer, or refuse with one line naming the holder."""
        if not self.try_acquire():
            raise self._busy(self.holder())
        record = {"host": socket.gethostname(), "pid": os.getpid(),
                  "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                  "command": command}
        self.holder_path.write_text(json.dumps(record, indent=1))

    def release(self, *, forget: bool = True) -> None:
        if not self._lock.is_locked:
            return
        try:
            if forget:
                self.holder_path.unlink(missing_ok=True)
        finally:
            # A holder record that cannot be removed (a read-only folder) is harmless: the
            # next writer finds the lock free and reports the record as stale.
            self._lock.release()

    def refuse_if_busy(self) -> None:
        """Refuse as :meth:`acquire` would if another process writes the folder now; takes
        nothing and creates no file (for a check before the folder is touched)."""
        holder = self.is_held_elsewhere()
        if holder is not None:
            raise self._busy(holder)

    def is_held_elsewhere(self) -> dict[str, Any] | None:
        """The holder's record if another process is writing now, else None (for readers)."""
        if not (self.root / LOCK_FILE).exists():
            return None
        if self.try_acquire():
            self._lock.release()
            return None
        return self.holder() or {}


def readable_chunks(store: Store, say: Callable[[str], None]) -> list[Path]:
    """The summary files a reader may use: verified, never overlapping. Says so if a sweep
    is still writing the folder; damaged chunks are quarantined unless a writer is at work
    (then they are only left out, and the writer's own --resume deals with them)."""
    if not store.root.is_dir():
        raise SweepError(f"{store.root} is not a folder; allowed: a folder written by "
                         "'negotiate sweep'")
    lock = WriterLock(store.root)
    try:
        try:
            holder = lock.is_held_elsewhere()
            mine = holder is None and lock.try_acquire()
        except OSError:  # a folder this reader may not write (someone else's results)
            holder, mine = None, False
        if holder is not None:
            say(f"{store.root} is still being written by a sweep ({describe(holder)}); "
                "this covers only the chunks finished so far")
        if mine:
            try:
                ranges = store.verify(say, quarantine=True, rerun=False)
            finally:
                lock.release(forget=False)
        else:  # read only: damaged chunks are left out, not moved
            ranges = store.verify(say, quarantine=False, rerun=False)
    except OSError as exc:
        raise os_failure(exc, store.root) from None
    return [store.summary_dir / chunk_name(a, b) for a, b in ranges]

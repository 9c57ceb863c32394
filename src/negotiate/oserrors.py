"""Operating-system failures on paths a person named, as one line each.

Every write the command line does (a sweep folder, a report, ``run --out``) ends up here when
the operating system says no, so the wording and the exit code are decided in one place:
exit 2 when the path given is the wrong kind of thing (bad input), exit 1 when the machine
or the file system is the problem (environmental).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import NegotiateError

#: errno -> (what happened, what to do, exit code)
_KNOWN: dict[int, tuple[str, str, int]] = {
    errno.EACCES: ("permission denied", "a folder you may write, or fix its permissions", 1),
    errno.EPERM: ("operation not permitted", "a folder you may write, or fix its permissions", 1),
    errno.EROFS: ("the file system is read-only", "a folder on a writable file system", 1),
    errno.ENOSPC: ("no space left on the device", "free some space (or choose a folder on "
                   "another disk), then {again}", 1),
    errno.EDQUOT: ("disk quota exceeded", "free some space, then {again}", 1),
    errno.EIO: ("input/output error", "check the disk, then {again}", 1),
    errno.ENOTDIR: ("a file stands where a folder is needed", "a folder path (not a file)", 2),
    errno.EISDIR: ("is a folder, not a file", "a file path", 2),
    errno.EEXIST: ("already exists and is not a folder", "a new or empty folder", 2),
    errno.ENAMETOOLONG: ("the name is too long", "a shorter path", 2),
}


class PathFailure(NegotiateError):
    """The operating system refused a path; the message names it and what to do."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def os_failure(exc: OSError, path: str | Path | None = None,
               again: str = "run the same command again") -> PathFailure:
    """One line for ``exc``, naming the path it concerns (the error's own, else ``path``);
    ``again`` says how to carry on once the cause is fixed."""
    where = _abbreviated(exc.filename if exc.filename is not None else path)
    what, todo, code = _KNOWN.get(exc.errno or 0, (exc.strerror or str(exc), "", 1))
    allowed = f"; allowed: {todo.format(again=again)}" if todo else f"; check the path, then {again}"
    return PathFailure(f"{where}: {what}{allowed}", code)


#: Longer paths are shortened in a message (a name too long for the file system may run to
#: thousands of characters); the start and the end are what a person recognises.
SHOWN_PATH_CHARS = 120


def _abbreviated(path: str | Path | None) -> str | Path | None:
    text = str(path) if path is not None else ""
    if len(text) <= SHOWN_PATH_CHARS:
        return path
    return f"{text[:80]}…{text[-30:]} ({len(text)} characters)"


def special_file_kind(path: str | Path) -> str | None:
    """``"a FIFO"``, ``"a device"``, ``"a socket"`` for such a path, else None.

    Opening a FIFO for reading blocks until something writes to it, so a path's type is
    checked before it is opened.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def require_folder_path(path: str | os.PathLike | None, flag: str) -> Path:
    """``path`` if it is a folder or can become one; else a one-line refusal (exit 2).

    An empty name is refused: as a path it would mean the current folder, which nobody typed.
    """
    if path is None or isinstance(path, str) and not path:
        raise PathFailure(f"{flag} is {'missing' if path is None else 'empty'}; allowed: the "
                          "path of a folder to write into", 2)
    if not isinstance(path, str | os.PathLike):
        raise PathFailure(f"{flag}: got {type(path).__name__}; allowed: the path of a folder to "
                          "write into", 2)
    target = Path(path)
    kind = special_file_kind(target)
    if kind is not None:
        raise PathFailure(f"{flag}: {target} is {kind}; allowed: a folder", 2)
    if target.exists() and not target.is_dir():
        raise PathFailure(f"{flag}: {target} is a file; allowed: a folder (new or empty)", 2)
    # A folder to be made under a file (notes.txt/out) could never be written: said now,
    # not after the work that would have filled it.
    for parent in target.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise PathFailure(f"{flag}: {_abbreviated(parent)} is a file, so {target} cannot be "
                                  "made; allowed: a folder path (not inside a file)", 2)
            break
    return target

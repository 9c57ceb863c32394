"""Progress: a tqdm bar on a terminal, plain lines otherwise (logs, CI, ``--quiet``).

Both show runs done, failed, remaining and the time left. Progress goes to stderr so that
stdout stays free for the command's result.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class Progress:
    """Counts runs as chunks finish; ``done`` includes runs from before a resume."""

    def __init__(self, total: int, *, done: int = 0, failed: int = 0, quiet: bool = False,
                 stream: TextIO | None = None, interval: float = 10.0):
        self.total = total
        self.done = done
        self.failed = failed
        self.stream = stream or sys.stderr
        self.interval = interval
        self._start_done = done
        self._began = time.monotonic()
        self._last_line = self._began
        tty = _isatty(sys.stdout) and _isatty(self.stream)
        self._bar = None
        if not quiet and tty:
            from tqdm import tqdm

            # A terminal that reports no width (some ptys, CI runners) would get no bar at all.
            width = _width(self.stream)
            self._bar = tqdm(total=total, initial=done, unit="run", file=self.stream,
                             dynamic_ncols=width is None, ncols=width, smoothing=0.1,
                             bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} done "
                             "[{elapsed}<{remaining}, {rate_fmt}]{postfix}")
            self._bar.set_postfix_str(self._counts(), refresh=False)
        else:
            self._line("started")

    @property
    def remaining(self) -> int:
        return self.total - self.done

    def eta(self) -> float | None:
        ran = self.done - self._start_done
        elapsed = time.monotonic() - self._began
        if ran <= 0 or elapsed <= 0:
            return None
        return self.remaining * elapsed / ran

    def _counts(self) -> str:
        return f"failed {self.failed:,}, remaining {self.remaining:,}"

    def _line(self, what: str) -> None:
        eta = self.eta()
        eta_text = f", ETA {_clock(eta)}" if eta is not None and self.remaining else ""
        print(f"sweep {what}: {self.done:,}/{self.total:,} runs done, {self._counts()}{eta_text}",
              file=self.stream, flush=True)

    def update(self, runs: int, failed: int = 0) -> None:
        self.done += runs
        self.failed += failed
        if self._bar is not None:
            self._bar.set_postfix_str(self._counts(), refresh=False)
            self._bar.update(runs)
            return
        now = time.monotonic()
        if now - self._last_line >= self.interval:
            self._last_line = now
            self._line("progress")

    def close(self, finished: bool = True) -> None:
        """End the bar; say "sweep finished" only if the sweep did finish (not on Ctrl-C or
        a failure, whose own line follows)."""
        if self._bar is not None:
            self._bar.close()
        if not finished:
            return
        elapsed = time.monotonic() - self._began
        ran = self.done - self._start_done
        rate = f", {ran / elapsed:,.0f} runs/s" if elapsed > 0 and ran else ""
        print(f"sweep finished: {self.done:,}/{self.total:,} runs done, {self._counts()} "
              f"in {_clock(elapsed)}{rate}", file=self.stream, flush=True)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width(stream: TextIO) -> int | None:
    import os

    try:
        return None if os.get_terminal_size(stream.fileno()).columns > 0 else 100
    except (AttributeError, ValueError, OSError):
        return 100

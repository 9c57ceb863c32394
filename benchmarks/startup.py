"""What a new process pays before its first week: a whole ``negotiate run`` as a user types
it, against a Python that only imports Mesa (the framework's own floor), in the same run.
And what ``negotiate --help`` (like ``--version`` or a bad flag) costs against a bare Python:
the command line is built without the model's dependencies, which load only for the work.

The firms' week is compiled (``agents/firm_week.py``), so a process also imports numba and
loads the compiled kernels from numba's cache; ``kernel_load_s`` times that alone in a fresh
process that has already imported the project. The cache is written by the first run after
an install (``make test`` and ``make play`` write it before anything else).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

REPEATS = 5
RUN = [sys.executable, "-m", "negotiate.cli", "run", "rare-earth-2025", "--seed", "1"]
IMPORT_MESA = [sys.executable, "-c", "import mesa"]
HELP = [sys.executable, "-m", "negotiate.cli", "--help"]
BARE = [sys.executable, "-c", "pass"]
KERNEL_LOAD = [sys.executable, "-c",
               "import time, negotiate.model\n"
               "from negotiate.agents import firm_week\n"
               "t = time.perf_counter(); firm_week.load(); print(time.perf_counter() - t)"]


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def measure(quick: bool = False) -> dict:
    subprocess.run(KERNEL_LOAD, check=True, capture_output=True)  # the cache is written
    runs, floors, loads, helps, bares = [], [], [], [], []
    for _ in range(2 if quick else REPEATS):  # alternated, so load hits both alike
        runs.append(_wall(RUN))
        floors.append(_wall(IMPORT_MESA))
        helps.append(_wall(HELP))
        bares.append(_wall(BARE))
        loads.append(float(subprocess.run(KERNEL_LOAD, check=True, capture_output=True,
                                          text=True).stdout))
    return {
        "cli_run_s": statistics.median(runs),
        "import_mesa_s": statistics.median(floors),
        "ratio": statistics.median(r / f for r, f in zip(runs, floors, strict=True)),
        "kernel_load_s": statistics.median(loads),
        "cli_help_s": statistics.median(helps),
        "bare_python_s": statistics.median(bares),
        "help_ratio": statistics.median(h / b for h, b in zip(helps, bares, strict=True)),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=2))

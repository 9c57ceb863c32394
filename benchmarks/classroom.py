"""Classroom scale: turn resolution at 40 students, and memory for 10 such rooms in one process.

``measure()`` is imported by ``benchmarks/run.py``. Targets (issue 5): ``turn_p95_ms`` at most
500 ms with 40 students submitting concurrently through the service (the pages' code path),
each turn including its durable SQLite write; ``memory_mb_10_rooms`` is the resident memory of
one fresh process holding 10 rooms that have each played 16 turns with 40 students.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

STUDENTS = 40
TURNS = 16
ROOMS = 10

_CHILD = r"""
import json, sys
from pathlib import Path
from negotiate.classroom.load import run_class
from negotiate.classroom.service import ClassroomService

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")

base = rss_mb()
svc = ClassroomService(sys.argv[1])
times = []
for room in range(int(sys.argv[2])):
    result = run_class(svc, students=int(sys.argv[3]), turns=int(sys.argv[4]), seed=room)
    assert not result.errors, result.errors[:3]
    times += result.turn_ms
print(json.dumps({"rss_mb": rss_mb(), "import_mb": base, "rooms": len(svc.rooms()), "turn_ms": times}))
"""


def measure() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", _CHILD, str(Path(tmp) / "bench.sqlite"),
                              str(ROOMS), str(STUDENTS), str(TURNS)],
                             capture_output=True, text=True, check=True, timeout=600)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    times = np.array(data["turn_ms"])
    return {
        "turn_p95_ms": round(float(np.percentile(times, 95)), 2),
        "turn_max_ms": round(float(times.max()), 2),
        "turn_goal_ms": 500,
        "students": STUDENTS,
        "turns": int(times.size),
        "memory_mb_10_rooms": round(data["rss_mb"], 1),
        "memory_mb_process_baseline": round(data["import_mb"], 1),
        "rooms": data["rooms"],
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))

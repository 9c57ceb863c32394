"""Classroom scale: turn resolution at 40 students, memory for 10 such rooms in one process,
and how long a student on a phone waits from the join page to a seat they can use.

``measure()`` is imported by ``benchmarks/run.py``. Targets (issue 5): ``turn_p95_ms`` at most
500 ms with 40 students submitting concurrently through the service (the pages' code path),
each turn including its durable SQLite write; ``memory_mb_10_rooms`` is the resident memory of
one fresh process holding 10 rooms that have each played 16 turns with 40 students.

``join_to_seat_p95_ms`` (issue 12): in Debian's chromium at 390x844, one fresh browser context
per student, from the first load of the join page through typing the code and name, Join,
picking the first empty seat, to the seat page's Submit button visible (the seat is usable).
Its same-run baseline, ``join_page_load_p95_ms``, is the join page alone loading in a fresh
context (to its Room code field); ``join_to_seat_vs_join_page_load`` is their ratio.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

STUDENTS = 40
TURNS = 16
ROOMS = 10
# Joining in the browser: 3 rooms of 8 students (each takes one of the 8 playing seats).
JOIN_ROOMS, JOIN_STUDENTS = 3, 8
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[1]

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


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _p95(values: list[float]) -> float:
    return round(float(np.percentile(values, 95)), 1)


def _join_page_load(browser, base: str) -> float:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(60_000)
    start = time.perf_counter()
    page.goto(base + "/")
    page.get_by_label("Room code").wait_for()
    elapsed = (time.perf_counter() - start) * 1000.0
    context.close()
    return elapsed


def _join_to_seat(browser, base: str, code: str, name: str) -> float:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(60_000)
    start = time.perf_counter()
    page.goto(base + "/")
    page.get_by_label("Room code").fill(code)
    page.get_by_label("Your name (or your team's)").fill(name)
    page.get_by_role("button", name="Join").click()
    page.get_by_role("button", name="Take this seat").wait_for()
    page.locator(".v-select").first.click()
    page.locator(".menuable__content__active .v-list-item").first.click()
    page.get_by_role("button", name="Take this seat").click()
    page.get_by_role("button", name="Submit decision").wait_for(state="visible")
    elapsed = (time.perf_counter() - start) * 1000.0
    context.close()
    return elapsed


def measure_joins() -> dict:
    """Join-to-seat in real chromium against the real classroom server."""
    from playwright.sync_api import sync_playwright

    shared = _load(ROOT / "tests" / "conftest.py", "negotiate_tests_conftest")
    classroom = _load(ROOT / "tests" / "classroom" / "conftest.py", "negotiate_classroom_conftest")
    with tempfile.TemporaryDirectory() as tmp:
        server = classroom.Server(Path(tmp) / "join.sqlite")
        server.start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shared.CHROMIUM, headless=True,
                                            args=shared.CHROMIUM_ARGS)
                _join_page_load(browser, server.base)  # the first view warms the server
                plain, joins = [], []
                for r in range(JOIN_ROOMS):
                    code = server.api("create", turns=4, seed=r)["code"]
                    for i in range(JOIN_STUDENTS):
                        plain.append(_join_page_load(browser, server.base))
                        joins.append(_join_to_seat(browser, server.base, code, f"Student {r}-{i}"))
                browser.close()
        finally:
            server.kill(15)
    return {
        "join_to_seat_p95_ms": _p95(joins),
        "join_to_seat_median_ms": round(float(np.median(joins)), 1),
        "join_page_load_p95_ms": _p95(plain),
        "join_to_seat_vs_join_page_load": round(_p95(joins) / _p95(plain), 2),
        "join_students": len(joins),
        "join_viewport": "390x844",
    }


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
        **measure_joins(),
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))

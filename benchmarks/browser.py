"""Browser speed: first load and Step-to-redrawn-charts, in Debian's chromium.

``measure()`` starts the real server (``negotiate app``) on a free 127.0.0.1 port, opens the
Explore page in fresh browser contexts and reports:

* ``first_load_ms``: navigation start to all four charts drawn at week 0 (median of 3
  fresh contexts on a warm server; ``first_load_cold_ms`` is the very first view);
* ``step_p95_ms`` (and median, max): from a Step click to all four chart images replaced
  and decoded, over the 52 steps of rare-earth-2025 (so it includes week 52). Timed inside
  the page with ``performance.now()`` so playwright's own round trips do not count.

* ``end_screen_ms``: a 12-week Play game as the U.S.; from the "End week 12" click to the
  end screen drawn with its 2025 comparison image decoded. Its same-run baseline is
  ``play_week_median_ms`` (an "End week" click to the next week's panel and charts), and
  ``end_screen_ratio`` is the one over the other.

Goals (issue 4): step_p95_ms <= 150, first_load_ms <= 3000.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import statistics
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOALS = {"step_p95_ms": 150.0, "first_load_ms": 3000.0}

_WAIT_CHARTS = """
(old) => new Promise(resolve => {
  const check = () => {
    const imgs = Array.from(document.querySelectorAll('.charts img'));
    const ready = imgs.length === 4 && imgs.every((e, i) => e.complete && e.naturalWidth > 0
                                                   && (old === null || e.src !== old[i]));
    if (ready) resolve(performance.now()); else requestAnimationFrame(check);
  };
  check();
})
"""
_STEP = """
async (old) => {
  const t0 = performance.now();
  document.querySelector('button.btn-step').click();
  const t1 = await (WAIT)(old);
  return t1 - t0;
}
""".replace("WAIT", _WAIT_CHARTS)


_END_WEEK = """
async ([week, last]) => {
  const t0 = performance.now();
  const button = Array.from(document.querySelectorAll('button.btn-end-week'))
    .find(b => b.innerText.trim().toLowerCase() === `end week ${week}`);
  button.click();
  const done = () => {
    if (last) {
      const img = document.querySelector('.end-screen .comparison-img img, .end-screen img.comparison-img');
      return img && img.complete && img.naturalWidth > 0;
    }
    const status = document.querySelector('.week-status');
    const panel = Array.from(document.querySelectorAll('.decision-panel'))
      .some(p => p.innerText.includes(`Week ${week + 1}: your decisions`));
    return status && status.dataset.week === String(week) && panel;
  };
  await new Promise(resolve => { const check = () => done() ? resolve() : requestAnimationFrame(check);
                                 check(); });
  return performance.now() - t0;
}
"""


def _play_game(browser, url: str, weeks: int = 12) -> tuple[list[float], float]:
    """Week times and the end-screen time of one Play game."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url + "play")
    page.get_by_role("button", name="Play as the United States").click()
    page.wait_for_selector(".week-status[data-week='0']")
    times = [page.evaluate(_END_WEEK, [week, week == weeks]) for week in range(1, weeks + 1)]
    context.close()
    return times[:-1], times[-1]


def browser_servers():
    """The browser tests' server helpers (tests/browser/servers.py: the same start-up and
    chromium flags as the tests), loaded by path."""
    spec = importlib.util.spec_from_file_location("negotiate_browser_servers",
                                                  ROOT / "tests" / "browser" / "servers.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _load(browser, url: str) -> tuple[float, object, object]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(30_000)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".week-status[data-week='0']")
    page.evaluate(_WAIT_CHARTS, None)
    return (time.perf_counter() - start) * 1000.0, context, page


@contextlib.contextmanager
def app_server() -> Iterator[tuple[str, object, object]]:
    """``negotiate app`` on a free 127.0.0.1 port, answering ``/readyz`` but with no page
    viewed yet (the first view stays the cold one): (address, server process, helpers)."""
    h = browser_servers()
    port = h.free_port()
    process = h.start_server(port)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(url + "readyz", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield url, process, h
    finally:
        h.stop_server(process)


def measure() -> dict:
    from playwright.sync_api import sync_playwright

    with app_server() as (url, _, h), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=h.CHROMIUM, headless=True, args=h.ARGS)
        cold, context, _ = _load(browser, url)
        context.close()
        warm = []
        for _ in range(3):
            ms, context, page = _load(browser, url)
            warm.append(ms)
            context.close()
        _, context, page = _load(browser, url)
        steps = []
        for week in range(1, 53):
            old = page.eval_on_selector_all(".charts img", "els => els.map(e => e.src)")
            steps.append(page.evaluate(_STEP, old))
            page.wait_for_selector(f".week-status[data-week='{week}']")
        context.close()
        play_weeks, end_screen = _play_game(browser, url)
        browser.close()
    result = {
        "first_load_ms": round(statistics.median(warm), 1),
        "first_load_cold_ms": round(cold, 1),
        "step_p95_ms": round(_percentile(steps, 0.95), 1),
        "step_median_ms": round(statistics.median(steps), 1),
        "step_max_ms": round(max(steps), 1),
        "steps": len(steps),
        "end_screen_ms": round(end_screen, 1),
        "play_week_median_ms": round(statistics.median(play_weeks), 1),
    }
    result["end_screen_ratio"] = round(end_screen / max(result["play_week_median_ms"], 1e-9), 2)
    result["meets_goals"] = all(result[k] <= v for k, v in GOALS.items())
    return result


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
    sys.exit(0)

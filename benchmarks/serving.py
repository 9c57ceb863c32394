"""Server CPU to serve one page view's static files: replayed from ``StaticResponseCache``
against Solara's own gzip, measured in the same run on the same server.

``measure()`` starts the real server (``negotiate app``) on a free 127.0.0.1 port, opens the
Explore page once in Debian's chromium to learn which static files a first view loads, then
fetches that set over HTTP (``Accept-Encoding: gzip``, as a browser asks) ``ROUNDS`` times
each way, alternating:

* ``cached_view_cpu_s``: the set as a browser asks for it; after the first view every file
  is replayed from the cache (``app/serving.py``);
* ``uncached_view_cpu_s`` (the baseline): the same files, each under a query string never
  seen before, so the cache misses and Solara gzips them at level 9 as it did for every
  request before the cache;
* ``ratio``: cached over uncached (median of the rounds' ratios).

CPU is the server process's user + system time (``psutil``), so other load on the machine
does not count. Bytes served per view are reported too.
"""

from __future__ import annotations

import statistics
import time
import urllib.request

from benchmarks.browser import app_server

ROUNDS = 5
STATIC = ("/_solara/cdn/", "/static/", "/jupyter/nbextensions/")


def _static_files(browser, url: str) -> list[str]:
    """The static files a first view of the Explore page loads (absolute URLs)."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(60_000)
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.goto(url)
    page.wait_for_selector(".week-status[data-week='0']")
    page.wait_for_timeout(1_000)  # fonts and late scripts
    context.close()
    prefix = url.rstrip("/")
    return sorted({u for u in seen if u.startswith(prefix) and u[len(prefix):].startswith(STATIC)})


def _server_cpu(process) -> float:
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        times = p.cpu_times()
        total += times.user + times.system
    return total


def _fetch_all(urls: list[str]) -> int:
    size = 0
    for address in urls:
        request = urllib.request.Request(address, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=60) as response:
            size += len(response.read())
    return size


def _fresh(address: str, tag: str) -> str:
    return f"{address}{'&' if '?' in address else '?'}bench={tag}"


def measure() -> dict:
    import psutil
    from playwright.sync_api import sync_playwright

    with app_server() as (url, process, h):
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=h.CHROMIUM, headless=True, args=h.ARGS)
            urls = _static_files(browser, url)
            browser.close()
        server = psutil.Process(process.pid)
        _fetch_all(urls)  # every file in the cache, as after any first view
        cached, uncached, ratios = [], [], []
        sent = 0
        for round_no in range(ROUNDS):
            start = _server_cpu(server)
            sent = _fetch_all(urls)
            middle = _server_cpu(server)
            _fetch_all([_fresh(u, f"{round_no}-{time.monotonic_ns()}") for u in urls])
            end = _server_cpu(server)
            cached.append(middle - start)
            uncached.append(end - middle)
            ratios.append((middle - start) / (end - middle) if end > middle else float("nan"))
    return {
        "files": len(urls),
        "gzipped_bytes_per_view": sent,
        "cached_view_cpu_s": round(statistics.median(cached), 4),
        "uncached_view_cpu_s": round(statistics.median(uncached), 4),
        "ratio": round(statistics.median(ratios), 3),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=2))

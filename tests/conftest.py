"""Shared fixtures."""

from __future__ import annotations

import os

os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """One Debian chromium for the whole session.

    Playwright's sync API runs an event loop while it is open, so two suites that each
    opened their own would collide; every browser test shares this one instead.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Files holding slow or browser tests first (a stable sort: order within a file kept).

    ``make test`` hands whole files to parallel workers in collection order, so starting the
    long files first keeps one of them from running alone at the end.
    """
    def slow_file(item: pytest.Item) -> bool:
        return item.get_closest_marker("slow") is not None or item.get_closest_marker("browser") is not None

    slow_files = {item.path for item in items if slow_file(item)}
    items.sort(key=lambda item: item.path not in slow_files)

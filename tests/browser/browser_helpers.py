"""Small page actions shared by the browser tests and benchmarks/browser.py."""

from __future__ import annotations

CHART_IMGS = ".charts img"


def wait_week(page, week: int, timeout: float = 15_000) -> None:
    page.wait_for_selector(f".week-status[data-week='{week}']", timeout=timeout)


def chart_sources(page) -> list[str]:
    return page.eval_on_selector_all(CHART_IMGS, "els => els.map(e => e.src)")


def step(page, times: int = 1) -> None:
    button = page.get_by_role("button", name="Step", exact=True)
    for _ in range(times):
        week = int(page.get_attribute(".week-status", "data-week"))
        button.click()
        wait_week(page, week + 1)


def type_into(page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Enter")

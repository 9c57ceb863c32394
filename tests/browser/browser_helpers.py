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


def panel(page, week: int):
    """This week's decision panel (rebuilt each week; never act on last week's)."""
    locator = page.locator(".decision-panel", has_text=f"Week {week}: your decisions")
    locator.wait_for()
    return locator


def start_play(page, side: str, scenario_title: str | None = None, weeks: int | None = None,
               seed: int | None = None) -> None:
    """Choose the Play start settings shown, then start as ``side`` ('us' or 'cn')."""
    if scenario_title is not None:
        choose(page, "play-scenario", scenario_title)
    if weeks is not None:
        choose(page, "play-weeks", f"{weeks} weeks")
    if seed is not None:
        type_into(page, "Seed", str(seed))
    name = "Play as the United States" if side == "us" else "Play as China"
    page.get_by_role("button", name=name).click()
    wait_week(page, 0)


def choose(page, field_class: str, option: str) -> None:
    """Pick ``option`` in the select carrying ``field_class`` (a Vuetify menu)."""
    page.locator(f".{field_class}").first.click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).first.click()
    page.locator(".menuable__content__active").wait_for(state="hidden")


def end_week(page, week: int) -> None:
    panel(page, week).get_by_role("button", name=f"End week {week}").click()
    wait_week(page, week)


def field_message(page, field_class: str) -> str:
    """The text under one field (its error, or its hint), '' when there is none."""
    messages = page.locator(f".{field_class} .v-messages__message")
    return " ".join(messages.all_inner_texts()).strip()

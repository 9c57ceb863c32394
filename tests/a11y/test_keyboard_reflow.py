"""A game by keyboard alone, named controls, and reflow at 320 px and at 200% zoom (issue 14).

Only ``page.keyboard`` acts on the page; locators are role-and-name based, so a control
without an accessible name fails the test.
"""

from __future__ import annotations

import pytest
from keyboard import tab_to, unnamed_comboboxes
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_explore_to_the_end_by_keyboard_alone(a11y_page):
    page = a11y_page("/")
    page.wait_for_selector(".week-status[data-week='0']")
    scenario = page.get_by_label("Scenario", exact=True)
    tab_to(page, scenario)
    page.keyboard.type("Classroom: April")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_text("Week 0 of 14").first.wait_for()
    step = page.get_by_role("button", name="Step", exact=True)
    step.evaluate("e => e.blur()")
    page.keyboard.press("Shift+Tab")
    tab_to(page, step)
    page.keyboard.press("Enter")
    page.wait_for_selector(".week-status[data-week='1']")
    # Each week's result is announced: the status line is a polite live region.
    assert page.locator(".week-status").get_attribute("aria-live") == "polite"
    page.keyboard.press("Space")
    page.wait_for_selector(".week-status[data-week='2']")
    # The chart's table opens from the keyboard and carries the same weeks.
    summary = page.locator(".chart-table summary").first
    tab_to(page, summary)
    page.keyboard.press("Enter")
    rows = page.locator(".chart-table").first.locator("tbody tr")
    expect(rows).to_have_count(2)  # the table may be drawn a moment after the week line
    play = page.get_by_role("button", name="Play", exact=True)
    tab_to(page, play)
    page.keyboard.press("Enter")
    page.get_by_text("Final outcome").first.wait_for(timeout=60_000)
    assert page.locator(".week-status").get_attribute("data-week") == "14"


@pytest.mark.parametrize("side, name", [("us", "Play as the United States"), ("cn", "Play as China")])
def test_play_to_the_end_by_keyboard_alone(a11y_page, side, name):
    """The shortest game the Play page offers (12 weeks), every week ended from the keyboard."""
    page = a11y_page("/play")
    weeks = page.get_by_role("combobox", name="Weeks to play", exact=True)
    expect(weeks).to_have_value("12 weeks")
    assert unnamed_comboboxes(page) == []
    start = page.get_by_role("button", name=name)
    tab_to(page, start)
    page.keyboard.press("Enter")
    page.wait_for_selector(".week-status[data-week='0']")
    # The start button went with the start panel; focus went to the first week's heading.
    expect(page.get_by_role("heading", name="Week 1: your decisions")).to_be_focused()
    posture = page.get_by_role("combobox", name="Posture", exact=True)
    tab_to(page, posture)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    tariff = page.get_by_role("textbox", name="Headline tariff (%)")
    tab_to(page, tariff)
    page.keyboard.press("Control+A")
    page.keyboard.type("abc")
    page.keyboard.press("Enter")
    page.get_by_text("not a number").first.wait_for()
    page.keyboard.press("Control+A")
    page.keyboard.type("20")
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="End week 1", exact=True))
    for week in range(1, 13):
        # The week's panel is rebuilt as a week ends; focus lands on the next week's button
        # (no Tab back to it), and on the end screen's heading after the last week.
        expect(page.get_by_role("button", name=f"End week {week}", exact=True)).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_selector(f".week-status[data-week='{week}']", timeout=30_000)
    expect(page.get_by_role("heading", name="Game over")).to_be_focused()
    assert page.locator(".week-status").get_attribute("aria-live") == "polite"
    assert "Final outcome" in page.get_by_role("status").filter(has_text="Final outcome").inner_text()
    again = page.get_by_role("button", name="Play again with a new seed")
    tab_to(page, again)


@pytest.mark.parametrize("path", ["/", "/play"])
@pytest.mark.parametrize("width, height, scale", [(320, 640, 1), (640, 400, 2)])
def test_reflow_without_sideways_scroll(a11y_page, path, width, height, scale):
    """320 CSS px (WCAG 1.4.10) and a 1280 px window at 200% zoom (640 CSS px, 2 device px each)."""
    page = a11y_page(path, width=width, height=height, device_scale_factor=scale)
    if path == "/":
        page.wait_for_selector(".week-status[data-week='0']")
        page.locator(".chart-table summary").first.click()
    else:
        page.get_by_role("button", name="Play as China").click()
        page.wait_for_selector(".week-status[data-week='0']")
    page.locator(".charts img").first.wait_for()
    assert page.evaluate(OVERFLOW) <= 0
    # Nothing cut off: every button lies inside the viewport's width.
    outside = page.evaluate("""() => [...document.querySelectorAll('button, input, .chart img')]
        .filter(e => e.offsetParent && (e.getBoundingClientRect().right > innerWidth + 1
                                         || e.getBoundingClientRect().left < -1))
        .map(e => e.innerText || e.getAttribute('aria-label') || e.tagName)""")
    assert outside == []


def test_motion_stops_when_the_reader_asks(a11y_page):
    page = a11y_page("/", reduced_motion="reduce")
    page.wait_for_selector(".week-status[data-week='0']")
    durations = page.evaluate("""() => [...document.querySelectorAll('.v-btn, .v-input')]
        .map(e => parseFloat(getComputedStyle(e).transitionDuration) || 0)""")
    assert durations and max(durations) <= 0.001

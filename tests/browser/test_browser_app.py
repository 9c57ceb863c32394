"""The browser game in Debian's chromium: load, step, play, branch, sessions, bad input."""

from __future__ import annotations

import re

import pytest
from browser_helpers import CHART_IMGS, chart_sources, choose, end_week, step, type_into, wait_week
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
OUTCOME = re.compile("Détente holds|Fragile truce|Friction returns")


def test_page_loads_with_scenario_charts_and_banner(open_page, screenshots):
    page = open_page("/")
    wait_week(page, 0)
    assert page.locator(CHART_IMGS).count() == 4
    assert page.get_by_text("Rare earths and tariffs, 2025 (baseline)").first.is_visible()
    # Week 0: nothing has been played, so there is no outcome to report yet.
    assert "Not started" in page.locator(".banner").inner_text()
    for label in ("U.S. strategy", "China strategy", "Perception noise", "Execution noise",
                  "Truce length (weeks)", "U.S. diversification support",
                  "China licence approval rate", "China licence review time (weeks)", "Seed"):
        assert page.get_by_label(label, exact=True).count() == 1, label
    assert page.get_by_text("Joint monitoring committee").count() >= 1


def test_step_ten_weeks_changes_charts_and_timeline(open_page, screenshots):
    page = open_page("/")
    wait_week(page, 0)
    before = chart_sources(page)
    rows_before = page.locator(".timeline tbody tr").count()
    step(page, 10)
    after = chart_sources(page)
    assert all(a != b for a, b in zip(before, after, strict=True)), "every chart redrawn"
    rows = page.locator(".timeline tbody tr")
    assert rows.count() > rows_before
    assert re.search(r"2025-\d\d-\d\d", rows.first.inner_text()), "timeline shows dates"
    assert "week 10 of 52" in page.locator(".banner").inner_text().lower()
    page.screenshot(path=str(screenshots / "explore.png"), full_page=True)


def test_play_twelve_weeks_as_us_shows_final_banner(open_page, screenshots):
    page = open_page("/play")
    page.get_by_role("button", name="Play as the United States").click()
    wait_week(page, 0)
    for week in range(1, 13):
        # The decision panel is rebuilt each week; act on this week's panel, not last week's.
        panel = page.locator(".decision-panel", has_text=f"Week {week}: your decisions")
        panel.wait_for()
        if week == 3:
            panel.get_by_role("button", name="Accuse China publicly this week").click()
            panel.get_by_role("button", name="Withdraw accusation of China").wait_for()
        if week == 6:
            page.screenshot(path=str(screenshots / "play.png"), full_page=True)
            # Before the end the truth about accusations is hidden.
            assert "real breach" not in page.locator(".timeline").inner_text()
        end_week(page, week)
    banner = page.locator(".banner")
    banner.filter(has_text="Final outcome").wait_for()
    assert OUTCOME.search(banner.inner_text())
    page.get_by_text("The truth about the accusations").wait_for()
    # We accused in week 3, so the reveal must say whether that was real.
    truth = page.locator(".truth-table").inner_text()
    assert re.search(r"\(week 3\)\s+You\s+(▲ real breach|✕ false alarm)", truth), truth
    page.get_by_role("button", name="Play again with a new seed").wait_for()
    page.screenshot(path=str(screenshots / "play-end.png"), full_page=True)
    page.get_by_role("button", name="Play again with a new seed").click()
    wait_week(page, 0)
    assert page.get_by_role("button", name="End week 1").is_visible()


def test_branch_at_week_six_draws_two_paths(open_page, screenshots):
    page = open_page("/")
    wait_week(page, 0)
    step(page, 6)
    type_into(page, "New value", "0.4")
    before = chart_sources(page)
    page.get_by_role("button", name="Branch at week 6").click()
    page.wait_for_selector(".branch-label")
    assert "Branch from week 6" in page.locator(".branch-label").inner_text()
    page.wait_for_function("(old) => Array.from(document.querySelectorAll('.charts img'))"
                           ".every((e, i) => e.src !== old[i])", arg=before)
    step(page, 6)
    assert "Perception noise = 0.4" in page.locator(".branch-label").inner_text()
    page.screenshot(path=str(screenshots / "branch.png"), full_page=True)
    page.get_by_role("button", name="Clear branch").click()
    page.wait_for_selector(".branch-label", state="detached")


def test_a_branch_label_shows_each_value_as_its_form_shows_it(open_page):
    """The label once read 'Perception noise = -0', 'Joint monitoring committee = False' and
    'U.S. strategy = alld'."""
    page = open_page("/")
    wait_week(page, 0)
    step(page, 1)
    label = page.locator(".branch-label")
    for what, value, shown in (("Perception noise", "-0", "Perception noise = 0."),
                               ("Joint monitoring committee", "Off", "Joint monitoring committee = Off."),
                               ("U.S. strategy", "Always escalate", "U.S. strategy = Always escalate.")):
        if what != "Perception noise":
            choose(page, "branch-what", what)
            choose(page, "branch-value", value)
        else:
            type_into(page, "New value", value)
        page.get_by_role("button", name="Branch at week 1").click()
        expect(label).to_have_text(f"Branch from week 1: {shown}")


def test_two_browser_contexts_are_independent(open_page):
    first = open_page("/")
    second = open_page("/")
    wait_week(first, 0)
    wait_week(second, 0)
    step(first, 3)
    assert second.get_attribute(".week-status", "data-week") == "0"
    step(second, 1)
    assert first.get_attribute(".week-status", "data-week") == "3"
    assert second.get_attribute(".week-status", "data-week") == "1"


@pytest.mark.parametrize("bad", ["-5", "10000", "", "abc"])
def test_bad_parameter_is_rejected_inline_and_changes_nothing(open_page, bad):
    page = open_page("/")
    wait_week(page, 0)
    step(page, 2)
    type_into(page, "Perception noise", bad)
    message = page.locator(".v-messages__message").filter(has_text="allowed")
    message.first.wait_for()
    assert "0 to 0.5" in message.first.inner_text()
    # A valid change restarts at week 0; a bad one must leave the run where it was.
    page.wait_for_timeout(300)
    assert page.get_attribute(".week-status", "data-week") == "2"


def test_bad_seed_and_tariff_are_rejected(open_page):
    page = open_page("/")
    wait_week(page, 0)
    step(page, 1)
    type_into(page, "Seed", "not a number")
    page.get_by_text("'not a number' is not a number; allowed: a whole number").first.wait_for()
    assert page.get_attribute(".week-status", "data-week") == "1"

    play = open_page("/play")
    play.get_by_role("button", name="Play as China").click()
    wait_week(play, 0)
    for bad, expected in (("-5", "out of range"), ("10000", "out of range"), ("", "empty")):
        type_into(play, "Headline tariff (%)", bad)
        play.get_by_text(expected).first.wait_for()
        play.get_by_role("button", name="End week 1").click()
        play.locator(".error-line").wait_for()
        assert play.get_attribute(".week-status", "data-week") == "0"
    type_into(play, "Headline tariff (%)", "20")
    play.get_by_role("button", name="End week 1").click()
    wait_week(play, 1)


def test_keyboard_only_step(open_page):
    page = open_page("/")
    wait_week(page, 0)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.innerText.trim()") == "STEP" \
                or page.evaluate("document.activeElement && document.activeElement.innerText.trim().toLowerCase()") == "step":
            break
    else:
        pytest.fail("Tab never reached the Step button")
    page.keyboard.press("Enter")
    wait_week(page, 1)


def test_phone_width_has_no_sideways_scroll(open_page, screenshots):
    page = open_page("/", width=390, height=844)
    wait_week(page, 0)
    step(page, 4)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"page is {width}px wide at a 390px viewport"
    page.screenshot(path=str(screenshots / "explore-phone.png"), full_page=True)
    play = open_page("/play", width=390, height=844)
    play.get_by_role("button", name="Play as the United States").click()
    wait_week(play, 0)
    assert play.evaluate("document.documentElement.scrollWidth") <= 392

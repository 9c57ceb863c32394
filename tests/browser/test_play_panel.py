"""The decision panel's words: who you are, the terms in force and breach warnings, the
offer prompt, week 0, and a timeline that reaches back to week 1."""

from __future__ import annotations

import re

import pytest
from browser_helpers import choose, end_week, field_message, panel, start_play, type_into, wait_week
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_week_zero_and_the_players_title(open_page):
    page = open_page("/play")
    start_play(page, "us", seed=5)
    assert page.locator("h2", has_text="You are the United States").count() == 1
    banner = page.locator(".banner").inner_text()
    assert "Not started" in banner and "no outcome yet" in banner, banner
    assert "averaged" not in banner
    timeline = page.locator(".timeline").inner_text()
    assert "press Step" not in timeline and "end week 1" in timeline, timeline


def test_a_bad_seed_is_named_once_under_its_field_and_cleared_when_corrected(open_page):
    page = open_page("/play")
    comma = page.get_by_text("Seed '4,2' has a comma")
    type_into(page, "Seed", "4,2")
    comma.wait_for()
    assert "has a comma" in field_message(page, "field-seed")
    page.get_by_role("button", name="Play as China").click()
    expect(comma).to_have_count(1)  # once, under the field, not again under the form
    assert page.locator(".start-panel").count() == 1  # nothing started
    type_into(page, "Seed", "42")
    expect(comma).to_have_count(0)  # corrected: gone before any button is pressed
    assert field_message(page, "field-seed") == "a whole number; same seed, same noise"
    page.get_by_role("button", name="Play as China").click()
    wait_week(page, 0)


def test_offers_are_put_to_the_player_and_terms_in_force_warn_before_a_breach(open_page):
    page = open_page("/play")
    start_play(page, "us", weeks=12, seed=5)
    assert "No agreement is in force" in panel(page, 1).inner_text()
    choose(page, "field-posture", "Seek talks")
    end_week(page, 1)
    # Play on until the AI's offer is put to the player; nothing is signed before.
    accepted = None
    for week in range(2, 12):
        here = panel(page, week)
        prompt = here.locator(".offer-prompt")
        if prompt.count():
            text = prompt.inner_text()
            assert re.match(r"China offers: U\.S\. tariff at most \d+%.*— accept, reject or counter\?", text), text
            here.get_by_role("button", name="Counter").click()
            here.locator(".field-offer-us-tariff-cap").wait_for()
            here.get_by_role("button", name="Accept").click()
            here.locator(".field-offer-us-tariff-cap").wait_for(state="detached")
            assert "Your answer: accept" in here.locator(".answer-status").inner_text()
            end_week(page, week)
            accepted = week
            break
        assert "No agreement is in force" in here.inner_text()
        end_week(page, week)
    assert accepted is not None, "no offer was put to the player in 11 weeks"
    # Accepted: signed that week, and its caps bind the player from the next.
    here = panel(page, accepted + 1)
    terms = here.locator(".terms-in-force").inner_text()
    assert "the agreement reached in talks" in terms and "(binds you)" in terms, terms
    cap = float(re.search(r"U\.S\. headline tariff at most ([\d.]+)%", terms).group(1))
    over = round(cap) + 25
    type_into(page, "Headline tariff (%)", str(over))
    warning = here.locator(".breach-warning")
    warning.wait_for()
    assert f"a {over}% tariff breaches the agreed cap of {cap:g}%" in warning.inner_text()
    type_into(page, "Headline tariff (%)", f"{cap:g}")
    warning.wait_for(state="detached")
    for week in range(accepted + 1, 13):
        end_week(page, week)
    page.locator(".end-screen").wait_for()
    counts = page.locator(".choices-summary li[data-count='accepted']")
    assert counts.get_attribute("data-value") == "1"
    parts = page.locator(".agreements-table tr[data-part]").evaluate_all("els => els.map(e => e.dataset.part)")
    assert parts[0] == "you accepted", parts
    assert not [p for p in parts if "without your" in p], parts


def test_the_whole_timeline_is_reachable(open_page):
    page = open_page("/")
    wait_week(page, 0)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("Number(document.querySelector('.week-status').dataset.week) >= 32",
                           timeout=60_000)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play", exact=True).wait_for()
    pager = page.locator(".timeline-range")
    total = int(re.search(r"of (\d+)", pager.inner_text()).group(1))
    assert total > 40 and pager.inner_text().startswith("Events 1–40 of")
    older = page.get_by_role("button", name="Older events")
    # Page back until the pager names the last event ("Events 41–57 of 57"). The total is
    # read afresh each time: a week already under way at Pause may still add events.
    last_page = re.compile(r"\b(\d+) of \1, newest first$")
    while not last_page.search(shown := pager.inner_text()):
        older.click()
        page.wait_for_function("(old) => document.querySelector('.timeline-range').innerText !== old",
                               arg=shown)
    page.locator(".btn-older[disabled]").wait_for()  # and there is nothing older to ask for
    weeks = page.locator(".timeline tbody tr[data-week]").evaluate_all(
        "els => els.map(e => Number(e.dataset.week))")
    # The oldest page reaches back at least to the 1 February tariff, in week 4 (firm and
    # noise events may come earlier, depending on the model).
    assert min(weeks) <= 4, weeks
    assert "fentanyl" in page.locator(".timeline").inner_text()
    page.get_by_role("button", name="Newer events").click()
    page.locator(".timeline tbody tr[data-week='4']").first.wait_for(state="detached")

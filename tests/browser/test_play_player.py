"""Play as a person would: type into every field, play whole games with scripted choices,
and check that the end screen counts what the player chose and lines up 2025 by date."""

from __future__ import annotations

import re

import pytest
from browser_helpers import choose, end_week, field_message, panel, start_play, type_into
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from negotiate.app import seat_view as sv
from negotiate.app import state as st
from negotiate.app.components import ACTORS
from negotiate.moves import Move

pytestmark = pytest.mark.browser
SERVER_ERROR = re.compile(r"Traceback|Exception|Error:", re.I)
MOVE_FIELDS = {
    "us": {"Headline tariff (%)": "tariff-headline", "Tech curbs (index)": "tech-curbs",
           "Diversification support (index)": "diversification"},
    "cn": {"Headline tariff (%)": "tariff-headline", "Tech curbs (index)": "tech-curbs",
           "Licence approval rate (share)": "approval-rate", "Licence review time (weeks)": "review-weeks"},
}
OFFER_FIELDS = {"U.S. tariff cap (%)": "offer-us-tariff-cap", "China tariff cap (%)": "offer-cn-tariff-cap",
                "Licence approval floor (share)": "offer-approval-floor",
                "Licence review cap (weeks)": "offer-review-cap", "U.S. tech-curb cap (index)": "offer-curb-cap",
                "Length (weeks)": "offer-weeks"}
# What typed text must produce under its field (the allowed range comes from the core).
BAD_INPUT = {"": "is empty", "-5": "out of range", "0,3": "with a point", "abc": "is not a number"}


def type_and_see(page, label: str, field_class: str, text: str, expected: str | None) -> None:
    """Type ``text`` and wait for the answer under the field (``None``: no error).

    Under heavy load the widget can echo the previous text back over a fast retype; a
    person would see their text and press Enter again, so the test does too (twice at most).
    """
    wanted = page.locator(f".{field_class} .v-messages__message", has_text=expected or "allowed")
    for attempt in range(3):
        type_into(page, label, text)
        try:
            wanted.wait_for(state="attached" if expected else "detached", timeout=8_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise


def check_field(page, label: str, field_class: str, valid: str) -> None:
    name = label.split(" (")[0]
    for text, expected in BAD_INPUT.items():
        type_and_see(page, label, field_class, text, expected)
        message = field_message(page, field_class)
        assert message.startswith(name), message  # the name people use, never a key
        assert "allowed" in message and "_" not in message, message
    type_and_see(page, label, field_class, valid, None)
    assert "allowed" not in field_message(page, field_class)
    assert not SERVER_ERROR.search(page.locator(".decision-panel").inner_text())


@pytest.mark.parametrize("side", ["us", "cn"])
def test_every_play_field_flags_bad_input_under_it(open_page, side):
    page = open_page("/play")
    start_play(page, side, seed=11)
    initial = {label: page.get_by_label(label, exact=True).input_value() for label in MOVE_FIELDS[side]}
    for label, field_class in MOVE_FIELDS[side].items():
        check_field(page, label, f"field-{field_class}", "0.2" if "index" in label or "share" in label else "5")
        # Back to the value shown at first: an unchanged field moves nothing.
        type_into(page, label, initial[label])
    # Ask for talks: next week the offer fields open.
    choose(page, "field-posture", "Seek talks")
    end_week(page, 1)
    week2 = panel(page, 2)
    week2.get_by_text("Make an offer").click()
    for label, field_class in OFFER_FIELDS.items():
        valid = "13" if label.startswith("Length") else "0.5"
        check_field(page, label, f"field-{field_class}", valid)
    type_and_see(page, "Length (weeks)", "field-offer-weeks", "2.5", "whole number")
    type_and_see(page, "Length (weeks)", "field-offer-weeks", "13", None)
    end_week(page, 2)
    assert not SERVER_ERROR.search(page.locator(".play").first.inner_text())


def _untouched_move(game: st.PlayGame, accuse: bool) -> Move:
    """The move the decision panel sends when the player changes no field."""
    data = dict(game.form_defaults(), posture=None, accuse=accuse)
    if game.side == "cn":
        data["licence_kind"] = game.model.cn.instruments.licence_kind
    agreement = game.model.truces.current
    if agreement is not None and agreement.end_week - game.model.week <= 1:
        data["extend"] = True
    return st.parse_move_form(game.side, data, game.form_defaults())


def noisy_seed(side: str, weeks: int, accuse_weeks: tuple[int, ...]) -> tuple[int, list[int]]:
    """A seed whose game, played with these choices, has execution noise on the player's
    side, and the weeks it strikes (found with the app's own game and seat view)."""
    for seed in range(200):
        game = st.PlayGame(side=side, scenario_name="classroom-short", seed=seed, weeks=weeks)
        noisy = []
        for week in range(1, weeks + 1):
            game.play_week(_untouched_move(game, week in accuse_weeks))
            if sv.noise_report(game.model, side) is not None:
                noisy.append(week)
        if noisy:
            return seed, noisy
    raise AssertionError("no seed below 200 has a noisy week")


def play_game(page, weeks: int, accuse_weeks: tuple[int, ...] = (), offer_week: int | None = None,
              seek_talks_week: int | None = None) -> dict[int, str]:
    """Play every week with the scripted choices; returns the noise banner seen each week."""
    banners: dict[int, str] = {}
    other = page.locator("h2").filter(has_text="You are").inner_text()
    opponent = "China" if "United States" in other else "United States"
    for week in range(1, weeks + 1):
        here = panel(page, week)
        if week in accuse_weeks:
            here.get_by_role("button", name=f"Accuse {opponent} publicly this week").click()
            here.get_by_role("button", name=f"Withdraw accusation of {opponent}").wait_for()
        if week == seek_talks_week:
            choose(page, "field-posture", "Seek talks")
        if week == offer_week:
            here.get_by_text("Make an offer").click()
            type_into(page, "U.S. tariff cap (%)", "10")
            type_into(page, "China tariff cap (%)", "10")
        end_week(page, week)
        # The page after this week is drawn once the next panel (or the end screen) is.
        if week < weeks:
            panel(page, week + 1)
        else:
            page.locator(".end-screen").wait_for()
        banner = page.locator(".noise-banner", has_text=f"week {week} (")
        if banner.count():
            banners[week] = banner.inner_text()
    return banners


def end_counts(page) -> dict[str, int]:
    items = page.locator(".choices-summary li")
    return {items.nth(i).get_attribute("data-count"): int(items.nth(i).get_attribute("data-value"))
            for i in range(items.count())}


def record_count(page) -> int:
    text = page.locator(".record-summary").inner_text()
    return int(re.search(r"in your name: (\d+) accusations?", text).group(1))


@pytest.mark.parametrize(("side", "accuse_weeks"), [("us", ()), ("cn", (3, 6))])
def test_end_screen_counts_equal_the_players_choices(open_page, side, accuse_weeks):
    weeks = 12
    seed, noisy = noisy_seed(side, weeks, accuse_weeks)
    page = open_page("/play")
    start_play(page, side, weeks=weeks, seed=seed)
    banners = play_game(page, weeks, accuse_weeks)
    # Play's default scenario, classroom-short, starts on 31 March 2025.
    check_replay_peak(page, 2, "31 March 2025")
    counts = end_counts(page)
    assert counts["accusations"] == len(accuse_weeks)
    assert counts["offers"] == 0 and counts["accepted"] == 0
    # The record must hold no accusation the player did not make.
    assert record_count(page) == len(accuse_weeks), page.locator(".truth-table").inner_text()
    # Each count in the player's words: these seeds' AI accuses once ('accused 1 times' once).
    summary = page.locator(".record-summary").inner_text()
    assert not re.search(r"\b1 (accusations|times|false alarms)\b", summary), summary
    assert not re.search(r"\b([02-9]|\d\d+) (accusation|time|false alarm)\b", summary), summary
    you_rows = page.locator(f".truth-table tr[data-actor='{side}']")
    assert you_rows.count() == len(accuse_weeks)
    # A noisy week is announced that week, and listed at the end.
    assert sorted(banners) == noisy, banners
    listed = [int(w) for w in page.locator(".noise-list li").evaluate_all(
        "els => els.map(e => e.dataset.week)")]
    assert listed == noisy
    parts = page.locator(".agreements-table tr[data-part]").evaluate_all(
        "els => els.map(e => e.dataset.part)")
    assert not [p for p in parts if "without your" in p], parts


def test_an_offer_made_is_counted_and_no_deal_is_signed_without_the_player(open_page):
    page = open_page("/play")
    start_play(page, "us", weeks=12, seed=3)
    play_game(page, 12, seek_talks_week=1, offer_week=2)
    counts = end_counts(page)
    assert counts["offers"] == 1 and counts["accusations"] == 0
    assert record_count(page) == 0
    parts = page.locator(".agreements-table tr[data-part]").evaluate_all(
        "els => els.map(e => e.dataset.part)")
    assert not [p for p in parts if "without your" in p], parts


def check_replay_peak(page, peak_week: int, start: str) -> None:
    """The replay's 145% U.S. tariff (9 April 2025) sits on the game week of 7 April."""
    table = page.locator(".comparison-table")
    table.wait_for()
    rows = table.locator("tr[data-week]").evaluate_all(
        "els => els.map(e => [Number(e.dataset.week), e.dataset.date, Number(e.dataset.replayUsTariff)])")
    peak = max(r[2] for r in rows)
    first = next(r for r in rows if r[2] == peak)
    assert peak == 145
    assert first[0] == peak_week and first[1] == "2025-04-07", first
    caption = page.locator(".comparison-caption").inner_text()
    assert f"Compared over the same weeks, {start} to" in caption, caption


def test_replay_tariff_peak_in_a_game_that_starts_in_january(open_page):
    page = open_page("/play")
    start_play(page, "us", "Rare earths and tariffs, 2025 (baseline)", weeks=26, seed=1)
    for week in range(1, 27):
        end_week(page, week)
    check_replay_peak(page, 14, "6 January 2025")


@pytest.mark.parametrize("side", ["us", "cn"])
def test_at_a_truces_end_the_player_votes_and_nothing_is_chosen_for_them(open_page, side):
    """An agreement the player accepted comes to its end date: End week waits for the
    player's vote (no box ticked for them), and the vote given is the one that counts.
    With this seed each side is offered a deal it can accept, which ends in week 21."""
    page = open_page("/play")
    start_play(page, side, "Classroom: April to July 2025 in 14 turns", weeks=26, seed=11)
    week, accepted = 1, False
    while week <= 26:
        here = panel(page, week)
        if not accepted and here.locator(".offer-prompt").count():
            here.get_by_role("button", name="Accept", exact=True).click()
            accepted = True
        if here.locator(".extend-prompt").count():
            assert here.locator(".extend-status").inner_text().startswith("Not chosen yet")
            here.get_by_role("button", name=f"End week {week}").click()
            here.locator(".error-line", has_text="Let it lapse").wait_for()
            assert page.locator(f".week-status[data-week='{week - 1}']").count() == 1  # not played
            here.get_by_role("button", name="Let it lapse").click()
            here.locator(".extend-status", has_text="let it lapse").wait_for()
            end_week(page, week)
            break
        end_week(page, week)
        week += 1
    assert accepted and week <= 26, "no agreement came to its end in this game"
    # The week's events are drawn a moment after its week line under load: wait for them.
    page.locator(".timeline", has_text="would not extend").first.wait_for()
    timelines = " ".join(page.locator(".timeline").all_inner_texts())
    assert "extended to week" not in timelines, timelines


@pytest.mark.parametrize("kind", ["General", "Temporary"])
@pytest.mark.parametrize("side", ["us", "cn"])
def test_the_licence_kind_of_an_offer_is_the_one_the_player_chose(open_page, side, kind):
    """With this seed, either side's call for talks in week 1 opens talks in week 2."""
    page = open_page("/play")
    start_play(page, side, weeks=12, seed=3)
    choose(page, "field-posture", "Seek talks")
    end_week(page, 1)
    here = panel(page, 2)
    here.get_by_text("Make an offer").click()
    field = page.locator(".field-offer-licence-kind input").first
    assert field.input_value() == "Single"  # the regime in force that week, shown as chosen
    choose(page, "field-offer-licence-kind", kind)
    type_into(page, "U.S. tariff cap (%)", "10")
    end_week(page, 2)
    # The player's own offer (the AI's offers name licence kinds too).
    mine = (page.locator(".timeline tr")
            .filter(has=page.locator("td:nth-child(2)", has_text=re.compile(f"^{re.escape(ACTORS[side])}$")))
            .filter(has=page.locator("td:nth-child(3)", has_text=re.compile("^Offer$"))))
    mine.filter(has_text=f"{kind.lower()} licences").first.wait_for()

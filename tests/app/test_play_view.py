"""The Play page's reading of the game, without a browser: date alignment with the 2025
replay, field messages in everyday names, terms in force, breaches and choices."""

from __future__ import annotations

import datetime as dt

import pytest

from negotiate import run
from negotiate.app import comparison, fields
from negotiate.app import seat_view as sv
from negotiate.app import state as st
from negotiate.branching import set_live
from negotiate.moves import parse_move


def test_replay_weeks_line_up_by_date_whatever_the_start():
    replay = run(st.REPLAY_SCENARIO, seed=1).model
    theirs = replay.datacollector.model_vars
    for start, weeks, peak_week in ((dt.date(2025, 3, 31), 12, 2), (dt.date(2025, 1, 6), 26, 14)):
        rows = comparison.aligned_rows({}, theirs, start, replay.scenario.start, weeks)
        assert [r.week for r in rows] == list(range(1, weeks + 1))
        first_peak = next(r for r in rows if r.replay["us_tariff"] == 145)
        assert (first_peak.week, first_peak.date) == (peak_week, dt.date(2025, 4, 7))
        assert all(r.ours is None for r in rows)


def test_scores_are_compared_over_the_same_weeks():
    game = st.PlayGame(side="us", scenario_name="classroom-short", seed=2, weeks=12)
    for _ in range(5):
        game.play_week(parse_move("us", {}))
    result = comparison.ReplayComparison.build(game)
    assert result.available
    assert result.span == "31 March 2025 to 28 April 2025 (5 weeks)"
    shared = [r for r in result.rows if r.ours is not None]
    assert [r.week for r in shared] == [1, 2, 3, 4, 5]
    assert result.scores["us"] == pytest.approx(sum(r.replay["us_welfare"] for r in shared) / 5)
    assert "31 March 2025" in result.caption and "week of 28 April 2025" in result.caption
    # Honest about where each replay figure comes from: scripted record, or model output.
    assert "scripted from the record" in result.caption and "model's outputs" in result.caption
    table = result.table_html()
    assert "2025 U.S. tariff (record)" in table and "Replay détente (model)" in table
    assert "real 2025" not in result.caption + table


@pytest.mark.parametrize(("text", "expected"), [("-5", "out of range"), ("", "is empty"),
                                                ("abc", "is not a number"), ("0,3", "with a point")])
def test_field_messages_use_names_people_use(text, expected):
    for message in (fields.move_field_error("cn", "approval_rate", text),
                    fields.offer_field_error("approval_floor", text)):
        assert expected in message and "0 to 1" in message and "allowed" in message
        assert "_" not in message and "." not in message.split(" ")[0]
    assert fields.move_field_error("cn", "approval_rate", "0.3") == ""
    assert fields.offer_field_error("weeks", "2.5").startswith("Length 2.5 is not a whole number")


def _game_with_agreement() -> st.PlayGame:
    game = st.PlayGame(side="us", scenario_name="classroom-short", seed=5, weeks=12)
    game.play_week(parse_move("us", {"posture": "seek_talks"}))
    while game.model.running and sv.pending_offer(game.model, "us") is None:
        game.play_week(parse_move("us", {}))
    assert game.model.truces.current is None  # nothing is signed before the player answers
    game.play_week(parse_move("us", sv.answer_fields("accept", None)))
    return game


def test_terms_in_force_and_breaches_in_plain_words():
    game = _game_with_agreement()
    terms = sv.terms_in_force(game.model, "us")
    assert terms is not None and terms.end_week == game.model.truces.current.end_week
    cap = next(c for c in terms.for_side("us") if c.instrument == "tariff_headline")
    assert cap.limit == game.model.truces.current.terms.us_tariff_cap
    over = parse_move("us", {"tariff_headline": cap.limit + 25})
    [warning] = sv.breaches(game.model, "us", over)
    assert f"{cap.limit + 25:g}% tariff breaches the agreed cap of {cap.limit:g}%" in warning
    assert terms.agreement == "the agreement reached in talks"
    assert {c.side for c in terms.caps} == {"us", "cn"}
    assert sv.breaches(game.model, "us", parse_move("us", {"tariff_headline": cap.limit})) == []
    assert sv.terms_in_force(st.PlayGame(side="us", scenario_name="classroom-short").model, "us") is None


def test_choices_count_what_the_player_submitted():
    game = st.PlayGame(side="cn", scenario_name="classroom-short", seed=1, weeks=12)
    offer = {"us_tariff_cap": 10, "cn_tariff_cap": 10, "approval_floor": 0.5, "review_cap": 5,
             "curb_cap": 0.3, "weeks": 13}
    script = [{"accuse": True}, {}, {"accuse": True, "offer": offer}]
    for data in script:
        game.play_week(parse_move("cn", data))
    while game.model.running and sv.pending_offer(game.model, "cn") is None:
        game.play_week(parse_move("cn", {}))
    waiting = sv.pending_offer(game.model, "cn")
    assert waiting is not None and waiting.by == "us"  # the AI's counter waits for the player
    answer_week = game.model.week + 1
    game.play_week(parse_move("cn", sv.answer_fields("reject", None)))
    choices = sv.player_choices(game.model, "cn")
    assert (choices.accusations, choices.offers, choices.rejected) == ([1, 3], [3], [answer_week])
    assert choices.accepted == [] and game.model.truces.current is None
    assert sv.answer_fields("accept", None) == {"answer": "accept"}
    assert sv.answer_fields("counter", {"weeks": "13"}) == {"offer": {"weeks": "13"}}
    assert sv.answer_fields("", None) == {}


@pytest.mark.parametrize("text", ["0,3", "1,234"])
def test_a_comma_is_never_read_as_a_bigger_number(text):
    from negotiate.app.explore import setting
    from negotiate.errors import ScenarioError

    with pytest.raises(ScenarioError, match="with a point"):
        fields.seed(text)
    with pytest.raises(ScenarioError, match="Perception noise.*with a point"):
        setting("noise.perception", "Perception noise", text)
    assert fields.seed("12") == 12


def test_setting_errors_name_settings_as_people_do():
    from negotiate import TradeModel
    from negotiate.errors import NegotiateError, ScenarioError

    with pytest.raises(ScenarioError) as err:
        st.parse_setting("noise.perception", "0.9")
    shown = st.message(err.value)
    assert shown.startswith("Perception noise: 0.9 is out of range") and "noise." not in shown
    with pytest.raises(NegotiateError) as err:
        set_live(TradeModel("classroom-short"), "weeks", 3)
    shown = st.message(err.value)
    assert "Perception noise" in shown and "U.S. strategy" in shown
    assert "noise.perception" not in shown and "us.strategy" not in shown
    assert st.setting_label("us.tariff_headline") == "U.S. tariff headline"

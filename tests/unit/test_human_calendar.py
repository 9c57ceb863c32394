"""Dated calendar events and a human seat: the record is shown, the player's instruments
move only by the player's moves; an answer to an offer takes effect the week it is given."""

from __future__ import annotations

from negotiate import TradeModel, load_scenario
from negotiate.calendar_effects import instruments_owner
from negotiate.moves import Move, parse_move


def game(side: str, seed: int = 3) -> TradeModel:
    values = {f"{side}.strategy": "human", "noise.execution": 0.0, "noise.perception": 0.0,
              "collect.firms": False}
    return TradeModel(load_scenario("classroom-short", values, seed=seed))


def hold(model: TradeModel, side: str) -> Move:
    """The player keeps the tariff where it is (the move the Play page sends untouched)."""
    return Move(tariff_headline=model.government(side).tariff_headline)


def test_the_tariff_ladder_does_not_move_a_human_us_tariff():
    model = game("us")
    start = model.us.tariff_headline
    for _ in range(4):
        model.submit_move("us", hold(model, "us"))
        model.step()
    assert model.us.tariff_headline == start  # no 145% in the player's name
    assert model.cn.tariff_headline == 125  # China's AI side follows its dated ladder
    notes = [r for r in model.log.records if r.kind == "calendar" and r.details.startswith("in 2025: U.S.")]
    assert [(r.week, r.actor) for r in notes] == [(2, "calendar")]
    assert "the player sets the U.S. measures" in notes[0].details
    assert not [r for r in model.log.records if r.actor == "us" and r.kind == "posture"]


def test_chinas_dated_controls_and_tariffs_do_not_move_a_human_china():
    model = game("cn")
    before = (model.cn.tariff_headline, model.cn.instruments.approval_rate,
              model.cn.instruments.review_weeks, model.cn.instruments.licence_kind)
    for _ in range(3):
        model.submit_move("cn", hold(model, "cn"))
        model.step()
    inst = model.cn.instruments
    assert (model.cn.tariff_headline, inst.approval_rate, inst.review_weeks, inst.licence_kind) == before
    assert model.us.tariff_headline == 145  # the AI's side still follows the record
    noted = [r.week for r in model.log.records if r.kind == "calendar" and "China's measures" in r.details]
    assert noted == [1, 2]


def test_which_side_an_event_moves():
    scenario = load_scenario("classroom-short")
    owners = {(e.kind, instruments_owner(e)) for e in scenario.events}
    assert owners == {("rare_earth_controls", "cn"), ("tariff", "us"), ("tariff", "cn"),
                      ("talks", None), ("call", None), ("note", None)}


def test_an_accepted_offer_is_signed_the_week_the_answer_comes_even_without_talks():
    model = game("us")
    model.submit_move("us", parse_move("us", {"posture": "seek_talks"}))
    model.step()
    while model.running and model.pending_offer("us") is None:
        model.submit_move("us", hold(model, "us"))
        model.step()
    waiting = model.pending_offer("us")
    assert waiting is not None and model.truces.current is None
    # The player thinks it over for two weeks: the offer waits, nothing is signed.
    for _ in range(2):
        model.submit_move("us", hold(model, "us"))
        model.step()
    assert model.pending_offer("us") == waiting and model.truces.current is None
    week = model.steps + 1
    model.submit_move("us", parse_move("us", {"answer": "accept"}))
    assert not model.talks_this_week and model.talks_pending_week != week
    model.step()
    current = model.truces.current
    assert current is not None and current.start_week == week
    assert current.terms == waiting.offer.terms()
    assert model.us.tariff_headline <= waiting.offer.us_tariff_cap  # the caps bind at once


def test_the_ais_offers_to_a_player_are_in_round_terms():
    model = game("us", seed=5)
    model.submit_move("us", parse_move("us", {"posture": "seek_talks"}))
    model.step()
    while model.running and model.pending_offer("us") is None:
        model.submit_move("us", hold(model, "us"))
        model.step()
    offer = model.pending_offer("us").offer
    assert offer.us_tariff_cap.is_integer() and offer.review_cap.is_integer()
    assert round(offer.approval_floor, 2) == offer.approval_floor
    assert round(offer.curb_cap, 2) == offer.curb_cap

"""The engine's side of human seats: the player's side acts only by the player's choices."""

from __future__ import annotations

import pytest

from negotiate import TradeModel, load_scenario
from negotiate.moves import Move, parse_move
from negotiate.strategies import Posture

HOLD = Move(posture=Posture.COMPLY)


def game(side: str = "us", seed: int = 3, **more: object) -> TradeModel:
    values = {f"{side}.strategy": "human", "noise.execution": 0.0, "noise.perception": 0.0,
              "collect.firms": False, **more}
    return TradeModel(load_scenario("classroom-short", values, seed=seed))


def play(model: TradeModel, side: str, move: Move) -> None:
    model.submit_move(side, move)
    model.step()


def events(model: TradeModel, side: str, kind: str):
    table = model.event_table()
    return table[(table["actor"] == side) & (table["kind"] == kind)]


@pytest.mark.parametrize("side", ["us", "cn"])
def test_a_human_side_accuses_only_when_its_move_says_so(side):
    model = game(side, **{"noise.perception": 0.3})
    accuse_in = {3, 9}
    while model.running:
        week = model.steps + 1
        # a hostile tariff every week: the AI would have accused and retaliated in its name
        tariff = model.government(side).tariff_headline + 5
        play(model, side, Move(tariff_headline=tariff, accuse=week in accuse_in))
    assert model.government(side).accusations == 2
    assert events(model, side, "accusation")["week"].tolist() == sorted(accuse_in)
    assert events(model, side, "posture").empty  # no retaliation declared for the player


@pytest.mark.parametrize("side", ["us", "cn"])
def test_the_posture_accuse_is_an_accusation_and_no_other_posture_is(side):
    model = game(side)
    chosen = {2: Posture.ACCUSE, 4: Posture.RETALIATE, 6: Posture.ACCUSE, 7: Posture.SEEK_TALKS}
    while model.running:
        week = model.steps + 1
        play(model, side, Move(posture=chosen.get(week, Posture.COMPLY)))
    assert events(model, side, "accusation")["week"].tolist() == [2, 6]
    assert model.government(side).accusations == 2


def test_the_ai_offer_waits_for_the_human_and_is_signed_only_when_accepted():
    model = game("us")
    while model.running and model.pending_offer("us") is None:
        play(model, "us", HOLD)
    waiting = model.pending_offer("us")
    assert waiting is not None and waiting.by == "cn" and waiting.to == "us"
    assert model.truces.current is None  # nothing signed for the player
    week = model.steps + 1
    play(model, "us", parse_move("us", {"answer": "accept"}))
    assert model.truces.current is not None
    assert model.truces.current.terms == waiting.offer.terms()
    assert events(model, "us", "answer")["week"].tolist() == [week]
    assert model.pending_offer("us") is None


def test_a_rejected_offer_signs_nothing_and_a_counter_gets_an_answer():
    model = game("us")
    while model.running and model.pending_offer("us") is None:
        play(model, "us", HOLD)
    play(model, "us", parse_move("us", {"answer": "reject"}))
    assert model.truces.current is None and model.pending_offer("us") is None
    counter = {"us_tariff_cap": 20, "cn_tariff_cap": 10, "approval_floor": 0.5,
               "review_cap": 9, "curb_cap": 0.3}
    play(model, "us", parse_move("us", {"offer": counter}))
    offers = events(model, "us", "offer")
    assert len(offers) == 1 and offers["week"].iloc[0] == model.steps
    reply = model.pending_offer("us")
    if model.truces.current is not None:  # the AI accepted: exactly the player's terms
        assert model.truces.current.terms.us_tariff_cap == 20.0 and reply is None
    else:  # the AI countered: its counter waits for the player
        assert reply is not None and reply.by == "cn"


def test_without_answers_no_agreement_is_ever_signed_for_the_player():
    model = game("us")
    while model.running:
        play(model, "us", HOLD)
    assert model.truces.history == []
    assert not events(model, "cn", "offer").empty  # the AI did offer


def test_terms_in_force_and_what_a_move_would_breach():
    model = game("us")
    assert model.terms_in_force("us") is None
    while model.running and model.pending_offer("us") is None:
        play(model, "us", HOLD)
    cap = model.pending_offer("us").offer.us_tariff_cap
    play(model, "us", parse_move("us", {"answer": "accept"}))
    terms = model.terms_in_force("us")
    assert terms["tariff_cap"] == cap and terms["agreement"] == "talks"
    above = Move(tariff_headline=cap + 10)
    assert model.move_breaches("us", above) == [
        f"a {cap + 10:g}% tariff breaches the agreed cap of {cap:g}%"]
    assert model.move_breaches("us", Move(tariff_headline=cap)) == []


def test_execution_noise_changes_instruments_one_at_a_time_and_says_so():
    model = game("cn", seed=5, **{"noise.execution": 0.5})
    noisy_weeks = 0
    while model.running:
        inst = model.cn.instruments
        move = Move(tariff_headline=inst.tariff_headline + 2, approval_rate=0.3, review_weeks=22.0)
        play(model, "cn", move)
        changes = {c.instrument: c for c in model.noise_report("cn")}
        logged = events(model, "cn", "execution_noise")
        assert len(logged[logged["week"] == model.steps]) == len(changes)
        for name in ("tariff_headline", "approval_rate", "review_weeks"):
            value = getattr(inst, name)
            if name in changes:
                assert changes[name].intended == getattr(move, name)
                assert changes[name].executed == value != getattr(move, name)
            else:
                assert value == getattr(move, name)  # the other instruments went out as meant
        noisy_weeks += bool(changes)
        assert len(changes) < 3 or noisy_weeks  # per instrument: a week may change some, not all
    assert noisy_weeks > 0


def test_a_dated_deal_waits_for_the_player_but_an_agreed_one_from_outside_is_signed():
    import datetime as dt

    from negotiate.calendar import CalendarEvent

    model = TradeModel(load_scenario("rare-earth-2025-replay", {"us.strategy": "human"}, seed=1))
    while model.running and model.pending_offer("us") is None:
        play(model, "us", HOLD)
    waiting = model.pending_offer("us")
    assert waiting.name.startswith("Geneva") and model.truces.current is None
    assert model.us.accusations == 0  # the record's U.S. accusations are not the player's
    play(model, "us", parse_move("us", {"answer": "accept"}))
    assert model.truces.current.name == waiting.name
    # A deal both delegations agreed elsewhere (a classroom) is applied, not offered.
    other = game("us")
    event = CalendarEvent(dt.date(2025, 4, 7), "agreement", "class deal",
                          details={"us_tariff_cap": 25.0, "cn_tariff_cap": 10.0})
    other.apply_event(event)
    assert other.truces.current.name == "class deal" and other.pending_offer("us") is None

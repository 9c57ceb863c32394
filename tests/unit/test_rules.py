"""One rule at a time, Axelrod style: small scripted situations, results worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from negotiate.errors import MoveError
from negotiate.market import Market
from negotiate.moves import Move, breaches, parse_move, posture_of
from negotiate.negotiation import Offer, Party, blend, parse_offer_field, utility
from negotiate.outcome import classify, detente_index
from negotiate.payoffs import PayoffScales, WeekState, pressures, welfare
from negotiate.policy import Instruments, Steps, Terms, translate, within_terms
from negotiate.strategies import Posture
from negotiate.truce import consult, perceive

STEPS = Steps(escalation=50.0, retaliation=10.0)
GENEVA = Terms(us_tariff_cap=30.0, cn_tariff_cap=10.0, approval_floor=0.5, review_cap=9.0,
               curb_cap=0.5)


def us(tariff: float = 30.0, curbs: float = 0.3) -> Instruments:
    return Instruments.with_curb_index("us", curbs, tariff_headline=tariff)


def cn(tariff: float = 10.0, approval: float = 0.6) -> Instruments:
    return Instruments.with_curb_index("cn", 0.1, tariff_headline=tariff, controls_active=True,
                                       approval_rate=approval, review_weeks=9.0)


# ------------------------------------------------------------------ market
def test_market_mood_keeps_a_share_of_last_week_plus_this_weeks_news():
    market = Market(60.0, 0.05, 3.0, 0.8)
    market.shock("agreement")            # +3.3
    market.shock("accusation")           # -0.7
    market.update(shortage=0.0, blocked_share=0.0)
    assert market.mood == pytest.approx(2.6)
    market.update(shortage=0.0, blocked_share=0.0)
    assert market.mood == pytest.approx(0.8 * 2.6)


def test_spot_premium_grows_with_the_square_root_of_the_shortage():
    market = Market(60.0, 0.05, 3.0, 0.8)
    market.update(shortage=0.25, blocked_share=0.0)
    # 60 * (1 + 0.05 + 3 * 0.5) = 153; pain = (153 / 63 - 1) / 3
    assert market.price_spot == pytest.approx(153.0)
    assert market.price_contract == pytest.approx(63.0)
    assert market.price_pain == pytest.approx((153 / 63 - 1) / 3)


# ------------------------------------------------------------------ policy.translate
def test_a_retaliation_adds_one_step_of_tariff_and_tightens_the_least_used_measure():
    inst = us(tariff=20.0, curbs=0.0)
    translate(inst, Posture.RETALIATE, None, STEPS)
    assert inst.tariff_headline == 30.0
    # measures all at 0: the first by name ("chip_controls", weight 0.35) goes to 0.25
    assert inst.tech_curbs == pytest.approx(0.35 * 0.25)
    assert inst.diversification == pytest.approx(0.05)


def test_compliance_under_terms_brings_the_instruments_within_them():
    inst = cn(tariff=125.0, approval=0.2)
    translate(inst, Posture.COMPLY, GENEVA, STEPS)
    assert inst.tariff_headline == 10.0 and inst.approval_rate == 0.5
    assert within_terms(inst, GENEVA)


def test_a_breach_under_terms_is_material():
    inst = cn(tariff=10.0, approval=0.6)
    translate(inst, Posture.RETALIATE, GENEVA, STEPS)
    assert inst.tariff_headline == 20.0
    assert not within_terms(inst, GENEVA)


# ------------------------------------------------------------------ truce
def test_perception_without_noise_is_the_truth_and_with_noise_one_flips_everything():
    rng = np.random.default_rng(0)
    assert perceive(True, 0.0, rng) is True and perceive(False, 0.0, rng) is False
    assert perceive(True, 1.0, rng) is False


def test_a_committee_clears_a_false_alarm_it_sees_through():
    rng = np.random.default_rng(0)
    assert consult(False, True, 0.0, rng) is True   # perceived breach, none happened: cleared
    assert consult(False, False, 0.0, rng) is False  # a real breach stays a breach
    assert consult(True, False, 0.0, rng) is True   # seen compliance is not re-checked


# ------------------------------------------------------------------ negotiation
def test_utilities_of_a_hand_made_offer():
    offer = Offer(us_tariff_cap=145.0, cn_tariff_cap=0.0, approval_floor=1.0, review_cap=0.0,
                  curb_cap=1.0, licence_kind="general")
    assert utility("us", offer) == pytest.approx(1.0)
    assert utility("cn", offer) == pytest.approx(0.0)


def test_blend_halfway_and_licence_kind_rounds_to_the_nearest():
    a = Offer(100.0, 0.0, 1.0, 2.0, 0.4, "general", 13)
    b = Offer(0.0, 50.0, 0.0, 10.0, 0.0, "single", 13)
    mid = blend(a, b, 0.5)
    assert (mid.us_tariff_cap, mid.cn_tariff_cap, mid.approval_floor, mid.review_cap) == (50.0, 25.0, 0.5, 6.0)
    assert mid.curb_cap == pytest.approx(0.2) and mid.licence_kind == "temporary"


def test_a_party_refuses_below_its_reservation_and_accepts_its_own_ideal():
    ideal = Offer(145.0, 0.0, 1.0, 0.0, 1.0, "general")
    status_quo = Offer(145.0, 125.0, 0.0, 18.0, 1.0, "single")
    party = Party("us", ideal, status_quo, pressure=0.0, trust=0.5)
    # reservation = utility(status quo) = 0.15 * 1 + 0.10 * 1 = 0.25
    assert party.reservation == pytest.approx(0.25)
    assert party.accepts(ideal)
    assert not party.accepts(status_quo.__class__(0.0, 125.0, 0.0, 18.0, 0.0, "single"))


@pytest.mark.parametrize("text, needle", [("0,3", "comma"), ("", "empty"), ("x", "not a number"),
                                          ("-5", "out of range"), ("2.5", "whole number")])
def test_offer_fields_refuse_bad_text_with_one_line(text, needle):
    name = "weeks" if text == "2.5" else "approval_floor"
    with pytest.raises(MoveError, match=needle):
        parse_offer_field(name, text)
    assert parse_offer_field("approval_floor", "0.3") == 0.3


# ------------------------------------------------------------------ moves
def test_keeping_a_tariff_above_the_cap_breaches_in_plain_words():
    move = parse_move("us", {"tariff_headline": 35, "tech_curbs": 0.6})
    assert breaches("us", move, GENEVA, "Geneva") == [
        "a 35% tariff breaches the Geneva cap of 30%",
        "tech curbs of 0.6 breach the Geneva cap of 0.5",
    ]
    assert breaches("us", Move(tariff_headline=30.0), GENEVA, "Geneva") == []
    assert breaches("us", move, None) == []


def test_instruments_speak_louder_than_words():
    raise_by_ten = Move(posture=Posture.COMPLY, tariff_headline=40.0)
    assert posture_of(raise_by_ten, us(tariff=30.0), None, STEPS) is Posture.RETALIATE
    assert posture_of(Move(tariff_headline=90.0), us(tariff=30.0), None, STEPS) is Posture.ESCALATE
    assert posture_of(Move(tariff_headline=20.0), us(tariff=30.0), None, STEPS) is Posture.CONCEDE
    assert posture_of(Move(accuse=True), us(), None, STEPS) is Posture.ACCUSE


# ------------------------------------------------------------------ payoffs
STATE = WeekState(us_tariff_above_base=100.0, cn_tariff_above_base=60.0, us_curbs=0.5,
                  cn_curbs=0.2, us_shortage=0.1, us_dependency=0.4, us_lobbying=0.2,
                  blocked=0.3, price_pain=0.2, mood=-5.0)


def test_pressures_worked_by_hand():
    p = pressures(STATE, processing_share=0.9, scales=PayoffScales())
    # U.S.: 0.7*min(1, 0.2) + 0.15*0.2 + 0.15*0.5 + 0.2*min(1, 0.5+0.3) + 0.15*0.2
    assert p.us_pressure == pytest.approx(0.14 + 0.03 + 0.075 + 0.16 + 0.03)
    # China: 0.45*min(1, 100/100) + 0.2*0.5 + 0.15*0.5 + 0.2*0.3
    assert p.cn_pressure == pytest.approx(0.45 + 0.1 + 0.075 + 0.06)
    assert p.cn_leverage == pytest.approx(0.9 * 0.4)
    assert p.us_leverage == pytest.approx(min(1.0, 0.15 + 0.5 + 0.2))


def test_welfare_worked_by_hand_and_its_scale_is_a_parameter():
    us_w, cn_w = welfare(STATE, PayoffScales())
    trade = 3.0 * (1 - 80.0 / 163.0)
    assert us_w == pytest.approx(trade - 0.3 - 0.1 - 0.15)
    assert cn_w == pytest.approx(trade - 0.45 - 0.5 - 0.06)
    us_w, _ = welfare(STATE, PayoffScales(trade_drag_scale=80.0))
    assert us_w == pytest.approx(-0.55)  # the drag is full: no gains from trade left


# ------------------------------------------------------------------ outcome
def test_detente_index_classic_weights():
    assert detente_index(classic=True, trust=0.5, accusations_recent=2,
                         cooperation_recent=1.0) == pytest.approx(0.4 * 0.5 + 0.3 * 0.5 + 0.3)


def test_outcomes_by_hand():
    common = dict(week=20, snapback_weeks=[], cooperation_window=1.0, hold=0.6, friction=0.4,
                  window=4, quiet_weeks=13)
    assert classify([0.7] * 4, agreement_in_force=True, **common).kind == "detente_holds"
    assert classify([0.3] * 4, agreement_in_force=True, **common).kind == "friction_returns"
    assert classify([0.5] * 4, agreement_in_force=True, **common).kind == "fragile_truce"
    snapped = {**common, "snapback_weeks": [18]}
    assert classify([0.9] * 4, agreement_in_force=False, **snapped).kind == "friction_returns"

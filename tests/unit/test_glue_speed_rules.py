"""What the cheap paths of the supply week, the market and a round of talks rely on: the
written-out clamps clamp as ``min``/``max`` do, and suppliers ramped together ramp as each
would alone, their weekly capacity kept beside the yearly one."""

import math

import pytest

from negotiate import TradeModel, load_scenario
from negotiate.agents.firm import WEEKS_A_YEAR, Supplier
from negotiate.market import Market
from negotiate.negotiation import Offer, Party, blend, ideal_offer


def _market() -> Market:
    return Market(price_reference=60.0, contract_premium=0.05, spot_premium_max=3.0,
                  mood_decay=0.9, nonchina_share_normal=0.1)


def _prices(market: Market) -> tuple[float, ...]:
    return (market.price_china, market.price_contract, market.price_spot,
            market.price_heavy_contract, market.price_heavy_spot, market.price_pain)


@pytest.mark.parametrize(("given", "clamped"), [(-0.5, 0.0), (1.5, 1.0), (math.nan, 0.0), (0, 0.0),
                                                (1, 1.0), (0.25, 0.25)])
def test_market_shares_outside_zero_to_one_count_as_the_nearest_end(given, clamped):
    expected, market = _market(), _market()
    expected.update(clamped, clamped, 0.2)
    market.update(given, given, 0.2)
    assert _prices(market) == _prices(expected)
    assert 0.0 <= market.price_pain <= 1.0


def test_market_pain_is_full_at_most():
    market = _market()
    market.update(1.0, 1.0, 1.0)
    assert market.price_pain == 1.0


def _suppliers(invest: float = 0.0) -> list[Supplier]:
    model = TradeModel(load_scenario("rare-earth-2025", {"weeks": 5, "firms.count": 2}, seed=1))
    for supplier in model.suppliers:
        supplier.extra_investment = invest
    return model.suppliers


def test_suppliers_ramped_together_keep_weekly_capacity_beside_yearly():
    suppliers = _suppliers()
    assert all(s.capacity_tpw == s.capacity_tpy / WEEKS_A_YEAR for s in suppliers)
    before = [s.capacity_tpy for s in suppliers]
    still = Supplier.ramp_week(suppliers, 0.3, 400.0, 1.0)
    assert still == [s for s in suppliers if s.ramping]
    assert all(s.capacity_tpy > b for s, b in zip(suppliers, before, strict=True))
    assert all(s.capacity_tpw == s.capacity_tpy / WEEKS_A_YEAR for s in suppliers)


def test_a_seat_push_ramps_as_the_same_support_would():
    # Suppliers without a push share one ramp time; one with a push works out its own.
    pushed, supported = _suppliers(invest=0.3), _suppliers()
    Supplier.ramp_week(pushed, 0.0, 400.0, 1.5)
    Supplier.ramp_week(supported, 0.3, 400.0, 1.5)
    assert [s.capacity_tpy for s in pushed] == [s.capacity_tpy for s in supported]


def test_a_supplier_stops_ramping_at_its_target():
    suppliers = _suppliers()
    still = Supplier.ramp_week(suppliers, 1.0, 1.0, 0.0)  # the whole gap in one week
    assert still == []
    assert all(s.capacity_tpy == s.target_tpy and not s.ramping for s in suppliers)
    assert all(s.capacity_tpw == s.target_tpy / WEEKS_A_YEAR for s in suppliers)


def test_blend_shares_outside_zero_to_one_count_as_the_nearest_end():
    a, b = Offer(100.0, 0.0, 1.0, 2.0, 0.4, "general", 13), Offer(0.0, 50.0, 0.0, 10.0, 0.0, "single", 26)
    assert blend(a, b, 1.5) == blend(a, b, 1.0) == blend(a, b, 1)
    assert blend(a, b, -0.5) == blend(a, b, math.nan) == blend(a, b, 0.0) == a


def test_concession_is_half_the_way_at_most():
    offer = Offer(100.0, 0.0, 1.0, 2.0, 0.4, "general", 13)
    seated = Party("us", offer, offer, pressure=1.0, trust=0.5)
    assert seated.concession(5, 6) == 0.5
    assert seated.concession(0, 6) == 1 / 6 * 0.7


def test_chinas_opening_caps_approvals_at_half_and_asks_nine_weeks_review_at_least():
    opening = ideal_offer("cn", 50.0, 40.0, 0.6, 0.9, 5.0, 13)
    assert (opening.approval_floor, opening.review_cap) == (0.5, 9.0)
    opening = ideal_offer("cn", 50.0, 40.0, 0.6, 0.3, 12, 13)
    assert (opening.approval_floor, opening.review_cap) == (0.3, 12)
    assert type(opening.review_cap) is int  # max(12, 9.0) is the 12 given

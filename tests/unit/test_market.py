"""The two price indices (light NdPr, heavy Dy/Tb) and the price pain they cause."""

from __future__ import annotations

import pytest

from negotiate.market import DYTB_CONTENT, NDPR_CONTENT, Market


def test_light_spot_premium_grows_with_the_square_root_of_the_shortage():
    market = Market(60.0, 0.05, 3.0, 0.8)
    market.update(shortage=0.25, blocked_share=0.0)
    # 60 * (1 + 0.05) + 60 * 3 * 0.5 = 153
    assert market.price_spot == pytest.approx(153.0)
    assert market.price_contract == pytest.approx(63.0)
    assert market.price_heavy_spot == pytest.approx(224.0 * 1.05), "nothing blocked"
    # A quarter of light demand buys at spot; the magnet's rare-earth bill rises accordingly.
    normal = NDPR_CONTENT * 63.0 + DYTB_CONTENT * 235.2
    paid = NDPR_CONTENT * (63.0 + 0.25 * 90.0) + DYTB_CONTENT * 235.2
    assert market.price_pain == pytest.approx(paid / normal - 1.0)


def test_blocked_exports_move_the_heavy_index_not_the_light_one():
    market = Market(60.0, 0.05, 3.0, 0.8)
    market.update(shortage=0.0, blocked_share=0.36)
    assert market.price_spot == pytest.approx(63.0)
    assert market.price_heavy_spot == pytest.approx(224.0 * (1.05 + 3.0 * 0.6))
    assert market.price_pain > 0.0


@pytest.mark.parametrize("shortage, blocked", [(0.25, 0.0), (0.0, 0.3), (0.2, 0.2)])
def test_a_larger_spot_premium_means_more_pain(shortage, blocked):
    pains = []
    for premium in (0.5, 3.0, 10.0):
        market = Market(60.0, 0.05, premium, 0.8)
        market.update(shortage, blocked)
        pains.append(market.price_pain)
    assert pains[0] < pains[1] <= pains[2]


def test_buying_outside_china_costs_more_the_cheaper_china_is():
    pains = []
    for inside in (30.0, 60.0, 100.0):
        market = Market(inside, 0.05, 3.0, 0.8, nonchina_share_normal=0.15)
        market.update(0.0, 0.0, nonchina_share=0.5)
        pains.append(market.price_pain)
    assert pains[0] > pains[1] > pains[2]
    usual = Market(60.0, 0.05, 3.0, 0.8, nonchina_share_normal=0.15)
    usual.update(0.0, 0.0, nonchina_share=0.15)
    assert usual.price_pain == 0.0, "the usual supply mix is no pain"

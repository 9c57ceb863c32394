"""The firm panel: shortage by home, licence need from the controlled elements, goods in
transit, and the per-firm weekly table (what researchers read with ``run --out``)."""

from __future__ import annotations

import numpy as np
import pytest

import negotiate
from negotiate.agents.firm import DEFENCE, FIRM_COLUMNS, FirmPanel, lobbying_effort
from negotiate.calendar import HOMES
from negotiate.model import TradeModel
from negotiate.scenario import load_scenario

# Everything that would blur a planted state is off: no supply outside China, no switching,
# one buffer for all, goods arrive the week they ship.
FROZEN = {"weeks": 3, "events": [], "firms.count": 60, "cn.controls": True,
          "cn.approval_rate": 0.0, "firms.heavy_share": 1.0, "firms.jit_share": 0.0,
          "firms.switch_rate": 0.0, "firms.buffer_spread": 0.0,
          "supply.nonchina_tpy": 0.0, "supply.nonchina_target_tpy": 0.0,
          **{f"supply.transit_weeks_{h.lower()}": 0 for h in HOMES}}


def frozen_model(**extra) -> TradeModel:
    return TradeModel(load_scenario("rare-earth-2025", {**FROZEN, **extra}, seed=5))


def test_a_planted_shortage_is_read_per_home_and_reaches_us_pressure():
    model = frozen_model()
    firms = model.firms
    assert firms.heavy.all(), "with Dy/Tb controlled and every firm Dy/Tb-bearing"
    # Plant each home's stock as a share of one week's demand: nothing else arrives, so that
    # share is what each firm can make this week.
    planted = {0: 0.69, 1: 0.5, 2: 0.9, 3: 1.0, 4: 0.2}  # US shortage 31 %
    for home, share in planted.items():
        mask = firms.home == home
        firms.inventory[mask] = firms.demand[mask] * share
    model.step()
    for home, share in planted.items():
        if (firms.home == home).any():
            assert firms.shortage(home) == pytest.approx(1.0 - share), HOMES[home]
    us = 0
    assert firms.us_shortage == pytest.approx(0.31)
    s = model.scenario
    assert model.us.pressure >= min(1.0, s.payoffs_shortage_weight * 2 * 0.31) - 1e-12
    # And the shortage is there in the firm table: lost production over the home's demand.
    table = model.firm_table()
    us_rows = table[table["home"] == HOMES[us]]
    lost = ((1 - us_rows["production"].astype(float)) * us_rows["demand_t"]).sum()
    assert lost / us_rows["demand_t"].sum() == pytest.approx(0.31, abs=1e-6)


def test_licence_need_follows_the_controlled_elements_and_the_dytb_threshold():
    panel = FirmPanel(400, np.random.default_rng(1), demand_tpy=1000.0, buffer_weeks=10.0,
                      jit_share=0.0, jit_buffer_weeks=3.0, china_share=0.85, heavy_share=0.5)
    bearing = panel.dytb_pct > 0.1
    assert 0 < bearing.sum() < panel.n
    panel.set_controlled(("Dy", "Tb"))
    assert (panel.heavy == bearing).all()
    panel.set_controlled(("Sm",))  # SmCo: defence primes only
    assert (panel.heavy == (panel.sector == DEFENCE)).all()
    panel.set_controlled(("Nd",))  # a light element: every NdFeB user
    assert panel.heavy.all()
    panel.set_controlled(("La", "Ce"))  # nobody's magnets contain these
    assert not panel.heavy.any()
    above = FirmPanel(400, np.random.default_rng(1), demand_tpy=1000.0, buffer_weeks=10.0,
                      jit_share=0.0, jit_buffer_weeks=3.0, china_share=0.85, heavy_share=0.5,
                      dytb_threshold_pct=5.0)
    above.set_controlled(("Dy", "Tb"))
    assert (above.heavy == (above.dytb_pct > 5.0)).all()
    assert above.heavy.sum() < bearing.sum()


def test_goods_at_sea_keep_arriving_for_each_home_s_lead_time_after_a_freeze():
    # ALLD keeps China from reconciling (a concession would restore approvals mid-test).
    transit = {"supply.transit_weeks_eu": 6, "supply.transit_weeks_jp": 1,
               "supply.transit_weeks_us": 3, "cn.strategy": "alld"}
    model = frozen_model(weeks=10, **transit)
    while model.running:
        model.step()
    table = model.firm_table()
    by_home = table.groupby(["home", "week"], observed=True)["received_china_t"].sum()
    for home, lead in (("EU", 6), ("JP", 1), ("US", 3)):
        weeks = by_home[home]
        assert (weeks.loc[1:lead] > 0).all(), home
        assert (weeks.loc[lead + 1:] == 0).all(), home
        at_sea = table[table["home"] == home].groupby("week")["in_transit_t"].sum()
        assert np.allclose(at_sea.loc[lead:], 0.0, atol=1e-9), home


def test_buffers_are_spread_across_firms():
    model = frozen_model(**{"firms.buffer_spread": 0.3, "firms.jit_share": 0.0})
    cover = model.firms.buffer_weeks
    assert cover.min() >= 10.0 * 0.7 - 1e-9 and cover.max() <= 10.0 * 1.3 + 1e-9
    assert cover.std() > 0.5


def test_approval_rates_differ_by_home():
    model = frozen_model(weeks=14, **{"cn.approval_rate": 0.5, "cn.review_weeks": 1.0,
                                      "cn.approval_factor_us": 0.0, "cn.approval_factor_eu": 2.0,
                                      "cn.defence_approval_factor": 1.0, "firms.count": 200})
    while model.running:
        model.step()
    last = model.firm_table().query("week == 14")
    licensed = last.groupby("home", observed=True)["licensed"].mean()
    assert licensed["US"] == 0.0
    assert licensed["EU"] > 0.9  # a few single licences run out and are re-applied for


def test_the_firm_table_adds_up_to_the_model_s_own_receipts():
    model = TradeModel(load_scenario("rare-earth-2025", {"weeks": 30, "firms.count": 30}, seed=2))
    us = HOMES.index("US")
    own, shipped = [], []
    start_transit = float(model.firms.in_transit.sum())
    while model.running:
        model.step()
        own.append((model.firms.receipts(us), model.firms.delivered_china))
        shipped.append(model.firms.supply_china)
    table = model.firm_table()
    assert list(table.columns) == list(FIRM_COLUMNS)
    us_rows = table[table["home"] == "US"].groupby("week")
    from_china = us_rows["received_china_t"].sum()
    from_others = us_rows["received_other_t"].sum()
    all_china = table.groupby("week")["received_china_t"].sum()
    for week, ((china, other), delivered) in enumerate(own, start=1):
        assert from_china[week] == pytest.approx(china)
        assert from_others[week] == pytest.approx(other)
        assert all_china[week] == pytest.approx(delivered)
    # Goods are neither lost nor made at sea: shipped = arrived + what is still on its way.
    end_transit = table.query("week == 30")["in_transit_t"].sum()
    assert sum(shipped) == pytest.approx(all_china.sum() + end_transit - start_transit)
    # Stock and flow agree firm by firm: cover change = receipts - use.
    firm0 = table[table["firm"] == 0].set_index("week")
    stock = firm0["cover_weeks"].astype(float) * firm0["demand_t"]
    change = stock.diff().dropna()
    flow = (firm0["received_china_t"] + firm0["received_other_t"]
            - firm0["production"].astype(float) * firm0["demand_t"]).loc[change.index]
    assert np.allclose(change, flow, atol=1e-4 * firm0["demand_t"].iloc[0] * 20)


def test_run_out_writes_the_firm_columns(tmp_path):
    result = negotiate.run("rare-earth-2025", seed=1, weeks=4, overrides={"firms.count": 5})
    written = result.write(tmp_path / "out")
    agents = next(p for p in written if p.name.startswith("agents") and p.suffix == ".csv")
    header = agents.read_text().splitlines()[0].split(",")
    assert header == ["scenario", "seed", *FIRM_COLUMNS]


def test_a_seat_s_levers_change_later_weeks_of_the_firm_table_but_never_earlier_ones():
    # The weekly table keeps the panel's arrays by reference: a lever that changed an array
    # in place would rewrite the weeks already recorded.
    model = TradeModel(load_scenario("rare-earth-2025", {"firms.count": 20, "weeks": 6}, seed=3))
    action = negotiate.moves.FirmAction
    model.submit_firm_action(0, action(stockpile_weeks=2.0, lobby=0.3))
    for _ in range(3):
        model.step()
    before = model.firm_table()
    model.submit_firm_action(0, action(stockpile_weeks=10.0, switch_share=0.5, lobby=1.0))
    recast = 1 if model.firms.heavy[1] else 2  # a firm that needs a licence, cast as one that does not
    model.firms.recast(recast, sector=0, home=1, heavy=False)
    model.step()
    after = model.firm_table()
    # Home and sector are who a firm is: the table reads them from the panel as cast now.
    recorded = [c for c in FIRM_COLUMNS if c not in ("home", "sector")]
    assert after[after["week"] <= 3].reset_index(drop=True)[recorded].equals(before[recorded])
    week4 = after[(after["week"] == 4)].set_index("firm")
    week3 = before[before["week"] == 3].set_index("firm")
    assert week4.loc[0, "buffer_target_weeks"] == pytest.approx(week3.loc[0, "buffer_target_weeks"] + 8.0,
                                                                rel=1e-6)
    assert week4.loc[0, "china_share"] < week3.loc[0, "china_share"]
    assert week4.loc[0, "lobbying"] == pytest.approx(1.0)
    assert not week4.loc[recast, "needs_licence"]


def test_lobbying_effort_worked_by_hand():
    # Weekly demand 1 t and a 10-week buffer target for every firm: cover scale 1/10.
    production = np.array([1.0, 0.8, 0.4, 1.0])
    inventory = np.array([10.0, 5.0, 0.0, 30.0])
    scale = np.full(4, 0.1)
    # At target: nothing. Half short of stock (fear 0.5, counted half) and 20% of output lost:
    # 0.2 + 0.25. Out of stock and 60% lost: 0.6 + 0.5, capped at 1. Overstocked: fear 0.
    assert lobbying_effort(production, inventory, scale, None) == pytest.approx([0.0, 0.45, 1.0, 0.0])
    pushed = lobbying_effort(production, inventory, scale, np.array([0.0, 0.0, 0.5, 0.3]))
    assert pushed == pytest.approx([0.0, 0.45, 1.0, 0.3])
    assert inventory.tolist() == [10.0, 5.0, 0.0, 30.0]  # its inputs are left as they were


def test_the_firm_table_shows_the_lobbying_the_week_used():
    model = TradeModel(load_scenario("rare-earth-2025", {"weeks": 8, "firms.count": 40}, seed=3))
    model.play_to_end()
    table = model.firm_table()
    last = table[table["week"] == table["week"].max()]
    us = (last["home"] == "US").to_numpy()
    demand = model.firms.demand[us]
    from_table = float(last["lobbying"].to_numpy()[us].astype(float) @ demand) / demand.sum()
    assert from_table == pytest.approx(model.firms.lobbying_of(HOMES.index("US")), abs=1e-6)


# Lead times by home as in rare-earth-2025: U.S. 6, EU 6, Japan 1, Korea 1, India 3 weeks.
TRANSIT = (6, 6, 1, 1, 3)


def _panel_with_a_japanese_firm() -> tuple[FirmPanel, int]:
    panel = FirmPanel(40, np.random.default_rng(4), demand_tpy=52.0, buffer_weeks=8.0,
                      jit_share=0.0, jit_buffer_weeks=3.0, china_share=1.0, heavy_share=0.0,
                      transit_weeks=TRANSIT)
    return panel, int(np.flatnonzero(panel.home == HOMES.index("JP"))[0])


def _week(panel: FirmPanel, week: int) -> None:
    panel.step(week, np.random.default_rng(week), controls=False, approval_rate=1.0,
               defence_factor=1.0, review_weeks=9.0, licence_kind="single",
               nonchina_capacity=0.0, switch_rate=0.0)


def test_a_firm_cast_to_another_home_before_the_first_week_takes_that_home_s_lead_time():
    panel, firm = _panel_with_a_japanese_firm()
    steady = panel.demand[firm] * panel.china_share[firm]
    assert panel.in_transit[firm] == pytest.approx(1 * steady)  # a week at sea from China
    panel.recast(firm, sector=DEFENCE, home=HOMES.index("US"), heavy=True)
    assert panel.transit_weeks[firm] == 6
    assert panel.in_transit[firm] == pytest.approx(6 * steady)  # six weeks at sea, as a U.S. firm
    for week in range(1, 13):  # steady shipments keep arriving, week after week
        _week(panel, week)
        assert panel.received_china[firm] == pytest.approx(steady, rel=0.05), week


def test_a_firm_recast_mid_run_gets_what_was_at_sea_then_waits_the_new_lead_time():
    panel, firm = _panel_with_a_japanese_firm()
    for week in range(1, 4):
        _week(panel, week)
    at_sea = panel.in_transit[firm]
    panel.recast(firm, sector=DEFENCE, home=HOMES.index("US"), heavy=True)
    assert panel.in_transit[firm] == at_sea  # nothing at sea is lost or added
    received = []
    for week in range(4, 12):
        _week(panel, week)
        received.append(panel.received_china[firm])
    # Week 4 brings what week 3 shipped on the 1-week lead; week 4's shipment, on the new
    # 6-week lead, is the next to land: in week 10. Nothing comes from China in between.
    assert received[0] > 0
    assert received[1:6] == [0.0] * 5
    assert received[6] > 0


def test_a_us_seat_switching_suppliers_lowers_us_dependency_at_once():
    from negotiate.agents.firm import US_HOME, Firm

    model = negotiate.TradeModel(negotiate.load_scenario("classroom-short", {}, seed=3))
    panel = model.firms
    seat = next(i for i in range(panel.n) if panel.home[i] == US_HOME and panel.heavy[i])
    before = panel.dependency(US_HOME)
    firm = next(a for a in model.agents_by_type[Firm] if a.index == seat)
    firm.switch_suppliers(0.5)
    mask = (panel.home == US_HOME) & panel.heavy
    expected = float(panel.china_share[mask] @ panel.demand[mask]) / panel.demand[panel.home == US_HOME].sum()
    assert panel.dependency(US_HOME) < before
    assert panel.dependency(US_HOME) == pytest.approx(expected)

"""Behaviour tests: each mechanism of the model does what the design says it does."""

from __future__ import annotations

import numpy as np
import pytest

from negotiate import TradeModel, branch, load_scenario, run
from negotiate.errors import MoveError
from negotiate.moves import parse_move
from negotiate.policy import TARIFF_MAX, piie_average

QUIET = {"noise.perception": 0.0, "noise.execution": 0.0, "collect.weekly": True}


def scenario_file(tmp_path, text: str, name: str = "s.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def step_to_end(model: TradeModel) -> TradeModel:
    while model.running:
        model.step()
    return model


CONTROLS = """
title = "controls"
weeks = 16
[us]
strategy = "allc"
[cn]
strategy = "allc"
controls = true
{licensing}
[noise]
perception = 0.0
execution = 0.0
[firms]
count = 50
buffer_weeks = 10.0
jit_share = 0.0
heavy_share = 1.0
switch_rate = 0.0
"""


def test_export_freeze_drains_inventories_then_production_falls(tmp_path):
    text = CONTROLS.format(licensing="approval_rate = 0.0") + (
        "[supply]\nnonchina_tpy = 0.0\nnonchina_target_tpy = 0.0\n")
    table = run(scenario_file(tmp_path, text), seed=1).model_table.set_index("week")
    cover = table["inventory_weeks"]
    assert cover.iloc[-1] < cover.iloc[0]
    assert (cover.diff().dropna() <= 1e-9).all(), "inventories never refill during a freeze"
    # The 10-week buffer carries production until it is gone, and not after.
    assert table.loc[1:9, "production"].min() == pytest.approx(1.0)
    assert table.loc[12:, "production"].max() < 0.5
    assert table.loc[16, "rare_earth_flow"] < 0.1


def test_a_licence_freeze_with_approvals_keeps_firms_supplied(tmp_path):
    """The same controls with licences approved: the control alone is not a shortage."""
    text = CONTROLS.format(
        licensing='approval_rate = 1.0\nreview_weeks = 2.0\nlicence_kind = "general"')
    table = run(scenario_file(tmp_path, text), seed=1).model_table
    assert table["production"].min() == pytest.approx(1.0)


TRUCE = """
title = "truce"
weeks = 12
[us]
strategy = "scripted"
tariff_headline = 145.0
[cn]
strategy = "scripted"
tariff_headline = 125.0
[noise]
perception = 0.0
execution = 0.0
[firms]
count = 10
[[events]]
date = "2025-01-20"
kind = "agreement"
label = "truce"
us_tariff_cap = 30.0
cn_tariff_cap = 10.0
weeks = 4
suspended_us = 24.0
suspended_cn = 24.0
"""


def test_truce_without_extension_snaps_back_on_its_lapse_week(tmp_path):
    model = step_to_end(TradeModel(load_scenario(scenario_file(tmp_path, TRUCE), seed=1)))
    table = model.model_table().set_index("week")
    # Signed in week 3 for 4 weeks: in force weeks 3-6, lapses in week 7.
    assert table.loc[3:6, "us_tariff"].tolist() == [30.0] * 4
    assert table.loc[6, "agreement_in_force"] and not table.loc[7, "agreement_in_force"]
    assert table.loc[7, "us_tariff"] == 54.0 and table.loc[7, "cn_tariff"] == 34.0
    events = model.event_table()
    snap = events[events["kind"] == "snapback"]
    assert snap["week"].tolist() == [7]
    assert model.truces.snapback_weeks == [7]


def test_an_extension_prevents_the_snapback(tmp_path):
    text = TRUCE + """
[[events]]
date = "2025-02-10"
kind = "extension"
weeks = 13
label = "extended"
"""
    model = step_to_end(TradeModel(load_scenario(scenario_file(tmp_path, text), seed=1)))
    assert model.truces.snapback_weeks == []
    tariff = model.model_table().set_index("week")["us_tariff"]
    # 145 until the truce of week 3, then 30 to the end: no suspended points came back.
    assert tariff.loc[1:2].tolist() == [145.0, 145.0]
    assert tariff.loc[3:].tolist() == [30.0] * 10
    assert model.truces.current is not None and model.truces.current.end_week == 7 + 13


@pytest.mark.parametrize("scenario", ["rare-earth-2025", "classroom-short"])
def test_zero_perception_noise_gives_zero_false_accusations(scenario):
    accusations = 0
    for seed in range(12):
        s = run(scenario, seed=seed, overrides={"noise.perception": 0.0, "noise.execution": 0.1,
                                                "collect.weekly": False}).summary
        assert s["false_accusations"] == {"us": 0, "cn": 0}
        accusations += sum(s["accusations"].values())
    assert accusations > 0, "the test would be empty without any accusation"


def test_monitoring_lowers_false_accusations():
    totals = {}
    for monitoring in (False, True):
        totals[monitoring] = sum(
            sum(run("rare-earth-2025", seed=seed, overrides={
                "noise.perception": 0.15, "truce.monitoring": monitoring, "collect.weekly": False,
            }).summary["false_accusations"].values())
            for seed in range(20)
        )
    assert totals[False] > 20
    assert totals[True] < 0.6 * totals[False]


def test_diversification_support_shortens_the_ramp():
    def weeks_to_half(support: float) -> int:
        model = TradeModel(load_scenario("rare-earth-2025", {
            **QUIET, "us.strategy": "allc", "cn.strategy": "allc", "us.diversification": support,
            "weeks": 600, "firms.count": 5, "supply.ramp_weeks": 400.0}, seed=1))
        start = model.nonchina_capacity_tpy
        goal = start + 0.5 * (model.scenario.supply_nonchina_target_tpy - start)
        while model.running:
            model.step()
            if model.nonchina_capacity_tpy >= goal:
                return model.week
        return 10**6

    slow, fast = weeks_to_half(0.0), weeks_to_half(1.0)
    assert slow == pytest.approx(200, abs=2)  # half of a 400-week ramp
    assert fast < slow / 2  # speedup 2: full support divides ramp time by 3


def test_human_strategy_takes_moves_from_outside():
    model = TradeModel(load_scenario("rare-earth-2025", {**QUIET, "us.strategy": "human",
                                                          "weeks": 6}, seed=1))
    model.submit_move("us", parse_move("us", {"tariff_headline": 60, "posture": "escalate"}))
    model.step()
    assert model.us.posture.value == "escalate"
    assert model.us.instruments.tariff_headline == 60
    events = model.event_table()
    assert not ((events["kind"] == "ai_move") & (events["week"] == 1)).any()
    model.step()  # no move this week: the AI fills the seat and the log says so
    events = model.event_table()
    assert ((events["kind"] == "ai_move") & (events["week"] == 2) & (events["actor"] == "us")).any()
    with pytest.raises(MoveError, match="the CN seat is played by the AI"):
        model.submit_move("cn", parse_move("cn", {"posture": "comply"}))


@pytest.mark.parametrize("side, data, needle", [
    ("us", {"tariff_headline": -5}, "headline tariff -5 is out of range"),
    ("us", {"tariff_headline": 10_000}, "out of range"),
    ("us", {"tariff_headline": ""}, "empty"),
    ("us", {"tariff_headline": "ten"}, "not a number"),
    ("us", {"approval_rate": 0.5}, "China's instrument"),
    ("cn", {"diversification": 0.5}, "U.S. instrument"),
    ("us", {"posture": "nuke"}, "posture"),
    ("us", {"offer": {"us_tariff_cap": 10}}, "offer needs"),
    ("us", {"colour": "red"}, "not a move field"),
])
def test_bad_moves_are_refused_with_a_clear_message(side, data, needle):
    with pytest.raises(MoveError, match=needle):
        parse_move(side, data)


def test_different_seeds_give_different_outcomes_and_noise_moves_the_shares():
    def shares(noise: float) -> dict[str, int]:
        counts: dict[str, int] = {}
        for seed in range(30):
            kind = run("rare-earth-2025", seed=seed, overrides={
                "noise.perception": noise, "collect.weekly": False}).summary["outcome"]
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    quiet, noisy = shares(0.0), shares(0.3)
    assert len(noisy) >= 2, noisy  # seeds matter
    assert quiet.get("detente_holds", 0) > noisy.get("detente_holds", 0) + 5


def test_no_shock_run_is_stable_for_520_weeks(tmp_path):
    path = scenario_file(tmp_path, """
title = "no shock"
weeks = 520
[us]
strategy = "allc"
trust = 1.0
[cn]
strategy = "allc"
trust = 1.0
[noise]
perception = 0.0
execution = 0.0
[firms]
count = 40
""")
    result = run(path, seed=7)
    table = result.model_table
    assert len(table) == 520
    assert table["production"].min() == pytest.approx(1.0)
    assert table["rare_earth_flow"].min() == pytest.approx(1.0)
    assert np.ptp(table["inventory_weeks"]) < 1e-9
    assert np.ptp(table["detente_index"]) < 1e-12
    assert np.ptp(table["us_tariff"]) == 0 and np.ptp(table["cn_tariff"]) == 0
    assert np.ptp(table["price_spot"]) < 1e-9
    assert not (result.event_table["kind"] == "plant_stoppage").any()
    assert result.summary["outcome"] == "detente_holds"


def test_tariffs_span_2025_and_have_a_stated_upper_bound():
    assert piie_average("us", 0, 20.8) == pytest.approx(20.8)
    assert piie_average("us", 30, 20.8) == pytest.approx(51.1)
    assert piie_average("us", 145, 20.8) == pytest.approx(126.5)
    assert piie_average("cn", 10, 21.0) == pytest.approx(32.6)
    top = piie_average("us", TARIFF_MAX, 20.8)
    assert 126.5 < top < 170
    with pytest.raises(MoveError):
        parse_move("us", {"tariff_headline": TARIFF_MAX + 1})
    model = TradeModel(load_scenario("rare-earth-2025", {**QUIET, "us.strategy": "alld",
                                                          "cn.strategy": "allc",
                                                          "us.retaliation_step": 100.0,
                                                          "weeks": 4}, seed=1))
    step_to_end(model)
    assert model.model_table()["us_tariff"].max() == TARIFF_MAX


def test_branch_repeats_the_past_and_changes_the_future():
    model = TradeModel(load_scenario("rare-earth-2025", {"weeks": 30}, seed=4))
    step_to_end(model)
    twin = branch(model, 10, {"noise.perception": 0.4})
    assert twin.week == 10
    step_to_end(twin)
    a, b = model.model_table(), twin.model_table()
    assert a.iloc[:10].equals(b.iloc[:10])
    assert not a.iloc[10:].equals(b.iloc[10:])
    same = branch(model, 10)
    step_to_end(same)
    assert same.model_table().equals(a), "a branch without changes is the same run"


def test_mesa_batch_run_works_unchanged():
    import mesa

    results = mesa.batch_run(TradeModel, parameters={"us_strategy": ["tft", "wsls"],
                                                     "weeks": 6, "firms_count": 5},
                             rng=[1, 2], max_steps=6, number_processes=1, display_progress=False)
    frame = __import__("pandas").DataFrame(results)
    assert set(frame["us_strategy"]) == {"tft", "wsls"}
    assert frame["detente_index"].notna().all()
    assert frame["Step"].max() == 6


def test_a_supplier_seat_investing_ramps_faster_and_bad_levers_are_refused():
    from negotiate.moves import parse_firm_action

    def capacity_after(invest: float | None) -> float:
        model = TradeModel(load_scenario("rare-earth-2025", {**QUIET, "weeks": 20, "firms.count": 5,
                                                              "us.diversification": 0.0}, seed=1))
        if invest is not None:
            model.submit_supplier_action(0, parse_firm_action({"invest": invest}))
        step_to_end(model)
        return model.suppliers[0].capacity_tpy

    assert capacity_after(1.0) > capacity_after(None) * 1.01
    model = TradeModel(load_scenario("rare-earth-2025", {"weeks": 2}, seed=1))
    with pytest.raises(MoveError, match="supplier 9 does not exist"):
        model.submit_supplier_action(9, parse_firm_action({"invest": 0.5}))
    with pytest.raises(MoveError, match="invest"):
        parse_firm_action({"invest": 3})


def test_a_human_saying_comply_while_raising_a_tariff_is_breaching():
    model = TradeModel(load_scenario("rare-earth-2025", {**QUIET, "us.strategy": "human",
                                                          "weeks": 4}, seed=1))
    model.submit_move("us", parse_move("us", {"posture": "comply", "tariff_headline": 40}))
    model.step()
    assert model.us.posture.value == "retaliate"
    assert not model.us.complied
    model.submit_move("us", parse_move("us", {"posture": "concede", "tariff_headline": 30}))
    model.step()
    assert model.us.posture.value == "concede" and model.us.complied

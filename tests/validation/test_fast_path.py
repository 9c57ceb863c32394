"""The classic game's fast path (``negotiate.classic_fast``) is the Mesa path, to the bit.

``negotiate.run`` on a classic scenario without weekly tables plays all weeks at once
(:func:`negotiate.classic_fast.run_classic`) instead of one Mesa step a week. Both paths
must give the same summary (dict equality, floats included), the same event table, and
leave the model in the same state (index history, trust, ``model.rng``): every classic
strategy, self-play and mixed pairs, both noise kinds, several noise levels and seeds.
"""

from __future__ import annotations

import itertools
import json

import pandas as pd
import pytest

import negotiate
from negotiate import classic_fast
from negotiate.cli import main
from negotiate.model import TradeModel
from negotiate.runner import summarise
from negotiate.scenario import load_scenario, parse_set

CLASSIC = ("tft", "gtft", "ctft", "grim", "wsls", "allc", "alld")
#: (execution noise, perception noise): none, each kind alone at two levels, both.
NOISES = ((0.0, 0.0), (0.05, 0.0), (0.0, 0.05), (0.2, 0.0), (0.0, 0.2), (0.05, 0.1))
WEEKS = (300, 500, 800, 1000)


def _cases() -> list[tuple[str, str, float, float, int, int]]:
    """Every ordered pair (self-play included) three times, under different noise and seeds."""
    cases = []
    for i, (us, cn) in enumerate(itertools.product(CLASSIC, CLASSIC)):
        for j in range(3):
            execution, perception = NOISES[(i + 5 * j) % len(NOISES)]
            cases.append((us, cn, execution, perception, 11 * i + j, WEEKS[(i + j) % len(WEEKS)]))
    return cases


def _scenario(us: str, cn: str, execution: float, perception: float, seed: int, weeks: int,
              **more: object):
    values = {"us.strategy": us, "cn.strategy": cn, "noise.execution": execution,
              "noise.perception": perception, "weeks": weeks, "collect.weekly": False, **more}
    return load_scenario("classic-ipd", values, seed=seed)


def _mesa_path(scenario) -> TradeModel:
    model = TradeModel(scenario)
    while model.running:
        model.step()
    return model


def _assert_same_run(scenario) -> tuple[dict, pd.DataFrame]:
    slow = _mesa_path(scenario)
    fast = classic_fast.run_classic(scenario)
    assert fast.model.steps == slow.steps  # the fast path ran (no step() is a Mesa step)
    assert fast.summary == summarise(slow)
    events = slow.event_table()
    pd.testing.assert_frame_equal(fast.model.event_table(), events)
    # The state behind the summary, exactly.
    assert fast.model.index_history == slow.index_history
    assert fast.model.both_complied == slow.both_complied
    for a, b in zip(fast.model.governments, slow.governments, strict=True):
        assert (a.trust, a.welfare_total, a.seen_other, a.complied_last) == (
            b.trust, b.welfare_total, b.seen_other, b.complied_last)
        assert list(a.seen_history) == list(b.seen_history)
    assert list(fast.model.accusation_weeks) == list(slow.accusation_weeks)
    assert fast.model.market.news == slow.market.news
    assert fast.model.rng.random() == slow.rng.random()
    return fast.summary, events


@pytest.mark.parametrize(("us", "cn", "execution", "perception", "seed", "weeks"), _cases())
def test_fast_path_is_the_mesa_path(us, cn, execution, perception, seed, weeks) -> None:
    scenario = _scenario(us, cn, execution, perception, seed, weeks)
    assert classic_fast.fast_path_applies(TradeModel(scenario))
    _assert_same_run(scenario)


@pytest.mark.parametrize(("us", "cn", "execution", "perception", "seed"), [
    ("tft", "tft", 0.05, 0.0, 1),
    ("gtft", "wsls", 0.0, 0.05, 2),
    ("ctft", "alld", 0.1, 0.1, 3),
])
def test_long_runs_with_many_accusations(us, cn, execution, perception, seed) -> None:
    summary, events = _assert_same_run(_scenario(us, cn, execution, perception, seed, 2000))
    assert summary["accusations"]["us"] + summary["accusations"]["cn"] == len(events) > 100


def test_odd_payoffs_low_trust_and_a_one_week_run() -> None:
    # Fractional payoffs: totals must be summed in week order; trust 0.02: the accused's
    # trust hits its floor of zero.
    odd = {"payoffs.reward": 3.1, "payoffs.sucker": 0.3, "payoffs.temptation": 4.7,
           "payoffs.punishment": 1.1, "us.trust": 0.02, "cn.trust": 0.03}
    _assert_same_run(_scenario("gtft", "alld", 0.1, 0.1, 5, 1500, **odd))
    _assert_same_run(_scenario("wsls", "tft", 0.3, 0.3, 6, 777, **odd))
    for weeks in (1, 2, 3, 4, 5):
        _assert_same_run(_scenario("tft", "alld", 0.1, 0.1, weeks, weeks))


def test_non_automaton_strategy_goes_round_by_round() -> None:
    # pragmatic is not a table automaton: play() steps ClassicGame, the result is the same.
    _assert_same_run(_scenario("pragmatic", "tft", 0.05, 0.05, 4, 400))


def test_human_side_and_weekly_tables_take_the_mesa_path() -> None:
    human = _scenario("human", "tft", 0.05, 0.0, 1, 60)
    model = TradeModel(human)
    assert not classic_fast.fast_path_applies(model)
    assert classic_fast.play_out(model) is False and model.steps == 0
    assert classic_fast.run_classic(human).summary == summarise(_mesa_path(human))

    weekly = load_scenario("classic-ipd", {"weeks": 60}, seed=1)
    assert not classic_fast.fast_path_applies(TradeModel(weekly))
    result = negotiate.run("classic-ipd", weeks=60, seed=1)
    assert len(result.model_table) == 60  # the weekly tables are there


def test_run_uses_the_fast_path(monkeypatch) -> None:
    calls = []
    original = classic_fast.play_out

    def spy(model):
        calls.append(original(model))
        return calls[-1]

    monkeypatch.setattr(classic_fast, "play_out", spy)
    result = negotiate.run("classic-ipd", weeks=500, seed=3,
                           overrides={"collect.weekly": False, "noise.perception": 0.05})
    assert calls == [True]
    assert result.summary == summarise(_mesa_path(
        load_scenario("classic-ipd", {"weeks": 500, "collect.weekly": False,
                                      "noise.perception": 0.05}, seed=3)))


@pytest.mark.parametrize("sets", [
    [],
    ["--set", "us.strategy=gtft", "--set", "cn.strategy=wsls", "--set", "noise.perception=0.1"],
    ["--set", "us.strategy=ctft", "--set", "cn.strategy=alld", "--set", "noise.execution=0.1"],
])
def test_cli_json_matches_the_mesa_path(sets, capsys) -> None:
    assert main(["run", "classic-ipd", "--json", "--seed", "7", "--weeks", "900", *sets]) == 0
    printed = json.loads(capsys.readouterr().out)
    values = {"weeks": 900, "collect.weekly": False, **parse_set(sets[1::2])}
    slow = summarise(_mesa_path(load_scenario("classic-ipd", values, seed=7)))
    assert printed == json.loads(json.dumps(slow, default=list))

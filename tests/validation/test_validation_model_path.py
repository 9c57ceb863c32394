"""The main model's classic-ipd path plays exactly the validated kernel.

``negotiate run classic-ipd`` plays :meth:`negotiate.ipd.ClassicGame.play_rounds` with
``model.rng``: the whole game in one call without weekly tables, one round a week with them.
In classic mode nothing else draws from that generator, so the run is move for move
``negotiate.ipd.play(..., seed=seed)``, whose convergence to the exact long-run values is
tested in ``test_validation_theory_vs_sim.py``. Should the model one day draw other random
numbers in classic mode, this equality breaks and must be replaced by a statistical check
against :func:`negotiate.theory.long_run`.
"""

from __future__ import annotations

import pytest

import negotiate
from negotiate import theory
from negotiate.ipd import play
from negotiate.strategies import make_strategy

WEEKS = 1500


@pytest.mark.parametrize(
    ("us", "cn", "execution", "perception", "seed"),
    [
        ("gtft", "wsls", 0.0, 0.05, 1),
        ("ctft", "alld", 0.1, 0.0, 2),
        ("tft", "grim", 0.05, 0.05, 3),
    ],
)
def test_negotiate_run_matches_the_kernel(us, cn, execution, perception, seed) -> None:
    result = negotiate.run(
        "classic-ipd",
        weeks=WEEKS,
        seed=seed,
        overrides={"us.strategy": us, "cn.strategy": cn,
                   "noise.execution": execution, "noise.perception": perception},
    )
    summary = result.summary
    kernel = play(make_strategy(us), make_strategy(cn), summary["weeks"],
                  execution_noise=execution, perception_noise=perception, seed=seed)
    assert summary["weeks"] == WEEKS
    assert summary["mean_payoff"]["us"] == pytest.approx(kernel.us_mean, abs=1e-12)
    assert summary["mean_payoff"]["cn"] == pytest.approx(kernel.cn_mean, abs=1e-12)
    assert summary["cooperation_share"] == pytest.approx(kernel.cc_share, abs=1e-12)
    # And it is the game the theory describes: not a different one by accident.
    exact = theory.long_run(make_strategy(us), make_strategy(cn),
                            execution_noise=execution, perception_noise=perception)
    assert abs(summary["mean_payoff"]["us"] - exact.us_payoff) < 0.5


@pytest.mark.parametrize(("us", "cn", "execution", "perception", "seed"),
                         [("gtft", "wsls", 0.05, 0.05, 4), ("tft", "grim", 0.1, 0.0, 5),
                          ("pragmatic", "ctft", 0.05, 0.1, 6)])
def test_whole_game_and_week_by_week_record_the_same_game(us, cn, execution, perception,
                                                          seed) -> None:
    """Without weekly tables run() plays the whole game in one call of the kernel; with
    them it steps the model a round a week. Same summary, same log."""
    overrides = {"us.strategy": us, "cn.strategy": cn, "noise.execution": execution,
                 "noise.perception": perception}
    whole = negotiate.run("classic-ipd", weeks=300, seed=seed,
                          overrides={**overrides, "collect.weekly": False})
    weekly = negotiate.run("classic-ipd", weeks=300, seed=seed,
                           overrides={**overrides, "collect.weekly": True})
    assert len(weekly.model_table) == 300 and whole.model_table.empty
    assert whole.summary["accusations"]["us"] + whole.summary["accusations"]["cn"] > 0
    drop = ("params",)
    assert ({k: v for k, v in whole.summary.items() if k not in drop}
            == {k: v for k, v in weekly.summary.items() if k not in drop})
    assert whole.event_table.equals(weekly.event_table)
    assert (whole.model.us.trust, whole.model.cn.trust) == (weekly.model.us.trust,
                                                            weekly.model.cn.trust)

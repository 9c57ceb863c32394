"""Simulation against exact theory: every pair of TFT, WSLS, GTFT(1/3), GRIM, ALLC, ALLD
and contrite TFT (self-play and mixed), under execution and under perception noise, at
eps in {0.01, 0.05, 0.1}, over at least 20,000 weeks each (more when the chain is slow to
mix). The intervals' width comes from the data: at 20,000 weeks they are about sqrt(5)
wider than at 100,000 (raise ``MIN_ROUNDS`` for narrower ones), and one match is still
played 100,000 weeks to show that its band is tight enough to catch a 1% bias.

Intervals are batch means (weeks are autocorrelated). 168 matches x 3 statistics are
checked, so a plain 99% interval per statistic would be missed about five times by chance
alone. Hence two tests on the same runs:

* each statistic must lie inside a *simultaneous* 99% band (Bonferroni over all 504);
* the number of matches whose US payoff misses its plain per-match 99% interval must be
  consistent with a 1% miss rate (at most the binomial 99.9% quantile).
"""

from __future__ import annotations

import functools
import itertools
import math
import zlib

import numpy as np
import pytest
from scipy.stats import binom

from negotiate import theory
from negotiate.ipd import play
from negotiate.strategies import make_strategy

NAMES = ("tft", "wsls", "gtft", "grim", "allc", "alld", "ctft")
PAIRS = list(itertools.combinations_with_replacement(NAMES, 2))
KINDS = ("execution", "perception")
EPSILONS = (0.01, 0.05, 0.1)
CASES = [(a, b, k, e) for (a, b) in PAIRS for k in KINDS for e in EPSILONS]
N_BATCHES = 50
MIN_ROUNDS = 20_000
#: The match whose band must be tight enough to catch a 1% bias is played this long.
TIGHT_ROUNDS = 100_000
N_STATS = 3 * len(CASES)
SIMULTANEOUS = 1.0 - 0.01 / N_STATS


def _case_id(case: tuple[str, str, str, float]) -> str:
    a, b, k, e = case
    return f"{a}-{b}-{k}-{e:g}"


@functools.cache
def run_case(a: str, b: str, kind: str, eps: float, min_rounds: int = MIN_ROUNDS) -> dict:
    """Simulate one match and return its statistics beside the exact values."""
    kw = {f"{kind}_noise": eps}
    exact = theory.long_run(make_strategy(a), make_strategy(b), **kw)
    # A batch must be much longer than the chain's memory for batch means to be valid;
    # lengthen the match if min_rounds would not give 20 relaxation times per batch.
    tau = theory.relaxation_time(exact.chain.matrix)
    rounds = max(min_rounds, N_BATCHES * 20 * math.ceil(tau))
    seed = zlib.crc32(_case_id((a, b, kind, eps)).encode())
    res = play(make_strategy(a), make_strategy(b), rounds, seed=seed, moves=True, **kw)
    us_pay, cn_pay = res.payoff_series()
    cc = (res.outcomes == 0).astype(float)
    return {
        "rounds": rounds,
        "tau": tau,
        "series": {"us_payoff": us_pay, "cn_payoff": cn_pay, "cc_share": cc},
        "exact": {"us_payoff": exact.us_payoff, "cn_payoff": exact.cn_payoff,
                  "cc_share": exact.p_cc},
    }


def _inside(series: np.ndarray, exact: float, level: float) -> tuple[bool, float, float]:
    mean, half = theory.batch_means_ci(series, N_BATCHES, level)
    # A statistic that never varies (e.g. ALLD vs ALLD under perception noise) must hit
    # the exact value; allow only float rounding.
    return abs(mean - exact) <= half + 1e-9, mean, half


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_simulation_inside_simultaneous_99_band(case: tuple[str, str, str, float]) -> None:
    out = run_case(*case)
    assert out["rounds"] >= MIN_ROUNDS
    assert out["tau"] * 20 <= out["rounds"] / N_BATCHES
    for stat, series in out["series"].items():
        ok, mean, half = _inside(series, out["exact"][stat], SIMULTANEOUS)
        assert ok, (
            f"{_case_id(case)} {stat}: simulated {mean:.5f} +/- {half:.5f}, "
            f"theory {out['exact'][stat]:.5f}"
        )


def test_per_match_99_interval_miss_rate_is_about_one_percent() -> None:
    misses = [
        _case_id(case)
        for case in CASES
        if not _inside(run_case(*case)["series"]["us_payoff"],
                       run_case(*case)["exact"]["us_payoff"], 0.99)[0]
    ]
    allowed = int(binom.ppf(0.999, len(CASES), 0.01))
    assert len(misses) <= allowed, f"{len(misses)} of {len(CASES)} outside 99%: {misses}"


def test_intervals_are_not_vacuous() -> None:
    """The bands must be tight enough to catch a real error: a 1% bias in the payoff of
    GTFT self-play under execution noise (the stochastic case) would fall outside."""
    out = run_case("gtft", "gtft", "execution", 0.05, TIGHT_ROUNDS)
    assert out["rounds"] >= TIGHT_ROUNDS
    exact = out["exact"]["us_payoff"]
    ok, _, half = _inside(out["series"]["us_payoff"], exact * 1.01, SIMULTANEOUS)
    assert not ok and half < 0.01 * exact

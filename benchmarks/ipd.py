"""Speed of the classic iterated game: 100,000 rounds against a plain numpy loop.

``measure()`` is imported by ``benchmarks/run.py``: 100,000 rounds of classic-ipd through
the public API (``negotiate.run`` without weekly tables: one Mesa step a week, each playing
the ``ipd`` kernel) and through the kernel itself (``negotiate.ipd.play``), against a
straightforward numpy round-by-round loop of the same game, measured in the same process:
TFT vs TFT, execution noise 0.05, payoffs (3, 0, 5, 1). The per-week Mesa path without
``negotiate.run`` is reported at 10,000 weeks.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from negotiate.ipd import play
from negotiate.strategies import make_strategy

ROUNDS = 100_000
NOISE = 0.05
SEED = 1
#: Weeks of the per-week Mesa path timed (a few hundred microseconds a week).
MESA_ROUNDS = 10_000


def numpy_loop(rounds: int = ROUNDS, eps: float = NOISE, seed: int = SEED) -> float:
    """The reference: TFT vs TFT written the obvious way with numpy arrays.

    Noise is pre-drawn in one block; each round copies the other's last executed move and
    flips it on a hit. Returns the US mean payoff so the work cannot be optimised away.
    """
    rng = np.random.default_rng(seed)
    flips = rng.random((rounds, 2)) < eps
    table = np.array([[3.0, 0.0], [5.0, 1.0]])  # [US defected][CN defected]
    us = np.empty(rounds, dtype=bool)
    cn = np.empty(rounds, dtype=bool)
    us_int, cn_int = True, True
    for t in range(rounds):
        us[t] = us_int != flips[t, 0]
        cn[t] = cn_int != flips[t, 1]
        us_int, cn_int = cn[t], us[t]
    return float(table[(~us).astype(int), (~cn).astype(int)].mean())


def play_path(rounds: int = ROUNDS, eps: float = NOISE, seed: int = SEED) -> float:
    res = play(make_strategy("tft"), make_strategy("tft"), rounds,
               execution_noise=eps, seed=seed)
    return res.us_mean


#: The game of the reference loop, as scenario overrides (also the classic-ipd defaults).
OVERRIDES = {
    "us.strategy": "tft",
    "cn.strategy": "tft",
    "noise.execution": NOISE,
    "noise.perception": 0.0,
}


def run_path(rounds: int = ROUNDS, seed: int = SEED) -> float:
    """The model through the public API, without weekly tables: ``negotiate.run`` steps the
    model, which plays one round of the ``ipd`` kernel a week. Returns the US mean payoff."""
    import negotiate

    result = negotiate.run("classic-ipd", weeks=rounds, seed=seed,
                           overrides={**OVERRIDES, "collect.weekly": False})
    return result.summary["mean_payoff"]["us"]


def mesa_path(rounds: int = MESA_ROUNDS, seed: int = SEED) -> float:
    """One ``TradeModel.step()`` a week, no weekly tables, without ``negotiate.run``.
    Returns the US mean payoff."""
    from negotiate.model import TradeModel
    from negotiate.runner import summarise
    from negotiate.scenario import load_scenario

    scenario = load_scenario("classic-ipd", {**OVERRIDES, "weeks": rounds,
                                             "collect.weekly": False}, seed=seed)
    model = TradeModel(scenario)
    while model.running:
        model.step()
    return summarise(model)["mean_payoff"]["us"]


#: Weeks of ``negotiate.run`` timed first; the full 100,000 only if this probe is quick,
#: so that a slow machine does not turn the benchmark into a many-minute wait.
PROBE = 10_000
PROBE_BUDGET_S = 2.0


def _best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def measure() -> dict:
    """Seconds for 100,000 rounds by each path (best of 3), and the ratio to numpy.

    ``rounds_100k_s`` is the model through the public API,
    ``negotiate.run("classic-ipd", weeks=100000, overrides={"collect.weekly": False, ...})``
    (one Mesa step a week); ``play_100k_s`` the :func:`negotiate.ipd.play` kernel;
    ``numpy_loop_100k_s`` the reference; ``mesa_path_10k_s`` the per-week Mesa path at
    10,000 weeks (timed once). ``path`` says what ``rounds_100k_s`` timed.
    """
    numpy_s = _best_of(numpy_loop)
    play_s = _best_of(play_path)
    t0 = time.perf_counter()
    run_path(PROBE)
    probe_s = time.perf_counter() - t0
    call = "negotiate.run('classic-ipd', tft vs tft, noise.execution=0.05, collect.weekly=False)"
    if probe_s <= PROBE_BUDGET_S:
        rounds_s = _best_of(run_path)
        note = call + ", one Mesa step a week"
    else:
        # Linear extrapolation: a lower bound if the cost per week grows with the run.
        rounds_s = probe_s * ROUNDS / PROBE
        note = (f"{call}; {PROBE} weeks took {probe_s:.2f} s, extrapolated x{ROUNDS // PROBE} "
                "(a lower bound)")
    t0 = time.perf_counter()
    mesa_path()
    mesa_s = time.perf_counter() - t0
    return {
        "rounds_100k_s": round(rounds_s, 4),
        "play_100k_s": round(play_s, 4),
        "numpy_loop_100k_s": round(numpy_s, 4),
        "mesa_path_10k_s": round(mesa_s, 4),
        "ratio": round(rounds_s / numpy_s, 3),
        "play_ratio": round(play_s / numpy_s, 3),
        "mesa_ratio": round(mesa_s * ROUNDS / MESA_ROUNDS / numpy_s, 1),  # per week, vs numpy
        "path": note,
        "game": "tft vs tft, execution noise 0.05, (3,0,5,1)",
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=2))

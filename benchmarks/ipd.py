"""Speed of the classic iterated game: 100,000 rounds against a plain numpy loop.

``measure()`` is imported by ``benchmarks/run.py``. The target (issue 3, "Speed") is that
100,000 rounds of classic-ipd cost at most twice a straightforward numpy round-by-round
loop of the same game, measured in the same process: TFT vs TFT, execution noise 0.05,
payoffs (3, 0, 5, 1).
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


def _model_runner() -> Callable[[int], str] | None:
    """The main model's path (``negotiate.run``) when it exists, else None.

    The model is written elsewhere; if its call convention differs from the one tried
    here, adapt this one function. The returned callable runs ``rounds`` weeks and says
    which call it made.
    """
    try:
        import negotiate
        run = getattr(negotiate, "run", None)
    except ImportError:  # pragma: no cover - negotiate is installed with the benchmarks
        return None
    if not callable(run):
        return None
    overrides = {
        "us.strategy": "tft",
        "cn.strategy": "tft",
        "noise.execution": NOISE,
        "noise.perception": 0.0,
    }

    def go(rounds: int) -> str:
        try:
            run("classic-ipd", weeks=rounds, seed=SEED, overrides=overrides)
            return "negotiate.run('classic-ipd', tft vs tft, noise.execution=0.05)"
        except TypeError:
            run("classic-ipd", weeks=rounds, seed=SEED)
            return "negotiate.run('classic-ipd') with the scenario's defaults"

    return go


#: Weeks of the model path timed first; the full 100,000 only if this probe is quick,
#: so that a slow model does not turn the benchmark into a many-minute wait.
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

    ``rounds_100k_s`` is the main model path (``negotiate.run``) when available, else the
    :func:`negotiate.ipd.play` kernel; ``play_100k_s`` is always the kernel. The model
    path is timed once (it is slow to repeat); ``path`` says what was timed.
    """
    numpy_s = _best_of(numpy_loop)
    play_s = _best_of(play_path)
    model = _model_runner()
    model_s: float | None = None
    model_note = "negotiate.run not available; rounds_100k_s is the play kernel"
    if model is not None:
        try:
            t0 = time.perf_counter()
            label = model(PROBE)
            probe_s = time.perf_counter() - t0
            if probe_s <= PROBE_BUDGET_S:
                t0 = time.perf_counter()
                label = model(ROUNDS)
                model_s = time.perf_counter() - t0
                model_note = label
            else:
                # Linear extrapolation: a lower bound if the cost per week grows with the run.
                model_s = probe_s * ROUNDS / PROBE
                model_note = (f"{label}; {PROBE} weeks took {probe_s:.2f} s, "
                              f"extrapolated x{ROUNDS // PROBE} (a lower bound)")
        except Exception as exc:  # report, do not hide, a model path that cannot run
            model_note = f"negotiate.run failed: {type(exc).__name__}: {exc}"
    rounds_s = model_s if model_s is not None else play_s
    return {
        "rounds_100k_s": round(rounds_s, 4),
        "play_100k_s": round(play_s, 4),
        "numpy_loop_100k_s": round(numpy_s, 4),
        "ratio": round(rounds_s / numpy_s, 3),
        "play_ratio": round(play_s / numpy_s, 3),
        "path": model_note,
        "game": "tft vs tft, execution noise 0.05, (3,0,5,1)",
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=2))

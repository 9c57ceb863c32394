"""Model speed: ms per weekly step at 40, 1,000 and 10,000 firms against Mesa's BoltzmannWealth
at the same agent counts, measured in the same process, plus one full 52-week baseline run."""

from __future__ import annotations

import gc
import statistics
import time

SIZES = (40, 1000, 10_000)


def _per_step_ms(make, steps: int, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        model = make()
        model.step()  # warm-up: first step allocates
        gc.collect()
        start = time.perf_counter()
        for _ in range(steps):
            model.step()
        samples.append((time.perf_counter() - start) / steps * 1000)
    return statistics.median(samples)


def measure(quick: bool = False) -> dict:
    from mesa.examples import BoltzmannWealth
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario

    from negotiate import TradeModel, load_scenario, run

    steps = 20 if quick else 50
    repeats = 3 if quick else 7
    step_ms, boltzmann_ms, ratio = {}, {}, {}
    for n in SIZES:
        # The baseline scenario, weekly data collection on, for as many weeks as we time.
        scenario = load_scenario("rare-earth-2025", {"firms.count": n, "weeks": steps + 10}, seed=1)
        ours, theirs = [], []
        # Alternate the two models so that load from other processes hits both alike.
        for _ in range(repeats):
            ours.append(_per_step_ms(lambda s=scenario: TradeModel(s), steps, 1))
            theirs.append(_per_step_ms(lambda n=n: BoltzmannWealth(BoltzmannScenario(n=n, rng=1)),
                                       steps, 1))
        step_ms[str(n)] = statistics.median(ours)
        boltzmann_ms[str(n)] = statistics.median(theirs)
        ratio[str(n)] = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
    runs = []
    for seed in range(3 if quick else 10):
        start = time.perf_counter()
        run("rare-earth-2025", seed=seed)
        runs.append((time.perf_counter() - start) * 1000)
    return {
        "step_ms": step_ms,
        "boltzmann_step_ms": boltzmann_ms,
        "ratio": ratio,
        "run_ms": statistics.median(runs),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=2))

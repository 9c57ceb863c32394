"""Model speed: ms per weekly step at 40, 1,000 and 10,000 firms against Mesa's BoltzmannWealth
at the same agent counts, measured in the same process, plus one full 52-week baseline run:
``run_ms`` with its weekly tables (as ``negotiate run`` makes them), ``run_summary_ms`` with
the summary only (``collect.weekly = false``, as a sweep runs it). The two alternate, run by
run, so load from elsewhere hits both alike.

Each sample times both clocks: wall time (``step_ms``, ``ratio``: what a user waits) and the
CPU time of this thread (``ratio_cpu``: the same runs without the time other processes take
the core away, which on a shared machine is most of the noise). The two models alternate,
so load hits both alike; every ratio is the median of the paired samples' ratios.
"""

from __future__ import annotations

import gc
import statistics
import time

SIZES = (40, 1000, 10_000)


def _per_step_ms(make, steps: int) -> tuple[float, float]:
    """One sample: ms per step in wall time and in this thread's CPU time."""
    model = make()
    model.step()  # warm-up: first step allocates
    gc.collect()
    start, start_cpu = time.perf_counter(), time.thread_time()
    for _ in range(steps):
        model.step()
    cpu = time.thread_time() - start_cpu
    return (time.perf_counter() - start) / steps * 1000, cpu / steps * 1000


def measure(quick: bool = False) -> dict:
    from mesa.examples import BoltzmannWealth
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario

    from negotiate import TradeModel, load_scenario, run

    steps = 20 if quick else 50
    step_ms, boltzmann_ms, ratio, ratio_cpu = {}, {}, {}, {}
    for n in SIZES:
        # Small models are cheap to time: more pairs there steady the ratio under load.
        repeats = (3 if quick else 7) * (3 if n <= 1000 else 1)
        # The baseline scenario, weekly data collection on, for as many weeks as we time.
        scenario = load_scenario("rare-earth-2025", {"firms.count": n, "weeks": steps + 10}, seed=1)
        ours, theirs = [], []
        # Alternate the two models so that load from other processes hits both alike.
        for _ in range(repeats):
            ours.append(_per_step_ms(lambda s=scenario: TradeModel(s), steps))
            theirs.append(_per_step_ms(lambda n=n: BoltzmannWealth(BoltzmannScenario(n=n, rng=1)),
                                       steps))
        step_ms[str(n)] = statistics.median(wall for wall, _ in ours)
        boltzmann_ms[str(n)] = statistics.median(wall for wall, _ in theirs)
        ratio[str(n)] = statistics.median(a[0] / b[0] for a, b in zip(ours, theirs, strict=True))
        ratio_cpu[str(n)] = statistics.median(a[1] / b[1] for a, b in zip(ours, theirs, strict=True))
    runs, summary_runs = [], []
    for seed in range(3 if quick else 10):
        start = time.perf_counter()
        run("rare-earth-2025", seed=seed)
        runs.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        run("rare-earth-2025", seed=seed, overrides={"collect.weekly": False})
        summary_runs.append((time.perf_counter() - start) * 1000)
    return {
        "step_ms": step_ms,
        "boltzmann_step_ms": boltzmann_ms,
        "ratio": ratio,
        "ratio_cpu": ratio_cpu,
        "run_ms": statistics.median(runs),
        "run_summary_ms": statistics.median(summary_runs),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=2))

"""Golden trajectories: fixed seeds of four scenarios (the classic one twice), full model and event tables.

``python -m tests.golden.goldens`` rewrites the checked-in tables; ``test_goldens.py``
compares a fresh run with them byte for byte. A change that moves them must say why in
its commit message.
"""

from __future__ import annotations

import json
from pathlib import Path

import negotiate
from negotiate.runner import RunResult

HERE = Path(__file__).parent

#: name -> (scenario, seed, overrides)
GOLDENS: dict[str, tuple[str, int, dict[str, object]]] = {
    "rare-earth-2025": ("rare-earth-2025", 3, {}),
    "rare-earth-2025-replay": ("rare-earth-2025-replay", 1, {}),
    "classroom-short": ("classroom-short", 2, {}),
    "classic-ipd": ("classic-ipd", 4, {"weeks": 300, "noise.perception": 0.05,
                                       "us.strategy": "gtft", "cn.strategy": "wsls"}),
    # Without weekly tables: the summary and events of the classic game's quickest path.
    "classic-ipd-unrecorded": ("classic-ipd", 5, {"weeks": 400, "collect.weekly": False,
                                                  "noise.perception": 0.05}),
}


def golden_run(name: str) -> RunResult:
    scenario, seed, overrides = GOLDENS[name]
    return negotiate.run(scenario, seed=seed, overrides=dict(overrides))


def golden_texts(name: str) -> dict[str, str]:
    """The text of each golden file for ``name`` (model, events and summary)."""
    result = golden_run(name)
    # The parameters are inputs, not the trajectory (new named parameters may join them).
    summary = {k: v for k, v in result.summary.items() if k not in ("version", "params")}
    return {
        f"{name}.model.csv": result.model_table.to_csv(index=False),
        f"{name}.events.csv": result.event_table.to_csv(index=False),
        f"{name}.summary.json": json.dumps(summary, indent=1, sort_keys=True, default=str) + "\n",
    }


def write_all() -> None:
    for name in GOLDENS:
        for filename, text in golden_texts(name).items():
            (HERE / filename).write_text(text)


if __name__ == "__main__":
    write_all()

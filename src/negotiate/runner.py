"""Run a scenario to the end and summarise it: the one definition of every summary figure."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import ScenarioError
from .inputs import check_seed
from .model import TradeModel
from .scenario import TradeScenario, load_scenario, overrides_dict
from .version import __version__


@dataclass
class RunResult:
    """A finished run: its summary and its tables."""

    summary: dict[str, Any]
    model: TradeModel

    @property
    def model_table(self) -> pd.DataFrame:
        return self.model.model_table()

    @property
    def agent_table(self) -> pd.DataFrame:
        return self.model.firm_table()

    @property
    def government_table(self) -> pd.DataFrame:
        return self.model.government_table()

    @property
    def event_table(self) -> pd.DataFrame:
        return self.model.event_table()

    def write(self, out: str | Path, *, force: bool = False) -> list[Path]:
        """Write the model, agent, government and event tables as Parquet and CSV, all or
        nothing; a folder holding another run's tables is refused unless ``force``."""
        return write_tables(self, Path(out), force=force)


def summarise(model: TradeModel) -> dict[str, Any]:
    """The summary of a run (what ``negotiate run --json`` prints and sweeps record)."""
    s = model.scenario
    outcome = model.current_outcome()
    weeks = max(model.steps, 1)
    both = model.both_complied
    lapses = model.truces.lapse_weeks
    return {
        "scenario": getattr(s, "name", "custom"),
        "seed": s.rng,
        "weeks": model.steps,
        "outcome": outcome.kind,
        "outcome_reason": outcome.reason,
        "detente_index": round(float(model.detente_index), 6),
        "detente_mean": round(float(outcome.mean_index), 6),
        "accusations": {"us": model.us.accusations, "cn": model.cn.accusations},
        "false_accusations": {"us": model.us.false_accusations, "cn": model.cn.false_accusations},
        "snapbacks": len(model.truces.snapback_weeks),
        "agreements": len(model.truces.history),
        "agreement_in_force": model.truces.current is not None,
        "truce_lapse_week": lapses[0] if lapses else None,
        "mean_payoff": {"us": model.us.welfare_total / weeks, "cn": model.cn.welfare_total / weeks},
        "cooperation_share": sum(both) / len(both) if both else 0.0,
        "rare_earth_flow_min": float(model.min_flow),
        "version": __version__,
        "params": s.params(),
    }


def run(
    scenario: str | Path | TradeScenario = "rare-earth-2025",
    *,
    seed: int | None = 0,
    weeks: int | None = None,
    overrides: dict[str, Any] | list[str] | None = None,
) -> RunResult:
    """Run one scenario (a name, a path or a scenario object) to its last week."""
    if isinstance(scenario, TradeScenario):
        if overrides or weeks is not None:
            raise ScenarioError("pass overrides and weeks through load_scenario for a scenario object")
        sc = scenario.copy(rng=check_seed(seed, "seed")) if seed is not None else scenario
    else:
        values = overrides_dict(overrides)
        if weeks is not None:
            values["weeks"] = weeks
        sc = load_scenario(scenario, values, seed=seed)
    model = TradeModel(sc)
    model.play_to_end()
    return RunResult(summarise(model), model)


def write_tables(result: RunResult, out: Path, *, force: bool = False) -> list[Path]:
    """The run's tables, with its scenario and seed on every row (see ``tablefolder``)."""
    from .tablefolder import write_all

    frames = {}
    for name, frame in (("model", result.model_table), ("agents", result.agent_table),
                        ("governments", result.government_table), ("events", result.event_table)):
        frame = frame.copy()
        frame.insert(0, "seed", result.summary["seed"])
        frame.insert(0, "scenario", result.summary["scenario"])
        frames[name] = frame
    return write_all(frames, out, force=force)

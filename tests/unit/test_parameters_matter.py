"""Every numeric scenario parameter changes something: set to its low and its high bound on a
short run with a fixed seed, the model table must differ. A parameter with exactly no effect
is either wired in or removed; the exceptions below say why they are silent here."""

from __future__ import annotations

import pandas as pd
import pytest

from negotiate import run
from negotiate.params import Range
from negotiate.scenario import FIELDS

#: key -> why a short trade run of the baseline cannot show it.
SILENT_HERE = {
    "payoffs.reward": "the classic game's payoff matrix (mode = classic) only",
    "payoffs.sucker": "the classic game's payoff matrix (mode = classic) only",
    "payoffs.temptation": "the classic game's payoff matrix (mode = classic) only",
    "payoffs.punishment": "the classic game's payoff matrix (mode = classic) only",
}
# Controls start on 4 April (week 14) and licences are reviewed for 9 weeks: 30 weeks reach
# the first stoppages, the truce talks and the price spikes.
BASE = {"weeks": 30, "firms.count": 40}
SEED = 3
#: key -> the setting in which it acts (a strategy that reads it, a rule it is bounded by,
#: or a run long enough to reach the event it shapes).
CONTEXT: dict[str, dict[str, object]] = {
    "us.generosity": {"us.strategy": "gtft"},
    "cn.generosity": {"cn.strategy": "gtft"},
    "us.escalation_step": {"us.hawkishness": 0.5},
    "cn.escalation_step": {"cn.hawkishness": 0.5},
    "outcome.friction_threshold": {"outcome.hold_threshold": 1.0},
    "outcome.hold_threshold": {"weeks": 60, "outcome.friction_threshold": 0.0},
    # A seed whose first truce is extended within 60 weeks (seed 3's is not).
    "truce.extension_weeks": {"weeks": 60, "seed": 2},
    "truce.snapback_share": {"weeks": 60, "us.agency_moves": 0.5, "cn.agency_moves": 0.5},
    "outcome.quiet_weeks": {"weeks": 60, "us.agency_moves": 0.5, "cn.agency_moves": 0.5},
    "truce.monitoring_factor": {"weeks": 60, "noise.perception": 0.3, "truce.monitoring": True},
}


def _numeric_keys() -> list[str]:
    skip = {"weeks", "firms.count"}  # the run's length and size: they change the table's shape
    return sorted(f.key for f in FIELDS.values()
                  if isinstance(f.spec, Range) and f.key not in skip and "." in f.key)


def _outputs(key: str, value: float) -> tuple[pd.DataFrame, dict]:
    """The model table and the summary (the outcome thresholds act only on the latter)."""
    field = next(f for f in FIELDS.values() if f.key == key)
    if field.kind is int:
        value = int(value)
    values = {**BASE, **CONTEXT.get(key, {}), key: value}
    seed = values.pop("seed", SEED)
    result = run("rare-earth-2025", seed=seed, overrides=values)
    summary = {k: v for k, v in result.summary.items() if k not in ("params", "version")}
    return result.model_table, summary


@pytest.mark.parametrize("key", _numeric_keys())
def test_a_numeric_parameter_moves_the_model_table_between_its_bounds(key):
    if key in SILENT_HERE:
        pytest.skip(SILENT_HERE[key])
    spec = next(f.spec for f in FIELDS.values() if f.key == key)
    (low, low_summary), (high, high_summary) = _outputs(key, spec.lo), _outputs(key, spec.hi)
    assert not (low.equals(high) and low_summary == high_summary), (
        f"{key} has no effect between {spec.lo} and {spec.hi}")

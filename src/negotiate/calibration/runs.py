"""One seed of a scenario, week by week, with the series the calibration reads."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import NegotiateError
from .record import START

# Weekly series recorded per run (model attributes, plus a few computed from the firm panel).
SERIES = (
    "us_tariff", "cn_tariff", "us_tariff_average", "cn_tariff_average", "approval_rate",
    "inventory_weeks", "cover_normal", "cover_jit", "flow_normal", "flow_jit", "rare_earth_flow", "price_china",
    "price_contract", "price_spot", "market_mood", "news", "supply_china", "applied",
    "approved", "denied", "agreement_in_force",
)


@dataclass
class RunRecord:
    """What one seed left behind: weekly series and its event log."""

    seed: int
    weekly: dict[str, np.ndarray]
    events: Any  # pandas DataFrame
    summary: dict[str, Any]


def run_one(name: str, seed: int, overrides: dict[str, Any] | None = None) -> RunRecord:
    """Run one scenario week by week, recording the series the report needs.

    Steps the public ``TradeModel`` (the same loop as :func:`negotiate.run`) rather than
    calling ``negotiate.run``: licence applications and decisions, China's deliveries and
    the cover of each buffer group are read from the firm panel each week, and neither the
    model table nor the firm table carries them, so reading the finished tables would lose
    them. Only public names are used: ``negotiate.load_scenario``, ``TradeModel`` and its
    public attributes, and ``negotiate.summarise``.
    """
    from .. import TradeModel, load_scenario, summarise

    values = {"collect.firms": False, **(overrides or {})}
    scenario = load_scenario(name, values, seed=seed)
    if scenario.start != START:
        raise NegotiateError(f"{name} starts on {scenario.start}; calibrate needs {START} "
                             "(the week numbers of the record)")
    model = TradeModel(scenario)
    firms = model.firms
    jit = firms.buffer_weeks < scenario.firms_buffer_weeks
    rows: dict[str, list[float]] = {k: [] for k in SERIES}
    decay = scenario.market_mood_decay
    while model.running:
        mood_before = model.market.mood
        model.step()
        cover = firms.inventory
        for key in ("us_tariff", "cn_tariff", "us_tariff_average", "cn_tariff_average",
                    "approval_rate", "inventory_weeks", "rare_earth_flow", "price_china",
                    "price_contract", "price_spot", "market_mood"):
            rows[key].append(float(getattr(model, key)))
        # Demand-weighted cover of each buffer group: what "2-3 months" and "2-4 weeks" describe.
        rows["cover_normal"].append(float(cover[~jit].sum() / firms.demand[~jit].sum()) if (~jit).any() else np.nan)
        rows["cover_jit"].append(float(cover[jit].sum() / firms.demand[jit].sum()) if jit.any() else np.nan)
        made = firms.production * firms.demand
        rows["flow_normal"].append(float(made[~jit].sum() / firms.demand[~jit].sum()) if (~jit).any() else np.nan)
        rows["flow_jit"].append(float(made[jit].sum() / firms.demand[jit].sum()) if jit.any() else np.nan)
        # This week's news alone (the mood index carries last weeks' decayed news too).
        rows["news"].append(model.market.mood - decay * mood_before)
        rows["supply_china"].append(firms.supply_china)
        rows["applied"].append(firms.applied)
        rows["approved"].append(firms.approved)
        rows["denied"].append(firms.denied)
        rows["agreement_in_force"].append(float(model.truces.current is not None))
    weekly = {k: np.asarray(v, dtype=float) for k, v in rows.items()}
    return RunRecord(seed, weekly, model.event_table(), summarise(model))


def run_many(name: str, seeds: Sequence[int], overrides: dict[str, Any] | None = None,
             progress: Callable[[str], None] | None = None) -> list[RunRecord]:
    out = []
    for i, seed in enumerate(seeds):
        out.append(run_one(name, seed, overrides))
        if progress and ((i + 1) % 25 == 0 or i + 1 == len(seeds)):
            progress(f"{name}: {i + 1}/{len(seeds)} seeds")
    return out


def stack(runs: list[RunRecord], key: str) -> np.ndarray:
    """seeds x weeks array of one series."""
    return np.vstack([r.weekly[key] for r in runs])


def band(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median and 5-95 % band over seeds (axis 0); weeks with no value in any seed stay nan."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return (np.nanmedian(values, axis=0), np.nanpercentile(values, 5, axis=0),
                np.nanpercentile(values, 95, axis=0))


def quantiles(values: Sequence[float]) -> tuple[float, float, float]:
    arr = np.asarray([v for v in values if v is not None and not np.isnan(v)], dtype=float)
    if arr.size == 0:
        return (math.nan, math.nan, math.nan)
    return (float(np.median(arr)), float(np.percentile(arr, 5)), float(np.percentile(arr, 95)))


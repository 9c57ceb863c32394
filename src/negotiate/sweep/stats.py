"""Small statistics for reports: Wilson intervals, outcome shares, bins, Sobol indices."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..outcome import OUTCOMES

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial share (sensible at 0 %, 100 % and small n).

    The one Wilson interval of the project (sweeps and the calibration report both use it).
    With no trials there is no interval: ``n = 0`` gives ``(nan, nan)``, which a report
    shows as "n/a", rather than ``(0, 1)``, which would read as a measured interval.
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # At 0 % and 100 % the bound is exactly 0 or 1 (centre == half), not a rounding residue.
    low = 0.0 if successes <= 0 else max(0.0, centre - half)
    high = 1.0 if successes >= n else min(1.0, centre + half)
    return (low, high)


def outcome_shares(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Long table: one row per group and outcome with count, runs, share and Wilson 95 %.

    Failed runs are counted in ``failed`` and left out of the shares' denominators.
    """
    ok = frame[frame["error"].isna()]
    groups = frame.groupby(list(by), sort=True, dropna=False, observed=True)
    counts = ok.groupby([*by, "outcome"], sort=True, dropna=False, observed=True).size()
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        failed = int(group["error"].notna().sum())
        n = len(group) - failed
        for outcome in OUTCOMES:
            k = int(counts.get((*key, outcome), 0))
            lo, hi = wilson(k, n)
            rows.append({**dict(zip(by, key, strict=True)), "outcome": outcome, "count": k,
                         "runs": n, "failed": failed, "share": k / n if n else math.nan,
                         "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def bin_edges(lo: float, hi: float, bins: int = 5) -> np.ndarray:
    return np.linspace(lo, hi, bins + 1)


def binned(values: pd.Series, lo: float, hi: float, bins: int = 5) -> pd.Series:
    """Equal-width bins of a sampled range, labelled by their middle (for tables and plots)."""
    edges = bin_edges(lo, hi, bins)
    index = np.clip(np.searchsorted(edges, values.to_numpy(), side="right") - 1, 0, bins - 1)
    middles = (edges[:-1] + edges[1:]) / 2
    return pd.Series(middles[index], index=values.index)


def sobol_indices(problem: dict[str, Any], y: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """First-order and total Sobol indices (SALib) of one output, in sampler order."""
    from SALib.analyze import sobol

    result = sobol.analyze(problem, y, calc_second_order=True, print_to_console=False, seed=seed)
    return pd.DataFrame({"parameter": problem["names"], "S1": result["S1"],
                         "S1_conf": result["S1_conf"], "ST": result["ST"],
                         "ST_conf": result["ST_conf"]})

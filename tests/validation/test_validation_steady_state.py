"""The baseline is stationary under noise (issue 10): no ratchet over ten years.

``steady-state`` is the baseline with its noise and no calendar, 520 weeks. Over 20 seeds
the mean level of each instrument in weeks 100-200 is compared with weeks 420-520.

Tolerance: each seed gives one paired difference (late minus early window mean); seeds are
independent, so with no drift the mean difference is about normal with standard error
sd(differences) / sqrt(20). The test allows 3 standard errors. The old rules (noise only
ever pushed instruments up) gave -3.1 SE for China's tariff and -5.5 SE for U.S. curbs
between these windows, and never lifted China's controls once they were on.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import negotiate

pytestmark = pytest.mark.slow

SEEDS = range(20)
EARLY, LATE = slice(100, 200), slice(420, 520)
INSTRUMENTS = ("us_tariff", "cn_tariff", "us_curbs", "cn_curbs", "controls_active",
               "approval_rate")


@pytest.fixture(scope="module")
def tables():
    return [negotiate.run("steady-state", seed=seed).model_table for seed in SEEDS]


@pytest.mark.parametrize("column", INSTRUMENTS)
def test_no_drift_between_weeks_100_200_and_420_520(tables, column):
    diffs = np.array([t[column].astype(float).to_numpy()[LATE].mean()
                      - t[column].astype(float).to_numpy()[EARLY].mean() for t in tables])
    bound = 3.0 * diffs.std(ddof=1) / math.sqrt(len(diffs))
    assert abs(diffs.mean()) <= bound, (
        f"{column} drifts by {diffs.mean():+.3f} between the windows; allowed ±{bound:.3f}")


@pytest.mark.parametrize("column", INSTRUMENTS)
def test_every_instrument_moves_both_ways_after_the_first_100_weeks(tables, column):
    steps = np.concatenate([np.diff(t[column].astype(float).to_numpy()[100:]) for t in tables])
    assert (steps > 0).any() and (steps < 0).any(), f"{column} only ever moves one way"

"""Monitoring that verifies in both directions (issue 10): scripted truths, seeded rngs.

The joint mechanism's finding replaces each side's private view during a truce, so it clears
false alarms and also reports real breaches a side missed. Rates are checked against
binomial bounds worked from the noise levels, Axelrod style.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from negotiate.model import TradeModel
from negotiate.policy import Terms
from negotiate.scenario import load_scenario
from negotiate.truce import Agreement, monitored_views, verify

TERMS = Terms(us_tariff_cap=30.0, cn_tariff_cap=10.0, approval_floor=0.5, review_cap=9.0,
              curb_cap=0.5)
WEEKS = 4000


def truce_model(noise: float, monitoring: bool, factor: float = 0.25, seed: int = 3) -> TradeModel:
    scenario = load_scenario("classroom-short", {
        "noise.perception": noise, "truce.monitoring": monitoring,
        "truce.monitoring_factor": factor}, seed=seed)
    model = TradeModel(scenario)
    model.truces.sign(Agreement("test", TERMS, 0, 10_000, 0.0, 0.0))
    return model


def error_rates(model: TradeModel, truth: bool) -> float:
    """Share of weeks in which the U.S. view of China's compliance is wrong."""
    wrong = sum(monitored_views(model, 1, True, truth)[0] is not truth for _ in range(WEEKS))
    return wrong / WEEKS


def within(share: float, p: float, n: int = WEEKS) -> bool:
    """Inside a 4-sigma binomial band around ``p`` (false failures about 1 in 16,000)."""
    return abs(share - p) <= 4.0 * math.sqrt(p * (1.0 - p) / n) + 1e-12


def test_without_committee_noise_the_finding_is_the_truth_both_ways():
    rng = np.random.default_rng(0)
    assert verify(True, 0.0, rng) is True   # a false alarm is cleared
    assert verify(False, 0.0, rng) is False  # a real breach is reported, seen or not
    assert verify(True, 1.0, rng) is False   # the committee's own noise is its own


@pytest.mark.parametrize("truth", [True, False], ids=["false-alarm", "missed-breach"])
def test_monitoring_makes_both_kinds_of_error_rarer(truth):
    private = error_rates(truce_model(0.2, monitoring=False), truth)
    checked = error_rates(truce_model(0.2, monitoring=True), truth)
    assert within(private, 0.2)
    assert within(checked, 0.2 * 0.25)
    assert checked < private


def test_outside_a_truce_there_is_no_committee():
    model = truce_model(0.2, monitoring=True)
    model.truces.current = None
    assert within(error_rates(model, False), 0.2)


def test_a_missed_breach_and_a_cleared_false_alarm_are_both_logged():
    model = truce_model(0.3, monitoring=True, factor=0.0)
    for _ in range(200):
        monitored_views(model, 1, False, True)  # the U.S. breaches, China complies
    found = [r for r in model.log.records if r.kind == "consultation"]
    unseen = [r for r in found if "went unseen" in r.details]
    cleared = [r for r in found if "no breach" in r.details]
    # With a perfect committee every private error is corrected, and only errors are logged.
    assert unseen and cleared and len(unseen) + len(cleared) == len(found)
    assert all(r.actor == "cn" and r.real is True and r.perceived is False for r in unseen)
    assert all(r.actor == "us" and r.real is False and r.perceived is True for r in cleared)
    assert within(len(found) / 400, 0.3, 400)

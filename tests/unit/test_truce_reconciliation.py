"""De-escalation reachable from any state (issue 10): scripted views, seeded rngs.

The pragmatic strategy concedes now and then once trust has recovered, and a concession at
full approval lifts China's controls, so noise cannot ratchet the instruments up for good.
"""

from __future__ import annotations

import math

import numpy as np

from negotiate.policy import Instruments, Steps, translate
from negotiate.strategies import Perception, Posture
from negotiate.strategies.pragmatic import Pragmatic

STEPS = Steps(escalation=50.0, retaliation=10.0)
WEEKS = 5000


def concede_share(trust: float, their_last: bool | None = True, hawkishness: float = 0.0) -> float:
    strategy, rng = Pragmatic(hawkishness=hawkishness), np.random.default_rng(7)
    view = Perception(week=10, my_last=True, their_last=their_last, trust=trust)
    return sum(strategy.decide(view, rng) is Posture.CONCEDE for _ in range(WEEKS)) / WEEKS


def near(share: float, p: float) -> bool:
    return abs(share - p) <= 4.0 * math.sqrt(p * (1.0 - p) / WEEKS)


def test_a_trusting_calm_side_concedes_at_the_reconciliation_rate():
    assert near(concede_share(Pragmatic.reconcile_trust), Pragmatic.reconciliation)
    assert near(concede_share(0.9, their_last=None), Pragmatic.reconciliation)


def test_no_concession_without_trust_or_after_a_seen_breach():
    assert concede_share(Pragmatic.reconcile_trust - 0.01) == 0.0
    assert concede_share(0.9, their_last=False) == 0.0


def test_hawkish_pressing_and_reconciliation_use_opposite_ends_of_one_draw():
    strategy, rng = Pragmatic(hawkishness=0.3), np.random.default_rng(1)
    view = Perception(week=10, my_last=True, their_last=True, trust=0.9, leverage=0.8)
    postures = [strategy.decide(view, rng) for _ in range(WEEKS)]
    assert near(postures.count(Posture.ESCALATE) / WEEKS, 0.3)
    assert near(postures.count(Posture.CONCEDE) / WEEKS, Pragmatic.reconciliation)


def test_concessions_bring_controls_back_off_after_approval_is_restored():
    china = Instruments.with_curb_index("cn", 0.5, tariff_headline=40.0, controls_active=True,
                                        approval_rate=0.25, review_weeks=13.0)
    weeks = 0
    while china.controls_active:
        translate(china, Posture.CONCEDE, None, STEPS)
        weeks += 1
        assert weeks < 20
    # 0.25 -> 1.0 takes five concessions of 0.15; the sixth lifts the licence requirement.
    assert weeks == 6
    assert china.tariff_headline == 0.0 and china.tech_curbs == 0.0 and china.review_weeks == 2.0


def test_an_escalation_turns_lifted_controls_back_on():
    china = Instruments.with_curb_index("cn", 0.0, controls_active=False, approval_rate=1.0)
    translate(china, Posture.ESCALATE, None, STEPS)
    assert china.controls_active and china.approval_rate == 0.7

"""40 students at once for 16 turns while the teacher closes turns: nothing lost or doubled."""

from __future__ import annotations

import numpy as np

from negotiate.classroom.load import check_nothing_lost, run_class


def test_forty_students_sixteen_turns_nothing_lost(service):
    result = run_class(service, students=40, turns=16, seed=7)
    assert result.errors == []
    counts = check_nothing_lost(service, result)
    assert counts["turns"] == 16
    assert counts["acknowledged"] > 100  # the class really played
    assert counts["lost"] == 0 and counts["duplicated"] == 0, counts
    p95 = float(np.percentile(result.turn_ms, 95))
    print(f"turn resolution p95 {p95:.1f} ms over {len(result.turn_ms)} turns; {counts}")
    assert p95 <= 500.0


def test_the_checker_catches_a_lost_move(service):
    """The check must be able to fail: forge an acknowledgement the store never saw."""
    result = run_class(service, students=12, turns=2, seed=1)
    result.acks.append({"turn": 1, "seat": "us", "revision": 99, "changed": True,
                        "decision": {"posture": "escalate"}, "student": 0})
    counts = check_nothing_lost(service, result)
    assert counts["lost"] == 1 and counts["duplicated"] == 1

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
    # Speed (turn p95 <= 500 ms) is measured in benchmarks/classroom.py, not asserted here.
    assert len(result.turn_ms) == 16 and np.isfinite(result.turn_ms).all()


def test_many_simulated_classes_in_one_server_each_join(service):
    """The benchmark plays ten rooms in one process: the per-device join limit must not
    count one room's simulated devices against the next room's."""
    results = [run_class(service, students=3, turns=1, seed=s) for s in range(4)]
    assert [r.errors for r in results] == [[]] * 4
    assert [len(service.caller(r.teacher_token).room.students) for r in results] == [3] * 4


def test_the_checker_catches_a_lost_move(service):
    """The check must be able to fail: forge an acknowledgement the store never saw."""
    result = run_class(service, students=12, turns=2, seed=1)
    result.acks.append({"turn": 1, "seat": "us", "revision": 99, "changed": True,
                        "decision": {"posture": "escalate"}, "student": 0})
    counts = check_nothing_lost(service, result)
    assert counts["lost"] == 1 and counts["duplicated"] == 1

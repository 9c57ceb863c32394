"""The firms' compiled week, worked by hand, and its totals against numpy's own sums."""

from __future__ import annotations

import numpy as np
import pytest

from negotiate.agents.firm_week import (
    REVIEW_JITTER,
    TOTALS,
    WEEK_ROWS,
    decide_and_find,
    earliest_due,
    file_applications,
    firm_week,
    licences_due,
    pairwise_total,
)

SIZES = [*range(0, 300), 1000, 8191, 8192, 8193, 20011]


def test_totals_are_numpy_s_sum_bit_for_bit():
    # The goldens depend on it: a plain running sum differs from numpy's pairwise one from
    # eight elements on, and numpy splits long arrays in halves past 128.
    rng = np.random.default_rng(7)
    for n in SIZES:
        values = rng.lognormal(0.0, 2.0, n) * rng.choice([-1.0, 0.0, 1.0], n)
        expected = np.add.reduce(values)
        got = pairwise_total(values)
        assert got == expected and np.signbit(got) == np.signbit(expected), n


def _two_firms(capacity: float, held: list[bool] | None):
    """Firm 0 (demand 1 t, half from China, no lead time, low stock); firm 1 (demand 2 t,
    all from China, one week at sea, 1 t landing now). ``held``: firms China holds back
    (needing a licence, none in force), or None for no controls."""
    pipeline = np.zeros((2, 2))
    pipeline[0, 1] = 1.0
    week = np.full((len(WEEK_ROWS), 2), np.nan)
    effort, totals = np.full(2, np.nan), np.full(len(TOTALS), np.nan)
    # Rows of TERMS: demand, 1 / demand, 1 / (demand x 4 weeks' buffer), target cover, half
    # of it. Firm 1 also keeps a week's shipments at sea: it orders up to 7 + 2 x 1 x 1 = 9 t.
    terms = np.array([[1.0, 2.0], [1.0, 0.5], [0.25, 0.125], [4.0, 7.0], [2.0, 3.5]])
    heavy = np.array(held if held is not None else [False, False])
    firm_week(10, 0, held is not None, terms, np.array([0.5, 1.0]), np.array([0, 1]),
              np.array([2.0, 8.0]), np.array([0.0, 1.0]), np.array([False, False]),
              np.array([-1, 9]), heavy, np.array([-1, 12]), np.zeros(0), pipeline, capacity, 0.0,
              week, np.zeros((5, 2)), effort, totals)
    return dict(zip(WEEK_ROWS, week, strict=True)), pipeline, effort, dict(zip(TOTALS, totals, strict=True))


def test_a_week_with_room_on_the_non_china_market_worked_by_hand():
    rows, pipeline, effort, totals = _two_firms(capacity=100.0, held=None)
    # Firm 0 orders demand plus a quarter of its gap to target: 1 + 0.25 * (4 - 2) = 1.5,
    # half of it (0.75) from China, landing at once; firm 1 needs only its demand, 2 t,
    # all from China, a week at sea, while last week's 1 t lands.
    assert rows["received_other"] == pytest.approx([0.75, 0.0])
    assert rows["received_china"] == pytest.approx([0.75, 1.0])
    assert rows["in_transit"] == pytest.approx([0.0, 2.0])
    assert pipeline[1, 1] == 2.0 and pipeline[0].tolist() == [0.0, 0.0]
    assert rows["production"] == pytest.approx([1.0, 1.0])
    assert rows["inventory"] == pytest.approx([2.5, 7.0])
    # Lobbying: half the fear of running out (1 - stock / (demand x 4 weeks)).
    assert effort == pytest.approx([0.5 * (1 - 2.5 / 4), 0.5 * (1 - 7.0 / 8)])
    assert totals == pytest.approx({"total_request": 0.75, "blocked": 0.0, "shipped": 2.75,
                                    "arrived": 1.75, "made": 3.0, "new_stoppages": 0,
                                    "switched": 0, "earliest_due": 12, "production": 2.0,
                                    "inventory": 9.5})


def test_a_week_with_a_held_order_and_a_short_non_china_market_worked_by_hand():
    rows, pipeline, _, totals = _two_firms(capacity=0.5, held=[False, True])
    # Firm 1 needs a licence and its last ran out in week 9: China holds its 2 t in week 10,
    # and it asks the spot market for half of it. Requests 0.75 + 1.0
    # meet 0.5 t of capacity, so each gets 2/7 of its request; China ships firm 0 the rest
    # of its order, and firm 1 nothing.
    assert rows["received_other"] == pytest.approx([0.75 * 2 / 7, 1.0 * 2 / 7])
    assert totals["total_request"] == pytest.approx(1.75)
    assert totals["blocked"] == pytest.approx(2.0)
    assert totals["shipped"] == pytest.approx(1.5 - 0.75 * 2 / 7)
    assert pipeline[1, 1] == 0.0


def test_licences_due_decided_filed_and_held_worked_by_hand():
    pending = np.array([-1, 3, 5, 2])
    licence_until = np.array([-1, -1, 10, -1])
    heavy = np.array([True, True, True, False])
    due = np.empty(4, dtype=np.int64)
    # Week 3: the applications due by then (firms 1 and 3) are decided, in firm order.
    assert licences_due(pending, 3, due) == 2 and due[:2].tolist() == [1, 3]
    applicants = np.empty(4, dtype=np.int64)
    # Chances: 0.5 x the home's factor, x 0.5 again for firm 3, a defence customer.
    approved, applying = decide_and_find(due, 2, np.array([0.1, 0.3]), 0.5, 0.5,
                                         np.array([1.0, 0.4, 1.0, 1.0]),
                                         np.array([False, False, False, True]), licence_until,
                                         pending, 29, True, 3 + 4.0, heavy, applicants)
    # Firm 1's draw (0.1) is under its chance (0.2); firm 3's (0.3) is over its 0.25. Both
    # stop pending. Firm 0 (heavy,
    # unlicensed, nothing pending) applies; firm 2's licence outlasts a review.
    assert (approved, applying) == (1, 1)
    assert licence_until.tolist() == [-1, 29, 10, -1]
    assert applicants[:1].tolist() == [0]
    # Review 4 weeks stretched by 0.7 + 0.6 x 0.75 = 1.15 is 4.6, decided in week 3 + 5.
    file_applications(applicants, 1, np.array([0.75]), 4.0, 3, pending)
    assert pending.tolist() == [8, -1, 5, -1]
    assert earliest_due(pending) == 5
    assert earliest_due(np.array([-1, -1])) == -1


def test_review_jitter_is_numpy_s_uniform_draw_exactly():
    draws = np.random.default_rng(3).random(1000)
    expected = np.random.default_rng(3).uniform(*REVIEW_JITTER, size=1000)
    for review in (1.0, 2.5, 4.0, 7.3):
        pending = np.full(1000, -1, dtype=np.int64)
        file_applications(np.arange(1000), 1000, draws, review, 0, pending)
        assert pending.tolist() == np.maximum(1, np.rint(review * expected)).astype(int).tolist()


def test_every_scenario_plays_on_one_compilation_of_each_kernel():
    # numba compiles a kernel again for each new set of argument types, which costs seconds
    # in every process; the panel passes one set whatever the scenario or seat does.
    import negotiate
    from negotiate.agents import firm_week as kernels
    from negotiate.moves import FirmAction

    kernels.load()
    for name in ("rare-earth-2025", "rare-earth-2025-replay", "classroom-short"):
        negotiate.run(name, seed=1, weeks=30)
    model = negotiate.TradeModel(negotiate.load_scenario("classroom-short", {"firms.count": 3,
                                                                             "supply.nonchina_tpy": 0}))
    model.submit_firm_action(0, FirmAction(stockpile_weeks=2, lobby=1, apply_licence=True))
    model.play_to_end()
    for kernel in (kernels.firm_week, kernels.licences_due, kernels.decide_and_find,
                   kernels.file_applications, kernels.lobbying_into):
        assert len(kernel.signatures) == 1, kernel

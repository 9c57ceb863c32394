"""Each classic strategy's Axelrod-style metadata says what its play shows.

``stochastic``: two random streams give different decisions for the same history exactly
when it is True. ``memory_depth``: the decision is a function of the last ``memory_depth``
rounds (checked for finite depths; CTFT's record makes it unbounded).
"""

from __future__ import annotations

import numpy as np
import pytest

from negotiate.strategies import Perception, make_strategy

CLASSIC = ("tft", "gtft", "ctft", "grim", "wsls", "allc", "alld")
WEEKS = 400


def play(name: str, seed: int) -> list[tuple[tuple[bool, bool], bool]]:
    """(last round as (mine, theirs), decision) each week, against a random opponent; one
    move in ten comes out the other way (execution noise), so that a record longer than the
    last round can show."""
    strategy = make_strategy(name)
    strategy.reset()
    theirs = np.random.default_rng(99).random(WEEKS) < 0.6
    flips = np.random.default_rng(98).random(WEEKS) < 0.1
    rng = np.random.default_rng(seed)
    rounds, last = [], None
    for week in range(1, WEEKS + 1):
        view = Perception(week=week, my_last=None if last is None else last[0],
                          their_last=None if last is None else last[1])
        mine = strategy.decide(view, rng).complies
        if last is not None:
            rounds.append((last, mine))
        executed = mine != bool(flips[week - 1])
        strategy.observe(executed, bool(theirs[week - 1]))
        last = (executed, bool(theirs[week - 1]))
    return rounds


@pytest.mark.parametrize("name", CLASSIC)
def test_stochastic_flag_matches_play(name):
    differs = play(name, 1) != play(name, 2)
    assert differs == make_strategy(name).stochastic


@pytest.mark.parametrize("name", [n for n in CLASSIC if not make_strategy(n).stochastic])
def test_memory_depth_matches_play(name):
    depth = make_strategy(name).memory_depth
    rounds = play(name, 1)
    if depth == float("inf"):
        # some history of the last round is answered two ways: more than one round counts
        seen: dict = {}
        assert any(seen.setdefault(last, mine) != mine for last, mine in rounds)
        return
    answers: dict = {}
    for last, mine in rounds:
        key = last if depth >= 1 else ()
        assert answers.setdefault(key, mine) == mine

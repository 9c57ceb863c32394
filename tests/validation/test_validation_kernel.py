"""The classic-game kernel: one definition, fast and slow paths identical, fixed draw
order, and the theory module's general chain against the textbook memory-one chains."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest

from negotiate import theory
from negotiate.ipd import ClassicGame, ScriptedMoves, play
from negotiate.strategies import make_strategy

NAMES = ("tft", "wsls", "gtft", "grim", "allc", "alld", "ctft")
ROOT = Path(__file__).resolve().parents[2]


def s(name: str):
    return make_strategy(name)


def _slow(us, cn, rounds, seed, **kw) -> np.ndarray:
    game = ClassicGame(us, cn, **kw)
    rng = np.random.default_rng(seed)
    out = np.empty(rounds, dtype=np.int8)
    for t in range(rounds):
        w = game.play_week(rng)
        out[t] = (0 if w.us_move else 2) + (0 if w.cn_move else 1)
    return out


@pytest.mark.parametrize(("ex", "pe"), [(0.0, 0.0), (0.05, 0.0), (0.0, 0.1), (0.03, 0.07)])
def test_play_equals_round_by_round_definition(ex: float, pe: float) -> None:
    for a, b in itertools.product(NAMES, repeat=2):
        fast = play(s(a), s(b), 3000, execution_noise=ex, perception_noise=pe, seed=5, moves=True)
        slow = _slow(s(a), s(b), 3000, 5, execution_noise=ex, perception_noise=pe)
        assert np.array_equal(fast.outcomes, slow), (a, b)


def test_play_falls_back_for_non_automaton_strategies() -> None:
    fast = play(s("pragmatic"), s("gtft"), 2000, perception_noise=0.1, seed=2, moves=True)
    slow = _slow(s("pragmatic"), s("gtft"), 2000, 2, perception_noise=0.1)
    assert np.array_equal(fast.outcomes, slow)


def test_play_leaves_strategies_in_their_final_state() -> None:
    us, cn = s("ctft"), s("ctft")
    play(us, cn, 777, execution_noise=0.1, seed=4)
    g_us, g_cn = s("ctft"), s("ctft")
    game = ClassicGame(g_us, g_cn, execution_noise=0.1)
    rng = np.random.default_rng(4)
    for _ in range(777):
        game.play_week(rng)
    assert (us.state, cn.state) == (g_us.state, g_cn.state)


def test_draw_order_and_draw_only_when_needed() -> None:
    # Both noises 0.5 and ALLC: exactly four draws a week, in the documented order.
    rng = np.random.default_rng(8)
    u = np.random.default_rng(8).random(400).reshape(100, 4)
    game = ClassicGame(s("allc"), s("allc"), execution_noise=0.5, perception_noise=0.5)
    for row in u:
        w = game.play_week(rng)
        assert w.us_move == (row[0] >= 0.5)
        assert w.cn_move == (row[1] >= 0.5)
        assert w.us_seen == (w.cn_move != (row[2] < 0.5))
        assert w.cn_seen == (w.us_move != (row[3] < 0.5))
    # Deterministic strategies and no noise: the generator is not touched.
    rng = np.random.default_rng(1)
    before = rng.bit_generator.state
    game = ClassicGame(s("tft"), s("wsls"))
    for _ in range(50):
        game.play_week(rng)
    assert rng.bit_generator.state == before


def test_payoffs_follow_executed_moves() -> None:
    game = ClassicGame(s("alld"), ScriptedMoves("CD"), payoffs=(3, 0, 5, 1))
    rng = np.random.default_rng(0)
    w1, w2 = game.play_week(rng), game.play_week(rng)
    assert (w1.us_payoff, w1.cn_payoff, w2.us_payoff, w2.cn_payoff) == (5, 0, 1, 1)


def test_play_is_seeded() -> None:
    a = play(s("gtft"), s("wsls"), 5000, execution_noise=0.1, seed=3)
    b = play(s("gtft"), s("wsls"), 5000, execution_noise=0.1, seed=3)
    c = play(s("gtft"), s("wsls"), 5000, execution_noise=0.1, seed=4)
    assert a.counts == b.counts and a.counts != c.counts
    assert sum(a.counts) == 5000


def test_play_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        play(s("tft"), s("tft"), 0)
    with pytest.raises(ValueError):
        play(s("tft"), s("tft"), 10, execution_noise=1.5)
    with pytest.raises(ValueError):
        play(s("tft"), s("tft"), 10, perception_noise=-0.1)
    same = s("tft")
    with pytest.raises(ValueError):
        play(same, same, 10)


# --- theory: general chain against the hand-written memory-one chains ------------------


@pytest.mark.parametrize("eps", [0.01, 0.1])
def test_general_chain_matches_textbook_4_state_chain(eps: float) -> None:
    memory_one = [n for n in NAMES if n != "ctft"]
    for a, b in itertools.product(memory_one, repeat=2):
        lr = theory.long_run(s(a), s(b), execution_noise=eps)
        m = theory.memory_one_execution_matrix(s(a).vector(), s(b).vector(), eps)
        pi = theory.cesaro_limit(m, 0)
        np.testing.assert_allclose(pi @ m, pi, atol=1e-12)
        # The week after a state has outcome distribution m[state]; stationary => pi.
        np.testing.assert_allclose(lr.outcome_shares, pi, atol=1e-10, err_msg=f"{a}-{b}")


@pytest.mark.parametrize("delta", [0.01, 0.1])
def test_general_chain_matches_textbook_16_state_chain(delta: float) -> None:
    memory_one = [n for n in NAMES if n != "ctft"]
    for a, b in itertools.product(memory_one, repeat=2):
        p, q = s(a).vector(), s(b).vector()
        lr = theory.long_run(s(a), s(b), perception_noise=delta)
        m = theory.memory_one_perception_matrix(p, q, delta)
        assert m.shape == (16, 16)
        pi = theory.cesaro_limit(m, 0)
        x = np.repeat(p, 4)  # US cooperates by its own view i = state // 4
        y = np.tile(q, 4)  # CN by its own view j = state % 4
        shares = np.array([pi @ (x * y), pi @ (x * (1 - y)), pi @ ((1 - x) * y),
                           pi @ ((1 - x) * (1 - y))])
        np.testing.assert_allclose(lr.outcome_shares, shares, atol=1e-10, err_msg=f"{a}-{b}")


def test_cesaro_limit_on_reducible_and_periodic_chains() -> None:
    # Two absorbing states reached with probability 0.3 and 0.7 from a transient start.
    m = np.array([[0.0, 0.3, 0.7], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_allclose(theory.cesaro_limit(m, 0), [0.0, 0.3, 0.7])
    # A period-2 cycle: the time average is 1/2 each.
    np.testing.assert_allclose(theory.cesaro_limit(np.array([[0, 1.0], [1.0, 0]]), 0), [0.5, 0.5])


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations_with_replacement(NAMES, 2)))
def test_noise_free_theory_is_the_limit_of_long_noise_free_matches(a: str, b: str) -> None:
    """With no noise the chains are reducible (GRIM and ALLD absorb, TFT's echo is
    periodic); the Cesaro value must still be what a long match averages."""
    lr = theory.long_run(s(a), s(b))
    rounds = 20_000
    res = play(s(a), s(b), rounds, seed=1, moves=True)
    if "gtft" in (a, b) and lr.us_payoff not in (1.0, 3.0):
        mean, half = theory.batch_means_ci(res.payoff_series()[0], 50, 0.99)
        assert abs(mean - lr.us_payoff) <= half
    else:
        assert res.us_mean == pytest.approx(lr.us_payoff, abs=10 / rounds)
        assert res.cn_mean == pytest.approx(lr.cn_payoff, abs=10 / rounds)


def test_ctft_chain_sizes() -> None:
    """Execution noise: one shared record, 4 joint standings. Perception noise alone: a
    CTFT never defects unjustly by its *own* record, so each side always thinks itself in
    good standing and its view is just 'is the other bad?' -- it acts like TFT (2.25
    against itself, Wu & Axelrod's point that contrition does not cure misperception).
    With both noises each side can blame itself privately: all 16 pairs of standings."""
    ex = theory.build_chain(s("ctft"), s("ctft"), execution_noise=0.1)
    pe = theory.build_chain(s("ctft"), s("ctft"), perception_noise=0.1)
    both = theory.build_chain(s("ctft"), s("ctft"), execution_noise=0.1, perception_noise=0.1)
    assert len(ex.states) == 4
    assert {a for a, _ in pe.states} == {0, 2} and len(pe.states) == 4
    assert len(both.states) == 16
    assert theory.long_run(s("ctft"), s("ctft"), perception_noise=0.1).us_payoff == (
        pytest.approx(2.25, abs=1e-12))


# --- benchmark reference is the same game ----------------------------------------------


def test_benchmark_numpy_loop_plays_the_same_game() -> None:
    spec = importlib.util.spec_from_file_location("bench_ipd", ROOT / "benchmarks" / "ipd.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    # Same generator, same draw order: the two must agree to the last bit.
    assert bench.numpy_loop(20_000, 0.05, 3) == pytest.approx(bench.play_path(20_000, 0.05, 3),
                                                              abs=1e-12)

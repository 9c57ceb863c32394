"""V1-V9 of ../shared/validation/game-theory.md: closed forms, the exact chains, and
simulations that must agree with both."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest

from negotiate import theory
from negotiate.ipd import ClassicGame, ScriptedMoves, play
from negotiate.strategies import AutomatonStrategy, MemoryOneStrategy, make_strategy
from negotiate.strategies.classic import GenerousTitForTat

PD = (3.0, 0.0, 5.0, 1.0)


class Alternator(MemoryOneStrategy):
    """D, C, D, C, ...: the deviation that tests TFT's and GTFT's generosity bounds."""

    name = "alternator"
    four_vector = (0.0, 0.0, 1.0, 1.0)
    first_move = 0.0


class KWeekTrigger(AutomatonStrategy):
    """Cooperate; on seeing a defection punish for exactly k weeks, then return.

    The noisy trigger of Green & Porter (1984) in its simplest form: state 0 cooperates,
    states k..1 count the punishment down, and signals are ignored while punishing.
    """

    name = "k-trigger"
    initial_state: ClassVar[int] = 0

    def __init__(self, k: int) -> None:
        self.k = k
        self.n_states = k + 1  # type: ignore[misc]
        super().__init__()

    def cooperate_probability(self, state: int) -> float:
        return 1.0 if state == 0 else 0.0

    def next_state(self, state: int, my_move: bool, their_seen: bool) -> int:
        if state == 0:
            return 0 if their_seen else self.k
        return state - 1


def s(name: str, **kw):
    return make_strategy(name, **kw)


# --- V1 -------------------------------------------------------------------------------


@pytest.mark.parametrize("eps", [0.001, 0.01, 0.05, 0.1, 0.3, 0.5, 0.9])
def test_v1_tft_pair_execution_noise_is_uniform(eps: float) -> None:
    lr = theory.long_run(s("tft"), s("tft"), execution_noise=eps)
    assert lr.us_payoff == pytest.approx(2.25, abs=1e-12)
    assert lr.cn_payoff == pytest.approx(2.25, abs=1e-12)
    np.testing.assert_allclose(lr.outcome_shares, 0.25, atol=1e-12)
    m = theory.memory_one_execution_matrix((1, 0, 1, 0), (1, 0, 1, 0), eps)
    np.testing.assert_allclose(m.sum(axis=0), 1.0, atol=1e-12)  # doubly stochastic


def test_v1_holds_for_any_payoffs() -> None:
    pay = (4.0, -1.0, 7.0, 2.0)
    lr = theory.long_run(s("tft"), s("tft"), execution_noise=0.07, payoffs=pay)
    assert lr.us_payoff == pytest.approx(sum(pay) / 4, abs=1e-12)


def test_v1_simulated_tft_pair() -> None:
    res = play(s("tft"), s("tft"), 200_000, execution_noise=0.05, seed=11, moves=True)
    mean, half = theory.batch_means_ci(res.payoff_series()[0], 50, 0.99)
    assert abs(mean - 2.25) <= half
    assert half < 0.05


# --- V2 -------------------------------------------------------------------------------


def _responses(strategy, opponent_moves: str) -> str:
    """Axelrod-library style: the strategy's moves against a scripted opponent."""
    game = ClassicGame(strategy, ScriptedMoves(opponent_moves))
    rng = np.random.default_rng(0)
    return "".join("C" if game.play_week(rng).us_move else "D" for _ in opponent_moves)


def test_v2_scripted_responses() -> None:
    assert _responses(s("tft"), "CCDCCDDC") == "CCCDCCDD"
    # WSLS: stay after R or T, shift after S or P.
    assert _responses(s("wsls"), "CCDCCDDC") == "CCCDDDCD"
    assert _responses(s("grim"), "CCDCCCCC") == "CCCDDDDD"
    # Contrite TFT punishes an unprovoked D once; its punishing D is justified (the
    # other was in bad standing), so its own standing stays good and it forgives.
    assert _responses(s("ctft"), "CCDCCCCC") == "CCCDCCCC"
    assert _responses(s("alld"), "CCCC") == "DDDD"
    assert _responses(s("allc"), "DDDD") == "CCCC"


def _pair_after_error(name: str, weeks: int, rng_seed: int = 0, **kw) -> list[str]:
    game = ClassicGame(s(name, **kw), s(name, **kw))
    rng = np.random.default_rng(rng_seed)
    out = []
    for week in range(weeks):
        w = game.play_week(rng, cn_error=(week == 5))
        out.append(("C" if w.us_move else "D") + ("C" if w.cn_move else "D"))
    return out


def test_v2_wsls_recovers_in_exactly_two_rounds() -> None:
    out = _pair_after_error("wsls", 30)
    assert out[:5] == ["CC"] * 5
    assert out[5:8] == ["CD", "DD", "CC"]
    assert out[8:] == ["CC"] * 22
    rounds = theory.expected_rounds_until(s("wsls"), s("wsls"), {"CC"},
                                          history=[(True, True), (True, False)])
    assert rounds == 2.0


def test_v2_ctft_pair_accepts_one_punishment_then_cooperates() -> None:
    """Wu & Axelrod 1995: after its own error CTFT takes one punishment without replying."""
    game = ClassicGame(s("ctft"), s("ctft"))
    rng = np.random.default_rng(0)
    out = []
    for week in range(20):
        w = game.play_week(rng, us_error=(week == 5))
        out.append(("C" if w.us_move else "D") + ("C" if w.cn_move else "D"))
    assert out[5:8] == ["DC", "CD", "CC"]
    assert out[8:] == ["CC"] * 12


def test_v2_tft_echoes_forever() -> None:
    out = _pair_after_error("tft", 1000)
    assert out[5:] == ["CD", "DC"] * ((1000 - 5) // 2) + ["CD"]
    rounds = theory.expected_rounds_until(s("tft"), s("tft"), {"CC"},
                                          history=[(True, True), (True, False)])
    assert rounds == float("inf")


@pytest.mark.parametrize("q", [0.1, 1 / 3, 0.6])
def test_v2_gtft_recovery_is_geometric_with_mean_1_over_q(q: float) -> None:
    exact = theory.expected_rounds_until(GenerousTitForTat(q), GenerousTitForTat(q), {"CC"},
                                         history=[(True, True), (True, False)])
    assert exact == pytest.approx(1 / q, rel=1e-9)
    rng = np.random.default_rng(int(q * 1000))
    lengths = []
    for _ in range(4000):
        game = ClassicGame(GenerousTitForTat(q), GenerousTitForTat(q))
        game.play_week(rng)
        game.play_week(rng, cn_error=True)
        n = 0
        while True:
            n += 1
            w = game.play_week(rng)
            if w.us_move and w.cn_move:
                break
            # No further noise: until recovery one side defects, the other cooperates.
            assert w.us_move != w.cn_move
        lengths.append(n)
    x = np.array(lengths, dtype=float)
    # Episodes are independent: an ordinary 99% interval applies.
    half = 2.576 * x.std(ddof=1) / np.sqrt(len(x))
    assert abs(x.mean() - 1 / q) <= half
    assert np.mean(x == 1) == pytest.approx(q, abs=3 * np.sqrt(q * (1 - q) / len(x)))


# --- V3 -------------------------------------------------------------------------------


def test_v3_closed_form_values() -> None:
    assert theory.grim_first_run_length(0.01) == pytest.approx(50.2513, abs=1e-4)
    assert theory.grim_first_run_length(0.05) == pytest.approx(10.2564, abs=1e-4)


@pytest.mark.parametrize("eps", [0.01, 0.05, 0.1, 0.3])
def test_v3_chain_matches_closed_form(eps: float) -> None:
    exact = theory.expected_rounds_until(s("grim"), s("grim"), {"CD", "DC", "DD"},
                                         execution_noise=eps)
    assert exact == pytest.approx(theory.grim_first_run_length(eps), rel=1e-10)


@pytest.mark.parametrize(("eps", "episodes"), [(0.01, 4000), (0.05, 20000)])
def test_v3_simulated_first_run(eps: float, episodes: int) -> None:
    rng = np.random.default_rng(3)
    runs = []
    for _ in range(episodes):
        game = ClassicGame(s("grim"), s("grim"), execution_noise=eps)
        n = 0
        while True:
            n += 1
            w = game.play_week(rng)
            if not (w.us_move and w.cn_move):
                break
        runs.append(n)
    x = np.array(runs, dtype=float)
    half = 2.576 * x.std(ddof=1) / np.sqrt(len(x))
    assert abs(x.mean() - theory.grim_first_run_length(eps)) <= half


# --- V4 -------------------------------------------------------------------------------


def test_v4_generosity_bound() -> None:
    assert theory.gtft_generosity_max(*PD) == pytest.approx(1 / 3)


@pytest.mark.parametrize("pay", [(3.0, 0.0, 5.0, 1.0), (5.0, 0.0, 6.0, 3.0), (3.0, 0.0, 4.0, 0.5)])
def test_v4_bound_is_where_a_deviation_starts_to_pay(pay) -> None:
    r = pay[0]
    q_star = theory.gtft_generosity_max(*pay)

    def best_deviation(q: float) -> float:
        return max(
            theory.long_run(dev, GenerousTitForTat(q), payoffs=pay).us_payoff
            for dev in (s("alld"), Alternator())
        )

    assert best_deviation(q_star - 0.02) < r
    assert best_deviation(q_star) == pytest.approx(r, abs=1e-9)
    assert best_deviation(q_star + 0.02) > r


# --- V5 -------------------------------------------------------------------------------


def test_v5_thresholds() -> None:
    assert theory.tft_stability_threshold(*PD) == pytest.approx(2 / 3)
    assert theory.grim_threshold(*PD) == pytest.approx(1 / 2)


@pytest.mark.parametrize("pay", [(3.0, 0.0, 5.0, 1.0), (3.0, 0.0, 4.0, 2.0)])
def test_v5_discounted_chain_agrees(pay) -> None:
    def dev_gain(resident: str, w: float) -> float:
        base = theory.discounted_payoffs(s(resident), s(resident), w, payoffs=pay)[0]
        devs = [s("alld")] + ([Alternator()] if resident == "tft" else [])
        return max(theory.discounted_payoffs(d, s(resident), w, payoffs=pay)[0]
                   for d in devs) - base

    for resident, w_star in (("tft", theory.tft_stability_threshold(*pay)),
                             ("grim", theory.grim_threshold(*pay))):
        assert dev_gain(resident, w_star - 0.02) > 0
        assert dev_gain(resident, w_star) == pytest.approx(0.0, abs=1e-9)
        assert dev_gain(resident, w_star + 0.02) < 0


# --- V6 -------------------------------------------------------------------------------


@pytest.mark.parametrize("pay", [(3.0, 0.0, 5.0, 1.0), (4.0, 0.0, 5.0, 1.0), (3.0, 0.0, 6.0, 1.0)])
def test_v6_alld_against_wsls(pay) -> None:
    r, s_, t, p = pay
    lr = theory.long_run(s("alld"), s("wsls"), payoffs=pay)
    assert lr.us_payoff == pytest.approx(theory.wsls_alld_payoff(*pay), abs=1e-12)
    assert lr.us_payoff == pytest.approx((t + p) / 2, abs=1e-12)
    assert lr.cn_payoff == pytest.approx((s_ + p) / 2, abs=1e-12)
    # Strict stability against ALLD: ALLD must earn strictly less than R.
    assert theory.wsls_strictly_stable(*pay) == (lr.us_payoff < r)
    res = play(s("alld"), s("wsls"), 1000, payoffs=pay)
    assert res.us_mean == pytest.approx((t + p) / 2)


def test_v6_standard_payoffs_are_the_knife_edge() -> None:
    assert not theory.wsls_strictly_stable(*PD)  # 2R = T+P = 6
    assert theory.wsls_strictly_stable(4, 0, 5, 1)


# --- V7 -------------------------------------------------------------------------------


@pytest.mark.parametrize("pair", [("tft", "tft"), ("wsls", "wsls"), ("tft", "wsls")])
@pytest.mark.parametrize("eps", [0.01, 0.05, 0.1, 0.3])
def test_v7_deterministic_strategies_same_under_both_noises(pair, eps) -> None:
    ex = theory.long_run(s(pair[0]), s(pair[1]), execution_noise=eps)
    pe = theory.long_run(s(pair[0]), s(pair[1]), perception_noise=eps)
    np.testing.assert_allclose(ex.outcome_shares, pe.outcome_shares, atol=1e-12)
    assert len(pe.chain.states) > len(ex.chain.states)  # genuinely different chains


@pytest.mark.parametrize("eps", [0.01, 0.05, 0.1])
def test_v7_gtft_differs(eps) -> None:
    ex = theory.long_run(s("gtft"), s("gtft"), execution_noise=eps)
    pe = theory.long_run(s("gtft"), s("gtft"), perception_noise=eps)
    assert abs(ex.us_payoff - pe.us_payoff) > 0.005


def test_v7_gtft_difference_is_seen_in_simulation() -> None:
    cis = []
    for kind in ("execution", "perception"):
        res = play(s("gtft"), s("gtft"), 200_000, seed=7, moves=True, **{f"{kind}_noise": 0.05})
        cis.append(theory.batch_means_ci(res.payoff_series()[0], 50, 0.99))
    (m1, h1), (m2, h2) = cis
    assert m2 - m1 > h1 + h2  # perception noise is kinder to GTFT: disjoint intervals


def test_v7_does_not_extend_to_unresponsive_deterministic_rules() -> None:
    """The equivalence needs a move that flips with the seen move (TFT, WSLS). GRIM's
    does not once it defects, so the two noises differ for it."""
    ex = theory.long_run(s("grim"), s("grim"), execution_noise=0.05)
    pe = theory.long_run(s("grim"), s("grim"), perception_noise=0.05)
    assert abs(ex.us_payoff - pe.us_payoff) > 0.05


# --- V8 -------------------------------------------------------------------------------


def test_v8_closed_form() -> None:
    assert theory.trigger_punishment_share(0.05, 4) == pytest.approx(1 / 6)


@pytest.mark.parametrize(("pi", "k"), [(0.05, 4), (0.01, 10), (0.2, 3)])
def test_v8_chain_and_simulation(pi: float, k: int) -> None:
    share = theory.trigger_punishment_share(pi, k)
    lr = theory.long_run(KWeekTrigger(k), s("allc"), perception_noise=pi)
    assert 1.0 - lr.us_cooperation == pytest.approx(share, abs=1e-12)
    res = play(KWeekTrigger(k), s("allc"), 200_000, perception_noise=pi, seed=k, moves=True)
    punishing = (~res.us_moves).astype(float)
    mean, half = theory.batch_means_ci(punishing, 50, 0.99)
    assert abs(mean - share) <= half


# --- V9 -------------------------------------------------------------------------------


def test_v9_deterrence_condition() -> None:
    assert theory.deterred(0.5, 10.0, 5.0)  # boundary: indifferent, deterred
    assert not theory.deterred(0.49, 10.0, 5.0)
    assert theory.deterred(1.0, 5.0, 5.0)
    assert not theory.deterred(0.0, 1e9, 0.1)
    with pytest.raises(ValueError):
        theory.deterred(1.5, 1.0, 1.0)


def test_v9_matches_a_simulated_inspection() -> None:
    """A risk-neutral inspectee's mean net gain from violating has the sign the rule says."""
    rng = np.random.default_rng(9)
    for p, sanction, gain in [(0.3, 10.0, 2.0), (0.1, 10.0, 2.0), (0.5, 3.0, 1.0), (0.2, 4.0, 1.0)]:
        caught = rng.random(200_000) < p
        net = gain - sanction * caught
        margin = 2.576 * net.std() / np.sqrt(len(net))
        assert abs(net.mean() - (gain - p * sanction)) <= margin
        assert theory.deterred(p, sanction, gain) == (gain - p * sanction <= 0)
        if abs(gain - p * sanction) > margin:
            assert theory.deterred(p, sanction, gain) == (net.mean() < 0)

"""Exact long-run values of the noisy iterated prisoner's dilemma.

For two finite-state strategies (:class:`~negotiate.strategies.base.AutomatonStrategy`:
every memory-one strategy, and contrite TFT) the pair of strategy states is a Markov chain.
This module builds that chain from the strategies' *own* definitions
(``cooperate_probability`` and ``next_state``), so theory and simulation cannot drift
apart, and reads off exact long-run values.

* With execution noise only, both sides see the same executed moves, so for two
  memory-one strategies only four joint states are reachable after the first round
  (CC, CD, DC, DD): the classic chain of Molander (1985) and Nowak & Sigmund (1990).
* With private perception noise each side's state follows its own view, giving the
  16-state chain (own move, seen move) x (own move, seen move).

**What "long run" means.** The chain starts in the strategies' initial states. The value
reported is the Cesaro limit ``lim (1/N) sum_{t<N} P(state_t)`` from that start. When the
chain is irreducible (any noise > 0 for the classic strategies) this is the unique
stationary distribution. When it is reducible (no noise, or an absorbing class such as
GRIM locking into DD) it is the mixture of the closed classes' stationary distributions,
weighted by the probability of ending in each from the start -- exactly what the average
of a very long simulated match converges to. Periodic classes (TFT's CD/DC echo) get their
time-average, which is what a simulation averages too.

Closed forms from the literature are provided beside the chain, and the tests check the
chain against them: V1 (Molander 1985), V3 (first cooperative run of GRIM), V4 (Molander
1985; Nowak & Sigmund 1992), V5 (Axelrod 1984), V6 (Nowak & Sigmund 1993), V8 (Green &
Porter 1984 style trigger), V9 (Avenhaus, von Stengel & Zamir 2002).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .ipd import DEFAULT_PAYOFFS, OUTCOMES
from .strategies.base import AutomatonStrategy

__all__ = [
    "Chain",
    "LongRun",
    "batch_means_ci",
    "build_chain",
    "cesaro_limit",
    "deterred",
    "discounted_payoffs",
    "expected_rounds_until",
    "grim_first_run_length",
    "grim_threshold",
    "gtft_generosity_max",
    "long_run",
    "memory_one_execution_matrix",
    "memory_one_perception_matrix",
    "relaxation_time",
    "trigger_punishment_share",
    "tft_stability_threshold",
    "wsls_alld_payoff",
    "wsls_strictly_stable",
]

_BOOLS = (True, False)


@dataclass(frozen=True)
class Chain:
    """The joint Markov chain of two automata.

    ``states[i] = (us_state, cn_state)``; ``by_outcome[o, i, j]`` is the probability that
    from joint state ``i`` the week's executed outcome is ``o`` (0..3 = CC, CD, DC, DD from
    the US side) and the next joint state is ``j``. ``matrix`` sums it over outcomes.
    """

    states: tuple[tuple[int, int], ...]
    start: int
    by_outcome: np.ndarray

    @property
    def matrix(self) -> np.ndarray:
        return self.by_outcome.sum(axis=0)

    @property
    def outcome_probs(self) -> np.ndarray:
        """``[i, o]``: probability of executed outcome ``o`` in a week that starts in ``i``."""
        return self.by_outcome.sum(axis=2).T


@dataclass(frozen=True)
class LongRun:
    """Exact long-run (Cesaro) values of a match; see the module docstring."""

    chain: Chain
    stationary: np.ndarray
    outcome_shares: np.ndarray
    us_payoff: float
    cn_payoff: float

    @property
    def p_cc(self) -> float:
        """Long-run share of weeks in which both executed C."""
        return float(self.outcome_shares[0])

    @property
    def us_cooperation(self) -> float:
        return float(self.outcome_shares[0] + self.outcome_shares[1])

    @property
    def cn_cooperation(self) -> float:
        return float(self.outcome_shares[0] + self.outcome_shares[2])

    def as_dict(self) -> dict[str, float]:
        d = {
            "us_mean_payoff": self.us_payoff,
            "cn_mean_payoff": self.cn_payoff,
            "cc_share": self.p_cc,
        }
        d.update({k.lower(): float(v) for k, v in zip(OUTCOMES, self.outcome_shares, strict=True)})
        return d


def _noise(name: str, value: float) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability from 0 to 1, got {value!r}")
    return value


def _flip(p: float) -> tuple[tuple[bool, float], ...]:
    """(flipped?, probability) pairs with zero-probability branches dropped.

    Dropping exact zeros keeps the chain's zero pattern exact, which the class
    decomposition relies on.
    """
    return tuple((f, w) for f, w in ((False, 1.0 - p), (True, p)) if w > 0.0)


def _intent(p: float) -> tuple[tuple[bool, float], ...]:
    return tuple((c, w) for c, w in ((True, p), (False, 1.0 - p)) if w > 0.0)


def build_chain(
    us: AutomatonStrategy,
    cn: AutomatonStrategy,
    execution_noise: float = 0.0,
    perception_noise: float = 0.0,
    start: tuple[int, int] | None = None,
) -> Chain:
    """The chain over joint states reachable from ``start`` (default: both initial states).

    Follows the same week as :class:`negotiate.ipd.ClassicGame`: intend, execute (flip with
    ``execution_noise``), perceive (each side privately flips the other's move with
    ``perception_noise``), then each automaton moves on (own executed move, seen move).
    """
    eps = _noise("execution_noise", execution_noise)
    delta = _noise("perception_noise", perception_noise)
    ex, pe = _flip(eps), _flip(delta)
    s0 = (us.initial_state, cn.initial_state) if start is None else tuple(start)
    index: dict[tuple[int, int], int] = {s0: 0}  # type: ignore[dict-item]
    order: list[tuple[int, int]] = [s0]  # type: ignore[list-item]
    rows: list[list[tuple[int, int, float]]] = []  # (outcome, next index, prob)
    k = 0
    while k < len(order):
        a, b = order[k]
        row: dict[tuple[int, tuple[int, int]], float] = {}
        for ia, wa in _intent(us.cooperate_probability(a)):
            for ib, wb in _intent(cn.cooperate_probability(b)):
                for fa, wfa in ex:
                    for fb, wfb in ex:
                        ma, mb = ia != fa, ib != fb
                        o = (0 if ma else 2) + (0 if mb else 1)
                        w_exec = wa * wb * wfa * wfb
                        for ga, wga in pe:
                            for gb, wgb in pe:
                                nxt = (us.next_state(a, ma, mb != ga), cn.next_state(b, mb, ma != gb))
                                key = (o, nxt)
                                row[key] = row.get(key, 0.0) + w_exec * wga * wgb
        entries = []
        for (o, nxt), w in row.items():
            if nxt not in index:
                index[nxt] = len(order)
                order.append(nxt)
            entries.append((o, index[nxt], w))
        rows.append(entries)
        k += 1
    n = len(order)
    by = np.zeros((4, n, n))
    for i, entries in enumerate(rows):
        for o, j, w in entries:
            by[o, i, j] += w
    return Chain(tuple(order), 0, by)


def _reach(matrix: np.ndarray) -> np.ndarray:
    """Boolean reachability (reflexive, transitive closure) by repeated squaring."""
    n = matrix.shape[0]
    r = (matrix > 0) | np.eye(n, dtype=bool)
    while True:
        r2 = (r.astype(np.int64) @ r.astype(np.int64)) > 0
        if np.array_equal(r2, r):
            return r
        r = r2


def _stationary_irreducible(p: np.ndarray) -> np.ndarray:
    n = p.shape[0]
    a = p.T - np.eye(n)
    a[-1, :] = 1.0
    rhs = np.zeros(n)
    rhs[-1] = 1.0
    pi = np.linalg.solve(a, rhs)
    pi = np.clip(pi, 0.0, None)
    return pi / pi.sum()


def cesaro_limit(matrix: np.ndarray, start: int = 0) -> np.ndarray:
    """``lim (1/N) sum_{t<N} e_start P^t`` for any finite stochastic matrix.

    Closed (recurrent) classes each get their unique stationary distribution, weighted by
    the probability of being absorbed into them from ``start`` (Kemeny & Snell 1960).
    """
    p = np.asarray(matrix, dtype=float)
    n = p.shape[0]
    reach = _reach(p)
    recurrent = np.array([np.all(reach[reach[i], i]) for i in range(n)])
    classes: list[np.ndarray] = []
    seen = np.zeros(n, dtype=bool)
    for i in range(n):
        if recurrent[i] and not seen[i]:
            members = np.flatnonzero(reach[i] & reach[:, i])
            seen[members] = True
            classes.append(members)
    transient = np.flatnonzero(~recurrent)
    if recurrent[start]:
        weights = [1.0 if start in c else 0.0 for c in classes]
    else:
        pos = {s: k for k, s in enumerate(transient)}
        q = p[np.ix_(transient, transient)]
        b = np.stack([p[np.ix_(transient, c)].sum(axis=1) for c in classes], axis=1)
        h = np.linalg.solve(np.eye(len(transient)) - q, b)
        weights = list(h[pos[start]])
    pi = np.zeros(n)
    for w, c in zip(weights, classes, strict=True):
        if w > 0.0:
            pi[c] += w * _stationary_irreducible(p[np.ix_(c, c)])
    return pi / pi.sum()


def long_run(
    us: AutomatonStrategy,
    cn: AutomatonStrategy,
    execution_noise: float = 0.0,
    perception_noise: float = 0.0,
    payoffs: Sequence[float] = DEFAULT_PAYOFFS,
) -> LongRun:
    """Exact long-run mean payoff per side, outcome shares and P(CC) of a match.

    Payoffs are averaged over weeks, i.e. over the outcome distribution of a week drawn from
    the Cesaro-limit distribution of joint states (see the module docstring).
    """
    chain = build_chain(us, cn, execution_noise, perception_noise)
    pi = cesaro_limit(chain.matrix, chain.start)
    shares = pi @ chain.outcome_probs
    r, s, t, p = (float(x) for x in payoffs)
    us_pay = float(shares @ np.array([r, s, t, p]))
    cn_pay = float(shares @ np.array([r, t, s, p]))
    return LongRun(chain, pi, shares, us_pay, cn_pay)


def discounted_payoffs(
    us: AutomatonStrategy,
    cn: AutomatonStrategy,
    w: float,
    execution_noise: float = 0.0,
    perception_noise: float = 0.0,
    payoffs: Sequence[float] = DEFAULT_PAYOFFS,
) -> tuple[float, float]:
    """Normalised expected payoffs ``(1-w) sum_t w^t E[payoff_t]`` when the game continues
    each week with probability ``w`` (Axelrod 1984's shadow of the future)."""
    if not 0.0 <= w < 1.0:
        raise ValueError(f"continuation probability w must be in [0, 1), got {w!r}")
    chain = build_chain(us, cn, execution_noise, perception_noise)
    n = len(chain.states)
    visits = np.linalg.solve((np.eye(n) - w * chain.matrix).T, np.eye(n)[chain.start])
    shares = (1.0 - w) * visits @ chain.outcome_probs
    r, s, t, p = (float(x) for x in payoffs)
    return float(shares @ np.array([r, s, t, p])), float(shares @ np.array([r, t, s, p]))


def expected_rounds_until(
    us: AutomatonStrategy,
    cn: AutomatonStrategy,
    stop: Iterable[str],
    execution_noise: float = 0.0,
    perception_noise: float = 0.0,
    history: Sequence[tuple[bool, bool]] = (),
) -> float:
    """Expected number of weeks up to and including the first whose executed outcome is in
    ``stop`` (e.g. ``{"CD", "DC", "DD"}``), after first replaying ``history`` -- a list of
    (US move, CN move) weeks seen correctly by both -- from the initial states.

    Returns ``inf`` when there is a positive chance of never stopping (TFT's echo).
    """
    stop_codes = [OUTCOMES.index(s.upper()) for s in stop]
    a, b = us.initial_state, cn.initial_state
    for ma, mb in history:
        a, b = us.next_state(a, ma, mb), cn.next_state(b, mb, ma)
    chain = build_chain(us, cn, execution_noise, perception_noise, start=(a, b))
    go_on = chain.by_outcome[[o for o in range(4) if o not in stop_codes]].sum(axis=0)
    n = go_on.shape[0]
    # Probability of ever stopping: any state that cannot stop for sure gives inf.
    stop_now = 1.0 - go_on.sum(axis=1)
    absorb = np.linalg.lstsq(np.eye(n) - go_on, stop_now, rcond=None)[0]
    reach = _reach(go_on)
    can_stop = stop_now > 1e-15
    never = ~np.array([np.any(can_stop[reach[i]]) for i in range(n)])
    if np.any(never[reach[chain.start]]) or absorb[chain.start] < 1.0 - 1e-9:
        return float("inf")
    times = np.linalg.solve(np.eye(n) - go_on, np.ones(n))
    return float(times[chain.start])


def relaxation_time(matrix: np.ndarray) -> float:
    """``1 / (1 - |lambda_2|)``: how many weeks the chain needs to forget where it was.

    Used to size batches for batch-means confidence intervals (a batch must be much longer
    than this). ``inf`` for periodic or reducible chains.
    """
    ev = np.sort(np.abs(np.linalg.eigvals(np.asarray(matrix, dtype=float))))[::-1]
    if len(ev) < 2:
        return 1.0
    gap = 1.0 - ev[1]
    return float("inf") if gap <= 1e-12 else float(1.0 / gap)


# --- Memory-one chains written out by hand (the textbook form) ------------------------


def memory_one_execution_matrix(
    p: Sequence[float], q: Sequence[float], eps: float
) -> np.ndarray:
    """4x4 chain over CC, CD, DC, DD (US first) for memory-one vectors under execution noise.

    ``p`` and ``q`` are the four-vectors P(C | own, other's last); CN reads the state from its
    own side, so its vector is applied with CD and DC swapped (Nowak & Sigmund 1990).
    Intended cooperation c becomes c(1-eps) + (1-c)eps.
    """
    q_seen = (q[0], q[2], q[1], q[3])
    m = np.zeros((4, 4))
    for i in range(4):
        x = p[i] * (1 - eps) + (1 - p[i]) * eps
        y = q_seen[i] * (1 - eps) + (1 - q_seen[i]) * eps
        m[i] = (x * y, x * (1 - y), (1 - x) * y, (1 - x) * (1 - y))
    return m


def memory_one_perception_matrix(
    p: Sequence[float], q: Sequence[float], delta: float
) -> np.ndarray:
    """16x16 chain under private perception noise for memory-one four-vectors.

    State ``4*i + j``: ``i`` is the US's (own move, seen CN move) and ``j`` is CN's (own
    move, seen US move), each coded CC, CD, DC, DD from that side.
    """
    m = np.zeros((16, 16))
    for i in range(4):
        for j in range(4):
            x, y = p[i], q[j]
            for a, wa in ((True, x), (False, 1 - x)):
                for b, wb in ((True, y), (False, 1 - y)):
                    for fa, wfa in ((False, 1 - delta), (True, delta)):
                        for fb, wfb in ((False, 1 - delta), (True, delta)):
                            ni = (0 if a else 2) + (0 if (b != fa) else 1)
                            nj = (0 if b else 2) + (0 if (a != fb) else 1)
                            m[4 * i + j, 4 * ni + nj] += wa * wb * wfa * wfb
    return m


# --- Closed forms ---------------------------------------------------------------------


def _pd(payoffs: Sequence[float]) -> tuple[float, float, float, float]:
    r, s, t, p = (float(x) for x in payoffs)
    if not (t > r > p > s):
        raise ValueError(f"a prisoner's dilemma needs T > R > P > S, got (R,S,T,P)={payoffs!r}")
    return r, s, t, p


def gtft_generosity_max(R: float, S: float, T: float, P: float) -> float:  # noqa: N803
    """Most generosity q for which GTFT still holds ALLD and alternation to at most R.

    q* = min(1 - (T-R)/(R-S), (R-P)/(T-P)) (Molander 1985; Nowak & Sigmund 1992); 1/3 at
    (3, 0, 5, 1).
    """
    r, s, t, p = _pd((R, S, T, P))
    return min(1.0 - (t - r) / (r - s), (r - p) / (t - p))


def tft_stability_threshold(R: float, S: float, T: float, P: float) -> float:  # noqa: N803
    """Smallest continuation probability w for which TFT is collectively stable.

    w >= max((T-R)/(T-P), (T-R)/(R-S)) (Axelrod 1984, Prop. 2): neither ALLD nor
    alternating D/C pays against TFT. 2/3 at (3, 0, 5, 1).
    """
    r, s, t, p = _pd((R, S, T, P))
    return max((t - r) / (t - p), (t - r) / (r - s))


def grim_threshold(R: float, S: float, T: float, P: float) -> float:  # noqa: N803
    """Smallest w for which grim trigger sustains cooperation: (T-R)/(T-P) (Friedman 1971)."""
    r, s, t, p = _pd((R, S, T, P))
    return (t - r) / (t - p)


def grim_first_run_length(eps: float) -> float:
    """Expected week of the first execution error in a GRIM pair: 1 / (1 - (1-eps)^2).

    Each week both intend C and the week stays CC with probability (1-eps)^2, so the first
    non-CC week is geometric (50.25 at eps=0.01, 10.26 at eps=0.05).
    """
    eps = _noise("eps", eps)
    if eps == 0.0:
        return float("inf")
    return 1.0 / (1.0 - (1.0 - eps) ** 2)


def trigger_punishment_share(pi: float, k: int) -> float:
    """Long-run share of weeks spent punishing under a noisy trigger: pi*k / (1 + pi*k).

    Cooperative phases last 1/pi weeks on average (a false alarm each week with
    probability pi), each followed by k punishment weeks: a renewal argument in the style
    of Green & Porter (1984). 1/6 at pi=0.05, k=4.
    """
    pi = _noise("pi", pi)
    if k < 0:
        raise ValueError(f"k must be a non-negative number of weeks, got {k!r}")
    return pi * k / (1.0 + pi * k)


def deterred(p_detect: float, sanction: float, gain: float) -> bool:
    """Inspection game: a violation is deterred iff P(detection) x sanction >= gain.

    A risk-neutral inspectee violates only if gain - p_detect * sanction > 0 (Avenhaus,
    von Stengel & Zamir 2002, "Inspection games", Handbook of Game Theory 3).
    """
    p_detect = _noise("p_detect", p_detect)
    if sanction < 0 or gain < 0:
        raise ValueError("sanction and gain must be non-negative")
    return p_detect * sanction >= gain


def wsls_alld_payoff(R: float, S: float, T: float, P: float) -> float:  # noqa: N803
    """What ALLD earns per week against WSLS: (T+P)/2 (WSLS alternates C and D against it)."""
    return (float(T) + float(P)) / 2.0


def wsls_strictly_stable(R: float, S: float, T: float, P: float) -> bool:  # noqa: N803
    """WSLS resists ALLD strictly only if 2R > T+P (Nowak & Sigmund 1993)."""
    return 2.0 * float(R) > float(T) + float(P)


# --- Comparing simulations with theory -------------------------------------------------


def batch_means_ci(
    series: np.ndarray, n_batches: int = 50, level: float = 0.99
) -> tuple[float, float]:
    """(mean, half-width) of a confidence interval for the long-run mean of a series.

    Weeks of a match are autocorrelated, so an iid interval would be too narrow. The
    series is cut into ``n_batches`` equal consecutive batches whose means are nearly
    independent when a batch is much longer than the chain's relaxation time; the
    interval is Student-t on the batch means (batch means; Law & Kelton, *Simulation
    Modeling and Analysis*, ch. 9).
    """
    from scipy.stats import t as student_t

    x = np.asarray(series, dtype=float)
    size = len(x) // n_batches
    if n_batches < 2 or size < 1:
        raise ValueError("need at least two batches of at least one value")
    batches = x[: size * n_batches].reshape(n_batches, size).mean(axis=1)
    se = batches.std(ddof=1) / np.sqrt(n_batches)
    half = float(student_t.ppf(0.5 + level / 2.0, n_batches - 1) * se)
    return float(x.mean()), half

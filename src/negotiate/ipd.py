"""The classic iterated prisoner's dilemma kernel, with execution and perception noise.

Each week both governments choose to comply (C) or defect (D); payoffs are (R, S, T, P) =
(3, 0, 5, 1) unless said otherwise (Axelrod 1984). Two noise models are kept distinct
because the literature shows they act differently on stochastic strategies:

* *execution noise* ε -- the executed move is the opposite of the intended one with
  probability ε and both sides see what was executed (the "trembling hand"; Selten 1975,
  Molander 1985, the Axelrod library's ``noise``);
* *perception noise* ε -- moves are made as intended but each side sees the other's move
  flipped with probability ε, independently and privately, so the two records of the past
  can disagree (Bendor, Kramer & Stout 1991; Wu & Axelrod 1995).

One kernel plays the game: :meth:`ClassicGame.play_rounds` plays any number of weeks from
where the game stands (:func:`play` is a fresh game in one call). It draws random numbers
in one fixed order per week -- US decision, CN decision, US execution flip, CN execution
flip, US perception flip, CN perception flip -- and only draws a number when it can matter
(a decision only when 0 < P(C) < 1, a flip only when that noise is > 0). Because numpy's
``Generator.random(n)`` yields exactly the next ``n`` values of ``Generator.random()``,
uniforms pre-drawn in blocks give the same moves as weeks played one call at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .strategies.base import AutomatonStrategy, Perception, Posture, Strategy

#: (R, S, T, P) of Axelrod's tournaments.
DEFAULT_PAYOFFS: tuple[float, float, float, float] = (3.0, 0.0, 5.0, 1.0)

#: Outcome codes, from the US side: 0 = CC, 1 = CD, 2 = DC, 3 = DD.
OUTCOMES: tuple[str, str, str, str] = ("CC", "CD", "DC", "DD")

#: Bits of a ``play(..., trace=True)`` round code; a set bit means D. The two low bits
#: are the outcome code (executed moves), so ``trace & 3`` is ``outcomes``.
TRACE_BITS: dict[str, int] = {
    "cn_executed_d": 1,
    "us_executed_d": 2,
    "us_intended_d": 4,
    "cn_intended_d": 8,
    "us_saw_d": 16,  # the US's view of CN's executed move
    "cn_saw_d": 32,  # CN's view of the US's executed move
}

SeedLike = int | np.random.SeedSequence | np.random.Generator | None


def _check_noise(name: str, value: float) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability from 0 to 1, got {value!r}")
    return value


def _check_payoffs(payoffs: Sequence[float]) -> tuple[float, float, float, float]:
    if len(payoffs) != 4:
        raise ValueError(f"payoffs must be four numbers (R, S, T, P), got {payoffs!r}")
    r, s, t, p = (float(x) for x in payoffs)
    return r, s, t, p


@dataclass(slots=True)
class WeekOutcome:
    """One week of the classic game.

    ``us_seen`` is CN's executed move as the US perceived it; ``cn_seen`` the reverse.
    Payoffs are computed from the executed moves.
    """

    us_intended: bool
    cn_intended: bool
    us_move: bool
    cn_move: bool
    us_seen: bool
    cn_seen: bool
    us_payoff: float
    cn_payoff: float


class ClassicGame:
    """Two strategies playing the noisy iterated prisoner's dilemma: the one kernel.

    :meth:`play_rounds` plays any number of weeks from where the game stands. The Mesa
    model calls it once per step (one round) when it keeps weekly tables, and once for
    the whole game when it does not; :func:`play` is a fresh game played in one call;
    :meth:`play_week` is one round as a :class:`WeekOutcome`. Strategies whose behaviour
    is their automaton tables (all the classic ones) are played on integer state tables
    with uniforms drawn in blocks; any other strategy (e.g. ``pragmatic``) decides and
    observes through its own methods. Both read the uniforms in the order given in the
    module docstring, so the moves do not depend on how the weeks are split into calls.
    """

    __slots__ = (
        "us",
        "cn",
        "payoffs",
        "execution_noise",
        "perception_noise",
        "week",
        "us_last",
        "cn_last",
        "us_seen_last",
        "cn_seen_last",
        "_us_view",
        "_cn_view",
        "_table",
        "_automata",
    )

    def __init__(
        self,
        us: Strategy,
        cn: Strategy,
        payoffs: Sequence[float] = DEFAULT_PAYOFFS,
        execution_noise: float = 0.0,
        perception_noise: float = 0.0,
    ) -> None:
        self.us = us
        self.cn = cn
        self.payoffs = _check_payoffs(payoffs)
        self.execution_noise = _check_noise("execution_noise", execution_noise)
        self.perception_noise = _check_noise("perception_noise", perception_noise)
        r, s, t, p = self.payoffs
        # Indexed by (not my_move) * 2 + (not their_move): CC, CD, DC, DD from my side.
        self._table = (r, s, t, p)
        self._automata: tuple = ()
        self.reset()

    def reset(self) -> None:
        """Start a new match: both strategies forget, week 0 comes next."""
        self.us.reset()
        self.cn.reset()
        self.week = 0
        self.us_last: bool | None = None
        self.cn_last: bool | None = None
        self.us_seen_last: bool | None = None
        self.cn_seen_last: bool | None = None
        self._us_view = Perception(week=0)
        self._cn_view = Perception(week=0)

    def payoff(self, code: int) -> tuple[float, float]:
        """(US, CN) payoffs of a round from its outcome code (``trace & 3``)."""
        table = self._table
        return table[code & 3], table[(code & 1) * 2 + (code >> 1 & 1)]

    def play_week(
        self,
        rng: np.random.Generator,
        *,
        us_error: bool = False,
        cn_error: bool = False,
    ) -> WeekOutcome:
        """Play one week and advance both strategies.

        ``us_error``/``cn_error`` force a scripted execution error this week (the executed
        move is the opposite of the intended one whatever the noise draw); the noise draws
        still happen so that a scripted error does not shift the random stream.
        """
        if us_error or cn_error:
            code = self._play_objects(1, rng, us_error, cn_error)[0]
        else:
            code = self.play_rounds(1, rng)[0][0]
        us_pay, cn_pay = self.payoff(code)
        return WeekOutcome(not code & 4, not code & 8, not code & 2, not code & 1,
                           not code & 16, not code & 32, us_pay, cn_pay)

    def play_rounds(self, rounds: int, rng: np.random.Generator) -> tuple[list[int], int | None]:
        """Play ``rounds`` weeks from where the game stands: each week's trace code
        (:data:`TRACE_BITS`) and, for the table path, how many uniforms it used (it may
        have drawn more in its last block; one round draws exactly what it uses)."""
        if _is_plain_automaton(self.us) and _is_plain_automaton(self.cn):
            return self._play_tables(rounds, rng)
        return self._play_objects(rounds, rng, False, False), None

    def _play_objects(self, rounds: int, rng: np.random.Generator, us_error: bool,
                      cn_error: bool) -> list[int]:
        codes = [0] * rounds
        us, cn = self.us, self.cn
        uv, cv = self._us_view, self._cn_view
        eps, delta = self.execution_noise, self.perception_noise
        for t in range(rounds):
            uv.week = cv.week = self.week
            uv.my_last, uv.their_last = self.us_last, self.us_seen_last
            cv.my_last, cv.their_last = self.cn_last, self.cn_seen_last
            us_int = us.decide(uv, rng).complies
            cn_int = cn.decide(cv, rng).complies
            us_move, cn_move = us_int, cn_int
            if eps > 0.0:
                if rng.random() < eps:
                    us_move = not us_move
                if rng.random() < eps:
                    cn_move = not cn_move
            if us_error:
                us_move = not us_int
            if cn_error:
                cn_move = not cn_int
            us_seen, cn_seen = cn_move, us_move
            if delta > 0.0:
                if rng.random() < delta:
                    us_seen = not us_seen
                if rng.random() < delta:
                    cn_seen = not cn_seen
            us.observe(us_move, us_seen)
            cn.observe(cn_move, cn_seen)
            self.us_last, self.cn_last = us_move, cn_move
            self.us_seen_last, self.cn_seen_last = us_seen, cn_seen
            self.week += 1
            codes[t] = ((0 if cn_move else 1) + (0 if us_move else 2) + (0 if us_int else 4)
                        + (0 if cn_int else 8) + (0 if us_seen else 16) + (0 if cn_seen else 32))
        return codes

    def _tables_now(self) -> tuple:
        us, cn = self.us, self.cn
        cached = self._automata
        if not cached or cached[0] is not us or cached[1] is not cn:
            pu, nu = _tables(us)  # type: ignore[arg-type]
            pc, nc = _tables(cn)  # type: ignore[arg-type]
            # Per-state decision kind: 1 = certain C, 0 = certain D, 2 = draw (as decide()).
            ku = [1 if p >= 1.0 else (0 if p <= 0.0 else 2) for p in pu]
            kc = [1 if p >= 1.0 else (0 if p <= 0.0 else 2) for p in pc]
            cached = self._automata = (us, cn, pu, nu, ku, pc, nc, kc)
        return cached

    def _play_tables(self, rounds: int, rng: np.random.Generator) -> tuple[list[int], int]:
        _, _, pu, nu, ku, pc, nc, kc = self._tables_now()
        us, cn = self.us, self.cn
        su, sc = us.state, cn.state  # type: ignore[attr-defined]
        eps, delta = self.execution_noise, self.perception_noise
        codes = [0] * rounds
        noise_draws = (2 if eps > 0.0 else 0) + (2 if delta > 0.0 else 0)
        need = 2 + noise_draws  # most draws a week can take
        if rounds == 1:  # exactly what this week uses, so that week-by-week play draws alike
            need = (ku[su] == 2) + (kc[sc] == 2) + noise_draws
            draw = rng.random  # one scalar at a time: cheaper than an array this small
            buf: list[float] = [draw() for _ in range(need)]
        else:
            buf = rng.random(min(_BLOCK, rounds * need)).tolist()
        i = 0
        used = 0  # uniforms consumed from earlier blocks
        n_buf = len(buf)
        a = b = seen_a = seen_b = True
        for t in range(rounds):
            if i + need > n_buf:
                buf = buf[i:] + rng.random(_BLOCK).tolist()
                used += i
                i = 0
                n_buf = len(buf)
            k = ku[su]
            if k == 2:
                a = buf[i] < pu[su]
                i += 1
            else:
                a = k == 1
            k = kc[sc]
            if k == 2:
                b = buf[i] < pc[sc]
                i += 1
            else:
                b = k == 1
            code = (0 if a else 4) + (0 if b else 8)
            if eps > 0.0:
                if buf[i] < eps:
                    a = not a
                if buf[i + 1] < eps:
                    b = not b
                i += 2
            # Codes: 2*(not own) + (not other's seen).
            ja = 0 if a else 2
            jb = 0 if b else 2
            if delta > 0.0:
                # What each side saw: the other's executed move, flipped on a hit.
                seen_a = (buf[i] < delta) != b
                seen_b = (buf[i + 1] < delta) != a
                i += 2
            else:
                seen_a, seen_b = b, a
            su = nu[4 * su + ja + (0 if seen_a else 1)]
            sc = nc[4 * sc + jb + (0 if seen_b else 1)]
            codes[t] = code + ja + (0 if b else 1) + (0 if seen_a else 16) + (0 if seen_b else 32)
        # Leave the strategies and the views where round-by-round play would leave them.
        us.state, cn.state = su, sc  # type: ignore[attr-defined]
        self.us_last, self.cn_last, self.us_seen_last, self.cn_seen_last = a, b, seen_a, seen_b
        self.week += rounds
        return codes, used + i


class ScriptedMoves(Strategy):
    """Plays a fixed sequence of moves ("CCD..." or booleans), cycling when it runs out.

    The opponent of the Axelrod library's strategy tests (its ``MockPlayer``): scripting
    one side shows exactly how a strategy answers a given history.
    """

    name = "scripted-moves"

    def __init__(self, moves: str | Sequence[bool]) -> None:
        if isinstance(moves, str):
            bad = set(moves.upper()) - {"C", "D"}
            if bad or not moves:
                raise ValueError(f"moves must be a non-empty string of C and D, got {moves!r}")
            self.moves = tuple(ch == "C" for ch in moves.upper())
        else:
            self.moves = tuple(bool(m) for m in moves)
            if not self.moves:
                raise ValueError("moves must not be empty")

    def decide(self, view: Perception, rng: np.random.Generator) -> Posture:
        move = self.moves[view.week % len(self.moves)]
        return Posture.COMPLY if move else Posture.RETALIATE

    def __repr__(self) -> str:
        return "ScriptedMoves(" + repr("".join("C" if m else "D" for m in self.moves)) + ")"


@dataclass(slots=True)
class IPDResult:
    """Summary of a match; ``outcomes`` (codes 0..3 = CC, CD, DC, DD) when asked for."""

    rounds: int
    counts: tuple[int, int, int, int]
    payoffs: tuple[float, float, float, float]
    outcomes: np.ndarray | None = field(default=None, repr=False)
    #: Per-round bit codes when played with ``trace=True`` (see :data:`TRACE_BITS`).
    trace: np.ndarray | None = field(default=None, repr=False)
    #: Uniforms the game itself used from the generator, when :func:`play` pre-drew them
    #: (automaton strategies); None when it drew round by round (nothing to rewind).
    draws: int | None = None

    @property
    def us_mean(self) -> float:
        """US mean payoff per round."""
        r, s, t, p = self.payoffs
        cc, cd, dc, dd = self.counts
        return (r * cc + s * cd + t * dc + p * dd) / self.rounds

    @property
    def cn_mean(self) -> float:
        """CN mean payoff per round."""
        r, s, t, p = self.payoffs
        cc, cd, dc, dd = self.counts
        return (r * cc + t * cd + s * dc + p * dd) / self.rounds

    @property
    def cc_share(self) -> float:
        """Share of rounds in which both executed C."""
        return self.counts[0] / self.rounds

    @property
    def us_cooperation(self) -> float:
        return (self.counts[0] + self.counts[1]) / self.rounds

    @property
    def cn_cooperation(self) -> float:
        return (self.counts[0] + self.counts[2]) / self.rounds

    @property
    def us_moves(self) -> np.ndarray:
        """Executed US moves (True = C); needs ``moves=True``."""
        return self._codes() < 2

    @property
    def cn_moves(self) -> np.ndarray:
        """Executed CN moves (True = C); needs ``moves=True``."""
        return self._codes() % 2 == 0

    def payoff_series(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-round payoffs (US, CN); needs ``moves=True``."""
        r, s, t, p = self.payoffs
        codes = self._codes()
        return (
            np.array((r, s, t, p))[codes],
            np.array((r, t, s, p))[codes],
        )

    def _codes(self) -> np.ndarray:
        if self.outcomes is None:
            raise ValueError("this result was played without moves=True")
        return self.outcomes

    def _bit(self, bit: int) -> np.ndarray:
        if self.trace is None:
            raise ValueError("this result was played without trace=True")
        return (self.trace & bit) == 0

    @property
    def us_intended(self) -> np.ndarray:
        """US moves as intended, before execution noise (True = C); needs ``trace=True``."""
        return self._bit(TRACE_BITS["us_intended_d"])

    @property
    def cn_intended(self) -> np.ndarray:
        """CN moves as intended (True = C); needs ``trace=True``."""
        return self._bit(TRACE_BITS["cn_intended_d"])

    @property
    def us_seen(self) -> np.ndarray:
        """CN's executed move as the US perceived it (True = C); needs ``trace=True``."""
        return self._bit(TRACE_BITS["us_saw_d"])

    @property
    def cn_seen(self) -> np.ndarray:
        """US's executed move as CN perceived it (True = C); needs ``trace=True``."""
        return self._bit(TRACE_BITS["cn_saw_d"])

    def as_dict(self) -> dict[str, float | int]:
        return {
            "rounds": self.rounds,
            "us_mean_payoff": self.us_mean,
            "cn_mean_payoff": self.cn_mean,
            "cc_share": self.cc_share,
            "cc": self.counts[0],
            "cd": self.counts[1],
            "dc": self.counts[2],
            "dd": self.counts[3],
        }


def _is_plain_automaton(s: Strategy) -> bool:
    """True when the strategy's behaviour is fully given by its automaton tables."""
    cls = type(s)
    return (
        isinstance(s, AutomatonStrategy)
        and cls.decide is AutomatonStrategy.decide
        and cls.observe is AutomatonStrategy.observe
    )


def _tables(s: AutomatonStrategy) -> tuple[list[float], list[int]]:
    n = s.n_states
    prob = [float(s.cooperate_probability(k)) for k in range(n)]
    # nxt[4*state + 2*(not my_move) + (not their_seen)]
    nxt = [
        s.next_state(k, my, seen) for k in range(n) for my in (True, False) for seen in (True, False)
    ]
    for k in nxt:
        if not 0 <= k < n:
            raise ValueError(f"{s!r}.next_state left its {n} states (got {k})")
    return prob, nxt


_BLOCK = 1 << 16


def play(
    us: Strategy,
    cn: Strategy,
    rounds: int,
    *,
    execution_noise: float = 0.0,
    perception_noise: float = 0.0,
    payoffs: Sequence[float] = DEFAULT_PAYOFFS,
    seed: SeedLike = 0,
    moves: bool = False,
    trace: bool = False,
) -> IPDResult:
    """Play ``rounds`` weeks of the classic game and summarise them.

    A new :class:`ClassicGame` played with :meth:`~ClassicGame.play_rounds` from
    ``np.random.default_rng(seed)``: the same moves as ``rounds`` calls of
    :meth:`ClassicGame.play_week`.

    ``seed`` may be a live ``Generator`` (e.g. a Mesa model's ``model.rng``): the moves are
    then those ``play_week`` would make from it, but the generator ends up advanced past
    the unused part of the last pre-drawn block (``draws`` in the result says how many
    uniforms the game used, so a caller can rewind it to where ``play_week`` leaves it).

    ``trace=True`` also records, per round, everything a :class:`WeekOutcome` holds: the
    intended moves, the executed moves and each side's view of the other, packed into
    one small integer a round (:data:`TRACE_BITS`; read them with ``us_intended``,
    ``cn_intended``, ``us_seen`` and ``cn_seen``). It implies ``moves=True``.
    """
    rounds = int(rounds)
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    if us is cn:
        raise ValueError("us and cn must be two separate strategy objects")
    game = ClassicGame(us, cn, payoffs, execution_noise, perception_noise)
    codes, draws = game.play_rounds(rounds, np.random.default_rng(seed))
    counts = [0, 0, 0, 0]
    for code in codes:
        counts[code & 3] += 1
    trace_codes = np.asarray(codes, dtype=np.int8) if moves or trace else None
    outcomes = trace_codes & 3 if trace_codes is not None else None
    return IPDResult(rounds, tuple(counts), game.payoffs, outcomes,  # type: ignore[arg-type]
                     trace_codes if trace else None, draws)


__all__ = [
    "DEFAULT_PAYOFFS",
    "OUTCOMES",
    "TRACE_BITS",
    "ClassicGame",
    "IPDResult",
    "ScriptedMoves",
    "WeekOutcome",
    "play",
]

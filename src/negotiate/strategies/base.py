"""Postures, what a government perceives, and the strategy interface.

A strategy chooses a *posture* (game-theoretic); ``negotiate.policy`` turns postures into
instrument changes (economic). Keeping the two apart is what lets one engine run the classic
iterated game and the full trade game.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

import numpy as np


class Posture(StrEnum):
    COMPLY = "comply"
    CONCEDE = "concede"
    SEEK_TALKS = "seek_talks"
    ACCUSE = "accuse"
    RETALIATE = "retaliate"
    ESCALATE = "escalate"

    #: A posture that keeps the terms: the 'C' of the iterated game. Accusing is a public
    #: statement, not a breach, so it counts as complying. Set on each member below: it is
    #: read several times a week, and a plain attribute costs less than a property.
    complies: bool


_BREACHES = frozenset({Posture.RETALIATE, Posture.ESCALATE})
for _posture in Posture:
    _posture.complies = _posture not in _BREACHES
del _posture


@dataclass(slots=True)
class Perception:
    """What one government knows at the start of a week.

    ``my_last`` is its own *executed* compliance (known truly); ``their_last`` is the other
    side's compliance *as this side perceived it* (through private perception noise).
    """

    week: int
    my_last: bool | None = None
    their_last: bool | None = None
    trust: float = 0.5
    pressure: float = 0.0
    leverage: float = 0.0
    agreement_in_force: bool = False
    weeks_to_lapse: int | None = None
    talks_open: bool = False
    perceived_violations_recent: int = 0


class Strategy:
    """Base of all strategies: one small class each, with its literature in the docstring."""

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    stochastic: ClassVar[bool] = False
    memory_depth: ClassVar[float] = 1
    #: True when the strategy needs moves supplied from outside (browser, seat, test).
    external: ClassVar[bool] = False
    #: False when instruments change only through the calendar (the historical replay).
    moves_instruments: ClassVar[bool] = True

    def reset(self) -> None:
        """Forget everything: called once before the first week."""

    def decide(self, view: Perception, rng: np.random.Generator) -> Posture:
        raise NotImplementedError

    def observe(self, my_move: bool, their_seen: bool) -> None:
        """Learn this week's outcome: own executed move, the other's move as perceived."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class AutomatonStrategy(Strategy):
    """A finite-state strategy for the iterated game.

    The state moves on (own executed move, other's perceived move); each state has a
    probability of cooperating. ``negotiate.theory`` builds exact Markov chains from this
    same definition, so simulation and theory cannot drift apart.
    """

    n_states: ClassVar[int] = 1
    initial_state: ClassVar[int] = 0

    def __init__(self) -> None:
        self.state = self.initial_state

    def reset(self) -> None:
        self.state = self.initial_state

    def cooperate_probability(self, state: int) -> float:
        raise NotImplementedError

    def next_state(self, state: int, my_move: bool, their_seen: bool) -> int:
        raise NotImplementedError

    def decide(self, view: Perception, rng: np.random.Generator) -> Posture:
        p = self.cooperate_probability(self.state)
        # Deterministic states draw no random number, so noise streams stay aligned.
        cooperate = p >= 1.0 or (p > 0.0 and rng.random() < p)
        return Posture.COMPLY if cooperate else Posture.RETALIATE

    def observe(self, my_move: bool, their_seen: bool) -> None:
        self.state = self.next_state(self.state, my_move, their_seen)


class MemoryOneStrategy(AutomatonStrategy):
    """A memory-one strategy given by its four-vector.

    ``four_vector`` = P(cooperate | own last, other's last) for (C,C), (C,D), (D,C), (D,D),
    the other's last move being the one this side *saw*. State 0 is the first round; states
    1..4 are CC, CD, DC, DD.
    """

    n_states = 5
    initial_state = 0
    four_vector: ClassVar[tuple[float, float, float, float]] = (1.0, 1.0, 1.0, 1.0)
    first_move: ClassVar[float] = 1.0

    def vector(self) -> tuple[float, float, float, float]:
        return self.four_vector

    def cooperate_probability(self, state: int) -> float:
        return self.first_move if state == 0 else self.vector()[state - 1]

    def next_state(self, state: int, my_move: bool, their_seen: bool) -> int:
        return 1 + (0 if my_move else 2) + (0 if their_seen else 1)

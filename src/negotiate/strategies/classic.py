"""The classic strategies of the iterated prisoner's dilemma.

Each is the strategy as published; in the trade game a 'C' becomes the ``comply`` posture and
a 'D' the ``retaliate`` posture.
"""

from __future__ import annotations

from typing import ClassVar

from .base import AutomatonStrategy, MemoryOneStrategy


class TitForTat(MemoryOneStrategy):
    """Tit for tat: cooperate first, then copy the other's last (perceived) move.

    Rapoport's entry, winner of both of Axelrod's tournaments (Axelrod 1980; *The
    Evolution of Cooperation*, 1984). Under noise a single error echoes as alternating
    defections forever (Molander 1985).
    """

    name = "tft"
    aliases = ("tit_for_tat", "tit-for-tat")
    four_vector = (1.0, 0.0, 1.0, 0.0)


class GenerousTitForTat(MemoryOneStrategy):
    """Generous tit for tat: like TFT, but forgive a defection with probability q.

    Molander 1985; Nowak & Sigmund 1992 ("Tit for tat in heterogeneous populations",
    *Nature* 355). The most generosity that still resists exploitation is
    q* = min(1 - (T-R)/(R-S), (R-P)/(T-P)), 1/3 at (3, 0, 5, 1).
    """

    name = "gtft"
    aliases = ("generous_tft", "generous-tit-for-tat")
    stochastic = True

    def __init__(self, generosity: float = 1 / 3) -> None:
        super().__init__()
        self.generosity = float(generosity)

    def vector(self) -> tuple[float, float, float, float]:
        q = self.generosity
        return (1.0, q, 1.0, q)

    def __repr__(self) -> str:
        return f"GenerousTitForTat(generosity={self.generosity:g})"


class GrimTrigger(MemoryOneStrategy):
    """Grim trigger as a memory-one rule: cooperate only after mutual cooperation.

    Friedman 1971 ("A non-cooperative equilibrium for supergames", *Rev. Econ. Stud.* 38)
    defines grim trigger over the whole history: defect for ever after any defection. This
    catalogue entry is its memory-one form (1, 0, 0, 0), as in Axelrod 1984 and the
    memory-one literature, so that ``theory`` can treat it as a four-vector. The two differ
    under noise: from mutual defection a double execution error gives C/C, after which the
    memory-one rule cooperates again, and its own trembled D also triggers it. For the
    history-wide rule that only the other's defection triggers, see :class:`Grudger`.
    """

    name = "grim"
    aliases = ("grim_trigger", "grim-trigger")
    four_vector = (1.0, 0.0, 0.0, 0.0)


class WinStayLoseShift(MemoryOneStrategy):
    """Win-stay, lose-shift (Pavlov): repeat a move that paid R or T, switch after S or P.

    Nowak & Sigmund 1993 ("A strategy of win-stay, lose-shift that outperforms tit-for-tat
    in the Prisoner's Dilemma game", *Nature* 364). After one error a WSLS pair is back to
    mutual cooperation in two rounds (CD -> DD -> CC).
    """

    name = "wsls"
    aliases = ("pavlov", "win_stay_lose_shift")
    four_vector = (1.0, 0.0, 0.0, 1.0)


class AlwaysComply(MemoryOneStrategy):
    """Always cooperate (ALLC): the unconditional co-operator of Axelrod 1984."""

    name = "allc"
    aliases = ("always_comply", "always_cooperate", "cooperator")
    four_vector = (1.0, 1.0, 1.0, 1.0)
    memory_depth = 0


class AlwaysEscalate(MemoryOneStrategy):
    """Always defect (ALLD): the unconditional defector of Axelrod 1984.

    In the trade game its defection is ``retaliate``; against WSLS it averages (T+P)/2.
    """

    name = "alld"
    aliases = ("always_escalate", "always_defect", "defector")
    four_vector = (0.0, 0.0, 0.0, 0.0)
    memory_depth = 0
    first_move = 0.0


class ContriteTitForTat(AutomatonStrategy):
    """Contrite tit for tat: TFT that accepts punishment for its own mistakes.

    This is the standing automaton of Sugden 1986 (*The Economics of Rights, Co-operation
    and Welfare*) and Boyd 1989 ("Mistakes allow evolutionary stability in the repeated
    prisoner's dilemma game", *J. Theor. Biol.* 136), the form Wu & Axelrod 1995 tested
    ("How to cope with noise in the iterated prisoner's dilemma", *J. Conflict Resolution*
    39), not a memory-one rule. Each side keeps a standing, good or bad: a player who
    cooperates is in good standing; one who defects against a player in good standing
    falls into bad standing. CTFT defects only when it is in good
    standing and the other is not. States: 0 = both good, 1 = me bad, 2 = them bad,
    3 = both bad (from this player's own, possibly mistaken, record).
    """

    name = "ctft"
    aliases = ("contrite_tft", "contrite-tit-for-tat")
    memory_depth = float("inf")
    n_states: ClassVar[int] = 4
    initial_state: ClassVar[int] = 0

    @staticmethod
    def _standing(state: int) -> tuple[bool, bool]:
        return state in (0, 2), state in (0, 1)

    def cooperate_probability(self, state: int) -> float:
        me_good, them_good = self._standing(state)
        return 0.0 if (me_good and not them_good) else 1.0

    def next_state(self, state: int, my_move: bool, their_seen: bool) -> int:
        me_good, them_good = self._standing(state)
        me_next = my_move or not them_good
        them_next = their_seen or not me_good
        return (0 if me_next else 1) + (0 if them_next else 2)


class Grudger(AutomatonStrategy):
    """Grudger: cooperate until the other defects once, then defect for ever.

    The history-wide "never forgives" rule: Axelrod's first tournament entry by James
    Friedman (Axelrod 1980, "Effective choice in the prisoner's dilemma", *J. Conflict
    Resolution* 24; Axelrod 1984), the grim trigger of Friedman 1971 as a player rather
    than a memory-one approximation (compare :class:`GrimTrigger`). Only the other side's
    *perceived* defection triggers it, never its own trembled move, and nothing ends the
    grudge. States: 0 = no grudge, 1 = grudge held.
    """

    name = "grudger"
    aliases = ("grudge", "never_forgive", "never-forgive")
    n_states: ClassVar[int] = 2
    initial_state: ClassVar[int] = 0

    def cooperate_probability(self, state: int) -> float:
        return 1.0 if state == 0 else 0.0

    def next_state(self, state: int, my_move: bool, their_seen: bool) -> int:
        return 1 if state == 1 or not their_seen else 0

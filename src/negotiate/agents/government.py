"""The two governments: instruments, a strategy, trust, pressure and perceptions.

Each week a government first *decides* (:meth:`Government.decide`: a posture, an accusation,
a request for talks) and then *acts* (:meth:`Government.act`: execution noise, then its
instruments move). A human seat decides only through its submitted move: nothing is
inferred in its name (docs/architecture.md, "Human seats").
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mesa

from .. import moves as move_rules
from ..policy import Instruments, Steps, Terms, translate
from ..strategies import Perception, Posture, Strategy

if TYPE_CHECKING:
    from ..model import TradeModel
    from ..moves import Move

# Trust moves up a little with each week the other side is seen to comply and falls
# sharply on a perceived breach: trust is "slow to build, quick to lose" (Slovic 1993).
TRUST_GAIN = 0.10
TRUST_LOSS = 0.25
TRUST_HIT_WHEN_ACCUSED = 0.05
RECENT_WEEKS = 4
_SHOCKS = {Posture.ESCALATE: "escalation", Posture.RETALIATE: "retaliation"}
# Postures an AI side accuses with (after a perceived breach), and those the log records.
_HOSTILE = frozenset({Posture.ACCUSE, Posture.RETALIATE, Posture.ESCALATE})
_LOGGED = frozenset({Posture.RETALIATE, Posture.ESCALATE, Posture.CONCEDE})
# Executed as intended, these move no market and log nothing (the common week).
_QUIET = frozenset(p for p in Posture if p.complies and p not in _LOGGED)
_ACCUSE, _COMPLY, _RETALIATE, _SEEK_TALKS = (Posture.ACCUSE, Posture.COMPLY, Posture.RETALIATE,
                                             Posture.SEEK_TALKS)


@dataclass(frozen=True, slots=True)
class NoiseChange:
    """One instrument a human side set that execution noise changed this week."""

    instrument: str
    intended: Any
    executed: Any


class Government(mesa.Agent):
    """The United States or China."""

    def __init__(self, model: TradeModel, side: str, strategy: Strategy,
                 instruments: Instruments, trust: float, steps: Steps) -> None:
        super().__init__(model)
        self.side = side
        #: How the log names the other side in an accusation.
        self.accused_name = "CN" if side == "us" else "US"
        self.strategy = strategy
        self.instruments = instruments
        self.steps = steps
        self.trust = float(trust)
        self.pressure = 0.0
        self.leverage = 0.0
        self.intended = Posture.COMPLY
        self.posture = Posture.COMPLY
        self.complied = True
        self.complied_last: bool | None = None
        self.seen_other: bool | None = None
        self.seen_history: deque[bool] = deque(maxlen=RECENT_WEEKS)
        self.complied_history: deque[bool] = deque(maxlen=RECENT_WEEKS)
        self.calendar_breach = False
        self.welfare = 0.0
        self.welfare_total = 0.0
        self.accusations = 0
        self.false_accusations = 0
        self.ai_moved = False
        self.noise_changes: tuple[NoiseChange, ...] = ()
        # One view, brought up to date each week: a new one every week costs more.
        self._view = Perception(week=0)
        strategy.reset()

    @property
    def other(self) -> Government:
        return self.model.cn if self.side == "us" else self.model.us

    @property
    def human(self) -> bool:
        """True for a seat whose moves come from outside (a player, a classroom seat)."""
        return self.strategy.external

    @property
    def tariff_headline(self) -> float:
        return self.instruments.tariff_headline

    @property
    def tariff_average(self) -> float:
        return self.instruments.tariff_average

    @property
    def tech_curbs(self) -> float:
        return self.instruments.tech_curbs

    def perception(self, week: int | None = None) -> Perception:
        """What this government knows at the start of ``week`` (the model's week if not given).

        The same object each week, brought up to date: a strategy reads it in ``decide``
        and keeps nothing of it.
        """
        model = self.model
        if week is None:
            week = model.week
        agreement = model.truces.current
        view = self._view
        view.week = week
        view.my_last = self.complied_last
        view.their_last = self.seen_other
        view.trust = self.trust
        view.pressure = self.pressure
        view.leverage = self.leverage
        view.agreement_in_force = agreement is not None
        view.weeks_to_lapse = None if agreement is None else agreement.end_week - week
        view.talks_open = model.talks_this_week
        view.perceived_violations_recent = self.seen_history.count(False)
        return view

    # ------------------------------------------------------------------ the week
    def decide(self, view: Perception, move: Move | None, week: int) -> None:
        """Choose this week's posture; accuse and ask for talks as that posture says.

        An AI side accuses when it answers a perceived breach with a hostile posture. A human
        side accuses only when its move says so.
        """
        model, strategy = self.model, self.strategy
        if strategy.external:
            if move is not None:
                strategy.submit(move_rules.posture_of(move, self.instruments,
                                                      model.truces.terms, self.steps))
            intended = self.intended = strategy.decide(view, model.rng)
            self.ai_moved = move is None
            if self.ai_moved:
                model.log.add(week, self.side, "ai_move", f"AI chose {intended.value}")
            # The posture "accuse" is itself the public statement, as the accuse flag is.
            if move is not None and (move.accuse or move.posture is _ACCUSE):
                self.accuse(week, "accused on its own judgement")
        else:
            intended = self.intended = strategy.decide(view, model.rng)
            if view.their_last is False and intended in _HOSTILE:
                # _value_: the member's documented value, read as a plain attribute (.value is
                # a Python-level property)
                self.accuse(week, f"{intended._value_}: saw a breach last week")
        if intended is _SEEK_TALKS:
            model.request_talks(self.side, week)

    def act(self, move: Move | None, terms: Terms | None, week: int) -> None:
        """Carry out the decision: execution noise, then the instruments move."""
        self.noise_changes = ()
        strategy = self.strategy
        if strategy.external:
            self._act_as_human(move, terms, week)
            return
        posture = self.intended
        if strategy.moves_instruments:
            # The record is the executed move: a scripted side has no trembling hand.
            posture = self._trembled(posture)
            translate(self.instruments, posture, terms, self.steps)
        self._executed(posture, week, True)

    def _trembled(self, posture: Posture) -> Posture:
        """Execution noise: the posture goes out as its opposite with the scenario's chance."""
        model = self.model
        noise = model.execution_noise
        if noise > 0.0 and model.rng.random() < noise:
            return _RETALIATE if posture.complies else _COMPLY
        return posture

    def _act_as_human(self, move: Move | None, terms: Terms | None, week: int) -> None:
        if move is not None and move.sets_instruments:
            self._act_on_move(move, terms, week)
            return
        posture = intended = self.intended
        if self.strategy.moves_instruments:
            posture = self._trembled(intended)
            if posture is not intended and move is not None:
                self.noise_changes = (NoiseChange("posture", intended.value, posture.value),)
                self.model.log.add(week, self.side, "execution_noise",
                                   f"posture: intended {intended.value}, went out as "
                                   f"{posture.value}", real=True)
            translate(self.instruments, posture, terms, self.steps)
        declared = move is None or (move.posture is not None and not self.noise_changes)
        self._executed(posture, week, declared)

    def _act_on_move(self, move: Move, terms: Terms | None, week: int) -> None:
        """A human's instruments, each through its own trembling hand (docs/ODD.md)."""
        model = self.model
        executed, changes = move_rules.tremble(move, self.instruments, terms, self.steps,
                                               model.execution_noise, model.rng)
        self.noise_changes = changes
        for change in changes:
            model.log.add(week, self.side, "execution_noise",
                          f"{move_rules.FIELD_LABELS[change.instrument]}: intended "
                          f"{move_rules.show(change.intended)}, went out as "
                          f"{move_rules.show(change.executed)}", real=True)
        posture = self.intended
        if changes:
            posture = move_rules.posture_of(executed, self.instruments, terms, self.steps)
        move_rules.apply_instruments(self.instruments, executed)
        self._executed(posture, week, move.posture is not None and not changes)

    def _executed(self, posture: Posture, week: int, log_posture: bool) -> None:
        # The executed posture is the record; unless the week is quiet (_QUIET), the market
        # hears of it and the log may record it.
        self.posture = posture
        if posture is self.intended and posture in _QUIET:
            return
        model = self.model
        if posture is not self.intended or not posture.complies:
            kind = _SHOCKS.get(posture)
            if kind:
                model.market.shock(kind)
        if posture is Posture.CONCEDE:
            model.market.shock("concession")
        # A human side's posture is logged only when the player named one: a posture read
        # off its instruments is not something it declared.
        if log_posture and posture in _LOGGED:
            model.log.add(week, self.side, "posture", posture._value_,  # as in decide
                          real=posture.complies, perceived=None)

    def agency_move(self, week: int, rate: float, terms: Terms) -> None:
        """A real breach nobody at the top chose: an agency acts on its own during a truce.

        In 2025 both sides' 'violations' were mostly non-tariff moves made while a truce held
        (facts §1.3). Bureaucratic politics (Allison 1971) makes such moves likely even when
        leaders mean to comply. Only an AI side that complies has agencies acting alone.
        """
        strategy = self.strategy
        if (rate <= 0.0 or not strategy.moves_instruments or strategy.external
                or not self.posture.complies):
            return
        model = self.model
        if model.rng.random() >= rate:
            return
        inst = self.instruments
        if self.side == "us":
            inst.raise_curbs(0.25)
            what = "an agency tightens a tech curb on its own"
        else:
            inst.controls_active = True
            # max(0.0, min(rate, floor) - 0.15), written out
            rate, floor = inst.approval_rate, terms.approval_floor
            rate = (floor if floor < rate else rate) - 0.15
            inst.approval_rate = rate if rate > 0.0 else 0.0
            what = "licence reviews slow down below the agreed floor"
        self.calendar_breach = True  # a real breach, whatever the posture said
        model.market.shock("retaliation", 0.5)
        model.log.add(week, self.side, "agency_move", what, real=True)

    def record(self, complied: bool, seen_other: bool) -> None:
        """This week's truth about this side and its view of the other; trust follows."""
        self.complied = self.complied_last = complied
        self.seen_other = seen_other
        self.seen_history.append(seen_other)
        self.complied_history.append(complied)
        self.trust = trust_after(self.trust, seen_other)

    def accuse(self, week: int, why: str, *, real: bool | None = None) -> None:
        """Accuse the other side in public (real when it did breach last week)."""
        accused = self.other
        if real is None:
            real = accused.complied_last is False
        self.note_accusation(week, why, real)
        accused.trust = trust_when_accused(accused.trust)

    def note_accusation(self, week: int, why: str, real: bool) -> None:
        """The accuser's side of an accusation: counts, the recent window, mood, the log
        (the accused's trust falls by :func:`trust_when_accused`)."""
        model = self.model
        self.accusations += 1
        if not real:
            self.false_accusations += 1
        model.accusation_weeks.append(week)
        model.market.shock("accusation")
        model.log.add(week, self.side, "accusation", f"accuses {self.accused_name} of breaching: {why}",
                      real=real, perceived=True)


def trust_after(trust: float, seen_complied: bool) -> float:
    """Trust after a week in which the other side was seen to comply (or not)."""
    if seen_complied:
        return trust + TRUST_GAIN * (1.0 - trust)
    return trust - TRUST_LOSS * trust


def trust_when_accused(trust: float) -> float:
    trust -= TRUST_HIT_WHEN_ACCUSED
    return trust if trust > 0.0 else 0.0  # max(0.0, trust), written out

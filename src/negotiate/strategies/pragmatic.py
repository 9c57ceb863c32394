"""The calibrated default for the trade game."""

from __future__ import annotations

import numpy as np

from .base import Perception, Posture, Strategy


class Pragmatic(Strategy):
    """Pragmatic: lenient, pressure-driven reciprocity with verbal warnings first.

    Built from three findings. Two-level games (Putnam 1988, *Int. Org.* 42): what a
    government will concede depends on domestic pressure, so high pain at home makes it seek
    talks and concede. Tacit bargaining under imperfect information (Downs & Rocke 1990,
    *Tacit Bargaining, Arms Races, and Arms Control*): when violations are seen through
    noise, answering a first suspected breach with a warning instead of punishment keeps
    cooperation alive. Leniency pays where cooperation is sustainable (Fudenberg, Rand &
    Dreber 2012, *AER* 102): it punishes only when trust is low or breaches repeat.

    ``hawkishness`` in [0, 1] is the chance per week of pressing an advantage when there is
    no agreement and this side has more leverage than pain; the 2025 calendar shows both
    sides did so in April and October. ``forgiveness`` is the chance of answering a perceived
    breach with compliance anyway, which ends retaliation echoes as generous TFT does
    (Nowak & Sigmund 1992); pain above ``pain_limit`` sends a government to the table
    whatever it perceives (as the 5 June 2025 call followed the magnet shortage).

    De-escalation is reachable from any state, so that noise does not ratchet the
    instruments up (issue 10): when it has just seen the other side comply and its trust is
    at least ``reconcile_trust``, it makes a small unilateral concession with chance
    ``reconciliation`` a week, the graduated, reciprocated tension reduction of Osgood (1962,
    *An Alternative to War or Surrender*; GRIT), which Lindskold (1978, *Psychol. Bull.* 85)
    found to draw reciprocation in experiments. Retaliation after trembles and perceived
    breaches pushes the instruments up; these concessions pull them back down.
    """

    name = "pragmatic"
    aliases = ("default", "calibrated")
    stochastic = True
    memory_depth = 4
    pain_limit = 0.7
    #: Trust needed before a side concedes without being pressed: above the scenarios'
    #: starting trust (0.4-0.45), so a side first needs a run of observed compliance.
    reconcile_trust = 0.5
    #: Weekly chance of that concession: about one in ten calm weeks, five times the rate of
    #: the trembles (noise.execution = 0.02) it has to undo.
    reconciliation = 0.2

    def __init__(self, hawkishness: float = 0.1, talks_pressure: float = 0.45,
                 forgiveness: float = 0.25) -> None:
        self.hawkishness = float(hawkishness)
        self.talks_pressure = float(talks_pressure)
        self.forgiveness = float(forgiveness)

    def decide(self, view: Perception, rng: np.random.Generator) -> Posture:
        draw = rng.random()
        pressure, talks_open = view.pressure, view.talks_open
        if pressure >= self.pain_limit:
            return Posture.CONCEDE if talks_open else Posture.SEEK_TALKS
        if view.their_last is False:
            if view.perceived_violations_recent >= 2 or view.trust < 0.35:
                if draw < self.forgiveness:
                    return Posture.COMPLY
                if view.leverage > pressure and draw > 1.0 - self.hawkishness:
                    return Posture.ESCALATE
                return Posture.RETALIATE
            return Posture.ACCUSE
        if pressure >= self.talks_pressure:
            return Posture.CONCEDE if talks_open else Posture.SEEK_TALKS
        pressing = not view.agreement_in_force and view.leverage > pressure + 0.1
        if pressing and draw < self.hawkishness:
            return Posture.ESCALATE
        # The top of the draw, so that the hawkish bottom and this never overlap.
        if view.trust >= self.reconcile_trust and draw >= 1.0 - self.reconciliation:
            return Posture.CONCEDE
        return Posture.COMPLY

    def __repr__(self) -> str:
        return f"Pragmatic(hawkishness={self.hawkishness:g}, forgiveness={self.forgiveness:g})"

"""Agreements with lapse and snapback; monitoring of compliance through noise."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .policy import Terms


@dataclass
class Agreement:
    """A truce: terms, a start, a duration and what snaps back when it lapses."""

    name: str
    terms: Terms
    start_week: int
    end_week: int
    suspended_us: float  # headline points that return on lapse
    suspended_cn: float
    extensions: int = 0

    @property
    def weeks(self) -> int:
        return self.end_week - self.start_week


@dataclass
class TruceBook:
    current: Agreement | None = None
    history: list[Agreement] = field(default_factory=list)
    snapback_weeks: list[int] = field(default_factory=list)
    lapse_weeks: list[int] = field(default_factory=list)

    def sign(self, agreement: Agreement) -> None:
        self.current = agreement
        self.history.append(agreement)

    def extend(self, weeks: int) -> None:
        assert self.current is not None
        self.current.end_week += weeks
        self.current.extensions += 1

    def lapse(self, week: int, snapped: bool) -> Agreement | None:
        ended, self.current = self.current, None
        self.lapse_weeks.append(week)
        if snapped:
            self.snapback_weeks.append(week)
        return ended

    @property
    def terms(self) -> Terms | None:
        return None if self.current is None else self.current.terms


def perceive(truth: bool, noise: float, rng: np.random.Generator) -> bool:
    """The other side's compliance as one side sees it: flipped with probability ``noise``."""
    if noise <= 0.0:
        return truth
    return (not truth) if rng.random() < noise else truth


def consult(seen: bool, truth: bool, committee_noise: float, rng: np.random.Generator) -> bool:
    """A joint monitoring committee re-checks a perceived breach before anyone acts on it.

    The committee sees through less noise (London agenda, June 2025); a breach it cannot
    confirm is cleared, so a false alarm needs two independent errors.
    """
    if seen:
        return True
    return perceive(truth, committee_noise, rng)

"""The two governments: instruments, a strategy, trust, pressure and perceptions."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import mesa

from ..policy import Instruments
from ..strategies import Perception, Posture, Strategy

if TYPE_CHECKING:
    from ..model import TradeModel

# Trust moves up a little with each week the other side is seen to comply and falls
# sharply on a perceived breach: trust is "slow to build, quick to lose" (Slovic 1993).
TRUST_GAIN = 0.10
TRUST_LOSS = 0.25
TRUST_HIT_WHEN_ACCUSED = 0.05
RECENT_WEEKS = 4


class Government(mesa.Agent):
    """The United States or China."""

    def __init__(self, model: TradeModel, side: str, strategy: Strategy,
                 instruments: Instruments, trust: float) -> None:
        super().__init__(model)
        self.side = side
        self.strategy = strategy
        self.instruments = instruments
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
        strategy.reset()

    @property
    def other(self) -> Government:
        return self.model.cn if self.side == "us" else self.model.us

    @property
    def posture_name(self) -> str:
        return self.posture.value

    @property
    def tariff_headline(self) -> float:
        return self.instruments.tariff_headline

    @property
    def tariff_average(self) -> float:
        return self.instruments.tariff_average

    @property
    def tech_curbs(self) -> float:
        return self.instruments.tech_curbs

    def perception(self) -> Perception:
        """What this government knows at the start of the week."""
        model = self.model
        agreement = model.truces.current
        return Perception(
            week=model.week,
            my_last=self.complied_last,
            their_last=self.seen_other,
            trust=self.trust,
            pressure=self.pressure,
            leverage=self.leverage,
            agreement_in_force=agreement is not None,
            weeks_to_lapse=None if agreement is None else agreement.end_week - model.week,
            talks_open=model.talks_this_week,
            perceived_violations_recent=sum(1 for seen in self.seen_history if not seen),
        )

    def update_trust(self, seen_complied: bool) -> None:
        if seen_complied:
            self.trust += TRUST_GAIN * (1.0 - self.trust)
        else:
            self.trust -= TRUST_LOSS * self.trust

    def accused(self) -> None:
        self.trust = max(0.0, self.trust - TRUST_HIT_WHEN_ACCUSED)

"""The rare-earth magnet market (two price regimes) and a market-mood indicator."""

from __future__ import annotations

from dataclasses import dataclass

# Equity moves on 2025 news (facts §2.9): Geneva S&P +3.26 %, the 10 Oct threat -2.71 %,
# the EDA-curb reports about -1 % on the day for the broad index (Cadence -10.7 %).
MOOD_SHOCKS = {
    "agreement": 3.3,
    "extension": 1.0,
    "call": 1.0,
    "concession": 0.5,
    "accusation": -0.7,
    "retaliation": -1.0,
    "escalation": -2.7,
    "lapse": -1.5,
    "snapback": -2.0,
}


@dataclass
class Market:
    """Prices in $/kg of NdPr-oxide equivalent, and mood in cumulative equity-% points.

    Outside China, contract volumes trade near the Chinese price plus a modest premium, while
    a thin spot market can show a large premium as the shortage deepens (Adamas
    Intelligence's caveat in facts §2.5). ``blocked_share`` is kept for the log and for
    scenarios that model the inside price explicitly.
    """

    price_reference: float
    contract_premium: float
    spot_premium_max: float
    mood_decay: float
    price_china: float = 0.0
    price_contract: float = 0.0
    price_spot: float = 0.0
    mood: float = 0.0
    news: float = 0.0

    def __post_init__(self) -> None:
        self.price_china = self.price_reference
        self.price_contract = self.price_reference * (1 + self.contract_premium)
        self.price_spot = self.price_contract

    def shock(self, kind: str, scale: float = 1.0) -> None:
        self.news += MOOD_SHOCKS.get(kind, 0.0) * scale

    def update(self, shortage: float, blocked_share: float) -> None:
        """``shortage``: share of outside demand unmet; ``blocked_share``: exports held back."""
        shortage = min(1.0, max(0.0, shortage))
        # NdPr, the bulk of magnet value, was never under licence and its price inside China
        # rose in 2025 (facts §2.5): blocked heavy-RE exports do not push it down.
        self.price_china = self.price_reference
        # Contract volumes traded near Chinese prices (Europe ~5 % below in July 2025); the
        # shortage premium lives in the thin spot market.
        self.price_contract = self.price_china * (1.0 + self.contract_premium)
        self.price_spot = self.price_china * (
            1.0 + self.contract_premium + self.spot_premium_max * shortage ** 0.5
        )
        self.mood = self.mood_decay * self.mood + self.news
        self.news = 0.0

    @property
    def price_pain(self) -> float:
        """0 at normal prices, 1 when the spot premium is at its maximum."""
        if self.spot_premium_max <= 0:
            return 0.0
        normal = self.price_reference * (1 + self.contract_premium)
        return min(1.0, max(0.0, (self.price_spot / normal - 1.0) / self.spot_premium_max))

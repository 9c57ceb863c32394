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


# Magnet content by weight that prices the two indices into a magnet's rare-earth cost:
# NdFeB is roughly 30 % Nd+Pr; a heavy-bearing grade a few per cent Dy+Tb (a guess, as in
# agents/firm.py; the facts give no average grade).
NDPR_CONTENT = 0.30
DYTB_CONTENT = 0.04
# A magnet rare-earth cost twice its normal level is full price pain (a guess).
FULL_PAIN_RISE = 1.0


@dataclass
class Market:
    """Two price indices in $/kg, and mood in cumulative equity-% points.

    *Light* (NdPr oxide): never under licence; inside China it is set by China's own supply
    policy (the MIIT quantity controls, facts §1.2), here the level ``price_china``.
    *Heavy* (Dy/Tb oxide blend): the controls act on it. Outside China, contract volumes trade
    near the Chinese price plus a modest premium, while a thin spot market can show a large
    premium (Adamas Intelligence's caveat, facts §2.5): the light spot premium grows with the
    share of demand unmet, the heavy one with the share of exports held back by licensing.
    Non-China supply sells at ``price_nonchina`` (the MP-DoD $110/kg NdPr floor, §2.6) when
    that is above the contract price, so diversification costs firms money.
    """

    price_reference: float
    contract_premium: float
    spot_premium_max: float
    mood_decay: float
    price_heavy_reference: float = 224.0
    price_nonchina: float = 110.0
    nonchina_share_normal: float = 0.0  # the share bought outside China before any shock
    price_china: float = 0.0
    price_contract: float = 0.0
    price_spot: float = 0.0
    price_heavy_contract: float = 0.0
    price_heavy_spot: float = 0.0
    price_pain: float = 0.0
    mood: float = 0.0
    news: float = 0.0

    @classmethod
    def from_scenario(cls, s) -> Market:
        return cls(s.market_price_china, s.market_contract_premium, s.market_spot_premium_max,
                   s.market_mood_decay, s.market_price_heavy, s.market_price_nonchina,
                   1.0 - s.firms_china_share)

    def __post_init__(self) -> None:
        self.update(0.0, 0.0, self.nonchina_share_normal)
        self.mood = 0.0

    def shock(self, kind: str, scale: float = 1.0) -> None:
        self.news += MOOD_SHOCKS.get(kind, 0.0) * scale

    def update(self, shortage: float, blocked_share: float, nonchina_share: float = 0.0) -> None:
        """``shortage``: share of outside demand unmet; ``blocked_share``: exports held back;
        ``nonchina_share``: share of this week's receipts bought outside China."""
        # Worked in locals and written once each, clamps written out as min(1, max(0, x))
        # (the market updates every week).
        if not 0.0 < shortage < 1.0:
            shortage = 1.0 if shortage >= 1.0 else 0.0
        blocked = blocked_share if 0.0 < blocked_share < 1.0 else (1.0 if blocked_share >= 1.0 else 0.0)
        # NdPr was never under licence and its price inside China rose in 2025 (facts §2.5):
        # blocked heavy-RE exports do not push it down.
        china = self.price_reference
        premium, spot_max = 1.0 + self.contract_premium, self.spot_premium_max
        contract = china * premium
        spot = contract + china * spot_max * shortage ** 0.5
        heavy_reference = self.price_heavy_reference
        heavy_contract = heavy_reference * premium
        heavy_spot = heavy_contract + heavy_reference * spot_max * blocked ** 0.5
        self.price_china, self.price_contract, self.price_spot = china, contract, spot
        self.price_heavy_contract, self.price_heavy_spot = heavy_contract, heavy_spot
        # What a kilogram of magnet's rare earths costs firms this week against normal: the
        # unmet share of light demand and the blocked share of heavy buy on the spot market,
        # the non-China share pays the non-China price.
        nonchina = self.price_nonchina
        light_other = nonchina if nonchina > contract else contract  # max(contract, nonchina)
        light = ((1.0 - nonchina_share) * contract + nonchina_share * light_other
                 + shortage * (spot - contract))
        heavy = heavy_contract + blocked * (heavy_spot - heavy_contract)
        usual = self.nonchina_share_normal
        normal = (NDPR_CONTENT * ((1.0 - usual) * contract + usual * light_other)
                  + DYTB_CONTENT * heavy_contract)
        paid = NDPR_CONTENT * light + DYTB_CONTENT * heavy
        pain = (paid / normal - 1.0) / FULL_PAIN_RISE
        self.price_pain = 1.0 if pain > 1.0 else (pain if pain > 0.0 else 0.0)
        self.mood = self.mood_decay * self.mood + self.news
        self.news = 0.0

"""Negotiation rounds: alternating offers over a small agenda.

A round follows Rubinstein's (1982) alternating-offers protocol, truncated to a few
exchanges within one week: the proposer offers, the responder accepts or counters. Each
side concedes toward the other's ideal faster the more pain it feels at home (Zeuthen's
principle: the side with less to lose from breakdown concedes less; Putnam's two-level
game: domestic pressure shifts the win-set).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from .policy import LICENCE_KINDS, Terms

AGENDA = ("us_tariff_cap", "cn_tariff_cap", "approval_floor", "review_cap", "curb_cap",
          "licence_kind", "weeks")


@dataclass(frozen=True, slots=True)
class Offer:
    """A proposed agreement. Tariff caps are headline points; curb_cap bounds U.S. curbs."""

    us_tariff_cap: float
    cn_tariff_cap: float
    approval_floor: float
    review_cap: float
    curb_cap: float
    licence_kind: str = "temporary"
    weeks: int = 13

    def terms(self) -> Terms:
        return Terms(self.us_tariff_cap, self.cn_tariff_cap, self.approval_floor,
                     self.review_cap, self.curb_cap, self.licence_kind)

    def as_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        return (f"US tariff <= {self.us_tariff_cap:.0f}, CN tariff <= {self.cn_tariff_cap:.0f}, "
                f"approvals >= {self.approval_floor:.0%}, review <= {self.review_cap:.0f} wk, "
                f"US curbs <= {self.curb_cap:.2f}, {self.licence_kind} licences, {self.weeks} wk")


OFFER_BOUNDS = {
    "us_tariff_cap": (0.0, 200.0),
    "cn_tariff_cap": (0.0, 200.0),
    "approval_floor": (0.0, 1.0),
    "review_cap": (0.0, 52.0),
    "curb_cap": (0.0, 1.0),
    "weeks": (1, 156),
}


def _kind_score(kind: str) -> float:
    return LICENCE_KINDS.index(kind) / (len(LICENCE_KINDS) - 1)


def utility(side: str, offer: Offer) -> float:
    """How much a side likes an offer, in [0, 1] (weights documented in docs/ODD.md)."""
    if side == "us":
        return (0.25 * (1 - min(offer.cn_tariff_cap, 125) / 125)
                + 0.30 * offer.approval_floor
                + 0.10 * (1 - min(offer.review_cap, 18) / 18)
                + 0.10 * _kind_score(offer.licence_kind)
                + 0.15 * min(offer.us_tariff_cap, 145) / 145
                + 0.10 * offer.curb_cap)
    return (0.35 * (1 - min(offer.us_tariff_cap, 145) / 145)
            + 0.25 * (1 - offer.curb_cap)
            + 0.15 * (1 - offer.approval_floor)
            + 0.05 * min(offer.review_cap, 18) / 18
            + 0.05 * (1 - _kind_score(offer.licence_kind))
            + 0.15 * min(offer.cn_tariff_cap, 125) / 125)


def blend(a: Offer, b: Offer, t: float) -> Offer:
    """The offer a share ``t`` of the way from ``a`` to ``b``."""
    t = min(1.0, max(0.0, t))
    kinds = LICENCE_KINDS
    k = round(kinds.index(a.licence_kind) + t * (kinds.index(b.licence_kind) - kinds.index(a.licence_kind)))
    return Offer(
        us_tariff_cap=a.us_tariff_cap + t * (b.us_tariff_cap - a.us_tariff_cap),
        cn_tariff_cap=a.cn_tariff_cap + t * (b.cn_tariff_cap - a.cn_tariff_cap),
        approval_floor=a.approval_floor + t * (b.approval_floor - a.approval_floor),
        review_cap=a.review_cap + t * (b.review_cap - a.review_cap),
        curb_cap=a.curb_cap + t * (b.curb_cap - a.curb_cap),
        licence_kind=kinds[k],
        weeks=round(a.weeks + t * (b.weeks - a.weeks)),
    )


@dataclass(frozen=True, slots=True)
class Party:
    """One delegation at the table: its ideal, its walk-away value and its pain."""

    side: str
    ideal: Offer
    status_quo: Offer
    pressure: float
    trust: float

    @property
    def reservation(self) -> float:
        # Pain at home lowers what a delegation holds out for; distrust raises it, because a
        # deal the other side may not keep is worth less.
        base = utility(self.side, self.status_quo)
        return base - 0.15 * self.pressure + 0.10 * (0.5 - self.trust)

    @property
    def patience(self) -> float:
        """Rubinstein's discount factor: the more pain at home, the less a delay is worth."""
        return 1.0 - 0.3 * self.pressure

    def accepts(self, offer: Offer, own_next: Offer | None = None) -> bool:
        value = utility(self.side, offer)
        if value < self.reservation:
            return False
        # Accept only what beats waiting to make one's own next offer (Rubinstein 1982).
        return own_next is None or value >= self.patience * utility(self.side, own_next)

    def concession(self, exchange: int, exchanges: int) -> float:
        return min(0.5, (exchange + 1) / exchanges * (0.3 + 0.4 * self.pressure))


@dataclass(frozen=True, slots=True)
class RoundResult:
    agreed: Offer | None
    offers: tuple[tuple[str, Offer], ...]


def alternating_offers(first: Party, second: Party, exchanges: int,
                       opening: Offer | None = None) -> RoundResult:
    """Run one round; ``opening`` replaces the first party's own first offer (a human's)."""
    offers: list[tuple[str, Offer]] = []
    parties = (first, second)

    def offer_of(party: Party, other: Party, k: int) -> Offer:
        return blend(party.ideal, other.ideal, party.concession(k, exchanges))

    for k in range(exchanges):
        proposer, responder = parties[k % 2], parties[(k + 1) % 2]
        offer = opening if (k == 0 and opening is not None) else offer_of(proposer, responder, k)
        offers.append((proposer.side, offer))
        last = k == exchanges - 1
        counter = None if last else offer_of(responder, proposer, k + 1)
        if responder.accepts(offer, counter):
            return RoundResult(offer, tuple(offers))
    return RoundResult(None, tuple(offers))


def ideal_offer(side: str, us_headline: float, cn_headline: float, us_curbs: float,
                approval: float, review: float, weeks: int) -> Offer:
    """What a delegation opens with, given where the instruments stand."""
    if side == "us":
        return Offer(us_headline, 0.0, 1.0, 2.0, us_curbs, "general", weeks)
    return Offer(0.0, cn_headline, min(approval, 0.5), max(review, 9.0), 0.0, "single", weeks)


def status_quo_offer(us_headline: float, cn_headline: float, us_curbs: float, approval: float,
                     review: float, licence_kind: str, weeks: int) -> Offer:
    return Offer(us_headline, cn_headline, approval, review, us_curbs, licence_kind, weeks)


def clamp_offer(offer: Offer) -> Offer:
    values = {}
    for name, (lo, hi) in OFFER_BOUNDS.items():
        values[name] = min(hi, max(lo, getattr(offer, name)))
    return replace(offer, **values)

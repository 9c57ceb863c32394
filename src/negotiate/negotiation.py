"""Negotiation rounds: alternating offers over a small agenda.

A round follows Rubinstein's (1982) alternating-offers protocol, truncated to a few
exchanges within one week: the proposer offers, the responder accepts or counters. Each
side concedes toward the other's ideal faster the more pain it feels at home (Zeuthen's
principle: the side with less to lose from breakdown concedes less; Putnam's two-level
game: domestic pressure shifts the win-set).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import TYPE_CHECKING, Annotated, Any

from . import truce
from .errors import MoveError
from .params import (
    DEAL_WEEKS,
    INDEX,
    LICENCE_KINDS,
    LICENCE_RANK,
    REVIEW_WEEKS,
    SHARE,
    TARIFF,
    BoundsError,
    Choice,
    bounds_of,
    parse_field,
)
from .policy import Terms

if TYPE_CHECKING:
    from .agents.government import Government
    from .model import TradeModel

AGENDA = ("us_tariff_cap", "cn_tariff_cap", "approval_floor", "review_cap", "curb_cap",
          "licence_kind", "weeks")


@dataclass(frozen=True, slots=True)
class Offer:
    """A proposed agreement. Tariff caps are headline points; curb_cap bounds U.S. curbs."""

    us_tariff_cap: Annotated[float, TARIFF]
    cn_tariff_cap: Annotated[float, TARIFF]
    approval_floor: Annotated[float, SHARE]
    review_cap: Annotated[float, REVIEW_WEEKS]
    curb_cap: Annotated[float, INDEX]
    licence_kind: Annotated[str, Choice(LICENCE_KINDS)] = "temporary"
    weeks: Annotated[int, DEAL_WEEKS] = 13

    def terms(self) -> Terms:
        return Terms(self.us_tariff_cap, self.cn_tariff_cap, self.approval_floor,
                     self.review_cap, self.curb_cap, self.licence_kind)

    def as_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        return (f"US tariff <= {self.us_tariff_cap:.0f}, CN tariff <= {self.cn_tariff_cap:.0f}, "
                f"approvals >= {self.approval_floor:.0%}, review <= {self.review_cap:.0f} wk, "
                f"US curbs <= {self.curb_cap:.2f}, {self.licence_kind} licences, {self.weeks} wk")


_new = object.__new__
(_set_us_tariff_cap, _set_cn_tariff_cap, _set_approval_floor, _set_review_cap, _set_curb_cap,
 _set_licence_kind, _set_weeks) = (getattr(Offer, f.name).__set__ for f in fields(Offer))


def _new_offer(us_tariff_cap: float, cn_tariff_cap: float, approval_floor: float, review_cap: float,
               curb_cap: float, licence_kind: str, weeks: int) -> Offer:
    """``Offer(...)`` with every field given, at half the cost: a frozen dataclass's
    ``__init__`` goes through ``object.__setattr__`` per field, and a round of talks builds a
    dozen offers. (Offer has no ``__post_init__`` for this to skip; a unit test checks.)"""
    offer = _new(Offer)
    _set_us_tariff_cap(offer, us_tariff_cap)
    _set_cn_tariff_cap(offer, cn_tariff_cap)
    _set_approval_floor(offer, approval_floor)
    _set_review_cap(offer, review_cap)
    _set_curb_cap(offer, curb_cap)
    _set_licence_kind(offer, licence_kind)
    _set_weeks(offer, weeks)
    return offer


#: Each offer field's bound (forms and messages read them from here).
OFFER_BOUNDS = bounds_of(Offer)
#: Offer fields that take whole numbers only.
WHOLE_OFFER_FIELDS = ("weeks",)
#: What people call each offer field.
OFFER_LABELS = {
    "us_tariff_cap": "U.S. tariff cap",
    "cn_tariff_cap": "China tariff cap",
    "approval_floor": "licence approval floor",
    "review_cap": "licence review cap",
    "curb_cap": "U.S. tech-curb cap",
    "licence_kind": "licence kind",
    "weeks": "length",
}


def parse_offer_field(name: str, value: Any, *, label: str | None = None) -> Any:
    """One offer field typed or sent from outside, checked against its bound (MoveError).

    ``label`` names the field in the message (a form passes the label it shows).
    """
    if name not in OFFER_BOUNDS:
        raise MoveError(f"offer field {name!r} is unknown; allowed: {', '.join(OFFER_BOUNDS)}")
    try:
        return parse_field(name, value, OFFER_BOUNDS[name], label=label or f"offer {OFFER_LABELS[name]}",
                           whole=name in WHOLE_OFFER_FIELDS)
    except BoundsError as err:
        raise MoveError(str(err)) from None


def parse_offer(data: Any) -> Offer:
    """Validate an offer given as plain data; licence kind and length may be left out."""
    if isinstance(data, Offer):
        data = data.as_dict()
    if not isinstance(data, dict):
        raise MoveError("an offer must be a set of fields: " + ", ".join(f.name for f in fields(Offer)))
    unknown = set(data) - set(OFFER_BOUNDS)
    if unknown:
        raise MoveError(f"offer field {sorted(unknown)[0]!r} is unknown; "
                        f"allowed: {', '.join(sorted(OFFER_BOUNDS))}")
    missing = set(OFFER_BOUNDS) - set(data) - {"licence_kind", "weeks"}
    if missing:
        raise MoveError(f"offer needs {', '.join(sorted(missing))}")
    return Offer(**{name: parse_offer_field(name, value) for name, value in data.items()})


_KIND_SCORES = {kind: i / (len(LICENCE_KINDS) - 1) for kind, i in LICENCE_RANK.items()}


def utility(side: str, offer: Offer) -> float:
    """How much a side likes an offer, in [0, 1] (weights documented in docs/ODD.md)."""
    # Read at every exchange of a round: fields are read once, and ``125 if x > 125 else x``
    # is ``min(x, 125)`` (the same object) without the call.
    us_cap, cn_cap, review = offer.us_tariff_cap, offer.cn_tariff_cap, offer.review_cap
    us_cap = 145 if us_cap > 145 else us_cap
    cn_cap = 125 if cn_cap > 125 else cn_cap
    review = 18 if review > 18 else review
    kind = _KIND_SCORES[offer.licence_kind]
    if side == "us":
        return (0.25 * (1 - cn_cap / 125)
                + 0.30 * offer.approval_floor
                + 0.10 * (1 - review / 18)
                + 0.10 * kind
                + 0.15 * us_cap / 145
                + 0.10 * offer.curb_cap)
    return (0.35 * (1 - us_cap / 145)
            + 0.25 * (1 - offer.curb_cap)
            + 0.15 * (1 - offer.approval_floor)
            + 0.05 * review / 18
            + 0.05 * (1 - kind)
            + 0.15 * cn_cap / 125)


def blend(a: Offer, b: Offer, t: float) -> Offer:
    """The offer a share ``t`` of the way from ``a`` to ``b``."""
    if not 0.0 < t < 1.0:  # min(1.0, max(0.0, t)) without the calls: a round blends often
        t = 1.0 if t >= 1.0 else 0.0
    ka, kb = LICENCE_RANK[a.licence_kind], LICENCE_RANK[b.licence_kind]
    a_weeks = a.weeks
    return _new_offer(a.us_tariff_cap + t * (b.us_tariff_cap - a.us_tariff_cap),
                      a.cn_tariff_cap + t * (b.cn_tariff_cap - a.cn_tariff_cap),
                      a.approval_floor + t * (b.approval_floor - a.approval_floor),
                      a.review_cap + t * (b.review_cap - a.review_cap),
                      a.curb_cap + t * (b.curb_cap - a.curb_cap),
                      LICENCE_KINDS[round(ka + t * (kb - ka))],
                      round(a_weeks + t * (b.weeks - a_weeks)))


@dataclass(frozen=True, slots=True, init=False)
class Party:
    """One delegation at the table: its ideal, its walk-away value and its pain.

    ``reservation`` and ``patience`` follow from the rest; they are worked out once, as a
    round of talks reads them at every exchange.
    """

    side: str
    ideal: Offer
    status_quo: Offer
    pressure: float
    trust: float
    reservation: float = field(init=False)
    patience: float = field(init=False)

    def __init__(self, side: str, ideal: Offer, status_quo: Offer, pressure: float,
                 trust: float) -> None:
        # Written out, setting the slots directly: the generated __init__ of a frozen
        # dataclass goes through object.__setattr__ per field (twice as slow), and every round
        # of talks and every answer to a human seats two parties.
        _set_side(self, side)
        _set_ideal(self, ideal)
        _set_status_quo(self, status_quo)
        _set_pressure(self, pressure)
        _set_trust(self, trust)
        # Pain at home lowers what a delegation holds out for; distrust raises it, because a
        # deal the other side may not keep is worth less.
        _set_reservation(self, utility(side, status_quo) - 0.15 * pressure + 0.10 * (0.5 - trust))
        # Rubinstein's discount factor: the more pain at home, the less a delay is worth.
        _set_patience(self, 1.0 - 0.3 * pressure)

    def accepts(self, offer: Offer, own_next: Offer | None = None) -> bool:
        value = utility(self.side, offer)
        if value < self.reservation:
            return False
        # Accept only what beats waiting to make one's own next offer (Rubinstein 1982).
        return own_next is None or value >= self.patience * utility(self.side, own_next)

    def concession(self, exchange: int, exchanges: int) -> float:
        share = (exchange + 1) / exchanges * (0.3 + 0.4 * self.pressure)
        return share if share < 0.5 else 0.5  # min(0.5, share) without the call


(_set_side, _set_ideal, _set_status_quo, _set_pressure, _set_trust, _set_reservation,
 _set_patience) = (getattr(Party, f.name).__set__ for f in fields(Party))


@dataclass(frozen=True, slots=True)
class RoundResult:
    agreed: Offer | None
    offers: tuple[tuple[str, Offer], ...]


def alternating_offers(first: Party, second: Party, exchanges: int,
                       opening: Offer | None = None) -> RoundResult:
    """Run one round; ``opening`` replaces the first party's own first offer (a human's)."""
    offers: list[tuple[str, Offer]] = []
    proposer, responder, offer = first, second, opening
    last = exchanges - 1
    for k in range(exchanges):
        if offer is None:  # only at the first exchange: no opening was given
            offer = blend(proposer.ideal, responder.ideal, proposer.concession(k, exchanges))
        offers.append((proposer.side, offer))
        # The responder's next offer, which it makes if it refuses this one.
        counter = (None if k == last
                   else blend(responder.ideal, proposer.ideal, responder.concession(k + 1, exchanges)))
        if responder.accepts(offer, counter):
            return RoundResult(offer, tuple(offers))
        proposer, responder, offer = responder, proposer, counter
    return RoundResult(None, tuple(offers))


def ideal_offer(side: str, us_headline: float, cn_headline: float, us_curbs: float,
                approval: float, review: float, weeks: int) -> Offer:
    """What a delegation opens with, given where the instruments stand."""
    if side == "us":
        return _new_offer(us_headline, 0.0, 1.0, 2.0, us_curbs, "general", weeks)
    # min(approval, 0.5) and max(review, 9.0), written out: every round seats two delegations.
    return _new_offer(0.0, cn_headline, 0.5 if approval > 0.5 else approval,
                      9.0 if review < 9.0 else review, 0.0, "single", weeks)


def status_quo_offer(us_headline: float, cn_headline: float, us_curbs: float, approval: float,
                     review: float, licence_kind: str, weeks: int) -> Offer:
    return _new_offer(us_headline, cn_headline, approval, review, us_curbs, licence_kind, weeks)


def clamp_offer(offer: Offer) -> Offer:
    values = {}
    for name, bound in OFFER_BOUNDS.items():
        if name != "licence_kind":
            values[name] = type(getattr(offer, name))(min(bound.hi, max(bound.lo, getattr(offer, name))))
    return replace(offer, **values)


#: The precision a person writes each term with (decimal places).
OFFER_PLACES = {"us_tariff_cap": 0, "cn_tariff_cap": 0, "approval_floor": 2, "review_cap": 0,
                "curb_cap": 2}


def as_written(offer: Offer) -> Offer:
    """An AI's offer to a person, in the round terms a person writes (whole tariff points and
    weeks, shares to 0.01), so a cap as shown can be met exactly; a person's offer is kept."""
    return replace(offer, **{name: round(getattr(offer, name), places)
                             for name, places in OFFER_PLACES.items()})


# ------------------------------------------------------------------------------ talks
@dataclass(frozen=True, slots=True)
class PendingOffer:
    """An offer waiting for a human side's answer (accept, reject or counter)."""

    by: str  # the side that made it
    to: str  # the side that must answer
    offer: Offer
    exchange: int  # how many offers this negotiation has seen before this one
    name: str = "talks"  # what the agreement is called if accepted (a dated deal keeps its own)


def party(model: TradeModel, gov: Government) -> Party:
    """A government at the table, with ideal and walk-away set by where instruments stand."""
    return _seated(model, gov)[0]


def _seated(model: TradeModel, *govs: Government) -> list[Party]:
    # Both delegations of a round share one status quo and one reading of the instruments.
    us, cn = model.us.instruments, model.cn.instruments
    weeks = model.scenario.truce_weeks
    us_headline, cn_headline, us_curbs = us.tariff_headline, cn.tariff_headline, us.tech_curbs
    approval, review = cn.approval_rate, cn.review_weeks
    status_quo = status_quo_offer(us_headline, cn_headline, us_curbs, approval, review,
                                  cn.licence_kind, weeks)
    return [Party(gov.side,
                  ideal_offer(gov.side, us_headline, cn_headline, us_curbs, approval, review, weeks),
                  status_quo, gov.pressure, gov.trust)
            for gov in govs]


def ai_accepts(model: TradeModel, side: str, offer: Offer) -> bool:
    """Would the AI delegation of ``side`` accept ``offer`` as things stand this week?"""
    return party(model, model.government(side)).accepts(offer)


def hold_talks(model: TradeModel, week: int) -> None:
    """A round of talks this week: alternating offers between two AI delegations."""
    model.last_talks_week = week
    us, cn = model.us, model.cn
    if us.strategy.name == "scripted" or cn.strategy.name == "scripted":
        model.log.add(week, "both", "talks", "talks held (outcome scripted by the calendar)")
        return
    if us.human or cn.human:
        _open_to_humans(model, week)
        return
    proposer = model.government(model.talks_proposer)
    first, second = _seated(model, proposer, proposer.other)
    result = alternating_offers(first, second, model.scenario.talks_rounds)
    log = model.log
    for side, offer in result.offers:
        log.add_unwritten(week, side, "offer", offer.describe)
    if result.agreed is not None:
        truce.sign(model, result.agreed, week, "talks")
    else:
        model.log.add(week, "both", "talks_failed", "no offer met both sides' limits")


def _open_to_humans(model: TradeModel, week: int) -> None:
    # An AI delegation opens with its first offer to each human side that has nothing
    # waiting; the engine never offers for a human side.
    rounds = model.scenario.talks_rounds
    for human in model.governments:
        ai = human.other
        if not human.human or ai.human or human.side in model.pending_offers:
            continue
        me, them = _seated(model, ai, human)
        opening = as_written(blend(me.ideal, them.ideal, me.concession(0, rounds)))
        _offer(model, week, PendingOffer(ai.side, human.side, opening, 0))


def _offer(model: TradeModel, week: int, pending: PendingOffer) -> None:
    model.pending_offers[pending.to] = pending
    model.log.add(week, pending.by, "offer", pending.offer.describe())


def human_exchanges(model: TradeModel, week: int) -> bool:
    """A human side's answer or counter-offer this week, and the AI's reply to it.

    Runs every week a human side holds a seat (an offer waits for its answer until it
    gives one); each answer and offer is an event in the log. True when one happened.
    """
    rounds = model.scenario.talks_rounds
    exchanged = False
    for gov in model.governments:
        move = model.week_moves.get(gov.side)
        if not gov.human or move is None:
            continue
        waiting = model.pending_offers.get(gov.side)
        if waiting is not None and move.answer is not None:
            exchanged = True
            del model.pending_offers[gov.side]
            model.log.add(week, gov.side, "answer",
                          f"{move.answer}s {waiting.by.upper()}'s offer: {waiting.offer.describe()}")
            if move.answer == "accept":
                model.pending_offers.clear()
                truce.sign(model, waiting.offer, week, waiting.name)
                return True
        if move.offer is None:
            continue
        exchanged = True
        offer = clamp_offer(move.offer)
        exchange = waiting.exchange + 1 if waiting is not None else 0
        model.pending_offers.pop(gov.side, None)  # a counter-offer answers the waiting one
        model.last_talks_week = week
        other = gov.other
        if other.human:
            _offer(model, week, PendingOffer(gov.side, other.side, offer, exchange))
            continue
        model.log.add(week, gov.side, "offer", offer.describe())
        if other.strategy.name == "scripted":
            model.log.add(week, other.side, "answer",
                          "the 2025 record decides this side's talks; the offer is noted")
            continue
        me, them = _seated(model, other, gov)
        last = exchange + 1 >= rounds
        counter = None if last else blend(me.ideal, them.ideal, me.concession(exchange + 1, rounds))
        if me.accepts(offer, counter):
            model.log.add(week, other.side, "answer",
                          f"accepts {gov.side.upper()}'s offer: {offer.describe()}")
            model.pending_offers.clear()
            truce.sign(model, offer, week, "talks")
            return True
        if counter is None:
            model.log.add(week, other.side, "answer",
                          f"rejects {gov.side.upper()}'s offer; talks end for now")
        else:
            _offer(model, week, PendingOffer(other.side, gov.side, as_written(counter), exchange + 1))
    return exchanged

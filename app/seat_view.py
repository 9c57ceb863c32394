"""What the player's seat sees and answers: the one place the Play page reads the engine
about the human side.

The Play page never looks into the model's private state for these questions; it asks
here. Each function reads the model's public state as it stands today: the agreement in
force, the offer on the table, the moves the player submitted (``model.move_log``) and the
executed posture of each week. Keeping them together means the engine's own answers
(pending offers, terms in force, breach lists, noise reports) are wired in one module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from negotiate.moves import Move
from negotiate.negotiation import Offer

from .fields import SIDE_TITLES

ANSWERS = ("accept", "reject", "counter")
_SIDE_SHORT = {"us": "U.S.", "cn": "China"}


# -------------------------------------------------------------------------- words
def offer_words(offer: Offer) -> str:
    """An offer as a person reads it: 'U.S. tariff at most 30%, ...'."""
    return (f"U.S. tariff at most {offer.us_tariff_cap:.0f}%, China tariff at most "
            f"{offer.cn_tariff_cap:.0f}%, licence approvals at least {offer.approval_floor:.0%}, "
            f"licence review at most {offer.review_cap:.0f} weeks, U.S. tech curbs at most "
            f"{offer.curb_cap:.2f}, {offer.licence_kind} licences, for {offer.weeks} weeks")


def agreement_title(name: str) -> str:
    """An agreement's name as shown: calendar names stay; talks get a plain title."""
    if name == "talks":
        return "the agreement reached in talks"
    if name.startswith("deal accepted by "):
        side = name.rsplit(" ", 1)[-1].lower()
        return f"the deal {_SIDE_SHORT.get(side, side)} accepted"
    return name


# -------------------------------------------------------------------------- terms
@dataclass(frozen=True, slots=True)
class Cap:
    """One binding term: who it binds, on what, and the limit in words."""

    side: str
    instrument: str  # the Move field it limits
    label: str
    limit: float
    words: str


@dataclass(frozen=True, slots=True)
class TermsInForce:
    agreement: str
    end_week: int
    caps: tuple[Cap, ...]

    def for_side(self, side: str) -> tuple[Cap, ...]:
        return tuple(c for c in self.caps if c.side == side)


def terms_in_force(model: Any, side: str) -> TermsInForce | None:
    """The agreement in force and its caps (both sides'), or None when there is none."""
    current = model.truces.current
    if current is None:
        return None
    t = current.terms
    caps = (
        Cap("us", "tariff_headline", "U.S. headline tariff", t.us_tariff_cap, f"at most {t.us_tariff_cap:.0f}%"),
        Cap("us", "tech_curbs", "U.S. tech curbs", t.curb_cap, f"at most {t.curb_cap:.2f}"),
        Cap("cn", "tariff_headline", "China headline tariff", t.cn_tariff_cap, f"at most {t.cn_tariff_cap:.0f}%"),
        Cap("cn", "approval_rate", "China licence approvals", t.approval_floor, f"at least {t.approval_floor:.0%}"),
        Cap("cn", "review_weeks", "China licence review", t.review_cap, f"at most {t.review_cap:.0f} weeks"),
    )
    return TermsInForce(agreement_title(current.name), current.end_week, caps)


def breaches(model: Any, side: str, move: Move) -> list[str]:
    """Plain-words breaches of the agreement in force that ``move`` would commit."""
    terms = terms_in_force(model, side)
    if terms is None:
        return []
    out = []
    for cap in terms.for_side(side):
        chosen = getattr(move, cap.instrument)
        if chosen is None:
            continue
        floor = cap.instrument == "approval_rate"
        if (chosen < cap.limit - 1e-9) if floor else (chosen > cap.limit + 1e-9):
            shown = f"{chosen:.0%}" if floor else f"{chosen:g}"
            out.append(f"this breaches {terms.agreement}: {cap.label} {cap.words} (you chose {shown})")
    return out


# -------------------------------------------------------------------------- offers
def pending_offer(model: Any, side: str) -> tuple[str, Offer] | None:
    """The other side's offer awaiting this side's answer, as (proposer, offer), or None."""
    table = model.offer_on_table
    if table is None or table[0] == side:
        return None
    return table


def answer_fields(answer: str, counter: dict[str, str] | None) -> dict[str, Any]:
    """The move fields that carry the player's answer to an offer ('' when none given)."""
    if answer == "accept":
        return {"accept_offer": True}
    if answer == "reject":
        return {"accept_offer": False}
    if answer == "counter" and counter is not None:
        return {"accept_offer": False, "offer": dict(counter)}
    return {}


# -------------------------------------------------------------------------- noise
@dataclass(frozen=True, slots=True)
class NoiseReport:
    """A week in which execution noise changed what the player's government did."""

    week: int
    date: str
    intended: str
    executed: str

    def sentence(self) -> str:
        return (f"Execution noise in week {self.week} ({self.date}): you intended {self.intended}; "
                f"what went out: {self.executed}.")


def _instrument_words(side: str, values: dict[str, float | None]) -> str:
    parts = []
    for name, label in (("tariff_headline", "tariff {:.0f}%"), ("tech_curbs", "tech curbs {:.2f}"),
                        ("diversification", "diversification {:.2f}"),
                        ("approval_rate", "approvals {:.0%}"), ("review_weeks", "review {:.0f} weeks")):
        value = values.get(name)
        if value is not None:
            parts.append(label.format(value))
    return ", ".join(parts)


def noise_report(model: Any, side: str) -> NoiseReport | None:
    """Last week's report when execution noise changed the player's move, else None."""
    gov = model.government(side)
    week = model.week
    if week == 0 or gov.posture is gov.intended:
        return None
    moves = [m for w, who, m in model.move_log if w == week and who == side]
    inst = gov.instruments
    executed = {name: getattr(inst, name, None) for name in
                ("tariff_headline", "tech_curbs", "diversification", "approval_rate", "review_weeks")}
    if side == "us":
        executed.pop("approval_rate")
        executed.pop("review_weeks")
    else:
        executed.pop("diversification")
    intended_words = f"to {gov.intended.value.replace('_', ' ')}"
    if moves and moves[-1].sets_instruments:
        chosen = {name: getattr(moves[-1], name) for name in executed}
        intended_words = _instrument_words(side, chosen) or intended_words
    executed_words = (f"{gov.posture.value.replace('_', ' ')} "
                      f"({_instrument_words(side, executed)})")
    return NoiseReport(week, model.date, intended_words, executed_words)


# -------------------------------------------------------------------------- choices
@dataclass
class Choices:
    """What the player chose, counted from the moves the player submitted."""

    accusations: list[int] = field(default_factory=list)
    offers: list[int] = field(default_factory=list)
    accepted: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)


def player_choices(model: Any, side: str) -> Choices:
    out = Choices()
    for week, who, move in model.move_log:
        if who != side:
            continue
        if move.accuse:
            out.accusations.append(week)
        if move.offer is not None:
            out.offers.append(week)
        if move.accept_offer is True:
            out.accepted.append(week)
        elif move.accept_offer is False and move.offer is None:
            out.rejected.append(week)
    return out


def seat_title(side: str) -> str:
    """'You are the United States' / 'You are China'."""
    return f"You are {SIDE_TITLES[side]}"


"""What the player's seat sees and answers: the one place the Play page reads the engine
about the human side.

Every answer comes from the engine's public human-seat API (docs/architecture.md, "Human
seats"): ``model.pending_offer``, ``model.terms_in_force``, ``model.move_breaches``,
``model.noise_report`` and the event log. This module only puts them into words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from negotiate.moves import FIELD_LABELS, Move, show
from negotiate.negotiation import Offer, PendingOffer
from negotiate.params import number

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
    return "the agreement reached in talks" if name == "talks" else name


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


def _caps(side: str, terms: dict[str, Any]) -> tuple[Cap, ...]:
    who = _SIDE_SHORT[side]
    caps = [Cap(side, "tariff_headline", f"{who} headline tariff", terms["tariff_cap"],
                f"at most {number(terms['tariff_cap'])}%")]
    if side == "us":
        caps.append(Cap(side, "tech_curbs", "U.S. tech curbs", terms["curb_cap"],
                        f"at most {number(terms['curb_cap'])}"))
    else:
        caps.append(Cap(side, "approval_rate", "China licence approvals", terms["approval_floor"],
                        f"at least {terms['approval_floor']:.0%}"))
        caps.append(Cap(side, "review_weeks", "China licence review", terms["review_cap"],
                        f"at most {number(terms['review_cap'])} weeks"))
    return tuple(caps)


def terms_in_force(model: Any, side: str) -> TermsInForce | None:
    """The agreement in force and its caps (both sides', the engine's), or None."""
    mine = model.terms_in_force(side)
    if mine is None:
        return None
    other = "cn" if side == "us" else "us"
    caps = _caps(side, mine) + _caps(other, model.terms_in_force(other))
    return TermsInForce(agreement_title(mine["agreement"]), mine["until_week"], caps)


def breaches(model: Any, side: str, move: Move) -> list[str]:
    """What ``move`` would breach, in the engine's plain words (empty when nothing)."""
    return list(model.move_breaches(side, move))


# -------------------------------------------------------------------------- offers
def pending_offer(model: Any, side: str) -> PendingOffer | None:
    """The other side's offer awaiting this side's answer, or None."""
    return model.pending_offer(side)


def answer_fields(answer: str, counter: dict[str, Any] | None) -> dict[str, Any]:
    """The move fields that carry the player's answer to an offer ({} when none given).

    A counter-offer answers the waiting offer by itself: it is sent as ``offer``.
    """
    if answer in ("accept", "reject"):
        return {"answer": answer}
    if answer == "counter" and counter is not None:
        return {"offer": dict(counter)}
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


def _shown(instrument: str, value: Any) -> str:
    if instrument == "posture":
        return f"to {str(value).replace('_', ' ')}"
    return f"{FIELD_LABELS.get(instrument, instrument)} {show(value)}"


def noise_report(model: Any, side: str) -> NoiseReport | None:
    """Last week's report when execution noise changed the player's move, else None."""
    changes = model.noise_report(side)
    if not changes:
        return None
    return NoiseReport(model.week, model.date,
                       ", ".join(_shown(c.instrument, c.intended) for c in changes),
                       ", ".join(_shown(c.instrument, c.executed) for c in changes))


# -------------------------------------------------------------------------- choices
@dataclass
class Choices:
    """What the player chose, week by week, as the event log records it."""

    accusations: list[int] = field(default_factory=list)
    offers: list[int] = field(default_factory=list)
    accepted: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)


def player_choices(model: Any, side: str) -> Choices:
    """Counts from the log: for a human side each accusation, offer and answer is a choice
    the player made (the engine makes none in its name)."""
    out = Choices()
    for r in model.log.records:
        if r.actor != side:
            continue
        if r.kind == "accusation":
            out.accusations.append(r.week)
        elif r.kind == "offer":
            out.offers.append(r.week)
        elif r.kind == "answer":
            (out.accepted if r.details.startswith("accept") else out.rejected).append(r.week)
    return out


def agreement_parts(model: Any, side: str) -> list[tuple[Any, str]]:
    """Each agreement signed, with the player's part in it, read from the log of its week."""
    out = []
    for agreement in model.truces.history:
        answers = [r for r in model.log.records
                   if r.week == agreement.start_week and r.kind == "answer" and r.details.startswith("accept")]
        if any(r.actor == side for r in answers):
            part = "you accepted"
        elif answers:
            part = "you offered these terms"
        else:
            part = "signed without your offer or acceptance"
        out.append((agreement, part))
    return out


def seat_title(side: str) -> str:
    """'You are the United States' / 'You are China'."""
    return f"You are {SIDE_TITLES[side]}"

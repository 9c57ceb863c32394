"""Agreements: signing, amendment, extension, lapse and snapback; monitoring through noise."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from .policy import Terms, translate
from .strategies import Posture

if TYPE_CHECKING:
    from .agents.government import Government
    from .model import TradeModel
    from .moves import Move
    from .negotiation import Offer


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


def verify(truth: bool, committee_noise: float, rng: np.random.Generator) -> bool:
    """A joint monitoring mechanism's own finding about one side's compliance.

    The mechanism observes the truth independently of either government, through its own,
    lower noise (London agenda, June 2025). Its finding replaces the side's private view in
    both directions: it clears a false alarm and it also reports a real breach that the side
    missed. Re-checking only perceived breaches would let noise hide real breaches that
    nobody re-checks, so that more misperception would mean more détente.
    """
    return perceive(truth, committee_noise, rng)


# ------------------------------------------------------------------------------ the rules
def sign(model: TradeModel, offer: Offer, week: int, name: str, *,
         suspended: tuple[float, float] | None = None) -> Agreement:
    """Sign ``offer`` as an agreement: tariffs come down to the caps at once.

    Part of each side's tariff cut (``truce.snapback_share``) is suspended, not removed, and
    returns on lapse. Talks during a truce amend its terms but keep its lapse date (London,
    June 2025, implemented Geneva and kept its 12 August deadline).
    """
    s = model.scenario
    us, cn = model.us.instruments, model.cn.instruments
    if suspended is None:
        cut_us = max(0.0, us.tariff_headline - offer.us_tariff_cap)
        cut_cn = max(0.0, cn.tariff_headline - offer.cn_tariff_cap)
        suspended = (s.truce_snapback_share * cut_us, s.truce_snapback_share * cut_cn)
    previous = model.truces.current
    carried = (previous.suspended_us, previous.suspended_cn) if previous else (0.0, 0.0)
    terms = offer.terms()
    end = week + offer.weeks
    if previous is not None and name == "talks":
        end = previous.end_week
    agreement = Agreement(name, terms, week, end,
                          suspended[0] + carried[0], suspended[1] + carried[1])
    model.truces.sign(agreement)
    for gov in model.governments:
        if gov.strategy.moves_instruments:
            translate(gov.instruments, Posture.COMPLY, terms, gov.steps)
        else:
            # The record says which non-tariff commitments were kept; only the tariff
            # cuts took effect on signature (Geneva: within two days).
            cap = terms.us_tariff_cap if gov.side == "us" else terms.cn_tariff_cap
            gov.instruments.set_tariff(min(gov.instruments.tariff_headline, cap))
    model.market.shock("agreement")
    model.log.add_unwritten(week, "both", "agreement", partial(_agreement_text, name, offer))
    return agreement


def _agreement_text(name: str, offer: Offer) -> str:
    return f"{name}: {offer.describe()}"


def lapse(model: TradeModel, week: int, why: str) -> None:
    """End the agreement in force; suspended tariffs snap back if the scenario says so."""
    current = model.truces.current
    snap = model.scenario.truce_snapback and (current.suspended_us > 0 or current.suspended_cn > 0)
    model.truces.lapse(week, snap)
    model.market.shock("lapse")
    model.log.add(week, "both", "lapse", why)
    if snap:
        model.us.instruments.set_tariff(model.us.instruments.tariff_headline + current.suspended_us)
        model.cn.instruments.set_tariff(model.cn.instruments.tariff_headline + current.suspended_cn)
        model.market.shock("snapback")
        model.log.add(week, "both", "snapback",
                      f"suspended tariffs return: U.S. +{current.suspended_us:.0f} pts, "
                      f"China +{current.suspended_cn:.0f} pts")


def wants_extension(gov: Government, move: Move | None, extend_trust: float) -> bool:
    """A side's vote on extending a truce at its end date."""
    if gov.strategy.external and move is not None and move.extend is not None:
        return move.extend
    if gov.strategy.name == "scripted":
        return False  # the replay extends only where the record says so
    return gov.trust >= extend_trust or gov.pressure >= extend_trust


def end_of_term(model: TradeModel, week: int) -> None:
    """At a truce's end date both sides vote: extend it, or it lapses."""
    current = model.truces.current
    if current is None or week < current.end_week:
        return
    threshold = model.scenario.truce_extend_trust
    votes = {gov.side: wants_extension(gov, model.week_moves.get(gov.side), threshold)
             for gov in model.governments}
    if all(votes.values()):
        model.truces.extend(model.scenario.truce_extension_weeks)
        model.market.shock("extension")
        model.log.add(week, "both", "extension", f"{current.name} extended to week {current.end_week}")
        return
    against = ", ".join(side.upper() for side, yes in votes.items() if not yes)
    lapse(model, week, f"{current.name} lapsed: {against} would not extend")


def monitored_views(model: TradeModel, week: int, us_ok: bool, cn_ok: bool) -> tuple[bool, bool]:
    """How each side sees the other's compliance this week (US's view, China's view).

    Each view goes through private perception noise. With a monitoring mechanism during a
    truce, each side acts on the mechanism's finding (:func:`verify`) instead; where the
    finding differs from the side's private view it is logged as a ``consultation``.
    """
    noise, rng = model.perception_noise, model.rng
    us_seen = perceive(cn_ok, noise, rng)
    cn_seen = perceive(us_ok, noise, rng)
    if not (model.monitoring and model.truces.current is not None):
        return us_seen, cn_seen
    committee = noise * model.scenario.truce_monitoring_factor
    # Written out for the two sides (no dict or loop): this runs every week of a truce.
    us_found = verify(cn_ok, committee, rng)
    cn_found = verify(us_ok, committee, rng)
    if us_found != us_seen:
        _consultation(model, week, "us", us_found, us_seen, cn_ok)
    if cn_found != cn_seen:
        _consultation(model, week, "cn", cn_found, cn_seen, us_ok)
    return us_found, cn_found


def _consultation(model: TradeModel, week: int, side: str, found: bool, seen: bool,
                  truth: bool) -> None:
    if found:
        what = "monitoring committee found no breach"
    else:
        what = "monitoring committee found a breach that went unseen"
    model.log.add(week, side, "consultation", what, real=not truth, perceived=not seen)

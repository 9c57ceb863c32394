"""What each kind of calendar event does to a running model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import truce
from .calendar import CalendarEvent
from .negotiation import Offer, PendingOffer

if TYPE_CHECKING:
    from .model import TradeModel


def apply_event(model: TradeModel, event: CalendarEvent, week: int, *, dated: bool = False) -> None:
    """Apply ``event``; ``dated`` when it comes from the scenario's calendar (the record).

    A dated deal or accusation involving a human side does not happen in the player's
    name: the deal becomes an offer waiting for the player, the accusation is only noted.
    An event applied from outside (a classroom's agreed deal, a teacher's event) is applied.
    """
    if dated and event.kind in ("agreement", "accusation") and any(g.human for g in model.governments):
        _HUMAN_HANDLERS[event.kind](model, event, week)
        return
    handler = _HANDLERS[event.kind]
    handler(model, event, week)
    if event.kind not in ("agreement", "accusation", "call", "extension"):
        model.log.add(week, event.get("side", "calendar"), "calendar", event.label)


def _mark_breach_if_hostile(model: TradeModel, side: str, before: tuple, after: tuple) -> None:
    # A scripted hostile move during a truce is a real breach, whatever the posture was.
    if model.truces.current is not None and after > before:
        model.government(side).calendar_breach = True


def _tariff(model: TradeModel, event: CalendarEvent, week: int) -> None:
    gov = model.government(event.get("side"))
    inst = gov.instruments
    before = inst.tariff_headline
    if "headline" in event.details:
        target = event.get("headline")
        if gov.strategy.moves_instruments:
            # In free play the dated ladder is a floor: it must not undo a government's own
            # escalation, nor cut a tariff the strategy chose to keep.
            target = max(before, target)
    else:
        target = before + event.get("change")
    inst.set_tariff(target)
    rise = inst.tariff_headline - before
    if rise > 0:
        model.market.shock("escalation" if rise >= 30 else "retaliation")
        if model.truces.current is not None:
            gov.calendar_breach = True


def _tech_curbs(model: TradeModel, event: CalendarEvent, week: int) -> None:
    gov = model.government(event.get("side"))
    before = gov.instruments.tech_curbs
    gov.instruments.measures[event.get("measure")] = event.get("level")
    if gov.instruments.tech_curbs > before:
        model.market.shock("retaliation", 0.5)
        if model.truces.current is not None:
            gov.calendar_breach = True


def _controls(model: TradeModel, event: CalendarEvent, week: int) -> None:
    inst = model.cn.instruments
    before = inst.hostility()
    if "active" in event.details:
        inst.controls_active = event.get("active")
    if "elements" in event.details:
        inst.controlled_elements = tuple(dict.fromkeys(inst.controlled_elements + event.get("elements")))
        inst.controls_active = True if "active" not in event.details else inst.controls_active
    for name in ("approval_rate", "review_weeks", "licence_kind"):
        if name in event.details:
            setattr(inst, name, event.get(name))
    if inst.hostility() > before:
        model.market.shock("escalation")
    _mark_breach_if_hostile(model, "cn", before, inst.hostility())


def _licences(model: TradeModel, event: CalendarEvent, week: int) -> None:
    from .calendar import HOMES, SECTORS

    inst = model.cn.instruments
    before = inst.hostility()
    for name in ("approval_rate", "review_weeks", "licence_kind"):
        if name in event.details:
            setattr(inst, name, event.get(name))
    _mark_breach_if_hostile(model, "cn", before, inst.hostility())
    firms = model.firms
    if firms.n and ("grant_home" in event.details or "grant_sector" in event.details):
        mask = firms.heavy.copy()
        if "grant_home" in event.details:
            mask &= firms.home == HOMES.index(event.get("grant_home"))
        if "grant_sector" in event.details:
            mask &= firms.sector == SECTORS.index(event.get("grant_sector"))
        until = week + event.get("grant_weeks", 26)
        firms.licence_until[mask] = max(until, 0)
        firms.pending_until[mask] = -1


def _talks(model: TradeModel, event: CalendarEvent, week: int) -> None:
    model.talks_this_week = True
    model.talks_proposer = "us"


def _call(model: TradeModel, event: CalendarEvent, week: int) -> None:
    for gov in model.governments:
        gov.trust = min(1.0, gov.trust + 0.1)
    model.market.shock("call")
    model.log.add(week, "both", "call", event.label)
    if model.talks_pending_week is None or model.talks_pending_week < week:
        model.talks_pending_week = week + 1


def _offer_of(model: TradeModel, event: CalendarEvent) -> Offer:
    us, cn = model.us.instruments, model.cn.instruments
    d = event.details
    return Offer(
        us_tariff_cap=d.get("us_tariff_cap", us.tariff_headline),
        cn_tariff_cap=d.get("cn_tariff_cap", cn.tariff_headline),
        approval_floor=d.get("approval_floor", cn.approval_rate),
        review_cap=d.get("review_cap", cn.review_weeks),
        curb_cap=d.get("curb_cap", max(us.tech_curbs, 0.0)),
        licence_kind=d.get("licence_kind", cn.licence_kind),
        weeks=d.get("weeks", model.scenario.truce_weeks),
    )


def _agreement(model: TradeModel, event: CalendarEvent, week: int) -> None:
    d = event.details
    suspended = None
    if "suspended_us" in d or "suspended_cn" in d:
        suspended = (d.get("suspended_us", 0.0), d.get("suspended_cn", 0.0))
    truce.sign(model, _offer_of(model, event), week, event.label or "agreement", suspended=suspended)


def _dated_deal_for_humans(model: TradeModel, event: CalendarEvent, week: int) -> None:
    # The record's deal becomes an offer to each human side, signed only if the player
    # accepts it (docs/architecture.md, "Human seats").
    offer = _offer_of(model, event)
    for gov in model.governments:
        if gov.human:
            model.pending_offers[gov.side] = PendingOffer(gov.other.side, gov.side, offer, 0,
                                                          event.label or "agreement")
            model.log.add(week, gov.other.side, "offer", f"{event.label or 'agreement'}: {offer.describe()}")


def _dated_accusation_for_humans(model: TradeModel, event: CalendarEvent, week: int) -> None:
    if model.government(event.get("side")).human:
        model.log.add(week, "calendar", "calendar",
                      f"in 2025: {event.label or 'an accusation'} (the player decides whether to accuse)")
    else:
        _accusation(model, event, week)


def _extension(model: TradeModel, event: CalendarEvent, week: int) -> None:
    current = model.truces.current
    if current is None:
        model.log.add(week, "both", "calendar", f"{event.label} (no agreement in force to extend)")
        return
    model.truces.extend(event.get("weeks"))
    model.market.shock("extension")
    model.log.add(week, "both", "extension", f"{event.label}: to week {current.end_week}")


def _accusation(model: TradeModel, event: CalendarEvent, week: int) -> None:
    accuser = model.government(event.get("side"))
    accused = accuser.other
    # The record says who accused; ground truth is whether the accused breached lately.
    real = any(not ok for ok in accused.complied_history) or accused.calendar_breach
    accuser.accuse(week, event.get("claim", event.label), real=real)


def _diversification(model: TradeModel, event: CalendarEvent, week: int) -> None:
    model.us.instruments.diversification = event.get("level")


def _market(model: TradeModel, event: CalendarEvent, week: int) -> None:
    model.market.news += event.get("mood")


def _note(model: TradeModel, event: CalendarEvent, week: int) -> None:
    pass


_HANDLERS = {
    "tariff": _tariff,
    "tech_curbs": _tech_curbs,
    "rare_earth_controls": _controls,
    "licences": _licences,
    "talks": _talks,
    "call": _call,
    "agreement": _agreement,
    "extension": _extension,
    "accusation": _accusation,
    "diversification": _diversification,
    "market": _market,
    "note": _note,
}
_HUMAN_HANDLERS = {"agreement": _dated_deal_for_humans, "accusation": _dated_accusation_for_humans}

"""What each kind of calendar event does to a running model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import truce
from .calendar import CalendarEvent
from .negotiation import Offer, PendingOffer

if TYPE_CHECKING:
    from .model import TradeModel


def apply_event(model: TradeModel, event: CalendarEvent, week: int) -> None:
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


def _agreement(model: TradeModel, event: CalendarEvent, week: int) -> None:
    us, cn = model.us.instruments, model.cn.instruments
    d = event.details
    offer = Offer(
        us_tariff_cap=d.get("us_tariff_cap", us.tariff_headline),
        cn_tariff_cap=d.get("cn_tariff_cap", cn.tariff_headline),
        approval_floor=d.get("approval_floor", cn.approval_rate),
        review_cap=d.get("review_cap", cn.review_weeks),
        curb_cap=d.get("curb_cap", max(us.tech_curbs, 0.0)),
        licence_kind=d.get("licence_kind", cn.licence_kind),
        weeks=d.get("weeks", model.scenario.truce_weeks),
    )
    humans = [gov for gov in model.governments if gov.human]
    if humans:
        # The record's deal becomes an offer to each human side: it is signed only if the
        # player accepts it (docs/architecture.md, "Human seats").
        for gov in humans:
            model.pending_offers[gov.side] = PendingOffer(gov.other.side, gov.side, offer, 0,
                                                          event.label or "agreement")
            model.log.add(week, gov.other.side, "offer", f"{event.label or 'agreement'}: {offer.describe()}")
        return
    suspended = None
    if "suspended_us" in d or "suspended_cn" in d:
        suspended = (d.get("suspended_us", 0.0), d.get("suspended_cn", 0.0))
    truce.sign(model, offer, week, event.label or "agreement", suspended=suspended)


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
    if accuser.human:
        model.log.add(week, "calendar", "calendar",
                      f"in 2025: {event.label or 'an accusation'} (the player decides whether to accuse)")
        return
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

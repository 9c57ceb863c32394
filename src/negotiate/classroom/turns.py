"""Resolving one turn: the recorded inputs in, one model week, one row per seat out.

The same function resolves a live turn and replays a stored one, so a room rebuilt after a
crash follows exactly the path the class saw (the model is deterministic given scenario, seed
and outside inputs).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from ..calendar import CalendarEvent
from ..moves import parse_firm_action, parse_move
from . import events as injectable
from .decisions import describe
from .scoring import seat_metrics
from .seats import FIRM_SEATS, PLAYING_SEATS, SEATS

if TYPE_CHECKING:
    from ..model import TradeModel


def next_week_date(model: TradeModel) -> dt.date:
    return dt.date.fromisoformat(model.log.date_of(model.week + 1))


def apply_inputs(model: TradeModel, casting: dict[str, int], inputs: dict[str, Any]) -> None:
    """Feed one turn's inputs to the model (events, agreement, decisions), then step once."""
    week = model.week + 1
    date = next_week_date(model)
    for key in inputs.get("events", ()):
        event = injectable.build(key, date)
        model.log.add(week, "teacher", "injected", event.label)
        model.apply_event(event, week)
    agreement = inputs.get("agreement")
    if agreement:
        offer = agreement["offer"]
        # The agreement handler takes the licence kind in force, so set the agreed kind first.
        model.apply_event(CalendarEvent(date, "licences", "agreed licence regime",
                                        details={"licence_kind": offer["licence_kind"]}), week)
        details = {k: offer[k] for k in ("us_tariff_cap", "cn_tariff_cap", "approval_floor",
                                         "review_cap", "curb_cap", "weeks")}
        model.apply_event(CalendarEvent(date, "agreement", agreement["label"], details=details),
                          week)
    moves = inputs.get("moves", {})
    for side in ("us", "cn"):
        if side in moves:
            model.submit_move(side, parse_move(side, moves[side]))
    requested = set(moves.get("magnet_cn", {}).get("licence_for", ()))
    for seat_id in FIRM_SEATS:
        if seat_id not in casting:
            continue
        own = dict(moves.get(seat_id, {}))
        if seat_id in requested:
            # Licences were held by Chinese exporters for named customers (Dec 2025).
            own["apply_licence"] = True
        if own:
            model.submit_firm_action(casting[seat_id], parse_firm_action(own))
    if "supplier" in moves and model.suppliers:
        invest = float(moves["supplier"].get("invest", 0.0))
        model.submit_supplier_action(0, parse_firm_action({"invest": invest}))
    model.step()


def turn_rows(model: TradeModel, casting: dict[str, int], inputs: dict[str, Any],
              totals: dict[str, float], students: dict[str, list[str]]) -> list[dict[str, Any]]:
    """One row per seat for the turn just stepped (the CSV export's rows)."""
    shared = {
        "detente_index": float(model.detente_index),
        "rare_earth_flow": float(model.rare_earth_flow),
        "price_spot": float(model.price_spot),
        "us_tariff": float(model.us_tariff),
        "cn_tariff": float(model.cn_tariff),
        "agreement_in_force": bool(model.agreement_in_force),
    }
    moves = inputs.get("moves", {})
    rows = []
    for seat_id in PLAYING_SEATS:
        decision = moves.get(seat_id, {})
        metrics = seat_metrics(model, seat_id, casting, decision)
        totals[seat_id] = totals.get(seat_id, 0.0) + metrics["score_turn"]
        rows.append({
            "turn": int(inputs["turn"]),
            "week": model.week,
            "date": model.log.date_of(model.week),
            "seat": seat_id,
            "seat_title": SEATS[seat_id].title,
            "students": ", ".join(students.get(seat_id, [])),
            "source": "student" if seat_id in moves else "ai",
            "decision": json.dumps(decision, sort_keys=True) if seat_id in moves else "",
            "decision_text": describe(seat_id, decision) if seat_id in moves else "AI played",
            **metrics,
            "score_total": round(totals[seat_id], 3),
            **shared,
        })
    return rows

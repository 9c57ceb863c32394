"""Each seat's decision: which levers it has, bounds-checked into a canonical payload.

A payload is plain JSON (what the page sends). :func:`check` validates it through
``negotiate.moves`` (the one bounds-checker every face shares) and returns it in canonical
form, so that two clicks with the same choices compare equal (idempotent submissions).
"""

from __future__ import annotations

from typing import Any

from ..errors import MoveError
from ..moves import FIRM_NUMBERS, bounded_number, parse_firm_action, parse_move
from .seats import FIRM_SEATS, SEATS

# Talks go through offers (see service.propose_offer); a decision holds instruments only.
GOV_FIELDS = ("posture", "tariff_headline", "tech_curbs", "approval_rate", "review_weeks",
              "licence_kind", "diversification", "accuse", "extend")
FIRM_FIELDS = ("stockpile_weeks", "switch_share", "lobby", "apply_licence")
MAX_LICENCE_REQUESTS = 3


def check(seat_id: str, payload: Any) -> dict[str, Any]:
    """The canonical form of ``payload`` for ``seat_id``; raises MoveError naming the bad field."""
    spec = SEATS[seat_id]
    if not isinstance(payload, dict):
        raise MoveError("a decision must be a set of fields")
    if spec.kind == "government":
        return _government(spec.side, payload)
    if spec.kind == "firm":
        return _firm(payload)
    if spec.kind == "magnet":
        return _magnet(payload)
    if spec.kind == "supplier":
        return _supplier(payload)
    raise MoveError(f"the {spec.title} seat has no levers; it reports and sends messages")


def _government(side: str, payload: dict[str, Any]) -> dict[str, Any]:
    for name in payload:
        if name not in GOV_FIELDS:
            raise MoveError(f"{name!r} is not a lever of this seat; allowed: {', '.join(GOV_FIELDS)}"
                            + (" (offers go through the talks panel)" if "offer" in name else ""))
    move = parse_move(side, payload)
    out: dict[str, Any] = {}
    for name in GOV_FIELDS:
        value = getattr(move, name)
        if name == "posture" and value is not None:
            value = value.value
        if name == "accuse" and value is False:
            continue  # the default; leaving it out keeps canonical forms equal
        if value is not None:
            out[name] = value
    return out


def _firm(payload: dict[str, Any]) -> dict[str, Any]:
    for name in payload:
        if name not in FIRM_FIELDS:
            raise MoveError(f"{name!r} is not a lever of this seat; allowed: {', '.join(FIRM_FIELDS)}")
    action = parse_firm_action(payload)
    out: dict[str, Any] = {n: getattr(action, n) for n in FIRM_FIELDS[:3]
                           if getattr(action, n) is not None}
    if action.apply_licence:
        out["apply_licence"] = True
    return out


def _magnet(payload: dict[str, Any]) -> dict[str, Any]:
    for name in payload:
        if name != "licence_for":
            raise MoveError(f"{name!r} is not a lever of this seat; allowed: licence_for")
    wanted = payload.get("licence_for") or []
    if not isinstance(wanted, list | tuple) or not all(isinstance(w, str) for w in wanted):
        raise MoveError("licence_for must be a list of customer seats; allowed: "
                        + ", ".join(FIRM_SEATS))
    unknown = [w for w in wanted if w not in FIRM_SEATS]
    if unknown:
        raise MoveError(f"licence_for {unknown[0]!r} is not a customer seat; allowed: "
                        + ", ".join(FIRM_SEATS))
    chosen = sorted(set(wanted))
    if len(chosen) > MAX_LICENCE_REQUESTS:
        raise MoveError(f"licence_for names {len(chosen)} customers; allowed: at most "
                        f"{MAX_LICENCE_REQUESTS} applications a week (the paperwork is per shipment)")
    return {"licence_for": chosen}


def _supplier(payload: dict[str, Any]) -> dict[str, Any]:
    for name in payload:
        if name != "invest":
            raise MoveError(f"{name!r} is not a lever of this seat; allowed: invest")
    if payload.get("invest") is None:
        return {}
    return {"invest": bounded_number("invest", payload["invest"], *FIRM_NUMBERS["invest"])}


def describe(seat_id: str, payload: dict[str, Any] | None) -> str:
    """One line for the roster and the debrief timeline."""
    if not payload:
        return "no change"
    parts = []
    for name, value in payload.items():
        if isinstance(value, bool):
            parts.append(name.replace("_", " ") if value else f"no {name.replace('_', ' ')}")
        elif isinstance(value, float):
            parts.append(f"{name.replace('_', ' ')} {value:g}")
        elif isinstance(value, list):
            names = [SEATS[v].title if v in SEATS else str(v) for v in value]
            parts.append(f"{name.replace('_', ' ')}: {', '.join(names) or 'none'}")
        else:
            parts.append(f"{name.replace('_', ' ')} {value}")
    return "; ".join(parts)

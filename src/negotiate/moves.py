"""Moves supplied from outside the model (browser, classroom seat, test), bounds-checked.

Every field is optional; a bad one raises :class:`MoveError` naming the field and what is
allowed, and nothing changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

from .errors import MoveError
from .negotiation import OFFER_BOUNDS, Offer
from .policy import LICENCE_KINDS, TARIFF_MAX
from .strategies import Posture

_GOV_NUMBERS = {
    "tariff_headline": (0.0, TARIFF_MAX, "% headline"),
    "tech_curbs": (0.0, 1.0, "index"),
    "approval_rate": (0.0, 1.0, "share"),
    "review_weeks": (0.0, 52.0, "weeks"),
    "diversification": (0.0, 1.0, "index"),
}
_CHINA_ONLY = ("approval_rate", "review_weeks", "licence_kind")
_US_ONLY = ("diversification",)
FIRM_NUMBERS = {
    "stockpile_weeks": (0.0, 26.0, "extra weeks of cover"),
    "switch_share": (0.0, 0.5, "share of China purchases moved this week"),
    "lobby": (0.0, 1.0, "effort"),
    "invest": (0.0, 1.0, "extra ramp effort (suppliers only)"),
}


def bounded_number(name: str, value: Any, lo: float, hi: float, unit: str) -> float:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise MoveError(f"{name} is empty; allowed: a number from {lo:g} to {hi:g} {unit}")
        try:
            value = float(text)
        except ValueError:
            raise MoveError(f"{name} {value!r} is not a number; allowed: {lo:g} to {hi:g} {unit}") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MoveError(f"{name} {value!r} is not a number; allowed: {lo:g} to {hi:g} {unit}")
    if not lo <= value <= hi:
        raise MoveError(f"{name} {value:g} is out of range; allowed: {lo:g} to {hi:g} {unit}")
    return float(value)


@dataclass(frozen=True, slots=True)
class Move:
    """One government's move for one week."""

    posture: Posture | None = None
    tariff_headline: float | None = None
    tech_curbs: float | None = None
    approval_rate: float | None = None
    review_weeks: float | None = None
    licence_kind: str | None = None
    diversification: float | None = None
    accuse: bool = False
    offer: Offer | None = None
    accept_offer: bool | None = None
    extend: bool | None = None

    @property
    def sets_instruments(self) -> bool:
        return any(getattr(self, n) is not None for n in (*_GOV_NUMBERS, "licence_kind"))


def parse_move(side: str, data: dict[str, Any]) -> Move:
    """Validate a move given as plain data (JSON from a page) for ``side`` ('us' or 'cn')."""
    if side not in ("us", "cn"):
        raise MoveError(f"side {side!r} is unknown; allowed: us, cn")
    if not isinstance(data, dict):
        raise MoveError("a move must be a set of fields; allowed fields: "
                        + ", ".join(f.name for f in fields(Move)))
    allowed = {f.name for f in fields(Move)}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in allowed:
            raise MoveError(f"{name!r} is not a move field; allowed: {', '.join(sorted(allowed))}")
        if value is None:
            continue
        if name in _CHINA_ONLY and side != "cn":
            raise MoveError(f"{name} is China's instrument; the U.S. cannot set it")
        if name in _US_ONLY and side != "us":
            raise MoveError(f"{name} is a U.S. instrument; China cannot set it")
        if name in _GOV_NUMBERS:
            values[name] = bounded_number(name, value, *_GOV_NUMBERS[name])
        elif name == "posture":
            try:
                values[name] = Posture(str(value).strip().lower())
            except ValueError:
                raise MoveError(f"posture {value!r} is unknown; allowed: "
                                + ", ".join(p.value for p in Posture)) from None
        elif name == "licence_kind":
            if value not in LICENCE_KINDS:
                raise MoveError(f"licence_kind {value!r} is unknown; allowed: {', '.join(LICENCE_KINDS)}")
            values[name] = value
        elif name in ("accuse", "accept_offer", "extend"):
            if not isinstance(value, bool):
                raise MoveError(f"{name} must be true or false")
            values[name] = value
        elif name == "offer":
            values[name] = parse_offer(value)
    return Move(**values)


def parse_offer(data: Any) -> Offer:
    if isinstance(data, Offer):
        data = data.as_dict()
    if not isinstance(data, dict):
        raise MoveError("an offer must be a set of fields: " + ", ".join(f.name for f in fields(Offer)))
    known = {f.name for f in fields(Offer)}
    unknown = set(data) - known
    if unknown:
        raise MoveError(f"offer field {sorted(unknown)[0]!r} is unknown; allowed: {', '.join(sorted(known))}")
    missing = known - set(data) - {"licence_kind", "weeks"}
    if missing:
        raise MoveError(f"offer needs {', '.join(sorted(missing))}")
    values: dict[str, Any] = {}
    for name, (lo, hi) in OFFER_BOUNDS.items():
        if name in data:
            values[name] = bounded_number(f"offer.{name}", data[name], lo, hi, "")
    if "weeks" in values:
        if not float(values["weeks"]).is_integer():
            raise MoveError("offer.weeks must be a whole number of weeks from 1 to 156")
        values["weeks"] = int(values["weeks"])
    kind = data.get("licence_kind", "temporary")
    if kind not in LICENCE_KINDS:
        raise MoveError(f"offer.licence_kind {kind!r} is unknown; allowed: {', '.join(LICENCE_KINDS)}")
    values["licence_kind"] = kind
    return Offer(**values)


@dataclass(frozen=True, slots=True)
class FirmAction:
    """One firm seat's levers for one week."""

    stockpile_weeks: float | None = None
    switch_share: float | None = None
    lobby: float | None = None
    invest: float | None = None
    apply_licence: bool = False


def parse_firm_action(data: dict[str, Any]) -> FirmAction:
    if not isinstance(data, dict):
        raise MoveError("a firm action must be a set of fields")
    allowed = {f.name for f in fields(FirmAction)}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in allowed:
            raise MoveError(f"{name!r} is not a firm lever; allowed: {', '.join(sorted(allowed))}")
        if value is None:
            continue
        if name == "apply_licence":
            if not isinstance(value, bool):
                raise MoveError("apply_licence must be true or false")
            values[name] = value
        else:
            values[name] = bounded_number(name, value, *FIRM_NUMBERS[name])
    return FirmAction(**values)

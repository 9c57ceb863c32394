"""Moves from outside the model (browser, classroom seat, test): their bounds and their rules.

Every field is optional; its bound is declared once on the field (``Annotated``) and read by
:func:`negotiate.params.parse_field`. A bad field raises :class:`MoveError` naming the field
and what is allowed, and nothing changes. The rules here turn a move into a posture
(:func:`posture_of`), list what in it would breach an agreement (:func:`breaches`), apply
it to the instruments (:func:`apply_instruments`) and pass it through execution noise one
instrument at a time (:func:`tremble`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np

from . import params
from .errors import MoveError
from .negotiation import Offer, parse_offer
from .params import (
    INDEX,
    LICENCE_KINDS,
    REVIEW_WEEKS,
    SHARE,
    TARIFF,
    BoundsError,
    Choice,
    Range,
    bounds_of,
    parse_field,
)
from .policy import Instruments, Steps, Terms, translate
from .strategies import Posture

if TYPE_CHECKING:
    from .agents.government import NoiseChange

ANSWERS = ("accept", "reject")
CHINA_ONLY = ("approval_rate", "review_weeks", "licence_kind")
US_ONLY = ("diversification",)
#: What people call each instrument (messages never show internal keys).
FIELD_LABELS = {
    "posture": "posture",
    "tariff_headline": "headline tariff",
    "tech_curbs": "tech curbs",
    "approval_rate": "licence approval rate",
    "review_weeks": "licence review time",
    "licence_kind": "licence kind",
    "diversification": "diversification support",
    "stockpile_weeks": "stockpile",
    "switch_share": "supplier switch",
    "lobby": "lobbying effort",
    "invest": "investment push",
}
_TOL = 1e-9


def parse_number(name: str, value: Any, spec: Range, *, whole: bool = False) -> float:
    """The one number parser (:func:`negotiate.params.parse_number`), raising MoveError."""
    try:
        return params.parse_number(name, value, spec, whole=whole)
    except BoundsError as err:
        raise MoveError(str(err)) from None


@dataclass(frozen=True, slots=True)
class Move:
    """One government's move for one week."""

    posture: Posture | None = None
    tariff_headline: Annotated[float | None, TARIFF] = None
    tech_curbs: Annotated[float | None, INDEX] = None
    approval_rate: Annotated[float | None, SHARE] = None
    review_weeks: Annotated[float | None, REVIEW_WEEKS] = None
    licence_kind: Annotated[str | None, Choice(LICENCE_KINDS)] = None
    diversification: Annotated[float | None, INDEX] = None
    accuse: bool = False
    offer: Offer | None = None
    answer: Annotated[str | None, Choice(ANSWERS, "answer to the offer waiting for this side")] = None
    extend: bool | None = None

    @property
    def sets_instruments(self) -> bool:
        return any(getattr(self, n) is not None for n in INSTRUMENTS)


MOVE_BOUNDS = bounds_of(Move)
INSTRUMENTS = tuple(name for name in MOVE_BOUNDS if name != "answer")
#: Numeric instruments and their bounds (forms read labels and limits from here).
MOVE_NUMBERS: dict[str, Range] = {n: b for n, b in MOVE_BOUNDS.items() if isinstance(b, Range)}


def parse_move(side: str, data: dict[str, Any]) -> Move:
    """Validate a move given as plain data (JSON from a page) for ``side`` ('us' or 'cn')."""
    if side not in ("us", "cn"):
        raise MoveError(f"side {side!r} is unknown; allowed: us, cn")
    allowed = {f.name for f in fields(Move)}
    if not isinstance(data, dict):
        raise MoveError("a move must be a set of fields; allowed fields: " + ", ".join(sorted(allowed)))
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in allowed:
            raise MoveError(f"{name!r} is not a move field; allowed: {', '.join(sorted(allowed))}")
        if value is None:
            continue
        if name in CHINA_ONLY and side != "cn":
            raise MoveError(f"the {FIELD_LABELS[name]} is China's instrument; the U.S. cannot set it")
        if name in US_ONLY and side != "us":
            raise MoveError(f"the {FIELD_LABELS[name]} is a U.S. instrument; China cannot set it")
        try:
            if name in MOVE_BOUNDS:
                values[name] = parse_field(name, value, MOVE_BOUNDS[name],
                                           label=FIELD_LABELS.get(name, name))
            elif name == "posture":
                try:
                    values[name] = Posture(str(value).strip().lower())
                except ValueError:
                    raise MoveError(f"posture {value!r} is unknown; allowed: "
                                    + ", ".join(p.value for p in Posture)) from None
            elif name in ("accuse", "extend"):
                if not isinstance(value, bool):
                    raise MoveError(f"{name} must be true or false")
                values[name] = value
            elif name == "offer":
                values[name] = parse_offer(value)
        except BoundsError as err:
            raise MoveError(str(err)) from None
    return Move(**values)


@dataclass(frozen=True, slots=True)
class FirmAction:
    """One firm seat's levers for one week."""

    stockpile_weeks: Annotated[float | None, Range(0, 26, "extra weeks of cover")] = None
    switch_share: Annotated[float | None, Range(0, 0.5, "share of China purchases moved this week")] = None
    lobby: Annotated[float | None, Range(0, 1, "effort")] = None
    invest: Annotated[float | None, Range(0, 1, "extra ramp effort (suppliers only)")] = None
    apply_licence: bool = False


FIRM_BOUNDS: dict[str, Range] = bounds_of(FirmAction)  # type: ignore[assignment]
#: (lo, hi, unit) of each firm lever, for callers that check one lever at a time.
FIRM_NUMBERS = {name: (b.lo, b.hi, b.unit) for name, b in FIRM_BOUNDS.items()}


def bounded_number(name: str, value: Any, lo: float, hi: float, unit: str = "") -> float:
    """:func:`parse_number` for a bound given as numbers."""
    return parse_number(name, value, Range(lo, hi, unit))


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
            values[name] = parse_number(name, value, FIRM_BOUNDS[name])
    return FirmAction(**values)


# ------------------------------------------------------------------------------ the rules
def show(value: Any) -> str:
    """A value as a message shows it: 30, 0.25, 'general'."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def breaches(side: str, move: Move, terms: Terms | None, agreement: str = "agreement") -> list[str]:
    """What in ``move`` would breach ``terms``, in plain words (empty when nothing would)."""
    if terms is None:
        return []
    found = []
    cap = terms.us_tariff_cap if side == "us" else terms.cn_tariff_cap
    if move.tariff_headline is not None and move.tariff_headline > cap + _TOL:
        found.append(f"a {move.tariff_headline:g}% tariff breaches the {agreement} cap of {cap:g}%")
    if side == "us":
        if move.tech_curbs is not None and move.tech_curbs > terms.curb_cap + _TOL:
            found.append(f"tech curbs of {move.tech_curbs:g} breach the {agreement} cap of "
                         f"{terms.curb_cap:g}")
        return found
    if move.approval_rate is not None and move.approval_rate < terms.approval_floor - _TOL:
        found.append(f"approving {move.approval_rate:.0%} of licences breaches the {agreement} "
                     f"floor of {terms.approval_floor:.0%}")
    if move.review_weeks is not None and move.review_weeks > terms.review_cap + _TOL:
        found.append(f"a {move.review_weeks:g}-week licence review breaches the {agreement} cap "
                     f"of {terms.review_cap:g} weeks")
    return found


def posture_of(move: Move, inst: Instruments, terms: Terms | None, steps: Steps) -> Posture:
    """The posture a move amounts to: instruments speak louder than words, so a move that
    says 'comply' while raising a tariff is a breach."""
    if not move.sets_instruments:
        return move.posture or (Posture.ACCUSE if move.accuse else Posture.COMPLY)
    inferred = _inferred_posture(move, inst, terms, steps)
    if move.posture is None or (move.posture.complies and not inferred.complies):
        return inferred
    return move.posture


def _inferred_posture(move: Move, inst: Instruments, terms: Terms | None, steps: Steps) -> Posture:
    hostile = (
        (move.tariff_headline is not None and move.tariff_headline > inst.tariff_headline + _TOL)
        or (move.tech_curbs is not None and move.tech_curbs > inst.tech_curbs + _TOL)
        or (move.approval_rate is not None and move.approval_rate < inst.approval_rate - _TOL)
        or (move.review_weeks is not None and move.review_weeks > inst.review_weeks + _TOL)
    )
    if terms is not None and _over_terms(inst.side, move, terms):
        hostile = True
    if hostile:
        big = (move.tariff_headline or 0) - inst.tariff_headline >= steps.escalation
        return Posture.ESCALATE if big else Posture.RETALIATE
    if move.accuse:
        return Posture.ACCUSE
    eased = (
        (move.tariff_headline is not None and move.tariff_headline < inst.tariff_headline - _TOL)
        or (move.tech_curbs is not None and move.tech_curbs < inst.tech_curbs - _TOL)
        or (move.approval_rate is not None and move.approval_rate > inst.approval_rate + _TOL)
    )
    return Posture.CONCEDE if eased else Posture.COMPLY


def _over_terms(side: str, move: Move, terms: Terms) -> bool:
    # A tariff left unset counts as 0 here, as it always has for the posture of a move.
    if side == "us":
        return ((move.tariff_headline or 0) > terms.us_tariff_cap + _TOL
                or (move.tech_curbs is not None and move.tech_curbs > terms.curb_cap + _TOL))
    return ((move.tariff_headline or 0) > terms.cn_tariff_cap + _TOL
            or (move.approval_rate is not None and move.approval_rate < terms.approval_floor - _TOL)
            or (move.review_weeks is not None and move.review_weeks > terms.review_cap + _TOL))


def apply_instruments(inst: Instruments, move: Move) -> None:
    """Set each instrument the move names (curb measures scale together)."""
    if move.tariff_headline is not None:
        inst.set_tariff(move.tariff_headline)
    if move.tech_curbs is not None:
        current = inst.tech_curbs
        for name in inst.measures:
            if current > 0:
                inst.measures[name] = min(1.0, inst.measures[name] * move.tech_curbs / current)
            else:
                inst.measures[name] = move.tech_curbs
    if move.approval_rate is not None:
        inst.approval_rate = move.approval_rate
        inst.controls_active = inst.controls_active or move.approval_rate < 1.0
    if move.review_weeks is not None:
        inst.review_weeks = move.review_weeks
    if move.licence_kind is not None:
        inst.licence_kind = move.licence_kind
    if move.diversification is not None:
        inst.diversification = move.diversification


def _value_of(inst: Instruments, name: str) -> Any:
    return inst.tech_curbs if name == "tech_curbs" else getattr(inst, name)


def tremble(move: Move, inst: Instruments, terms: Terms | None, steps: Steps, noise: float,
            rng: np.random.Generator) -> tuple[Move, tuple[NoiseChange, ...]]:
    """Execution noise on a human move, one instrument at a time (the trembling hand).

    Each instrument the move sets, in field order, independently with probability ``noise``,
    comes out as the opposite posture would have left it: a hostile or held setting as
    compliance would (within the terms, or unchanged), an easing or held one as a
    retaliation would. Returns the executed move and the changes (empty when none).
    """
    from .agents.government import NoiseChange

    if noise <= 0.0:
        return move, ()
    changes = []
    executed = move
    for name in INSTRUMENTS:
        intended = getattr(move, name)
        if intended is None or rng.random() >= noise:
            continue
        current = _value_of(inst, name)
        alone = Move(**{name: intended})
        hostile = not posture_of(alone, inst, terms, steps).complies
        flipped = Posture.COMPLY if hostile else Posture.RETALIATE
        trial = replace(inst, measures=dict(inst.measures))
        translate(trial, flipped, terms, steps)
        value = _value_of(trial, name)
        if value == intended:
            value = current
        if value != intended:
            executed = replace(executed, **{name: value})
            changes.append(NoiseChange(name, intended, value))
    return executed, tuple(changes)

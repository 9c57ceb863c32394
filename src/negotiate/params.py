"""Bounds, vocabularies and the one parser for every number and word from outside.

Scenario keys, calendar events, moves, offers and firm actions declare their bounds as
``Annotated`` metadata (:class:`Range`, :class:`Choice`, ...) built from the shared ranges
below; :func:`parse_number` and :func:`parse_field` read them. Decimal commas are refused
with a clear message: "0,3" is neither read as 3 nor guessed as 0.3 ("1,000" would be
ambiguous).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, fields
from typing import Any, get_type_hints

#: Licence kinds China issues, from the most to the least restrictive.
LICENCE_KINDS: tuple[str, ...] = ("single", "temporary", "general")
#: Each licence kind's place in LICENCE_KINDS (0: the most restrictive).
LICENCE_RANK: dict[str, int] = {kind: rank for rank, kind in enumerate(LICENCE_KINDS)}
ELEMENTS: tuple[str, ...] = (
    "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu",
    "Sc", "Y",
)
TARIFF_MAX = 200.0


@dataclass(frozen=True, slots=True)
class Range:
    """A closed numeric interval with its unit and meaning."""

    lo: float
    hi: float
    unit: str = ""
    doc: str = ""

    def allowed(self, whole: bool = False) -> str:
        unit = f" {self.unit}" if self.unit else ""
        kind = "a whole number" if whole else "a number"
        return f"{kind} from {number(self.lo)} to {number(self.hi)}{unit}"


def number(x: float) -> str:
    """A bound as people write it: 1000000, not 1e+06; 0.333, not 0.3333333333333333."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.6g}"


@dataclass(frozen=True, slots=True)
class Choice:
    """One of a fixed set of words."""

    options: tuple[str, ...]
    doc: str = ""

    def allowed(self) -> str:
        return "one of " + ", ".join(self.options)


@dataclass(frozen=True, slots=True)
class Text:
    """Free text (titles, descriptions, dates are checked elsewhere)."""

    doc: str = ""
    max_length: int = 4000

    def allowed(self) -> str:
        return f"a string of at most {self.max_length} characters"


@dataclass(frozen=True, slots=True)
class Flag:
    """true or false."""

    doc: str = ""

    def allowed(self) -> str:
        return "true or false"


@dataclass(frozen=True, slots=True)
class Subset:
    """A list drawn from a fixed vocabulary."""

    options: tuple[str, ...]
    doc: str = ""

    def allowed(self) -> str:
        return "a list drawn from " + ", ".join(self.options)


# ------------------------------------------------------------------------- shared bounds
TARIFF = Range(0, TARIFF_MAX, "%", "headline tariff layer")
INDEX = Range(0, 1, "index")
SHARE = Range(0, 1, "share")
REVIEW_WEEKS = Range(0, 52, "weeks", "licence review time")
DEAL_WEEKS = Range(1, 156, "weeks", "length of an agreement")
WEEKS = Range(1, 1_000_000, "weeks", "one step is one week")


class BoundsError(ValueError):
    """A value outside its declared bounds (callers re-raise it as their own error kind)."""


_COMMA = re.compile(r"^[+-]?[\d,]*,[\d,.]*$")
#: Integer text that :func:`parse_whole` reads exactly (ASCII digits, one optional sign).
_WHOLE = re.compile(r"[+-]?[0-9]+")
#: Characters of a value quoted in a message before it is cut short.
SHOWN_MAX = 40


def digits(value: int) -> int:
    """How many decimal digits ``value`` has, without ``str()`` (which refuses ints of more
    than 4,300 digits and is slow on large ones)."""
    size = abs(value)
    if size == 0:
        return 1
    n = int((size.bit_length() - 1) * math.log10(2)) + 1
    return n + 1 if size >= 10**n else n


def shown(value: Any, *, quote: bool = True) -> str:
    """``value`` as a message names it, never longer than about :data:`SHOWN_MAX` characters.

    A message must stay one readable line, whatever was pasted: a long text or number is cut
    (its length said; ``str()`` refuses ints of more than 4,300 digits, so their first digits
    are found by division), and a value whose ``repr`` fails (nested too deeply) is not shown.
    ``quote=False`` gives text as typed, without quotes.
    """
    if isinstance(value, str):
        cut = value if len(value) <= SHOWN_MAX else value[:SHOWN_MAX // 2]
        text = repr(cut) if quote else cut
        return text if cut is value else f"{text}... ({len(value):,} characters)"
    if isinstance(value, int) and not isinstance(value, bool):
        n = digits(value)
        if n <= SHOWN_MAX:
            return str(value)
        head = abs(value) // 10 ** (n - SHOWN_MAX // 2)
        return f"{'-' if value < 0 else ''}{head}... ({n:,} digits)"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()  # as it was written in TOML, not datetime.date(2025, 3, 3)
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        return "(nested too deeply to show)"
    return text if len(text) <= SHOWN_MAX else f"{text[:SHOWN_MAX // 2]}... ({len(text):,} characters)"


def parse_number(name: str, value: Any, spec: Range, *, whole: bool = False) -> float:
    """Read a number typed or sent from outside and check it against ``spec``.

    Accepts an int, a float or a string such as " 12.5 "; refuses empty text, words,
    booleans, non-finite numbers, values out of range and commas ("0,3", "1,000"), each with
    one line naming the field, the value as given and what is allowed. Raises
    :class:`BoundsError`.
    """
    # The messages are built only when a value is refused: this runs for every scenario key.
    typed: str | None = None  # the text as typed, named in messages rather than its float
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise BoundsError(f"{name} is empty; allowed: {spec.allowed(whole=whole)}")
        if _COMMA.match(text):
            raise BoundsError(f"{name} {shown(value)} has a comma; write decimals with a point "
                              f"(0.3, not 0,3) and no thousands separator; allowed: {spec.allowed(whole=whole)}")
        # Python's float() also reads "1_0" as 10 and other scripts' digits ("٣", "１");
        # a person who typed those did not mean that number.
        if "_" in text or not text.isascii():
            raise BoundsError(f"{name} {shown(value)} is not a number; allowed: {spec.allowed(whole=whole)}")
        try:
            number = float(text)
        except ValueError:
            raise BoundsError(f"{name} {shown(value)} is not a number; allowed: {spec.allowed(whole=whole)}") from None
        if math.isinf(number) and "inf" not in text.lower():
            # Digits too many for a float ("1e309"): a number, just far out of range.
            raise BoundsError(f"{name} {shown(text, quote=False)} is out of range; allowed: {spec.allowed(whole=whole)}")
        value, typed = number, text
    if isinstance(value, bool) or not isinstance(value, int | float) or (
            isinstance(value, float) and not math.isfinite(value)):
        raise BoundsError(f"{name} {shown(typed if typed is not None else value)} is not a number; "
                          f"allowed: {spec.allowed(whole=whole)}")
    # An int is compared exactly, never through a float: one of 400 digits has no float.
    if whole and isinstance(value, float) and not value.is_integer():
        raise BoundsError(f"{name} {_said(value, typed)} is not a whole number; allowed: "
                          f"{spec.allowed(whole=whole)}")
    if not spec.lo <= value <= spec.hi:
        raise BoundsError(f"{name} {_said(value, typed)} is out of range; allowed: "
                          f"{spec.allowed(whole=whole)}")
    return float(value)


def _said(value: int | float, typed: str | None) -> str:
    # A refused number as a message names it: the text as typed, else the value itself.
    if typed is not None:
        return shown(typed, quote=False)
    return shown(value) if isinstance(value, int) else f"{value:g}"


def parse_whole(name: str, value: Any, spec: Range) -> int:
    """:func:`parse_number` for a whole number, read exactly at any size: a seed such as
    2**63 - 1 has no exact float, so integer text and ints never pass through one."""
    text = value.strip() if isinstance(value, str) else None
    if text is not None and _WHOLE.fullmatch(text):
        # More digits than the bound has is out of range; int() would refuse over 4,300.
        if len(text.lstrip("+-").lstrip("0")) > digits(int(max(abs(spec.lo), abs(spec.hi)))):
            raise BoundsError(f"{name} {shown(text, quote=False)} is out of range; "
                              f"allowed: {spec.allowed(whole=True)}")
        value = int(text)
    if isinstance(value, int) and not isinstance(value, bool):
        if not spec.lo <= value <= spec.hi:
            raise BoundsError(f"{name} {shown(text or value, quote=False)} is out of range; "
                              f"allowed: {spec.allowed(whole=True)}")
        return value
    return int(parse_number(name, value, spec, whole=True))


def bounds_of(cls: type) -> dict[str, Range | Choice | Flag]:
    """The bound declared on each ``Annotated`` field of a dataclass, by field name."""
    hints = get_type_hints(cls, include_extras=True)
    return {f.name: hints[f.name].__metadata__[0] for f in fields(cls)
            if hasattr(hints[f.name], "__metadata__")}


def parse_field(name: str, value: Any, spec: Range | Choice | Flag, *, label: str | None = None,
                whole: bool = False) -> Any:
    """One value against its declared bound: a number, a word from a choice, or a flag."""
    label = label or name
    if isinstance(spec, Range):
        number = parse_number(label, value, spec, whole=whole)
        return int(number) if whole else number
    if isinstance(spec, Choice):
        word = value.strip().lower() if isinstance(value, str) else value
        if word not in spec.options:
            raise BoundsError(f"{label} {shown(value)} is unknown; allowed: {spec.allowed()}")
        return word
    if isinstance(spec, Flag):
        if not isinstance(value, bool):
            raise BoundsError(f"{label} must be true or false")
        return value
    raise TypeError(f"no parser for {spec!r}")

"""Bounds and choices attached to scenario parameters (read from ``Annotated`` hints)."""

from __future__ import annotations

from dataclasses import dataclass


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

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

    def allowed(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"a number from {self.lo:g} to {self.hi:g}{unit}"


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

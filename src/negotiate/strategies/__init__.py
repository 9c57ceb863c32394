"""The strategy catalogue: one small class per strategy, looked up by name or alias."""

from __future__ import annotations

from .base import AutomatonStrategy, MemoryOneStrategy, Perception, Posture, Strategy
from .classic import (
    AlwaysComply,
    AlwaysEscalate,
    ContriteTitForTat,
    GenerousTitForTat,
    GrimTrigger,
    Grudger,
    TitForTat,
    WinStayLoseShift,
)
from .external import Human, Scripted
from .pragmatic import Pragmatic

CATALOGUE: dict[str, type[Strategy]] = {
    cls.name: cls
    for cls in (
        TitForTat,
        GenerousTitForTat,
        ContriteTitForTat,
        GrimTrigger,
        Grudger,
        WinStayLoseShift,
        AlwaysComply,
        AlwaysEscalate,
        Pragmatic,
        Human,
        Scripted,
    )
}
_ALIASES: dict[str, str] = {
    alias: cls.name for cls in CATALOGUE.values() for alias in cls.aliases
}
STRATEGY_NAMES: tuple[str, ...] = tuple(CATALOGUE)


def canonical_name(name: str) -> str | None:
    """The catalogue name for ``name`` or one of its aliases; None if unknown."""
    key = str(name).strip().lower()
    if key in CATALOGUE:
        return key
    return _ALIASES.get(key)


def make_strategy(
    name: str,
    *,
    generosity: float = 1 / 3,
    hawkishness: float = 0.1,
    talks_pressure: float = 0.45,
    forgiveness: float = 0.25,
    fallback: str = "pragmatic",
) -> Strategy:
    """Build a fresh strategy object; the scenario's parameters for it are passed along."""
    key = canonical_name(name)
    if key is None:
        raise ValueError(f"unknown strategy {name!r}; allowed: {', '.join(STRATEGY_NAMES)}")
    cls = CATALOGUE[key]
    if cls is GenerousTitForTat:
        return GenerousTitForTat(generosity)
    if cls is Pragmatic:
        return Pragmatic(hawkishness, talks_pressure, forgiveness)
    if cls is Human:
        inner = None if fallback == "none" else make_strategy(
            fallback, generosity=generosity, hawkishness=hawkishness,
            talks_pressure=talks_pressure, forgiveness=forgiveness, fallback="none",
        )
        return Human(inner)
    return cls()


__all__ = [
    "CATALOGUE",
    "STRATEGY_NAMES",
    "AutomatonStrategy",
    "MemoryOneStrategy",
    "Perception",
    "Posture",
    "Strategy",
    "canonical_name",
    "make_strategy",
]

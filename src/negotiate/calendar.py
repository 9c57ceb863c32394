"""Dated calendar events: what a scenario schedules on real dates.

Each ``[[events]]`` table in a scenario file becomes a :class:`CalendarEvent`; the model
schedules it with Mesa's ``schedule_event`` so that it takes effect at the start of its week.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from .errors import ScenarioError
from .params import ELEMENTS, LICENCE_KINDS

SIDES = ("us", "cn")
US_MEASURES = ("chip_controls", "eda_software", "entity_list", "student_visas")
CN_MEASURES = ("unreliable_entity_list", "antitrust_probes", "export_bans")
HOMES = ("US", "EU", "JP", "KR", "IN")
SECTORS = ("automotive", "semiconductors", "defence", "wind_ev_motors", "electronics")

# kind -> {field: (type, lo, hi) | tuple of words}; every kind also takes date, label, source.
_NUM = float
SCHEMA: dict[str, dict[str, Any]] = {
    "tariff": {"side": SIDES, "headline": (_NUM, 0, 200), "change": (_NUM, -200, 200)},
    "tech_curbs": {"side": SIDES, "measure": US_MEASURES + CN_MEASURES, "level": (_NUM, 0, 1)},
    "rare_earth_controls": {"active": (bool,), "elements": ("list", ELEMENTS),
                            "approval_rate": (_NUM, 0, 1), "review_weeks": (_NUM, 0, 52),
                            "licence_kind": LICENCE_KINDS},
    "licences": {"approval_rate": (_NUM, 0, 1), "review_weeks": (_NUM, 0, 52),
                 "licence_kind": LICENCE_KINDS, "grant_home": HOMES, "grant_sector": SECTORS,
                 "grant_weeks": (int, 1, 156)},
    "talks": {},
    "call": {},
    "agreement": {"us_tariff_cap": (_NUM, 0, 200), "cn_tariff_cap": (_NUM, 0, 200),
                  "approval_floor": (_NUM, 0, 1), "review_cap": (_NUM, 0, 52),
                  "curb_cap": (_NUM, 0, 1), "weeks": (int, 1, 156),
                  "suspended_us": (_NUM, 0, 200), "suspended_cn": (_NUM, 0, 200),
                  "licence_kind": LICENCE_KINDS},
    "extension": {"weeks": (int, 1, 156)},
    "accusation": {"side": SIDES, "claim": (str,)},
    "diversification": {"level": (_NUM, 0, 1)},
    "market": {"mood": (_NUM, -50, 50)},
    "note": {},
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "tariff": ("side",),
    "tech_curbs": ("side", "measure", "level"),
    "accusation": ("side",),
    "extension": ("weeks",),
    "diversification": ("level",),
    "market": ("mood",),
}


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One dated event: ``kind`` says what it does, ``details`` holds its validated fields."""

    date: dt.date
    kind: str
    label: str = ""
    source: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.details.get(key, default)

    def week(self, start: dt.date) -> int:
        """The model week (1-based) in which this event falls."""
        return (self.date - start).days // 7 + 1


def _check_value(spec: Any, value: Any, where: str, key: str) -> Any:
    def bad(allowed: str) -> ScenarioError:
        return ScenarioError(f"got {value!r}; allowed: {allowed}", source=where, key=key)

    if isinstance(spec, tuple) and spec and all(isinstance(s, str) for s in spec):
        if not isinstance(value, str) or value not in spec:
            raise bad("one of " + ", ".join(spec))
        return value
    kind = spec[0]
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v in spec[1] for v in value):
            raise bad("a list drawn from " + ", ".join(spec[1]))
        return tuple(value)
    if kind is bool:
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if kind is str:
        if not isinstance(value, str) or len(value) > 500:
            raise bad("a string of at most 500 characters")
        return value
    lo, hi = spec[1], spec[2]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad(f"a number from {lo:g} to {hi:g}")
    if isinstance(value, float) and (not math.isfinite(value) or (kind is int and not value.is_integer())):
        raise bad(f"a {'whole ' if kind is int else ''}number from {lo:g} to {hi:g}")
    if not lo <= value <= hi:
        raise bad(f"a number from {lo:g} to {hi:g}")
    return kind(value)


def parse_event(raw: Any, where: str) -> CalendarEvent:
    if not isinstance(raw, dict):
        raise ScenarioError("each [[events]] entry must be a table", source=where, key="events")
    kind = raw.get("kind")
    if kind not in SCHEMA:
        raise ScenarioError(f"kind {kind!r} is unknown; allowed: {', '.join(SCHEMA)}",
                            source=where, key="events.kind")
    date = raw.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            date = None
    if not isinstance(date, dt.date):
        raise ScenarioError(f"date {raw.get('date')!r} is not a date; allowed: YYYY-MM-DD",
                            source=where, key="events.date")
    spec = SCHEMA[kind]
    details: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("date", "kind", "label", "source"):
            if key in ("label", "source") and not isinstance(value, str):
                raise ScenarioError(f"got {value!r}; allowed: a string", source=where, key=f"events.{key}")
            continue
        if key not in spec:
            allowed = ", ".join(("date", "kind", "label", "source", *spec))
            raise ScenarioError(f"unknown key for a {kind!r} event; allowed: {allowed}",
                                source=where, key=f"events.{key}")
        details[key] = _check_value(spec[key], value, where, f"events.{key}")
    for key in _REQUIRED.get(kind, ()):
        if key not in details:
            raise ScenarioError(f"a {kind!r} event needs {key!r}", source=where, key=f"events.{key}")
    if kind == "tariff" and ("headline" in details) == ("change" in details):
        raise ScenarioError("a 'tariff' event needs exactly one of 'headline' or 'change'",
                            source=where, key="events.headline")
    if kind == "tech_curbs":
        measures = US_MEASURES if details["side"] == "us" else CN_MEASURES
        if details["measure"] not in measures:
            raise ScenarioError(
                f"measure {details['measure']!r} is not a {details['side']} measure; allowed: "
                + ", ".join(measures), source=where, key="events.measure")
    return CalendarEvent(date, kind, raw.get("label", kind), raw.get("source", ""), details)


def parse_events(raw: Any, where: str) -> tuple[CalendarEvent, ...]:
    if not isinstance(raw, list):
        raise ScenarioError("must be an array of tables [[events]]", source=where, key="events")
    events = [parse_event(item, where) for item in raw]
    return tuple(sorted(events, key=lambda e: e.date))

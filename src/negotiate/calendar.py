"""Dated calendar events: what a scenario schedules on real dates.

Each ``[[events]]`` table in a scenario file becomes a :class:`CalendarEvent`; the model
schedules it with Mesa's ``schedule_event`` so that it takes effect at the start of its week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .errors import ScenarioError
from .params import (
    DEAL_WEEKS,
    ELEMENTS,
    INDEX,
    LICENCE_KINDS,
    REVIEW_WEEKS,
    SHARE,
    TARIFF,
    TARIFF_MAX,
    BoundsError,
    Choice,
    Flag,
    Range,
    Subset,
    Text,
    parse_field,
    shown,
)

SIDES = ("us", "cn")
US_MEASURES = ("chip_controls", "eda_software", "entity_list", "student_visas")
CN_MEASURES = ("unreliable_entity_list", "antitrust_probes", "export_bans")
HOMES = ("US", "EU", "JP", "KR", "IN")
SECTORS = ("automotive", "semiconductors", "defence", "wind_ev_motors", "electronics")

# kind -> {field: its bound}, from the shared bounds in negotiate.params; every kind also
# takes date, label and source. Fields in WHOLE take whole numbers.
_SIDE = Choice(SIDES)
_KIND = Choice(LICENCE_KINDS)
_CLAIM = Text("what the accuser says", 500)
SCHEMA: dict[str, dict[str, Range | Choice | Subset | Flag | Text]] = {
    "tariff": {"side": _SIDE, "headline": TARIFF, "change": Range(-TARIFF_MAX, TARIFF_MAX, "pts")},
    "tech_curbs": {"side": _SIDE, "measure": Choice(US_MEASURES + CN_MEASURES), "level": INDEX},
    "rare_earth_controls": {"active": Flag(), "elements": Subset(ELEMENTS),
                            "approval_rate": SHARE, "review_weeks": REVIEW_WEEKS, "licence_kind": _KIND},
    "licences": {"approval_rate": SHARE, "review_weeks": REVIEW_WEEKS, "licence_kind": _KIND,
                 "grant_home": Choice(HOMES), "grant_sector": Choice(SECTORS), "grant_weeks": DEAL_WEEKS},
    "talks": {},
    "call": {},
    "agreement": {"us_tariff_cap": TARIFF, "cn_tariff_cap": TARIFF, "approval_floor": SHARE,
                  "review_cap": REVIEW_WEEKS, "curb_cap": INDEX, "weeks": DEAL_WEEKS,
                  "suspended_us": TARIFF, "suspended_cn": TARIFF, "licence_kind": _KIND},
    "extension": {"weeks": DEAL_WEEKS},
    "accusation": {"side": _SIDE, "claim": _CLAIM},
    "diversification": {"level": INDEX},
    "market": {"mood": Range(-50, 50, "", "change in market mood")},
    "note": {},
}
WHOLE = ("grant_weeks", "weeks")
REQUIRED: dict[str, tuple[str, ...]] = {
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
        return ScenarioError(f"got {shown(value)}; allowed: {allowed}", source=where, key=key)

    if isinstance(spec, Subset):
        if not isinstance(value, list) or not all(isinstance(v, str) and v in spec.options for v in value):
            raise bad(spec.allowed())
        return tuple(value)
    if isinstance(spec, Text):
        if not isinstance(value, str) or len(value) > spec.max_length:
            raise bad(spec.allowed())
        return value
    whole = key.rsplit(".", 1)[-1] in WHOLE
    if isinstance(spec, Range) and isinstance(value, str):
        raise bad(spec.allowed(whole=whole))  # a file says numbers as numbers
    if isinstance(spec, Choice):
        if not isinstance(value, str) or value not in spec.options:
            raise bad(spec.allowed())
        return value
    try:
        return parse_field(key, value, spec, whole=whole)
    except BoundsError:
        raise bad(spec.allowed(whole=whole) if isinstance(spec, Range) else spec.allowed()) from None


def parse_event(raw: Any, where: str) -> CalendarEvent:
    if not isinstance(raw, dict):
        raise ScenarioError("each [[events]] entry must be a table", source=where, key="events")
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in SCHEMA:  # a list or table cannot be looked up
        raise ScenarioError(f"kind {shown(kind)} is unknown; allowed: {', '.join(SCHEMA)}",
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
        raise ScenarioError(f"date {shown(raw.get('date'))} is not a date; allowed: YYYY-MM-DD",
                            source=where, key="events.date")
    spec = SCHEMA[kind]
    details: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("date", "kind", "label", "source"):
            if key in ("label", "source") and not isinstance(value, str):
                raise ScenarioError(f"got {shown(value)}; allowed: a string", source=where,
                                    key=f"events.{key}")
            continue
        if key not in spec:
            allowed = ", ".join(("date", "kind", "label", "source", *spec))
            raise ScenarioError(f"unknown key for a {kind!r} event; allowed: {allowed}",
                                source=where, key=f"events.{key}")
        details[key] = _check_value(spec[key], value, where, f"events.{key}")
    for key in REQUIRED.get(kind, ()):
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

"""The events a teacher can inject mid-game: each is a calendar event tied to a real 2025 one.

Injected events are applied at the start of the next resolved week, through the same
calendar-effects code the scenario files use, so they replay exactly after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..calendar import CalendarEvent, parse_event
from ..errors import NegotiateError


@dataclass(frozen=True, slots=True)
class Injectable:
    key: str
    title: str
    raw: dict[str, Any]  # a calendar [[events]] entry without its date


INJECTABLE: dict[str, Injectable] = {e.key: e for e in (
    Injectable("leaked_chip_rule", "Leaked U.S. chip rule",
               {"kind": "tech_curbs", "side": "us", "measure": "chip_controls", "level": 0.8,
                "label": "Leaked draft U.S. chip rule (cf. BIS Huawei Ascend guidance, 13 May 2025)"}),
    Injectable("eda_halt", "U.S. halts chip-design software sales",
               {"kind": "tech_curbs", "side": "us", "measure": "eda_software", "level": 1.0,
                "label": "Commerce tells EDA vendors to stop selling to China (cf. ~23 May 2025)"}),
    Injectable("leaders_call", "Leaders' call",
               {"kind": "call", "label": "Leaders' call (cf. Trump-Xi call, 5 June 2025)"}),
    Injectable("talks", "Talks convened",
               {"kind": "talks", "label": "Delegations meet (cf. Geneva, 10-11 May 2025)"}),
    Injectable("more_elements", "China controls five more rare earths",
               {"kind": "rare_earth_controls", "elements": ["Ho", "Er", "Tm", "Eu", "Yb"],
                "review_weeks": 12.0,
                "label": "Five more rare earths under licence (cf. Announcement No. 57, 9 Oct 2025)"}),
    Injectable("general_licences", "China issues general licences",
               {"kind": "licences", "licence_kind": "general", "approval_rate": 0.7,
                "label": "MOFCOM grants one-year general licences (cf. 2-4 Dec 2025)"}),
    Injectable("entity_list", "China lists U.S. firms",
               {"kind": "tech_curbs", "side": "cn", "measure": "unreliable_entity_list",
                "level": 0.6,
                "label": "U.S. firms added to the Unreliable Entity List (cf. 25 Sep 2025)"}),
    Injectable("tariff_threat", "Threat of +100 % tariffs",
               {"kind": "market", "mood": -8.0,
                "label": "Threat: +100 % on all Chinese goods from next month (cf. 10 Oct 2025)"}),
    Injectable("price_floor", "Pentagon price floor for a U.S. supplier",
               {"kind": "diversification", "level": 0.6,
                "label": "Price floor, equity and offtake for a U.S. supplier (cf. MP-DoD, 10 Jul 2025)"}),
)}


def check_key(key: str) -> Injectable:
    if key not in INJECTABLE:
        raise NegotiateError(f"event {key!r} is unknown; allowed: {', '.join(INJECTABLE)}")
    return INJECTABLE[key]


def build(key: str, date) -> CalendarEvent:
    """The validated calendar event for ``key`` dated ``date`` (the week it takes effect)."""
    raw = dict(check_key(key).raw, date=date)
    return parse_event(raw, f"teacher event {key}")

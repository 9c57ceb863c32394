"""The structured event log: every accusation, retaliation, agreement, lapse and more."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import NamedTuple

import pandas as pd

KINDS = (
    "calendar", "posture", "accusation", "consultation", "agreement", "extension", "lapse",
    "snapback", "talks", "talks_failed", "offer", "call", "licence_decisions", "plant_stoppage",
    "ai_move", "human_move", "injected", "agency_move",
)


@lru_cache(maxsize=8192)
def week_date(start: dt.date, week: int) -> str:
    """The ISO date of the Monday of ``week`` (week 1 starts on ``start``; week 0 is week 1)."""
    return (start + dt.timedelta(weeks=max(week, 1) - 1)).isoformat()


class LogRecord(NamedTuple):
    """One thing that happened. ``real`` is ground truth; ``perceived`` what the actor saw.

    For an accusation, ``real`` says whether the accused side actually breached that week:
    a debrief can show which friction came from misperception. (A named tuple: a classic
    game may log a record a week for 100,000 weeks.)
    """

    start: dt.date  # Monday of week 1: dates the record
    week: int
    actor: str
    kind: str
    details: str = ""
    real: bool | None = None
    perceived: bool | None = None

    @property
    def date(self) -> str:
        # Worked out when read: a classic game may log 100,000 weeks nobody looks at.
        return week_date(self.start, self.week)


_new_tuple = tuple.__new__
COLUMNS = ("week", "date", "actor", "kind", "details", "real", "perceived")


class EventLog:
    def __init__(self, start: dt.date) -> None:
        self.start = start
        self.records: list[LogRecord] = []

    def date_of(self, week: int) -> str:
        return week_date(self.start, week)

    def add(self, week: int, actor: str, kind: str, details: str = "", *,
            real: bool | None = None, perceived: bool | None = None) -> LogRecord:
        # tuple.__new__ skips the named tuple's Python-level constructor (same record).
        record = _new_tuple(LogRecord, (self.start, week, actor, kind, details, real, perceived))
        self.records.append(record)
        return record

    def count(self, kind: str, actor: str | None = None) -> int:
        return sum(1 for r in self.records if r.kind == kind and (actor is None or r.actor == actor))

    def to_frame(self) -> pd.DataFrame:
        if not self.records:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
        records = self.records
        frame = pd.DataFrame({
            "week": [r.week for r in records],
            "date": [week_date(r.start, r.week) for r in records],
            "actor": [r.actor for r in records],
            "kind": [r.kind for r in records],
            "details": [r.details for r in records],
            "real": pd.array([r.real for r in records], dtype="boolean"),
            "perceived": pd.array([r.perceived for r in records], dtype="boolean"),
        })
        return frame

"""The structured event log: every accusation, retaliation, agreement, lapse and more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
#: Fields a record is stored with, in order (the date is worked out from the week).
_STORED = ("week", "actor", "kind", "details", "real", "perceived")
_WIDTH = len(_STORED)


def _written(details: str | Callable[[], str]) -> str:
    return details if details.__class__ is str else details()


class EventLog:
    """The run's records, kept as one flat list of fields, a record every six entries.

    A classic game logs about one accusation a week, and 100,000 weeks of record tuples
    make the garbage collector sweep the whole heap (a tenth of a second or more); plain fields
    in one list add no object it tracks. :attr:`records` builds the records when read.
    """

    def __init__(self, start: dt.date) -> None:
        self.start = start
        self._fields: list = []
        self._records: list[LogRecord] = []
        self._unwritten = False  # whether some record's text is still a function that writes it

    def date_of(self, week: int) -> str:
        return week_date(self.start, week)

    def add(self, week: int, actor: str, kind: str, details: str = "", *,
            real: bool | None = None, perceived: bool | None = None) -> None:
        self._fields.extend((week, actor, kind, details, real, perceived))

    def add_unwritten(self, week: int, actor: str, kind: str, write: Callable[[], str]) -> None:
        """:meth:`add` a record whose text ``write()`` returns, written only when the log is
        read: a round of talks logs every offer it exchanged, and a run that never reads its
        log (a sweep, a benchmark) need not format them. ``write`` must give the same text
        whenever it is called (an immutable offer's ``describe``): reading never changes the
        stored fields, so a page may read while the model steps in another thread."""
        self._unwritten = True
        self._fields.extend((week, actor, kind, write, None, None))

    def __len__(self) -> int:
        return len(self._fields) // _WIDTH

    @property
    def records(self) -> list[LogRecord]:
        """Every record so far, oldest first (built once each; later ones when next read)."""
        records, fields = self._records, self._fields
        done = len(records) * _WIDTH
        if done < len(fields):
            start = self.start
            values = iter(fields[done:])
            rows = zip(values, values, values, values, values, values, strict=True)
            if self._unwritten:
                rows = ((week, actor, kind, _written(details), real, perceived)
                        for week, actor, kind, details, real, perceived in rows)
            # tuple.__new__ skips the named tuple's Python-level constructor (same record).
            records.extend(_new_tuple(LogRecord, (start, *row)) for row in rows)
        return records

    def column(self, name: str) -> list:
        """One stored field of every record, oldest first (``week``, ``actor``, ``kind``, ...)."""
        values = self._fields[_STORED.index(name)::_WIDTH]
        if name == "details" and self._unwritten:
            return [_written(details) for details in values]
        return values

    def count(self, kind: str, actor: str | None = None) -> int:
        kinds = self.column("kind")
        if actor is None:
            return kinds.count(kind)
        return sum(1 for k, a in zip(kinds, self.column("actor"), strict=True) if k == kind and a == actor)

    def to_frame(self) -> pd.DataFrame:
        if not self._fields:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
        weeks = self.column("week")
        dates = {week: week_date(self.start, week) for week in set(weeks)}
        return pd.DataFrame({
            "week": weeks,
            "date": [dates[w] for w in weeks],
            "actor": self.column("actor"),
            "kind": self.column("kind"),
            "details": self.column("details"),
            "real": pd.array(self.column("real"), dtype="boolean"),
            "perceived": pd.array(self.column("perceived"), dtype="boolean"),
        })

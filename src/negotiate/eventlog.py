"""The structured event log: every accusation, retaliation, agreement, lapse and more."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import pandas as pd

KINDS = (
    "calendar", "posture", "accusation", "consultation", "agreement", "extension", "lapse",
    "snapback", "talks", "talks_failed", "offer", "call", "licence_decisions", "plant_stoppage",
    "ai_move", "human_move", "injected", "agency_move",
)


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One thing that happened. ``real`` is ground truth; ``perceived`` what the actor saw.

    For an accusation, ``real`` says whether the accused side actually breached that week:
    a debrief can show which friction came from misperception.
    """

    week: int
    date: str
    actor: str
    kind: str
    details: str
    real: bool | None = None
    perceived: bool | None = None


class EventLog:
    def __init__(self, start: dt.date) -> None:
        self.start = start
        self.records: list[LogRecord] = []
        self._dates: dict[int, str] = {}

    def date_of(self, week: int) -> str:
        date = self._dates.get(week)
        if date is None:
            date = self._dates[week] = (self.start + dt.timedelta(weeks=max(week, 1) - 1)).isoformat()
        return date

    def add(self, week: int, actor: str, kind: str, details: str = "", *,
            real: bool | None = None, perceived: bool | None = None) -> LogRecord:
        record = LogRecord(week, self.date_of(week), actor, kind, details, real, perceived)
        self.records.append(record)
        return record

    def count(self, kind: str, actor: str | None = None) -> int:
        return sum(1 for r in self.records if r.kind == kind and (actor is None or r.actor == actor))

    def to_frame(self) -> pd.DataFrame:
        columns = ["week", "date", "actor", "kind", "details", "real", "perceived"]
        if not self.records:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
        frame = pd.DataFrame([asdict(r) for r in self.records], columns=columns)
        frame["real"] = frame["real"].astype("boolean")
        frame["perceived"] = frame["perceived"].astype("boolean")
        return frame

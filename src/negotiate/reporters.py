"""What a week records: every reporter listed once, and the collector that records them.

Each reporter is a function of the model; :class:`TradeModel` also exposes each one as a
read-only attribute of the same name (``model.us_tariff``), which is what Mesa's
``DataCollector`` reporters by name, SolaraViz and the classroom read.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from .model import TradeModel

Reporter = Callable[["TradeModel"], Any]


_capacity_tpy = attrgetter("capacity_tpy")


def _nonchina_capacity(m: TradeModel) -> float:
    return sum(map(_capacity_tpy, m.suppliers))


# Each reporter is a dotted attribute path of the model (a string) or a function of it.
_SOURCES: dict[str, str | Reporter] = {
    "week": "steps",
    "us_tariff": "us.instruments.tariff_headline",
    "cn_tariff": "cn.instruments.tariff_headline",
    "us_tariff_average": "us.instruments.tariff_average",
    "cn_tariff_average": "cn.instruments.tariff_average",
    "us_curbs": "us.instruments.tech_curbs",
    "cn_curbs": "cn.instruments.tech_curbs",
    "controls_active": "cn.instruments.controls_active",
    "approval_rate": "cn.instruments.approval_rate",
    "review_weeks": "cn.instruments.review_weeks",
    "diversification": "us.instruments.diversification",
    # ``_value_``: the enum member's documented value attribute, read as a plain attribute
    # (``.value`` is a Python-level property; this is read every week).
    "us_posture": "us.posture._value_",
    "cn_posture": "cn.posture._value_",
    "us_complied": "us.complied",
    "cn_complied": "cn.complied",
    "us_trust": "us.trust",
    "cn_trust": "cn.trust",
    "us_pressure": "us.pressure",
    "cn_pressure": "cn.pressure",
    "us_leverage": "us.leverage",
    "cn_leverage": "cn.leverage",
    "rare_earth_flow": "firms.flow",
    "production": "firms.production_mean",
    "inventory_weeks": "firms.cover_weeks",
    "nonchina_capacity_tpy": _nonchina_capacity,
    "price_china": "market.price_china",
    "price_contract": "market.price_contract",
    "price_spot": "market.price_spot",
    "market_mood": "market.mood",
    "agreement_in_force": lambda m: m.truces.current is not None,
    "accusations_us": "us.accusations",
    "accusations_cn": "cn.accusations",
    "false_accusations_us": "us.false_accusations",
    "false_accusations_cn": "cn.false_accusations",
    "snapbacks": lambda m: len(m.truces.snapback_weeks),
    "us_welfare": "us.welfare",
    "cn_welfare": "cn.welfare",
    "detente_index": "detente_index",
}
#: Every reporter as a function of the model, in the model table's column order.
REPORTERS: dict[str, Reporter] = {
    name: attrgetter(source) if isinstance(source, str) else source
    for name, source in _SOURCES.items()}
#: The reporters that are attribute paths, by name (read together in one call).
PATHS: dict[str, str] = {name: source for name, source in _SOURCES.items() if isinstance(source, str)}
MODEL_REPORTERS = tuple(REPORTERS)
#: The classic game has no instruments, firms or markets: only these mean anything there.
CLASSIC_REPORTERS = (
    "week", "us_posture", "cn_posture", "us_complied", "cn_complied", "us_trust", "cn_trust",
    "accusations_us", "accusations_cn", "false_accusations_us", "false_accusations_cn",
    "us_welfare", "cn_welfare", "detente_index",
)
GOVERNMENT_COLUMNS = ("posture", "complied", "trust", "pressure", "leverage", "welfare",
                      "tariff", "tariff_average", "curbs")


@functools.lru_cache(maxsize=16)
def _row_layout(names: tuple[str, ...]) -> tuple[Callable[[Any], tuple[Any, ...]],
                                                 tuple[Reporter, ...], dict[str, int]]:
    """How a week's row is read for these reporters: one ``attrgetter`` over the attribute
    paths, the function reporters after them, and each column's place in the row (built
    once per reporter list: every model of a sweep asks for the same)."""
    paths = [name for name in names if name in PATHS]
    calls = [name for name in names if name not in PATHS]
    getter = attrgetter(*(PATHS[name] for name in paths)) if paths else (lambda _m: ())
    # attrgetter gives a bare value, not a tuple, for a single path.
    read_paths = getter if len(paths) != 1 else (lambda m: (getter(m),))
    order = paths + calls  # a row's order; each column's place in it
    return read_paths, tuple(REPORTERS[name] for name in calls), {
        name: order.index(name) for name in names}


class WeeklyRecord:
    """The weekly model table: one list per reporter (``model_vars``), as Mesa's
    ``DataCollector`` keeps it, so SolaraViz and the app read it alike.

    A week is recorded as one row: the attribute-path reporters are read in one call of
    one ``attrgetter`` (no Python frame per reporter), the few function reporters after
    them; the columns are built, in the reporters' order, when read. Every reporter
    returns a number, a bool or a string, so nothing needs the defensive copy Mesa's
    collector makes.
    """

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = tuple(names)
        self.model_reporters = {name: name for name in names}
        self.steps: list[float] = []
        self.rows: list[tuple[Any, ...]] = []
        self._read_paths, self._calls, self._place = _row_layout(self.names)
        self._columns: dict[str, list[Any]] = {name: [] for name in self.names}

    def collect(self, model: TradeModel) -> None:
        self.steps.append(model.time)
        self.rows.append(self._read_paths(model) + tuple([call(model) for call in self._calls]))

    @property
    def model_vars(self) -> dict[str, list[Any]]:
        """One list per reporter, a value a recorded week (extended as weeks are read)."""
        columns = self._columns
        done = len(next(iter(columns.values()), ()))
        if done < len(self.rows):
            values = list(zip(*self.rows[done:], strict=True))
            for name, column in columns.items():
                column.extend(values[self._place[name]])
        return columns

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        return pd.DataFrame(self.model_vars)


class BatchRunRecord(WeeklyRecord):
    """A :class:`WeeklyRecord` that ``mesa.batch_run`` can read as ``model.datacollector``.

    The one adapter to Mesa's collector: ``batch_run`` reads a ``DataCollector``'s private
    fields (``_collection_steps``, ``_agent_records``, ``_agenttype_records``) and its
    agent reporter dicts. They are given here under Mesa's names, for ``batch_run`` only;
    no module of this project reads them (a test checks). The model's agents report
    nothing per agent, so the agent records are empty.
    """

    agent_reporters: dict = {}
    agenttype_reporters: dict = {}

    @property
    def _collection_steps(self) -> list[float]:
        return self.steps

    @property
    def _agent_records(self) -> dict:
        return {}

    @property
    def _agenttype_records(self) -> dict:
        return {}


def model_table(record: WeeklyRecord, date_of: Callable[[int], str]) -> pd.DataFrame:
    """The weekly model table, with each week's date beside its number."""
    columns = record.model_vars
    if not next(iter(columns.values()), None):
        return pd.DataFrame(columns)
    data = dict(columns)
    dates = {week: date_of(int(week)) for week in set(columns["week"])}
    data["date"] = [dates[week] for week in columns["week"]]
    names = list(columns)
    names.insert(1, "date")  # beside the week
    # One frame from the lists, built once: inserting a column into a built frame copies it.
    return pd.DataFrame(data, columns=names)


def government_table(record: WeeklyRecord) -> pd.DataFrame:
    """One row per government per week, from the us_*/cn_* reporters of ``record``, sorted
    by week and then side (cn before us)."""
    columns = record.model_vars
    weeks = columns.get("week") or []
    if not weeks:
        return pd.DataFrame(columns=["week", "side", *GOVERNMENT_COLUMNS])
    n = len(weeks)
    sides = ["us"] * n + ["cn"] * n
    both_weeks = weeks + weeks
    order = sorted(range(2 * n), key=lambda i: (both_weeks[i], sides[i]))  # stable
    data: dict[str, list[Any]] = {"week": [both_weeks[i] for i in order],
                                  "side": [sides[i] for i in order]}
    for name in GOVERNMENT_COLUMNS:
        us, cn = columns.get(f"us_{name}"), columns.get(f"cn_{name}")
        if us is None and cn is None:
            continue
        values = (us or [math.nan] * n) + (cn or [math.nan] * n)
        data[name] = [values[i] for i in order]
    return pd.DataFrame(data)

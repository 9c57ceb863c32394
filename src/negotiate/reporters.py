"""What a week records: every reporter listed once, and the collector that records them.

Each reporter is a function of the model; :class:`TradeModel` also exposes each one as a
read-only attribute of the same name (``model.us_tariff``), which is what Mesa's
``DataCollector`` reporters by name, SolaraViz and the classroom read.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from .model import TradeModel

Reporter = Callable[["TradeModel"], Any]


def _production(m: TradeModel) -> float:
    return float(m.firms.production.sum()) / m.firms.n if m.firms.n else 1.0


REPORTERS: dict[str, Reporter] = {
    "week": attrgetter("steps"),
    "us_tariff": attrgetter("us.instruments.tariff_headline"),
    "cn_tariff": attrgetter("cn.instruments.tariff_headline"),
    "us_tariff_average": attrgetter("us.instruments.tariff_average"),
    "cn_tariff_average": attrgetter("cn.instruments.tariff_average"),
    "us_curbs": attrgetter("us.instruments.tech_curbs"),
    "cn_curbs": attrgetter("cn.instruments.tech_curbs"),
    "controls_active": attrgetter("cn.instruments.controls_active"),
    "approval_rate": attrgetter("cn.instruments.approval_rate"),
    "review_weeks": attrgetter("cn.instruments.review_weeks"),
    "diversification": attrgetter("us.instruments.diversification"),
    "us_posture": attrgetter("us.posture.value"),
    "cn_posture": attrgetter("cn.posture.value"),
    "us_complied": attrgetter("us.complied"),
    "cn_complied": attrgetter("cn.complied"),
    "us_trust": attrgetter("us.trust"),
    "cn_trust": attrgetter("cn.trust"),
    "us_pressure": attrgetter("us.pressure"),
    "cn_pressure": attrgetter("cn.pressure"),
    "us_leverage": attrgetter("us.leverage"),
    "cn_leverage": attrgetter("cn.leverage"),
    "rare_earth_flow": lambda m: m.firms.flow_share(),
    "production": _production,
    "inventory_weeks": lambda m: m.firms.mean_cover(),
    "nonchina_capacity_tpy": lambda m: sum(sup.capacity_tpy for sup in m.suppliers),
    "price_china": attrgetter("market.price_china"),
    "price_contract": attrgetter("market.price_contract"),
    "price_spot": attrgetter("market.price_spot"),
    "market_mood": attrgetter("market.mood"),
    "agreement_in_force": lambda m: m.truces.current is not None,
    "accusations_us": attrgetter("us.accusations"),
    "accusations_cn": attrgetter("cn.accusations"),
    "false_accusations_us": attrgetter("us.false_accusations"),
    "false_accusations_cn": attrgetter("cn.false_accusations"),
    "snapbacks": lambda m: len(m.truces.snapback_weeks),
    "us_welfare": attrgetter("us.welfare"),
    "cn_welfare": attrgetter("cn.welfare"),
    "detente_index": attrgetter("detente_index"),
}
MODEL_REPORTERS = tuple(REPORTERS)
#: The classic game has no instruments, firms or markets: only these mean anything there.
CLASSIC_REPORTERS = (
    "week", "us_posture", "cn_posture", "us_complied", "cn_complied", "us_trust", "cn_trust",
    "accusations_us", "accusations_cn", "false_accusations_us", "false_accusations_cn",
    "us_welfare", "cn_welfare", "detente_index",
)
GOVERNMENT_COLUMNS = ("posture", "complied", "trust", "pressure", "leverage", "welfare",
                      "tariff", "tariff_average", "curbs")


class WeeklyRecord:
    """The weekly model table: one list per reporter (``model_vars``), as Mesa's
    ``DataCollector`` keeps it, so SolaraViz and the app read it alike.

    A week is recorded as one row, read in one call (each reporter is also a model
    attribute of its name); the columns are built when read. Every reporter returns a
    number, a bool or a string, so nothing needs the defensive copy Mesa's collector makes.
    """

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = tuple(names)
        self.model_reporters = {name: name for name in names}
        self.steps: list[float] = []
        self.rows: list[tuple[Any, ...]] = []
        self._read_row = attrgetter(*self.names)
        self._columns: dict[str, list[Any]] = {name: [] for name in self.names}

    def collect(self, model: TradeModel) -> None:
        self.steps.append(model.time)
        self.rows.append(self._read_row(model))

    @property
    def model_vars(self) -> dict[str, list[Any]]:
        """One list per reporter, a value a recorded week (extended as weeks are read)."""
        columns = self._columns
        done = len(next(iter(columns.values()), ()))
        if done < len(self.rows):
            for column, values in zip(columns.values(), zip(*self.rows[done:], strict=True),
                                      strict=True):
                column.extend(values)
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

"""What a week records: every reporter listed once, and the collector that records them.

Each reporter is a function of the model; :class:`TradeModel` also exposes each one as a
read-only attribute of the same name (``model.us_tariff``), which is what Mesa's
``DataCollector`` reporters by name, SolaraViz and the classroom read.
"""

from __future__ import annotations

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
    ``DataCollector`` keeps it, so ``mesa.batch_run``, SolaraViz and the app read it alike.

    Values are stored as the reporters return them: every reporter returns a number, a bool
    or a string, so nothing needs the defensive copy Mesa's collector makes of each value.
    """

    def __init__(self, names: tuple[str, ...]) -> None:
        self.model_reporters = {name: name for name in names}
        self.model_vars: dict[str, list[Any]] = {name: [] for name in names}
        self.steps: list[float] = []
        self._reporters = [(self.model_vars[name], REPORTERS[name]) for name in names]
        # What mesa.batch_run reads from a collector, under Mesa's own names: the steps
        # collected, and (empty) agent records, since this model's agents report nothing.
        self._collection_steps = self.steps
        self.agent_reporters: dict = {}
        self.agenttype_reporters: dict = {}
        self._agent_records: dict = {}
        self._agenttype_records: dict = {}

    def collect(self, model: TradeModel) -> None:
        self.steps.append(model.time)
        for column, reporter in self._reporters:
            column.append(reporter(model))

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        return pd.DataFrame(self.model_vars)


def government_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per government per week, reshaped from the us_*/cn_* columns of ``frame``."""
    rows = []
    for side in ("us", "cn"):
        if frame.empty:
            break
        part = pd.DataFrame({"week": frame["week"], "side": side})
        for column in GOVERNMENT_COLUMNS:
            source = f"{side}_{column}"
            if source in frame:
                part[column] = frame[source].to_numpy()
        rows.append(part)
    if not rows:
        return pd.DataFrame(columns=["week", "side", *GOVERNMENT_COLUMNS])
    return pd.concat(rows, ignore_index=True).sort_values(["week", "side"], kind="stable",
                                                          ignore_index=True)

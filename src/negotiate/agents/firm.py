"""Firms that use magnets, and the non-China suppliers whose capacity ramps.

Firms are Mesa agents, but their weekly update is vectorised over numpy arrays held by
:class:`FirmPanel` on the model: at 10,000 firms a per-agent Python loop would cost more
than the rest of the game together (see ``benchmarks/``). Each :class:`Firm` is a view onto
its row, so Mesa's agent API and the classroom seats still see ordinary agents.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

from ..calendar import HOMES, SECTORS
from ..params import ELEMENTS
from ..policy import LICENCE_WEEKS
from .firm_week import (
    TOTALS,
    WEEK_ROWS,
    decide_and_find,
    file_applications,
    firm_week,
    licences_due,
    lobbying_into,
)

if TYPE_CHECKING:
    from ..model import TradeModel
    from ..scenario import TradeScenario

# Shares of magnet demand by sector and home (automotive and EV/wind motors dominate;
# IEA and the CLEPA reports of 2025 are mostly about automotive suppliers).
SECTOR_WEIGHTS = dict(zip(SECTORS, (0.40, 0.10, 0.08, 0.22, 0.20), strict=True))
HOME_WEIGHTS = dict(zip(HOMES, (0.35, 0.30, 0.15, 0.10, 0.10), strict=True))
DEFENCE = SECTORS.index("defence")
US_HOME = HOMES.index("US")
MAX_STOCKPILE_WEEKS = 26.0
# What a firm's magnets contain (facts §0, §1.2, §2.4). Every firm uses NdFeB (Nd, Pr); a
# heavy-RE-bearing grade adds Dy and Tb, whose combined content (% by weight) decides under
# the threshold rule whether a Dy/Tb control reaches it; defence primes also use SmCo (Sm),
# which Announcement No. 18 names. The content range is a guess (high-coercivity grades
# carry a few per cent); the facts give only the 0.1 % threshold.
LIGHT = ("Nd", "Pr")
DYTB = ("Dy", "Tb")
SMCO = ("Sm",)
DYTB_PCT_RANGE = (1.0, 8.0)
# No licence decision falls due before this week (nothing is pending).
_NONE_DUE = 2 ** 63
# What the compiled steps are given for "no seat pushes" and "nothing drawn".
_NO_EXTRA = np.zeros(0)
_NO_DRAWS = np.zeros(0)
#: Columns of the weekly firm table (``negotiate run --out``), in order.
FIRM_COLUMNS = ("week", "firm", "home", "sector", "buffer_target_weeks", "demand_t",
                "received_china_t", "received_other_t", "in_transit_t", "cover_weeks",
                "production", "china_share", "needs_licence", "licensed", "pending", "lobbying")


def lobbying_effort(production: np.ndarray, inventory: np.ndarray, inv_cover: np.ndarray,
                    extra: np.ndarray | None) -> np.ndarray:
    """Each firm's lobbying effort, 0..1 (the rule is :func:`firm_week.lobbying_into`), for
    the per-firm view and the firm table; ``extra`` is a classroom seat's push, or None."""
    effort = np.empty(production.shape)
    lobbying_into(effort, production, inventory, inv_cover, _NO_EXTRA if extra is None else extra)
    return effort


@functools.lru_cache(maxsize=64)
def _element_mask(elements: tuple[str, ...]) -> np.ndarray:
    # Built once per element set (every model asks for the same few): read-only, shared.
    mask = np.isin(np.array(ELEMENTS), list(elements))
    mask.flags.writeable = False
    return mask


class FirmPanel:
    """The firms' state as arrays, one row per firm, and their weekly update."""

    def __init__(self, n: int, rng: np.random.Generator, *, demand_tpy: float,
                 buffer_weeks: float, jit_share: float, jit_buffer_weeks: float,
                 china_share: float, heavy_share: float, buffer_spread: float = 0.0,
                 dytb_threshold_pct: float = 0.1,
                 transit_weeks: tuple[int, ...] = (0,) * len(HOMES),
                 approval_factors: tuple[float, ...] = (1.0,) * len(HOMES)) -> None:
        self.n = n
        sector_p = np.array(list(SECTOR_WEIGHTS.values()))
        home_p = np.array(list(HOME_WEIGHTS.values()))
        self.sector = rng.choice(len(SECTORS), size=n, p=sector_p).astype(np.int8)
        self.home = rng.choice(len(HOMES), size=n, p=home_p).astype(np.int8)
        size = rng.lognormal(0.0, 0.5, size=n)
        self.demand = size / size.sum() * (demand_tpy / 52.0) if n else size  # t/week
        jit = rng.random(n) < jit_share
        # Each firm's own cover, spread around its type's (2-3 months, JIT 2-4 weeks; §2.4).
        spread = 1.0 + buffer_spread * rng.uniform(-1.0, 1.0, size=n)
        self.buffer_weeks = np.where(jit, jit_buffer_weeks, buffer_weeks) * spread
        self.stockpile_weeks = np.zeros(n)
        self.inventory = self.demand * self.buffer_weeks
        share_spread = rng.uniform(-0.1, 0.1, size=n)
        self.china_share = np.clip(china_share + share_spread, 0.0, 1.0)
        # Magnet content: heavy-RE-bearing NdFeB carries Dy+Tb; the others none.
        heavy_grade = rng.random(n) < heavy_share
        self.dytb_pct = np.where(heavy_grade, rng.uniform(*DYTB_PCT_RANGE, size=n), 0.0)
        self.dytb_threshold_pct = dytb_threshold_pct
        self.contains = np.zeros((n, len(ELEMENTS)), dtype=bool)
        self.contains[:, _element_mask(LIGHT)] = True
        self.contains[self.sector == DEFENCE] |= _element_mask(SMCO)
        self._controlled: tuple[str, ...] | None = None
        self.heavy = np.zeros(n, dtype=bool)  # needs a licence under the controlled set
        # Goods in transit from China: a ring of weekly arrival slots, lead time by home. The
        # ring fits every home's lead time, so a firm recast to another home fits it too.
        self._transit_by_home = np.asarray(transit_weeks, dtype=np.int64)
        self.transit_weeks = self._transit_by_home[self.home] if n else np.zeros(0, dtype=np.int64)
        self._slots = int(self._transit_by_home.max()) + 1 if n else 1
        self._stepped = False
        self._lay_pipeline()
        self.received_china = np.zeros(n)
        self.received_other = np.zeros(n)
        self.approval_factors = np.asarray(approval_factors, dtype=float)
        self.licence_until = np.full(n, -1, dtype=np.int64)
        self.pending_until = np.full(n, -1, dtype=np.int64)
        self._due = np.empty(n, dtype=np.int64)  # the licensing steps' working lists
        self._applicants = np.empty(n, dtype=np.int64)
        self._next_due = _NONE_DUE  # no decision falls due before this week
        self.production = np.ones(n)
        self._lobbying: np.ndarray | None = np.zeros(n)
        self.extra_lobbying = np.zeros(n)
        self.stopped = np.zeros(n, dtype=bool)  # below half production (the week updates it)
        # The compiled week's working rows (order, to China, held back, shipped, made), its
        # lobbying efforts and its totals: reused each week, never kept.
        self._scratch = np.zeros((5, n))
        self._made_row = self._scratch[4]
        self._effort = np.empty(n)
        self._totals = np.zeros(len(TOTALS))
        self.total_demand = float(self.demand.sum())
        #: This week's share of magnet demand met, mean production and weeks of cover held:
        #: plain attributes, as the weekly table reads them every week (each week's totals
        #: are numpy's sums, from the compiled week).
        self.flow = 1.0
        self.production_mean = float(np.add.reduce(self.production)) / n if n else 1.0
        self.cover_weeks = float(np.add.reduce(self.inventory)) / self.total_demand if n else 0.0
        with np.errstate(divide="ignore"):
            self._inv_demand = 1.0 / self.demand
        self._inv_cover = self._inv_demand / np.maximum(self.buffer_weeks, 1e-9)
        self._derive()
        self._pending = False
        self._made = None
        self._home_shortage = None
        self.us_shortage = 0.0
        self.us_lobbying = 0.0
        self._targets_stale = True  # a seat moved a lever (stockpile, lobbying)
        self._any_extra = False
        self._any_stockpile = False
        # Weekly totals the market and governments read.
        self.supply_china = 0.0  # shipped by China this week (t)
        self.delivered_china = 0.0  # arrived from China this week (t)
        self.supply_nonchina = 0.0
        self.blocked = 0.0
        self.ordered_nonchina = 0.0
        self.approved = 0
        self.denied = 0
        self.applied = 0
        self.new_stoppages = 0

    @classmethod
    def from_scenario(cls, n: int, rng: np.random.Generator, s: TradeScenario) -> FirmPanel:
        """The panel a scenario describes (``firms.*``, ``supply.transit_weeks_*``, ...)."""
        homes = [h.lower() for h in HOMES]
        panel = cls(n, rng, demand_tpy=s.supply_demand_tpy, buffer_weeks=s.firms_buffer_weeks,
                   jit_share=s.firms_jit_share, jit_buffer_weeks=s.firms_jit_buffer_weeks,
                   china_share=s.firms_china_share, heavy_share=s.firms_heavy_share,
                   buffer_spread=s.firms_buffer_spread,
                   dytb_threshold_pct=s.firms_dytb_threshold_pct,
                   transit_weeks=tuple(int(round(getattr(s, f"supply_transit_weeks_{h}")))
                                       for h in homes),
                   approval_factors=tuple(getattr(s, f"cn_approval_factor_{h}") for h in homes))
        panel.set_controlled(tuple(s.cn_controlled_elements))
        return panel

    def _lay_pipeline(self) -> None:
        """Goods at sea when the run starts (each firm's steady China shipments over its lead
        time), and where each week's shipments land in the ring."""
        n = self.n
        self.pipeline = np.zeros((self._slots, n))
        steady = self.demand * self.china_share
        for ahead in range(1, self._slots):
            self.pipeline[ahead % self._slots] = np.where(self.transit_weeks >= ahead, steady, 0.0)
        self.in_transit = self.pipeline.sum(axis=0)

    def set_controlled(self, elements: tuple[str, ...]) -> None:
        """Which firms need a licence: any contained element controlled, Dy/Tb only above the
        threshold (facts §2.4: magnets with Dy+Tb <= 0.1 % often ship without one)."""
        if elements == self._controlled:
            return
        self._controlled = elements
        controlled = _element_mask(elements)
        dytb = _element_mask(DYTB)
        other = self.contains[:, controlled & ~dytb].any(axis=1)
        over = self.dytb_pct > self.dytb_threshold_pct
        self.heavy = other | (over & bool((controlled & dytb).any()))
        self._derive()

    def _derive(self) -> None:
        """Caches that depend on who the firms are (home, heavy-RE need)."""
        self._home_demand = np.bincount(self.home, weights=self.demand, minlength=len(HOMES))
        with np.errstate(divide="ignore"):
            self._home_demand_inv = np.where(self._home_demand > 0, 1.0 / self._home_demand, 0.0)
        self._light = ~self.heavy
        self._has_home = self._home_demand > 0
        self._has_us = bool(self._has_home[US_HOME])
        self._us = self.home == US_HOME
        self._heavy_us = self._us & self.heavy
        # Weights that turn a per-firm array into a U.S. share with one dot product: a rate
        # (0..1 per firm) is weighted by demand, a quantity (t/week) only by the home total.
        self._us_quantity_weight = self._us * self._home_demand_inv[US_HOME]
        self._us_weight = self.demand * self._us_quantity_weight
        self._approval_factor = self.approval_factors[self.home] if self.n else np.zeros(0)
        self._defence = self.sector == DEFENCE
        self._us_heavy_weight = self.demand * self._heavy_us * self._home_demand_inv[US_HOME]
        self.us_dependency = float(self.china_share @ self._us_heavy_weight) if self.n else 0.0

    def recast(self, index: int, *, sector: int, home: int, heavy: bool) -> None:
        """Give firm ``index`` another sector, home and heavy-RE need (classroom seat casting)."""
        self.sector[index] = sector
        self.home[index] = home
        # Content follows the cast, so a later change of the controlled set keeps it.
        if heavy and not self.heavy[index]:
            self.dytb_pct[index] = max(self.dytb_pct[index], DYTB_PCT_RANGE[1])
        elif not heavy:
            self.dytb_pct[index] = 0.0
            self.contains[index, _element_mask(SMCO)] = False
        self.heavy = self.heavy.copy()  # earlier snapshots keep the old array
        self.heavy[index] = heavy
        transit = self._transit_by_home[home]
        if self.transit_weeks[index] != transit:
            # The new home's lead time. Cast before the first week (as the classroom casts),
            # its goods at sea are laid again; later, what is at sea lands when it was due.
            self.transit_weeks = self.transit_weeks.copy()
            self.transit_weeks[index] = transit
            if not self._stepped:
                self._lay_pipeline()
        self._derive()

    # ------------------------------------------------------------------ weekly update
    def step(self, week: int, rng: np.random.Generator, *, controls: bool, approval_rate: float,
             defence_factor: float, review_weeks: float, licence_kind: str,
             nonchina_capacity: float, switch_rate: float,
             controlled_elements: tuple[str, ...] = ()) -> None:
        # The week's arithmetic is one compiled pass (``firm_week``); here it is only
        # sequenced, and the arrays it makes are kept (new each week: see ``snapshot``).
        if self.n == 0:
            return
        self._stepped = True
        if controlled_elements != self._controlled:
            self.set_controlled(controlled_elements)
        if controls or self._pending:
            self._licensing(week, rng, controls, approval_rate, defence_factor, review_weeks,
                            licence_kind)
        else:
            self.approved = self.denied = self.applied = 0
        if self._targets_stale:
            self._refresh_targets()
        rows = np.empty((len(WEEK_ROWS), self.n))
        totals = self._totals
        # Scalars go in as floats: numba compiles a kernel once for each set of argument types.
        firm_week(week, week % self._slots, controls, self._terms, self.china_share,
                  self.transit_weeks, self.inventory, self.in_transit, self.stopped,
                  self.licence_until, self.heavy, self.pending_until,
                  self.extra_lobbying if self._any_extra else _NO_EXTRA, self.pipeline,
                  float(nonchina_capacity), float(switch_rate), rows, self._scratch,
                  self._effort, totals)
        (self.inventory, self.production, self.in_transit, self.received_china,
         self.received_other, shares) = rows
        (total_request, self.blocked, self.supply_china, self.delivered_china, total_made,
         new_stoppages, switched, earliest, production_total, inventory_total) = totals.tolist()
        self.new_stoppages = int(new_stoppages)
        self._pending = earliest >= 0
        self._next_due = int(earliest) if self._pending else _NONE_DUE
        if switched:
            self.china_share = shares
            self.us_dependency = float(shares @ self._us_heavy_weight)
        self.supply_nonchina = min(total_request, nonchina_capacity)
        self.ordered_nonchina = total_request
        # Aggregates the governments read every week (only the U.S. ones are needed weekly).
        made = self._made = self._made_row
        self._home_shortage = None
        self.us_shortage = (max(0.0, 1.0 - float(made @ self._us_quantity_weight))
                            if self._has_us else 0.0)
        self.flow = total_made / self.total_demand
        self.production_mean = production_total / self.n
        self.cover_weeks = inventory_total / self.total_demand
        self._lobbying = None  # computed when asked: only U.S. lobbying is read every week
        self.us_lobbying = float(self._effort @ self._us_weight)

    def _refresh_targets(self) -> None:
        """The per-firm terms of the week (``firm_week.TERMS``): they change only with a
        seat's levers (stockpile, lobbying)."""
        target = self.demand * (self.buffer_weeks + self.stockpile_weeks)
        self._any_extra = bool(self.extra_lobbying.any())
        self._any_stockpile = bool(self.stockpile_weeks.any())
        self._targets_stale = False
        self._terms = np.stack((self.demand, self._inv_demand, self._inv_cover, target,
                                0.5 * target))  # rows: firm_week.TERMS

    @property
    def home_shortage(self) -> np.ndarray:
        """Share of each home's demand not produced this week."""
        if self._home_shortage is None:
            made = self._made if self._made is not None else self.demand
            by_home = np.bincount(self.home, weights=made, minlength=len(HOMES))
            self._home_shortage = (1.0 - by_home * self._home_demand_inv) * self._has_home
        return self._home_shortage

    @property
    def lobbying(self) -> np.ndarray:
        """Each firm's lobbying effort this week (:func:`lobbying_effort`)."""
        if self._lobbying is None:
            self._lobbying = lobbying_effort(self.production, self.inventory, self._inv_cover,
                                             self.extra_lobbying)
        return self._lobbying

    def _licensing(self, week: int, rng: np.random.Generator, controls: bool,
                   approval_rate: float, defence_factor: float, review_weeks: float,
                   licence_kind: str) -> None:
        """Decide the applications due, and file new ones under controls."""
        due = self._due
        count = licences_due(self.pending_until, week, due) if week >= self._next_due else 0
        draws = rng.random(count) if count else _NO_DRAWS
        approved, applying = decide_and_find(
            due, count, draws, float(approval_rate), float(defence_factor), self._approval_factor,
            self._defence, self.licence_until, self.pending_until,
            week + LICENCE_WEEKS[licence_kind], controls, float(week + review_weeks), self.heavy,
            self._applicants)
        self.approved, self.denied, self.applied = approved, count - approved, applying
        if applying:
            file_applications(self._applicants, applying, rng.random(applying),
                              float(review_weeks), week, self.pending_until)

    # ------------------------------------------------------------------ aggregates
    def shortage(self, home: int) -> float:
        """Share of a home's demand not produced this week."""
        if home == US_HOME:
            return self.us_shortage
        return max(0.0, float(self.home_shortage[home]))

    def lobbying_of(self, home: int) -> float:
        if home == US_HOME:
            return self.us_lobbying
        mask = self.home == home
        return float(self.lobbying[mask] @ self.demand[mask]) * self._home_demand_inv[home]

    def dependency(self, home: int) -> float:
        """Share of a home's demand that needs licensed Chinese heavy rare earths."""
        if home == US_HOME:
            return self.us_dependency
        mask = (self.home == home) & self.heavy
        return float(self.china_share[mask] @ self.demand[mask]) * self._home_demand_inv[home]

    def receipts(self, home: int) -> tuple[float, float]:
        """Tonnes a home's firms received this week (from China, from others)."""
        mask = self.home == home
        return float(self.received_china[mask].sum()), float(self.received_other[mask].sum())

    def snapshot(self, week: int) -> dict:
        # Arrays that are replaced, never changed in place (the step's results, the shares,
        # the licence need and a seat's levers: see Firm), are kept by reference; cover and
        # lobbying are derived, and everything narrowed to float32, only when a table is built.
        if self._targets_stale:
            self._refresh_targets()
        return {
            "week": week,
            "inventory": self.inventory,
            "production": self.production,
            "china_share": self.china_share,
            "received_china": self.received_china,
            "received_other": self.received_other,
            "in_transit": self.in_transit,
            "needs_licence": self.heavy,
            "licensed": self.licence_until >= week,
            "pending": self.pending_until >= 0,
            "extra": self.extra_lobbying if self._any_extra else None,
            "stockpile": self.stockpile_weeks if self._any_stockpile else None,
        }

    def panel_table(self, snapshots: list[dict]):
        """The weekly firm panel as one DataFrame (columns ``FIRM_COLUMNS``)."""
        import pandas as pd

        if not snapshots:
            return pd.DataFrame(columns=list(FIRM_COLUMNS))
        n, weeks = self.n, len(snapshots)

        def stack(key: str) -> np.ndarray:
            return np.concatenate([snap[key] for snap in snapshots])

        def stack_or_zero(key: str) -> np.ndarray:
            return np.concatenate([snap[key] if snap[key] is not None else np.zeros(n)
                                   for snap in snapshots])

        inventory, production = stack("inventory"), stack("production")
        demand = np.tile(self.demand, weeks)
        lobbying = lobbying_effort(production, inventory, np.tile(self._inv_cover, weeks),
                                   stack_or_zero("extra"))
        return pd.DataFrame({
            "week": np.repeat(np.array([snap["week"] for snap in snapshots], dtype=np.int32), n),
            "firm": np.tile(np.arange(n, dtype=np.int32), weeks),
            "home": pd.Categorical.from_codes(np.tile(self.home, weeks), HOMES),
            "sector": pd.Categorical.from_codes(np.tile(self.sector, weeks), SECTORS),
            "buffer_target_weeks": (np.tile(self.buffer_weeks, weeks)
                                    + stack_or_zero("stockpile")).astype(np.float32),
            "demand_t": demand,
            "received_china_t": stack("received_china"),
            "received_other_t": stack("received_other"),
            "in_transit_t": stack("in_transit"),
            "cover_weeks": (inventory / demand).astype(np.float32),
            "production": production.astype(np.float32),
            "china_share": stack("china_share").astype(np.float32),
            "needs_licence": stack("needs_licence"),
            "licensed": stack("licensed"),
            "pending": stack("pending"),
            "lobbying": lobbying.astype(np.float32),
        }, columns=list(FIRM_COLUMNS))


class Firm(mesa.Agent):
    """A magnet-using firm (automaker, chip maker, defence prime, ...): a row of the panel."""

    def __init__(self, model: TradeModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def _panel(self) -> FirmPanel:
        return self.model.firms

    @property
    def sector(self) -> str:
        return SECTORS[self._panel.sector[self.index]]

    @property
    def home(self) -> str:
        return HOMES[self._panel.home[self.index]]

    @property
    def inventory_weeks(self) -> float:
        p = self._panel
        return float(p.inventory[self.index] / p.demand[self.index])

    @property
    def production(self) -> float:
        return float(self._panel.production[self.index])

    @property
    def china_share(self) -> float:
        return float(self._panel.china_share[self.index])

    @property
    def licensed(self) -> bool:
        return bool(self._panel.licence_until[self.index] >= self.model.week)

    @property
    def licence_pending(self) -> bool:
        return bool(self._panel.pending_until[self.index] >= 0)

    @property
    def needs_licence(self) -> bool:
        return bool(self._panel.heavy[self.index])

    # Levers a classroom seat pulls; bounds are checked by the caller (negotiate.moves).
    # Each replaces the panel's array rather than changing it in place: the weekly firm
    # table keeps earlier weeks' arrays by reference (FirmPanel.snapshot).
    def stockpile(self, extra_weeks: float) -> None:
        p = self._panel
        p.stockpile_weeks = p.stockpile_weeks.copy()
        p.stockpile_weeks[self.index] = float(np.clip(extra_weeks, 0, MAX_STOCKPILE_WEEKS))
        p._targets_stale = True

    def switch_suppliers(self, share_moved: float) -> None:
        p = self._panel
        p.china_share = p.china_share.copy()
        p.china_share[self.index] = float(np.clip(p.china_share[self.index] * (1 - share_moved), 0, 1))
        p.us_dependency = float(p.china_share @ p._us_heavy_weight)  # China's leverage reads it

    def lobby(self, effort: float) -> None:
        p = self._panel
        p.extra_lobbying = p.extra_lobbying.copy()
        p.extra_lobbying[self.index] = float(np.clip(effort, 0, 1))
        p._targets_stale = True

    def apply_for_licence(self) -> None:
        p = self._panel
        if p.pending_until[self.index] < 0 and p.heavy[self.index]:
            review = self.model.cn.instruments.review_weeks
            due = self.model.week + max(1, round(review))
            p.pending_until[self.index] = due
            p._pending = True
            p._next_due = min(p._next_due, due)


WEEKS_A_YEAR = 52.0  # a supplier's yearly capacity over its weekly


@dataclass
class SupplierSpec:
    name: str
    home: str
    share: float  # of non-China capacity at week 1 and of the announced target


# Non-China magnet and separated-oxide supply (facts §2.6-2.7): MP Materials (Independence,
# 10X from 2028), Lynas (Kuantan; first Dy outside China May 2025), Neo (Narva, 2,000 t/yr),
# VAC/e-VAC (South Carolina), Energy Fuels (White Mesa).
SUPPLIERS = (
    SupplierSpec("MP-like (Mountain Pass / Independence)", "US", 0.20),
    SupplierSpec("Lynas-like (Mt Weld / Kuantan)", "AU", 0.30),
    SupplierSpec("Neo-like (Narva)", "EU", 0.20),
    SupplierSpec("VAC-like (South Carolina)", "US", 0.20),
    SupplierSpec("Energy Fuels-like (White Mesa)", "US", 0.10),
)


class Supplier(mesa.Agent):
    """A non-China supplier whose capacity ramps toward its announced target.

    New rare-earth facilities take about 8 years on average (IEA); a mine up to 7 (Argonne).
    Diversification support (price floors, equity, offtake, as in the MP-DoD deal of 10 July
    2025) divides the ramp time by ``1 + speedup * support``.
    """

    def __init__(self, model: TradeModel, spec: SupplierSpec, capacity_tpy: float,
                 target_tpy: float) -> None:
        super().__init__(model)
        self.name = spec.name
        self.home = spec.home
        self.capacity_tpy = capacity_tpy
        # Kept beside the yearly figure (written together, here and in ramp_week): the firms'
        # week sums it every week, and a plain attribute costs no call.
        self.capacity_tpw = capacity_tpy / WEEKS_A_YEAR
        self.target_tpy = max(target_tpy, capacity_tpy)
        self.extra_investment = 0.0  # a classroom seat's own push, 0..1
        self._gap = self.target_tpy - capacity_tpy

    @property
    def ramping(self) -> bool:
        return self._gap > 0 and self.capacity_tpy < self.target_tpy

    @staticmethod
    def ramp_week(suppliers: list[Supplier], support: float, ramp_weeks: float,
                  speedup: float) -> list[Supplier]:
        """One week of ramp-up for each of ``suppliers``; those still ramping afterwards.

        ``suppliers`` are ramping (:attr:`ramping`), as the ones this returned are. One call for
        them all, not one a supplier: this runs every week. The ramp time is worked out once
        for the suppliers without a seat's extra push (``support + 0.0`` is ``support``)."""
        shared = ramp_weeks / (1.0 + speedup * (support if support < 1.0 else 1.0))
        still = []
        for sup in suppliers:
            effective = shared
            extra = sup.extra_investment
            if extra:
                push = support + extra
                effective = ramp_weeks / (1.0 + speedup * (push if push < 1.0 else 1.0))
            grown = sup.capacity_tpy + sup._gap / effective
            target = sup.target_tpy
            if grown < target:
                still.append(sup)
            else:
                grown = target
            sup.capacity_tpy = grown
            sup.capacity_tpw = grown / WEEKS_A_YEAR
        return still

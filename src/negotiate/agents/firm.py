"""Firms that use magnets, and the non-China suppliers whose capacity ramps.

Firms are Mesa agents, but their weekly update is vectorised over numpy arrays held by
:class:`FirmPanel` on the model: at 10,000 firms a per-agent Python loop would cost more
than the rest of the game together (see ``benchmarks/``). Each :class:`Firm` is a view onto
its row, so Mesa's agent API and the classroom seats still see ordinary agents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

from ..calendar import HOMES, SECTORS
from ..policy import LICENCE_WEEKS

if TYPE_CHECKING:
    from ..model import TradeModel

# Shares of magnet demand by sector and home (automotive and EV/wind motors dominate;
# IEA and the CLEPA reports of 2025 are mostly about automotive suppliers).
SECTOR_WEIGHTS = dict(zip(SECTORS, (0.40, 0.10, 0.08, 0.22, 0.20), strict=True))
HOME_WEIGHTS = dict(zip(HOMES, (0.35, 0.30, 0.15, 0.10, 0.10), strict=True))
DEFENCE = SECTORS.index("defence")
US_HOME = HOMES.index("US")
# Share of a blocked Chinese order that firms try to buy on the thin non-China spot market.
SPOT_SCRAMBLE = 0.5
# Part of the gap to target cover that firms reorder each week.
RESTOCK = 0.25
MAX_STOCKPILE_WEEKS = 26.0


class FirmPanel:
    """The firms' state as arrays, one row per firm, and their weekly update."""

    def __init__(self, n: int, rng: np.random.Generator, *, demand_tpy: float,
                 buffer_weeks: float, jit_share: float, jit_buffer_weeks: float,
                 china_share: float, heavy_share: float) -> None:
        self.n = n
        sector_p = np.array(list(SECTOR_WEIGHTS.values()))
        home_p = np.array(list(HOME_WEIGHTS.values()))
        self.sector = rng.choice(len(SECTORS), size=n, p=sector_p).astype(np.int8)
        self.home = rng.choice(len(HOMES), size=n, p=home_p).astype(np.int8)
        size = rng.lognormal(0.0, 0.5, size=n)
        self.demand = size / size.sum() * (demand_tpy / 52.0) if n else size  # t/week
        jit = rng.random(n) < jit_share
        self.buffer_weeks = np.where(jit, jit_buffer_weeks, buffer_weeks)
        self.stockpile_weeks = np.zeros(n)
        self.inventory = self.demand * self.buffer_weeks
        spread = rng.uniform(-0.1, 0.1, size=n)
        self.china_share = np.clip(china_share + spread, 0.0, 1.0)
        self.heavy = rng.random(n) < heavy_share
        self.licence_until = np.full(n, -1, dtype=np.int64)
        self.pending_until = np.full(n, -1, dtype=np.int64)
        self.production = np.ones(n)
        self._lobbying: np.ndarray | None = np.zeros(n)
        self.extra_lobbying = np.zeros(n)
        self.stopped = np.zeros(n, dtype=bool)
        self.total_demand = float(self.demand.sum())
        self._buffer_floor = np.maximum(self.buffer_weeks, 1e-9)
        with np.errstate(divide="ignore"):
            self._inv_demand = 1.0 / self.demand
        self._inv_cover = self._inv_demand / self._buffer_floor
        self._derive()
        self._pending = False
        self._made = None
        self._home_shortage = None
        self._flow = 1.0
        self.us_shortage = 0.0
        self.us_lobbying = 0.0
        self._stockpile_changed = True
        self._any_extra = False
        # Weekly totals the market and governments read.
        self.supply_china = 0.0
        self.supply_nonchina = 0.0
        self.blocked = 0.0
        self.ordered_nonchina = 0.0
        self.approved = 0
        self.denied = 0
        self.applied = 0
        self.new_stoppages = 0

    def _derive(self) -> None:
        """Caches that depend on who the firms are (home, heavy-RE need)."""
        self._home_demand = np.bincount(self.home, weights=self.demand, minlength=len(HOMES))
        with np.errstate(divide="ignore"):
            self._home_demand_inv = np.where(self._home_demand > 0, 1.0 / self._home_demand, 0.0)
        self._light = ~self.heavy
        self._has_home = self._home_demand > 0
        self._us = self.home == US_HOME
        self._heavy_us = self._us & self.heavy
        # Weights that turn a per-firm array into a U.S. share with one dot product.
        self._us_weight = self.demand * self._us * self._home_demand_inv[US_HOME]
        self._us_heavy_weight = self.demand * self._heavy_us * self._home_demand_inv[US_HOME]
        self.us_dependency = float(self.china_share @ self._us_heavy_weight) if self.n else 0.0

    def recast(self, index: int, *, sector: int, home: int, heavy: bool) -> None:
        """Give firm ``index`` another sector, home and heavy-RE need (classroom seat casting)."""
        self.sector[index] = sector
        self.home[index] = home
        self.heavy[index] = heavy
        self._derive()

    # ------------------------------------------------------------------ weekly update
    def step(self, week: int, rng: np.random.Generator, *, controls: bool, approval_rate: float,
             defence_factor: float, review_weeks: float, licence_kind: str,
             nonchina_capacity: float, switch_rate: float) -> None:
        if self.n == 0:
            return
        if controls or self._pending:
            china_ok = self._licensing(week, rng, controls, approval_rate, defence_factor,
                                       review_weeks, licence_kind)
        else:
            china_ok = None  # no licensing this week: every order to China ships
            self.approved = self.denied = self.applied = 0
        demand = self.demand
        if self._stockpile_changed:
            self._refresh_targets()
        target = self._target
        order = demand + np.maximum(target - self.inventory, 0.0) * RESTOCK
        to_china = order * self.china_share
        request = order - to_china
        if china_ok is None:
            blocked = None
            blocked_total = 0.0
        else:
            blocked = np.where(china_ok, 0.0, to_china)
            request += blocked * SPOT_SCRAMBLE
            blocked_total = float(blocked.sum())
        total_request = float(request.sum())
        if total_request <= nonchina_capacity:
            # The usual case: every non-China request is filled, and China (elastic, >200
            # kt/yr of magnets) ships the rest of every permitted order.
            got_nonchina = request
            got_china = to_china if blocked is None else to_china - blocked
            available = self.inventory + order
            if blocked is not None:
                available -= blocked * (1.0 - SPOT_SCRAMBLE)
        else:
            got_nonchina = request * (nonchina_capacity / total_request)
            got_china = np.maximum(order - got_nonchina, 0.0)
            if china_ok is not None:
                got_china *= china_ok
            available = self.inventory + got_china + got_nonchina
        production = np.minimum(1.0, available * self._inv_demand)
        made = production * demand
        self.inventory = available - made
        stopped = production < 0.5
        self.new_stoppages = int(np.count_nonzero(stopped & ~self.stopped))
        self.stopped = stopped
        self.production = production

        if switch_rate > 0.0:
            short = (production < 1.0) | (self.inventory < self._half_target)
            if short.any():
                self.china_share = np.where(short, self.china_share * (1.0 - switch_rate),
                                            self.china_share)
                self.us_dependency = float(self.china_share @ self._us_heavy_weight)

        total_made = float(made.sum())
        self.supply_nonchina = min(total_request, nonchina_capacity)
        self.supply_china = float(order.sum()) - self.supply_nonchina - blocked_total * (1 - SPOT_SCRAMBLE) \
            if total_request <= nonchina_capacity else float(got_china.sum())
        self.blocked = blocked_total
        self.ordered_nonchina = total_request
        # Aggregates the governments read every week (only the U.S. ones are needed weekly).
        self._made = made
        self._home_shortage = None
        self.us_shortage = max(0.0, 1.0 - float(made @ self._us_weight)) if self._has_home[US_HOME] else 0.0
        self._flow = total_made / self.total_demand
        self._lobbying = None  # computed when asked: only U.S. lobbying is read every week
        fear = np.clip(1.0 - self.inventory * self._inv_cover, 0.0, 1.0)
        effort = (1.0 - production) + 0.5 * fear
        if self._any_extra:
            effort += self.extra_lobbying
        self.us_lobbying = float(np.minimum(effort, 1.0) @ self._us_weight)

    def _refresh_targets(self) -> None:
        self._target = self.demand * (self.buffer_weeks + self.stockpile_weeks)
        self._half_target = 0.5 * self._target
        self._any_extra = bool(self.extra_lobbying.any())
        self._stockpile_changed = False

    @property
    def home_shortage(self) -> np.ndarray:
        """Share of each home's demand not produced this week."""
        if self._home_shortage is None:
            made = self._made if self._made is not None else self.demand
            by_home = np.bincount(self.home, weights=made, minlength=len(HOMES))
            self._home_shortage = (1.0 - by_home * self._home_demand_inv) * self._has_home
        return self._home_shortage

    def _lobbying_of(self, mask: np.ndarray) -> np.ndarray:
        """Lobbying effort, 0..1: lost production plus fear of running out, plus a seat's push."""
        demand = self.demand[mask]
        fear = np.clip(1.0 - self.inventory[mask] / (demand * self._buffer_floor[mask]), 0.0, 1.0)
        return np.minimum(1.0, (1.0 - self.production[mask]) + 0.5 * fear + self.extra_lobbying[mask])

    @property
    def lobbying(self) -> np.ndarray:
        if self._lobbying is None:
            self._lobbying = self._lobbying_of(slice(None))
        return self._lobbying

    def _licensing(self, week: int, rng: np.random.Generator, controls: bool,
                   approval_rate: float, defence_factor: float, review_weeks: float,
                   licence_kind: str) -> np.ndarray:
        """Decide due applications, file new ones; return which firms may buy from China."""
        pending = self.pending_until
        # -1 (nothing pending) reads as a huge unsigned number: one comparison finds 0 <= p <= week.
        due = np.flatnonzero(pending.view(np.uint64) <= week)
        if due.size:
            rate = np.where(self.sector[due] == DEFENCE, approval_rate * defence_factor, approval_rate)
            ok = rng.random(due.size) < rate
            self.licence_until[due[ok]] = week + LICENCE_WEEKS[licence_kind]
            pending[due] = -1
            self.approved = int(np.count_nonzero(ok))
            self.denied = int(due.size) - self.approved
        else:
            self.approved = self.denied = 0
        if controls:
            # Apply when unlicensed, or when the licence runs out before a new one could come.
            apply_now = np.flatnonzero(self.heavy & (self.licence_until < week + review_weeks)
                                       & (pending < 0))
        else:
            apply_now = due[:0]
        self.applied = int(apply_now.size)
        if apply_now.size:
            jitter = rng.uniform(0.7, 1.3, size=apply_now.size)  # bureaucracy varies by province
            pending[apply_now] = week + np.maximum(1, np.rint(review_weeks * jitter)).astype(np.int64)
        self._pending = bool(pending.max() >= 0)
        if not controls:
            return np.ones(self.n, dtype=bool)
        return self._light | (self.licence_until >= week)

    # ------------------------------------------------------------------ aggregates
    def flow_share(self) -> float:
        """Share of magnet demand met this week (rare-earth flow)."""
        return self._flow if self.n else 1.0

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

    def mean_cover(self) -> float:
        if self.n == 0:
            return 0.0
        return float(self.inventory.sum() / self.total_demand)

    def snapshot(self, week: int) -> dict:
        # Arrays that the next step replaces (not mutates) are kept by reference; cover and
        # lobbying are derived, and everything narrowed to float32, only when a table is built.
        extra = self.extra_lobbying
        return {
            "week": week,
            "inventory": self.inventory,
            "production": self.production,
            "china_share": self.china_share.copy(),
            "licensed": self.licence_until >= week,
            "pending": self.pending_until >= 0,
            "extra": extra.copy() if extra.any() else None,
        }

    def panel_table(self, snapshots: list[dict]):
        """The weekly firm panel as one DataFrame (week, firm, cover, production, ...)."""
        import pandas as pd

        n, weeks = self.n, len(snapshots)
        inventory = np.concatenate([snap["inventory"] for snap in snapshots])
        production = np.concatenate([snap["production"] for snap in snapshots])
        demand = np.tile(self.demand, weeks)
        extra = np.concatenate([snap["extra"] if snap["extra"] is not None else np.zeros(n)
                                for snap in snapshots])
        fear = np.clip(1.0 - inventory / (demand * np.tile(self._buffer_floor, weeks)), 0.0, 1.0)
        return pd.DataFrame({
            "week": np.repeat(np.array([snap["week"] for snap in snapshots], dtype=np.int32), n),
            "firm": np.tile(np.arange(n, dtype=np.int32), weeks),
            "cover_weeks": (inventory / demand).astype(np.float32),
            "production": production.astype(np.float32),
            "china_share": np.concatenate([snap["china_share"] for snap in snapshots]).astype(np.float32),
            "licensed": np.concatenate([snap["licensed"] for snap in snapshots]),
            "pending": np.concatenate([snap["pending"] for snap in snapshots]),
            "lobbying": np.minimum(1.0, (1.0 - production) + 0.5 * fear + extra).astype(np.float32),
        })


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
    def stockpile(self, extra_weeks: float) -> None:
        self._panel.stockpile_weeks[self.index] = float(np.clip(extra_weeks, 0, MAX_STOCKPILE_WEEKS))
        self._panel._stockpile_changed = True

    def switch_suppliers(self, share_moved: float) -> None:
        p = self._panel
        p.china_share[self.index] = float(np.clip(p.china_share[self.index] * (1 - share_moved), 0, 1))

    def lobby(self, effort: float) -> None:
        self._panel.extra_lobbying[self.index] = float(np.clip(effort, 0, 1))
        self._panel._stockpile_changed = True

    def apply_for_licence(self) -> None:
        p = self._panel
        if p.pending_until[self.index] < 0 and p.heavy[self.index]:
            review = self.model.cn.instruments.review_weeks
            p.pending_until[self.index] = self.model.week + max(1, round(review))
            p._pending = True


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
        self.target_tpy = max(target_tpy, capacity_tpy)
        self.extra_investment = 0.0  # a classroom seat's own push, 0..1
        self._gap = self.target_tpy - capacity_tpy

    @property
    def ramping(self) -> bool:
        return self._gap > 0 and self.capacity_tpy < self.target_tpy

    def ramp(self, support: float, ramp_weeks: float, speedup: float) -> None:
        if not self.ramping:
            return
        push = support + self.extra_investment
        effective = ramp_weeks / (1.0 + speedup * (push if push < 1.0 else 1.0))
        grown = self.capacity_tpy + self._gap / effective
        self.capacity_tpy = grown if grown < self.target_tpy else self.target_tpy

    @property
    def capacity_tpw(self) -> float:
        return self.capacity_tpy / 52.0

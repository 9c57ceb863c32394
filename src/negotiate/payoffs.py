"""Domestic pressure, leverage and weekly welfare: what a week's state costs each side.

Plain functions of the state after firms and markets have moved (docs/ODD.md, "Pressure"
and "Welfare"). Their scale constants are scenario parameters (``payoffs.*``), so a
sensitivity sweep can vary them like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .agents.government import Government
    from .model import TradeModel


class WeekState(NamedTuple):
    """What pressure and welfare read from one week (shares in [0, 1] unless noted).

    A named tuple: one is built every week, and a tuple costs a tenth of a dataclass.
    """

    us_tariff_above_base: float  # U.S. trade-weighted average minus its pre-2025 base (pts)
    cn_tariff_above_base: float  # China's, likewise (pts)
    us_curbs: float
    cn_curbs: float
    us_shortage: float  # share of U.S.-home firms' magnet demand not met
    us_dependency: float  # U.S.-home firms' reliance on Chinese supply
    us_lobbying: float
    blocked: float  # share of all firms' demand blocked by licensing (may exceed 1 briefly)
    price_pain: float
    mood: float  # market mood (negative is fear)


#: How many of a :class:`WeekState`'s fields, from the first, the instruments give.
INSTRUMENT_FIELDS = 4
# A named tuple from one plain tuple of all its fields: the class's own constructor is a
# Python function (a frame and keyword handling) and these are built every week.
_week_state = partial(tuple.__new__, WeekState)


def instrument_part(us: Government, cn: Government) -> tuple[float, float, float, float]:
    """The part of a :class:`WeekState` the governments' instruments give (its first fields)."""
    us_inst, cn_inst = us.instruments, cn.instruments
    return (us_inst.tariff_above_base, cn_inst.tariff_above_base, us_inst.tech_curbs,
            cn_inst.tech_curbs)


def week_state(model: TradeModel) -> WeekState:
    """The state pressure and welfare read, after firms and markets have moved."""
    firms, market = model.firms, model.market
    # The panel's U.S.-home figures read as kept (what shortage, dependency and lobbying_of
    # return for US_HOME), without three calls a week.
    total_demand = firms.total_demand
    return _week_state((
        *instrument_part(model.us, model.cn),
        firms.us_shortage, firms.us_dependency, firms.us_lobbying,
        firms.blocked / total_demand if total_demand else 0.0,
        market.price_pain, market.mood))


def with_instruments(state: WeekState, us: Government, cn: Government) -> WeekState:
    """``state`` with its instrument part read again (a deal or a snapback may have moved
    the instruments since); the same state when nothing moved."""
    part = instrument_part(us, cn)
    if part == state[:INSTRUMENT_FIELDS]:
        return state
    return _week_state(part + state[INSTRUMENT_FIELDS:])


@dataclass(frozen=True, slots=True)
class PayoffScales:
    """The named scale constants (scenario keys ``payoffs.shortage_weight`` and so on)."""

    shortage_weight: float = 0.7
    tariff_pain_scale: float = 200.0
    trade_drag_scale: float = 163.0


class Pressures(NamedTuple):
    us_pressure: float
    cn_pressure: float
    us_leverage: float
    cn_leverage: float


_pressures = partial(tuple.__new__, Pressures)  # as _week_state


def pressures(state: WeekState, processing_share: float, scales: PayoffScales) -> Pressures:
    """Pain at home for each side, and each side's leverage over the other."""
    (us_above, cn_above, us_curbs, _, us_shortage, us_dependency, us_lobbying, blocked,
     price_pain, mood) = state
    # Every ``x if x < 1.0 else 1.0`` is min(1.0, x) and every ``x if x > 0.0 else 0.0`` is
    # max(0.0, x), exactly (NaN included): written out, as this runs every week.
    mood_pain = -mood / 10.0
    mood_pain = mood_pain if mood_pain > 0.0 else 0.0
    mood_pain = mood_pain if mood_pain < 1.0 else 1.0
    pain_scale = scales.tariff_pain_scale
    us_tariff_pain = us_above / pain_scale + cn_above / pain_scale
    us_tariff_pain = us_tariff_pain if us_tariff_pain < 1.0 else 1.0
    shortage_pain = 2.0 * us_shortage
    shortage_pain = shortage_pain if shortage_pain < 1.0 else 1.0
    us_pressure = (scales.shortage_weight * shortage_pain + 0.15 * price_pain + 0.15 * mood_pain
                   + 0.2 * us_tariff_pain + 0.15 * us_lobbying)
    # China feels U.S. tariffs at twice the rate: its exports to the U.S. weigh more in its GDP.
    cn_tariff_pain = us_above / (pain_scale / 2.0)
    cn_tariff_pain = cn_tariff_pain if cn_tariff_pain < 1.0 else 1.0
    blocked = blocked if blocked < 1.0 else 1.0
    cn_pressure = 0.45 * cn_tariff_pain + 0.2 * us_curbs + 0.15 * mood_pain + 0.2 * blocked
    cn_leverage = processing_share * (us_dependency if us_dependency > us_shortage else us_shortage)
    us_leverage = 0.3 * us_curbs + 0.5 * cn_tariff_pain + 0.2
    return _pressures((us_pressure if us_pressure < 1.0 else 1.0,
                       cn_pressure if cn_pressure < 1.0 else 1.0,
                       us_leverage if us_leverage < 1.0 else 1.0, cn_leverage))


def welfare(state: WeekState, scales: PayoffScales) -> tuple[float, float]:
    """Weekly welfare (U.S., China) in payoff units comparable with the iterated game."""
    (us_above, cn_above, us_curbs, cn_curbs, us_shortage, _, _, blocked, price_pain, _) = state
    drag = (us_above + cn_above) / 2.0 / scales.trade_drag_scale
    trade = 3.0 * (1.0 - (drag if drag < 1.0 else 1.0))  # min(1.0, drag), written out
    us = trade - 3.0 * us_shortage - 0.5 * price_pain - 0.3 * us_curbs
    cn = trade - 1.5 * (blocked if blocked < 1.0 else 1.0) - 1.0 * us_curbs - 0.3 * cn_curbs
    return us, cn

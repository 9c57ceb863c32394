"""Domestic pressure, leverage and weekly welfare: what a week's state costs each side.

Plain functions of the state after firms and markets have moved (docs/ODD.md, "Pressure"
and "Welfare"). Their scale constants are scenario parameters (``payoffs.*``), so a
sensitivity sweep can vary them like any other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WeekState:
    """What pressure and welfare read from one week (shares in [0, 1] unless noted)."""

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


@dataclass(frozen=True, slots=True)
class PayoffScales:
    """The named scale constants (scenario keys ``payoffs.shortage_weight`` and so on)."""

    shortage_weight: float = 0.7
    tariff_pain_scale: float = 200.0
    trade_drag_scale: float = 163.0


@dataclass(frozen=True, slots=True)
class Pressures:
    us_pressure: float
    cn_pressure: float
    us_leverage: float
    cn_leverage: float


def pressures(state: WeekState, processing_share: float, scales: PayoffScales) -> Pressures:
    """Pain at home for each side, and each side's leverage over the other."""
    mood_pain = min(1.0, max(0.0, -state.mood / 10.0))
    us_tariff_pain = min(1.0, state.us_tariff_above_base / scales.tariff_pain_scale
                         + state.cn_tariff_above_base / scales.tariff_pain_scale)
    us_pressure = min(1.0, scales.shortage_weight * min(1.0, 2.0 * state.us_shortage)
                      + 0.15 * state.price_pain + 0.15 * mood_pain + 0.2 * us_tariff_pain
                      + 0.15 * state.us_lobbying)
    # China feels U.S. tariffs at twice the rate: its exports to the U.S. weigh more in its GDP.
    cn_tariff_pain = min(1.0, state.us_tariff_above_base / (scales.tariff_pain_scale / 2.0))
    cn_pressure = min(1.0, 0.45 * cn_tariff_pain + 0.2 * state.us_curbs + 0.15 * mood_pain
                      + 0.2 * min(1.0, state.blocked))
    cn_leverage = processing_share * max(state.us_shortage, state.us_dependency)
    us_leverage = min(1.0, 0.3 * state.us_curbs + 0.5 * cn_tariff_pain + 0.2)
    return Pressures(us_pressure, cn_pressure, us_leverage, cn_leverage)


def welfare(state: WeekState, scales: PayoffScales) -> tuple[float, float]:
    """Weekly welfare (U.S., China) in payoff units comparable with the iterated game."""
    drag = (state.us_tariff_above_base + state.cn_tariff_above_base) / 2.0 / scales.trade_drag_scale
    trade = 3.0 * (1.0 - min(1.0, drag))
    us = trade - 3.0 * state.us_shortage - 0.5 * state.price_pain - 0.3 * state.us_curbs
    cn = trade - 1.5 * min(1.0, state.blocked) - 1.0 * state.us_curbs - 0.3 * state.cn_curbs
    return us, cn

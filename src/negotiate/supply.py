"""The firms' and suppliers' week: seat actions, licences, supply, ramp-up, then prices."""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from .agents.firm import Firm, Supplier

if TYPE_CHECKING:
    from .model import TradeModel
    from .moves import FirmAction


def apply_firm_action(model: TradeModel, index: int, action: FirmAction) -> None:
    """A firm seat's levers for this week."""
    agent = next(a for a in model.agents_by_type[Firm] if a.index == index)
    if action.stockpile_weeks is not None:
        agent.stockpile(action.stockpile_weeks)
    if action.switch_share is not None:
        agent.switch_suppliers(action.switch_share)
    if action.lobby is not None:
        agent.lobby(action.lobby)
    if action.apply_licence:
        agent.apply_for_licence()


_capacity_tpw = attrgetter("capacity_tpw")


def supply_week(model: TradeModel, week: int) -> None:
    """Firms apply and get licences, buy, stock and produce; suppliers ramp; markets move."""
    s, cn = model.scenario, model.cn.instruments
    if model.pending_firm_actions:
        for index, action in model.pending_firm_actions.items():
            apply_firm_action(model, index, action)
        model.pending_firm_actions.clear()
    if model.pending_supplier_actions:
        for index, action in model.pending_supplier_actions.items():
            if action.invest is not None:
                model.suppliers[index].extra_investment = action.invest
        model.pending_supplier_actions.clear()
    capacity = sum(map(_capacity_tpw, model.suppliers))
    firms = model.firms
    firms.step(week, model.rng, controls=cn.controls_active, approval_rate=cn.approval_rate,
               defence_factor=s.cn_defence_approval_factor, review_weeks=cn.review_weeks,
               licence_kind=cn.licence_kind, nonchina_capacity=capacity,
               switch_rate=s.firms_switch_rate, controlled_elements=cn.controlled_elements)
    if firms.approved or firms.denied:
        model.log.add(week, "cn", "licence_decisions",
                      f"{firms.approved} approved, {firms.denied} denied "
                      f"({firms.applied} new applications)")
    if firms.new_stoppages:
        model.log.add(week, "firms", "plant_stoppage",
                      f"{firms.new_stoppages} firms below half production")
    if model.ramping:
        still = Supplier.ramp_week(model.ramping, model.us.instruments.diversification,
                                   s.supply_ramp_weeks, s.supply_support_speedup)
        if len(still) < len(model.ramping):
            model.ramping = still
    wanted = firms.total_demand
    blocked_share = firms.blocked / wanted if wanted else 0.0
    received = firms.delivered_china + firms.supply_nonchina
    nonchina_share = firms.supply_nonchina / received if received > 0 else 0.0
    model.market.update(1.0 - firms.flow, blocked_share, nonchina_share)

"""Per-seat scores: few, simple rules, each named in the seat's briefing.

"Take the simplest scoring option" (facts §4.5). Every seat also sees the joint détente index,
so the game mixes competition (own score) with cooperation (the shared index).

- Delegations: 10 x the model's weekly welfare for that side (trade kept, minus shortages,
  price pain and curbs; docs/ODD.md).
- Firms: output kept (% of normal production), minus 1 point per extra week of stockpile
  carried (working capital) and 20 points per 100 % of China purchases switched that week
  (qualifying a new magnet supplier is slow and costly).
- Chinese magnet maker: shipments from China as % of the Western firms' magnet demand.
- Non-China supplier: its sales as % of Western demand (its share of non-China supply),
  minus 2 points per unit of extra investment effort.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .seats import SEATS

if TYPE_CHECKING:
    from ..model import TradeModel

STOCKPILE_COST = 1.0
SWITCH_COST = 20.0
INVEST_COST = 2.0


def seat_metrics(model: TradeModel, seat_id: str, casting: dict[str, int],
                 decision: dict[str, Any]) -> dict[str, Any]:
    """This week's figures for one seat (after the step) and its score for the week."""
    spec = SEATS[seat_id]
    panel = model.firms
    row: dict[str, Any] = {}
    if spec.kind == "government":
        gov = model.government(spec.side)
        row.update(tariff_headline=gov.tariff_headline, tech_curbs=gov.tech_curbs,
                   welfare=gov.welfare, trust=gov.trust, pressure=gov.pressure,
                   accusations=gov.accusations, false_accusations=gov.false_accusations,
                   posture=gov.posture.value)
        row["score_turn"] = 10.0 * gov.welfare
    elif spec.kind == "firm":
        i = casting[seat_id]
        production = float(panel.production[i])
        stockpile = float(panel.stockpile_weeks[i])
        switched = float(decision.get("switch_share") or 0.0)
        row.update(production=production, inventory_weeks=float(panel.inventory[i] / panel.demand[i]),
                   china_share=float(panel.china_share[i]),
                   licensed=bool(panel.licence_until[i] >= model.week),
                   licence_pending=bool(panel.pending_until[i] >= 0), stockpile_weeks=stockpile)
        row["score_turn"] = 100.0 * production - STOCKPILE_COST * stockpile - SWITCH_COST * switched
    elif spec.kind == "magnet":
        share = panel.supply_china / panel.total_demand if panel.total_demand else 0.0
        row.update(exports_share=share)
        row["score_turn"] = 100.0 * share
    elif spec.kind == "supplier":
        supplier = model.suppliers[0]
        total_cap = sum(s.capacity_tpy for s in model.suppliers) or 1.0
        sales = panel.supply_nonchina * supplier.capacity_tpy / total_cap
        share = sales / panel.total_demand if panel.total_demand else 0.0
        row.update(capacity_tpy=supplier.capacity_tpy, sales_share=share,
                   invest=supplier.extra_investment)
        row["score_turn"] = 100.0 * share - INVEST_COST * supplier.extra_investment
    else:
        row["score_turn"] = 0.0
    row["score_turn"] = round(float(row["score_turn"]), 3)
    return row

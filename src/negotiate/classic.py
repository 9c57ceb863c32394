"""The classic game's week on a TradeModel: one round of the ``ipd`` kernel.

The kernel (:class:`negotiate.ipd.ClassicGame`) decides, executes and perceives; this only
hands a human side's posture in and records the round on the two governments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .strategies import Posture

if TYPE_CHECKING:
    from .model import TradeModel


def classic_week(model: TradeModel, week: int) -> None:
    views = [gov.perception() for gov in model.governments]
    moves = model.week_moves = {side: model.pending_moves.pop(side) for side in list(model.pending_moves)}
    for gov in model.governments:
        move = moves.get(gov.side)
        if gov.human and move is not None and move.posture is not None:
            gov.strategy.submit(move.posture)
    out = model.classic_game.play_week(model.rng)
    us, cn = model.us, model.cn
    for gov, view, intended in ((us, views[0], out.us_intended), (cn, views[1], out.cn_intended)):
        gov.intended = Posture.COMPLY if intended else Posture.RETALIATE
        move = moves.get(gov.side)
        if gov.human:
            if move is not None and move.accuse:
                gov.accuse(week, "accused on its own judgement")
        elif view.their_last is False and not intended:
            gov.accuse(week, "answered a perceived breach")
    us.posture = Posture.COMPLY if out.us_move else Posture.RETALIATE
    cn.posture = Posture.COMPLY if out.cn_move else Posture.RETALIATE
    us.record(out.us_move, out.us_seen)
    cn.record(out.cn_move, out.cn_seen)
    model.both_complied.append(out.us_move and out.cn_move)
    us.welfare, cn.welfare = out.us_payoff, out.cn_payoff

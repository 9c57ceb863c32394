"""The classic game on a TradeModel: the ``ipd`` kernel's rounds recorded on the governments.

The kernel (:meth:`negotiate.ipd.ClassicGame.play_rounds`) decides, executes and perceives.
:func:`classic_week` plays one round of it a week (the Mesa path, for weekly tables and
human seats); :func:`play_game` plays the whole game in one call of the same kernel. Both
record each round through :func:`record_round`, so the two give the same summary and log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .strategies import Posture

if TYPE_CHECKING:
    from .model import TradeModel
    from .moves import Move

_NO_MOVES: dict[str, Move] = {}


def classic_week(model: TradeModel, week: int) -> None:
    """One week: a human side's posture goes in, one round of the kernel comes out."""
    moves = model.week_moves = {side: model.pending_moves.pop(side) for side in list(model.pending_moves)}
    for gov in model.governments:
        move = moves.get(gov.side)
        if gov.human and move is not None and move.posture is not None:
            gov.strategy.submit(move.posture)
    codes, _ = model.classic_game.play_rounds(1, model.rng)
    record_round(model, week, codes[0], moves)


def whole_game_ready(model: TradeModel) -> bool:
    """True when nothing from outside can enter between weeks: no weekly tables to keep,
    no human seat, no dated event, and no week played yet."""
    return (model.classic and not model.collect_weekly and model.steps == 0 and not model.calendar
            and not any(gov.human for gov in model.governments))


def play_game(model: TradeModel) -> None:
    """Every week of the game in one call of the kernel, then each round recorded in order."""
    codes, _ = model.classic_game.play_rounds(model.weeks, model.rng)
    score = model.score_week
    for week, code in enumerate(codes, start=1):
        record_round(model, week, code, _NO_MOVES)
        score(week)


def record_round(model: TradeModel, week: int, code: int, moves: dict[str, Move]) -> None:
    """One round of the kernel (a ``TRACE_BITS`` code) on the two governments: accusations
    first (they answer last week's view), then postures, records, trust and welfare."""
    us, cn = model.us, model.cn
    us_intended, cn_intended = not code & 4, not code & 8
    for gov, intended in ((us, us_intended), (cn, cn_intended)):
        gov.intended = Posture.COMPLY if intended else Posture.RETALIATE
        if gov.human:
            move = moves.get(gov.side)
            if move is not None and move.accuse:
                gov.accuse(week, "accused on its own judgement")
        elif gov.seen_other is False and not intended:
            gov.accuse(week, "answered a perceived breach")
    us_move, cn_move = not code & 2, not code & 1
    us.posture = Posture.COMPLY if us_move else Posture.RETALIATE
    cn.posture = Posture.COMPLY if cn_move else Posture.RETALIATE
    us.record(us_move, not code & 16)
    cn.record(cn_move, not code & 32)
    model.both_complied.append(us_move and cn_move)
    us.welfare, cn.welfare = model.classic_game.payoff(code)

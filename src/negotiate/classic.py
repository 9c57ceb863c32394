"""The classic game on a TradeModel: the ``ipd`` kernel's rounds recorded on the governments.

The kernel (:meth:`negotiate.ipd.ClassicGame.play_rounds`) decides, executes and perceives.
:func:`classic_week` plays one round of it a week (the Mesa path, for weekly tables and
human seats); :func:`play_game` plays the whole game in one call of the same kernel. Both
record each round through :func:`record_round`, so the two give the same summary and log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .agents.government import RECENT_WEEKS, trust_after, trust_when_accused
from .outcome import classic_index
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
    record_rounds(model, week, codes, moves)


def whole_game_ready(model: TradeModel) -> bool:
    """True when nothing from outside can enter between weeks: no weekly tables to keep,
    no human seat, no dated event, and no week played yet."""
    return (model.classic and not model.collect_weekly and model.steps == 0 and not model.calendar
            and not any(gov.human for gov in model.governments))


def play_game(model: TradeModel) -> None:
    """Every week of the game in one call of the kernel, recorded week by week."""
    codes, _ = model.classic_game.play_rounds(model.weeks, model.rng)
    record_rounds(model, 1, codes, _NO_MOVES)


_POSTURE = (Posture.COMPLY, Posture.RETALIATE)  # by "defected"
_ANSWER = "answered a perceived breach"
_OWN = "accused on its own judgement"


def record_rounds(model: TradeModel, week: int, codes: list[int], moves: dict[str, Move]) -> None:
    """Rounds of the kernel (``TRACE_BITS`` codes) from ``week`` on, recorded on the two
    governments and scored: each week accusations first (they answer last week's view),
    then records, trust, welfare and the détente index.

    The weeks run on local copies of the governments' records, written back at the end:
    a whole game is one call, and 100,000 weeks must cost about as much as the kernel.
    """
    us, cn = model.us, model.cn
    pays = [model.classic_game.payoff(outcome) for outcome in range(4)]
    recent, index_of, after = model.recent_record, classic_index, trust_after  # locals: 100,000 weeks
    both, history = model.both_complied.append, model.index_history.append
    us_ai, cn_ai = not us.human, not cn.human
    us_own = not us_ai and (m := moves.get("us")) is not None and m.accuse
    cn_own = not cn_ai and (m := moves.get("cn")) is not None and m.accuse
    ut, ct = us.trust, cn.trust
    us_seen, cn_seen = us.seen_other, cn.seen_other
    us_last, cn_last = us.complied_last, cn.complied_last
    us_total, cn_total = us.welfare_total, cn.welfare_total
    us_pay = cn_pay = 0.0
    index = model.detente_index
    code = 0
    for code in codes:
        if (us_ai and code & 4 and us_seen is False) or us_own:
            us.note_accusation(week, _ANSWER if us_ai else _OWN, cn_last is False)
            ct = trust_when_accused(ct)
        if (cn_ai and code & 8 and cn_seen is False) or cn_own:
            cn.note_accusation(week, _ANSWER if cn_ai else _OWN, us_last is False)
            ut = trust_when_accused(ut)
        us_last, cn_last = not code & 2, not code & 1
        us_seen, cn_seen = not code & 16, not code & 32
        ut, ct = after(ut, us_seen), after(ct, cn_seen)
        both(us_last and cn_last)
        us_pay, cn_pay = pays[code & 3]
        us_total += us_pay
        cn_total += cn_pay
        accusations, cooperation = recent(week)
        index = index_of((ut + ct) / 2.0, accusations, cooperation)
        history(index)
        week += 1
    for code in codes[-RECENT_WEEKS:]:  # the governments keep only the last few weeks
        us.seen_history.append(not code & 16)
        cn.seen_history.append(not code & 32)
        us.complied_history.append(not code & 2)
        cn.complied_history.append(not code & 1)
    us.trust, cn.trust = ut, ct
    us.complied = us.complied_last = us_last
    cn.complied = cn.complied_last = cn_last
    us.seen_other, cn.seen_other = us_seen, cn_seen
    us.intended, cn.intended = _POSTURE[code >> 2 & 1], _POSTURE[code >> 3 & 1]
    us.posture, cn.posture = _POSTURE[code >> 1 & 1], _POSTURE[code & 1]
    us.welfare, cn.welfare = us_pay, cn_pay
    us.welfare_total, cn.welfare_total = us_total, cn_total
    model.detente_index = index

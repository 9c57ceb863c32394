"""The classic game without a Mesa step a week: the same run, computed in arrays.

``negotiate.run`` calls :func:`run_classic` for a ``classic`` scenario whose weekly tables
are not collected (``collect.weekly = false``, what ``negotiate run`` does without
``--out``). It builds the :class:`~negotiate.model.TradeModel` as usual, plays all the
weeks at once with :func:`negotiate.ipd.play` (``trace=True``) on ``model.rng``, and
fills the model's end state so that :func:`negotiate.runner.summarise` and
``model.event_table()`` give exactly -- to the last bit -- what stepping the model week by
week (:meth:`TradeModel._classic_week`, ``_record_compliance``, ``_accuse``,
``_score_index``) gives for the same scenario and seed:

* accusations: a side accuses in week w when its view of the other in week w-1 was D and
  its intended move in week w is D; the accusation is real when the other's executed move
  in week w-1 was D; the accused loses ``TRUST_HIT_WHEN_ACCUSED`` of trust first;
* trust: then each side's trust moves on its view of the other (``Government.update_trust``)
  -- the one sequential recurrence, a plain loop;
* the détente index from mean trust, accusations in the last 4 weeks and the share of the
  last 4 weeks in which both complied (``outcome.detente_index`` with ``classic=True``),
  with the same floating-point operations in the same order; payoff totals summed in week
  order.

The fast path is skipped (the model is stepped as usual) when a side is played from
outside (``strategy.external``, e.g. ``human``), when calendar events fall inside the run,
when weekly tables are wanted, or when the model has already been stepped.
``tests/validation/test_fast_path.py`` checks summary and event table against the Mesa
path for every classic strategy, both noise kinds and several seeds; a change to the
classic week in ``model.py`` or to trust in ``agents/government.py`` must be mirrored here.

The model returned is a finished run (``running`` is False): governments, strategies, the
game, ``model.rng``, the index history and the event log are where the Mesa path leaves
them; only Mesa's own clock (``model.time``) is not advanced.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import numpy as np

from .agents.government import TRUST_GAIN, TRUST_HIT_WHEN_ACCUSED, TRUST_LOSS
from .eventlog import EventLog, LogRecord
from .ipd import play
from .market import MOOD_SHOCKS
from .model import TradeModel
from .outcome import CLASSIC_WEIGHTS, RECENT, detente_index
from .runner import RunResult, summarise
from .scenario import TradeScenario
from .strategies import Posture

#: Why a side accuses in the classic game (``TradeModel._classic_week``).
ACCUSATION_REASON = "answered a perceived breach"


def run_classic(scenario: TradeScenario) -> RunResult:
    """Run a classic scenario to its last week; the fast path when it applies."""
    model = TradeModel(scenario)
    if not play_out(model):
        while model.running:
            model.step()
    return RunResult(summarise(model), model)


def fast_path_applies(model: TradeModel) -> bool:
    """True when :func:`play_out` can finish this model without stepping it."""
    return (
        model.classic
        and model.classic_game is not None
        and model.steps == 0
        and not model.collect_weekly
        and not model._calendar  # calendar events act between weeks
        and not model.pending_moves
        and not any(gov.strategy.external for gov in model.governments)
    )


def play_out(model: TradeModel) -> bool:
    """Play all of a fresh classic model's weeks at once and leave it finished.

    Returns False, touching nothing, when the fast path does not apply (see
    :func:`fast_path_applies`); the caller then steps the model as usual.
    """
    if not fast_path_applies(model):
        return False
    weeks = model.weeks
    us, cn, game, rng = model.us, model.cn, model.classic_game, model.rng
    before = rng.bit_generator.state
    res = play(us.strategy, cn.strategy, weeks, execution_noise=game.execution_noise,
               perception_noise=game.perception_noise, payoffs=game.payoffs, seed=rng,
               trace=True)
    if res.draws is not None:  # play pre-drew in blocks: leave rng where play_week would
        rng.bit_generator.state = before
        for n in range(res.draws, 0, -(1 << 16)):
            rng.random(min(n, 1 << 16))

    us_int, cn_int = res.us_intended, res.cn_intended
    us_move, cn_move = res.us_moves, res.cn_moves
    us_seen, cn_seen = res.us_seen, res.cn_seen

    # Accusations, index t = week t + 1: [t, 0] by the US (of CN), [t, 1] by CN (of the US).
    accuse = np.zeros((weeks, 2), dtype=bool)
    accuse[1:, 0] = ~us_seen[:-1] & ~us_int[1:]
    accuse[1:, 1] = ~cn_seen[:-1] & ~cn_int[1:]
    real = np.zeros((weeks, 2), dtype=bool)
    real[1:, 0] = ~cn_move[:-1]
    real[1:, 1] = ~us_move[:-1]

    # Trust: the accused's hit, then each side's update on its view of the other.
    us_trust, cn_trust = _trust(us.trust, cn.trust, accuse, us_seen, cn_seen)

    # The détente index, week by week, as _score_index computes it.
    per_week = accuse.sum(axis=1)
    recent = _last4(per_week)
    both = us_move & cn_move
    window = np.minimum(np.arange(1, weeks + 1), 4)
    parts = {
        "trust": (us_trust + cn_trust) / 2.0,
        "calm": 1.0 - np.minimum(1.0, recent / RECENT),
        "cooperation": _last4(both) / window,
    }
    index = _builtin_sum([weight * parts[key] for key, weight in CLASSIC_WEIGHTS.items()])
    index = _checked_index(index, us_trust, cn_trust, recent, parts["cooperation"])

    us_pay, cn_pay = res.payoff_series()
    for gov, pay, acc, falsely in ((us, us_pay, accuse[:, 0], accuse[:, 0] & ~real[:, 0]),
                                   (cn, cn_pay, accuse[:, 1], accuse[:, 1] & ~real[:, 1])):
        gov.welfare = float(pay[-1])
        gov.welfare_total = float(np.cumsum(np.concatenate(([gov.welfare_total], pay)))[-1])
        gov.accusations += int(acc.sum())
        gov.false_accusations += int(falsely.sum())
    for gov, intended, moved, seen, trust in ((us, us_int, us_move, us_seen, us_trust),
                                              (cn, cn_int, cn_move, cn_seen, cn_trust)):
        gov.intended = Posture.COMPLY if intended[-1] else Posture.RETALIATE
        gov.posture = Posture.COMPLY if moved[-1] else Posture.RETALIATE
        gov.complied = gov.complied_last = bool(moved[-1])
        gov.seen_other = bool(seen[-1])
        gov.seen_history.extend(seen[-4:].tolist())
        gov.complied_history.extend(moved[-4:].tolist())
        gov.trust = float(trust[-1])
    game.week += weeks
    game.us_last, game.cn_last = bool(us_move[-1]), bool(cn_move[-1])
    game.us_seen_last, game.cn_seen_last = bool(us_seen[-1]), bool(cn_seen[-1])

    flat = np.flatnonzero(accuse.ravel())  # week order, the US before CN within a week
    event_weeks = flat // 2 + 1
    shock = MOOD_SHOCKS.get("accusation", 0.0) * 1.0
    news = model.market.news
    for _ in range(len(flat)):
        news += shock
    model.market.news = news
    model.accusation_weeks = deque(event_weeks[event_weeks > weeks - 4].tolist())
    model.log = _DeferredLog(model.log, _accusation_records(model.log, flat, real))

    model.both_complied = both.tolist()
    model.index_history = index.tolist()
    model.detente_index = model.index_history[-1]
    model.steps = weeks
    model._publish()
    model.running = False
    model.outcome = model.classify()
    return True


def _trust(us_trust: float, cn_trust: float, accuse: np.ndarray, us_seen: np.ndarray,
           cn_seen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each week's trust after ``_classic_week`` (accusation hits, then ``update_trust``)."""
    gain, loss, hit = TRUST_GAIN, TRUST_LOSS, TRUST_HIT_WHEN_ACCUSED
    u, c = us_trust, cn_trust
    weeks = len(us_seen)
    us_out = [0.0] * weeks
    cn_out = [0.0] * weeks
    rows = zip(accuse[:, 0].tolist(), accuse[:, 1].tolist(), us_seen.tolist(), cn_seen.tolist(),
               strict=True)
    for t, (by_us, by_cn, us_ok, cn_ok) in enumerate(rows):
        if by_us:  # the US accused CN: Government.accused(), max(0.0, trust - hit)
            c -= hit
            if not c > 0.0:
                c = 0.0
        if by_cn:
            u -= hit
            if not u > 0.0:
                u = 0.0
        # Government.update_trust
        if us_ok:
            u += gain * (1.0 - u)
        else:
            u -= loss * u
        if cn_ok:
            c += gain * (1.0 - c)
        else:
            c -= loss * c
        us_out[t] = u
        cn_out[t] = c
    return np.array(us_out), np.array(cn_out)


def _builtin_sum(terms: list[np.ndarray]) -> np.ndarray:
    """What Python's ``sum(terms)`` gives, element by element (``outcome.detente_index``).

    Since Python 3.12 (the project's minimum) ``sum`` of floats is compensated (Neumaier): a running sum ``f`` and
    a correction ``c``, added at the end when non-zero. This mirrors CPython's
    ``builtin_sum`` so the index agrees with the Mesa path to the last bit.
    """
    f = 0 + terms[0]
    c = np.zeros_like(f)
    for x in terms[1:]:
        t = f + x
        c += np.where(np.abs(f) >= np.abs(x), (f - t) + x, (x - t) + f)
        f = t
    return np.where((c != 0.0) & np.isfinite(c), f + c, f)


def _checked_index(index: np.ndarray, us_trust: np.ndarray, cn_trust: np.ndarray,
                   recent: np.ndarray, cooperation: np.ndarray) -> np.ndarray:
    """Check the last weeks against ``outcome.detente_index``; on any difference (a change
    there not mirrored here) compute every week with it instead."""

    def exact(t: int) -> float:
        return detente_index(classic=True, trust=(float(us_trust[t]) + float(cn_trust[t])) / 2.0,
                             accusations_recent=int(recent[t]),
                             cooperation_recent=float(cooperation[t]))

    weeks = len(index)
    if all(exact(t) == index[t] for t in range(max(0, weeks - 64), weeks)):
        return index
    return np.array([exact(t) for t in range(weeks)])  # pragma: no cover - a safety net


def _last4(values: np.ndarray) -> np.ndarray:
    """Sum over this week and the three before (fewer at the start), as integers."""
    total = np.cumsum(values, dtype=np.int64)
    out = total.copy()
    out[4:] -= total[:-4]
    return out


def _accusation_records(log: EventLog, flat: np.ndarray,
                        real: np.ndarray) -> Callable[[], list[LogRecord]]:
    """A builder for the accusation records ``_accuse`` would have logged, in order."""

    def build() -> list[LogRecord]:
        details = (f"accuses CN of breaching: {ACCUSATION_REASON}",
                   f"accuses US of breaching: {ACCUSATION_REASON}")
        actors = ("us", "cn")
        dates: dict[int, str] = {}
        records = []
        for k, is_real in zip(flat.tolist(), real.ravel()[flat].tolist(), strict=True):
            week, side = k // 2 + 1, k % 2
            date = dates.get(week)
            if date is None:
                date = dates[week] = log.date_of(week)
            records.append(LogRecord(week, date, actors[side], "accusation", details[side],
                                     is_real, True))
        return records

    return build


class _DeferredLog(EventLog):
    """An event log whose first records (the run's accusations) are built when first read.

    A long classic run can log hundreds of thousands of accusations that a summary never
    reads; reading ``records`` (``add``, ``count``, ``to_frame``, ``event_table()``) builds
    them once, exactly as the Mesa path logged them, before anything added later.
    """

    def __init__(self, log: EventLog, build: Callable[[], list[LogRecord]]) -> None:
        super().__init__(log.start)
        self._records = list(log.records)
        self._build: Callable[[], list[LogRecord]] | None = build

    @property  # type: ignore[override]
    def records(self) -> list[LogRecord]:
        if self._build is not None:
            build, self._build = self._build, None
            self._records[len(self._records):] = build()
        return self._records

    @records.setter
    def records(self, value: list[LogRecord]) -> None:
        self._records = value
        self._build = None


__all__ = ["fast_path_applies", "play_out", "run_classic"]

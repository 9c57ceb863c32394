"""A run changed from a week on: a branch of a run, its live settings, a strategy seated
mid-run, and a week in which one side's move is forced (Explore's "branch from this week")."""

from __future__ import annotations

from typing import Any

from .errors import MoveError, ScenarioError
from .model import TradeModel
from .moves import Move
from .scenario import BY_KEY, coerce
from .strategies import Strategy

#: Settings a branch may change from its week on (the scenario keeps the original).
LIVE_KEYS = ("noise.perception", "noise.execution", "truce.monitoring", "us.strategy",
             "cn.strategy", "us.hawkishness", "cn.hawkishness")


def branch(model: TradeModel, week: int, changes: dict[str, Any] | None = None) -> TradeModel:
    """A copy of ``model``'s run up to ``week`` (same seed, same outside moves), with
    ``changes`` (keys from :data:`LIVE_KEYS`) applied from then on."""
    if not 0 <= week <= model.steps:
        raise ScenarioError(f"week {week} is not in this run; allowed: 0 to {model.steps}",
                            source="branch")
    twin = TradeModel(model.scenario.copy())
    moves = [m for m in model.move_log if m[0] <= week]
    for target in range(1, week + 1):
        for move_week, who, move in moves:
            if move_week != target:
                continue
            if who.startswith("firm:"):
                twin.submit_firm_action(int(who[5:]), move)
            elif who.startswith("supplier:"):
                twin.submit_supplier_action(int(who[9:]), move)
            else:
                twin.submit_move(who, move)
        twin.step()
    for key, value in (changes or {}).items():
        set_live(twin, key, value)
    return twin


def set_live(model: TradeModel, key: str, value: Any) -> None:
    """Change a setting of a running model from its next week on."""
    if key not in LIVE_KEYS:
        raise MoveError(f"{key!r} cannot change mid-run; allowed: {', '.join(LIVE_KEYS)}")
    value = coerce(BY_KEY[key], value, "branch")
    if key == "noise.perception":
        model.perception_noise = value
    elif key == "noise.execution":
        model.execution_noise = value
    elif key == "truce.monitoring":
        model.monitoring = value
    elif key.endswith(".strategy"):
        seat(model, key[:2], value)
    elif key.endswith(".hawkishness"):
        strategy = model.government(key[:2]).strategy
        if not hasattr(strategy, "hawkishness"):  # a change that would change nothing
            raise MoveError(f"{key} steers the pragmatic strategy only; this side plays "
                            f"{strategy.name}: change its strategy instead")
        strategy.hawkishness = value
    game = model.classic_game
    if game is not None:
        game.execution_noise, game.perception_noise = model.execution_noise, model.perception_noise
    model.log.add(model.steps, "branch", "calendar", f"{key} set to {value}")


def seat(model: TradeModel, side: str, strategy: Strategy | str) -> Strategy:
    """Seat ``strategy`` (an object, or a name built with the scenario's parameters) on
    ``side``; returns the strategy it replaces (to seat it again, memory and all)."""
    gov = model.government(side)
    previous = gov.strategy
    gov.strategy = model.strategy_for(side, strategy) if isinstance(strategy, str) else strategy
    if model.classic_game is not None:
        model.classic_game.us, model.classic_game.cn = model.us.strategy, model.cn.strategy
    return previous


def play_forced_week(model: TradeModel, side: str, move: Move) -> None:
    """Step one week in which ``side`` plays ``move`` whatever its strategy would choose (a
    branch's "this side plays ... next week"). The strategy sits the week out, then observes
    it as if it had played it, so its memory (a grim trigger, a TFT's last view) carries on:
    the branch differs from its parent by that one move only."""
    gov = model.government(side)
    strategy = None if gov.human else seat(model, side, "human")
    try:
        model.submit_move(side, move)
        model.step()
    finally:
        if strategy is not None:
            seat(model, side, strategy)
    if strategy is not None:
        strategy.observe(gov.complied_last, gov.seen_other)

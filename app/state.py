"""Session state for the browser app, kept free of Solara so it can be tested directly.

Each browser session builds its own :class:`ExploreRun` or :class:`PlayGame` inside a
component (``solara.use_memo``); nothing here is shared between sessions. Text typed into a
control is parsed by :func:`parse_setting` / :func:`parse_seed` / :func:`parse_move_form`,
which raise :class:`~negotiate.errors.NegotiateError` with a message fit to show inline;
callers apply a value only when parsing succeeded, so bad input changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from negotiate import TradeModel, available_scenarios, branch, inputs, load_scenario
from negotiate.branching import play_forced_week
from negotiate.errors import MoveError, NegotiateError, ScenarioError
from negotiate.moves import Move, parse_move
from negotiate.outcome import Outcome
from negotiate.params import BoundsError, Choice, Flag, Range, number, parse_number
from negotiate.scenario import BY_KEY, TradeScenario, coerce

DEFAULT_SCENARIO = "rare-earth-2025"
PLAY_SCENARIOS = ("classroom-short", "rare-earth-2025")
REPLAY_SCENARIO = "rare-earth-2025-replay"
SIDE_NAMES = {"us": "United States", "cn": "China"}

# Strategies a person can pick for an AI side (``human`` and ``scripted`` need moves from
# outside, which the Explore page does not supply).
AI_STRATEGIES = ("pragmatic", "tft", "gtft", "ctft", "grim", "wsls", "allc", "alld")
STRATEGY_LABELS = {
    "pragmatic": "Pragmatic (calibrated default)",
    "tft": "Tit for tat",
    "gtft": "Generous tit for tat",
    "ctft": "Contrite tit for tat",
    "grim": "Grim trigger",
    "wsls": "Win-stay, lose-shift",
    "allc": "Always comply",
    "alld": "Always escalate",
}


@dataclass(frozen=True, slots=True)
class Control:
    """One Explore-page control: the dotted scenario key and how to show it."""

    key: str
    label: str

    @property
    def spec(self) -> Range | Choice | Flag:
        return BY_KEY[self.key].spec  # type: ignore[return-value]

    @property
    def kind(self) -> str:
        spec = self.spec
        if isinstance(spec, Flag):
            return "flag"
        if isinstance(spec, Choice):
            return "choice"
        return "number"

    def hint(self) -> str:
        spec = self.spec
        if isinstance(spec, Range):
            unit = f" {spec.unit}" if spec.unit else ""
            return f"{spec.lo:g} to {spec.hi:g}{unit}"
        return ""


EXPLORE_CONTROLS: tuple[Control, ...] = (
    Control("us.strategy", "U.S. strategy"),
    Control("cn.strategy", "China strategy"),
    Control("noise.perception", "Perception noise"),
    Control("noise.execution", "Execution noise"),
    Control("truce.weeks", "Truce length (weeks)"),
    Control("truce.monitoring", "Joint monitoring committee"),
    Control("us.diversification", "U.S. diversification support"),
    Control("cn.approval_rate", "China licence approval rate"),
    Control("cn.review_weeks", "China licence review time (weeks)"),
)


# -------------------------------------------------------------------------- parsing
#: What people call the settings a page offers (messages never show a dotted key).
SETTING_LABELS = {
    **{c.key: c.label for c in EXPLORE_CONTROLS},
    "us.hawkishness": "U.S. hawkishness",
    "cn.hawkishness": "China hawkishness",
    "weeks": "Weeks to play",
    "seed": "Seed",
}
_KEY_WORDS = {"us": "U.S.", "cn": "China", "noise": "", "truce": "truce"}


def setting_label(key: str) -> str:
    """A scenario key as people name it: 'noise.perception' -> 'Perception noise'."""
    if key in SETTING_LABELS:
        return SETTING_LABELS[key]
    head, _, tail = key.partition(".")
    words = " ".join(w for w in (_KEY_WORDS.get(head, head), tail.replace("_", " ")) if w)
    return words[:1].upper() + words[1:]


def parse_setting(key: str, text: str | bool) -> Any:
    """Typed text (or a switch) for scenario key ``key`` -> its value, or ScenarioError."""
    field_ = BY_KEY[key]
    spec = field_.spec
    if isinstance(spec, Range):
        try:
            value: Any = parse_number(key, text, spec, whole=field_.kind is int)
        except BoundsError as err:
            raise ScenarioError(str(err).removeprefix(f"{key} "), key=key) from None
    else:
        value = text
    return coerce(field_, value, "")


def parse_seed(text: str) -> int:
    try:
        return inputs.parse_seed(text)
    except BoundsError as err:
        raise ScenarioError(str(err)) from None


def message(exc: NegotiateError, label: str = "") -> str:
    """An error as shown next to the control that caused it, in the names people use.

    A scenario error names its setting by ``label`` (or the setting's everyday name), never
    by its dotted key; keys quoted inside the text are replaced too.
    """
    detail = getattr(exc, "detail", None)
    text = str(detail if detail else exc)
    key = getattr(exc, "key", None)
    dotted = {k for k in (*SETTING_LABELS, *([key] if key else [])) if "." in k}
    for known in sorted(dotted, key=len, reverse=True):
        text = text.replace(f"'{known}'", setting_label(known)).replace(known, setting_label(known))
    if key:
        name = label or setting_label(key)
        return f"{name} {text}" if text.startswith("is ") else f"{name}: {text}"
    return text


def scenario_names() -> list[str]:
    return list(available_scenarios())


def scenario_info(name: str) -> tuple[str, str]:
    """(title, description) of a built-in scenario."""
    scenario = load_scenario(name)
    return scenario.title, " ".join(scenario.description.split())


def current_value(scenario: TradeScenario, key: str) -> Any:
    return getattr(scenario, BY_KEY[key].name)


def format_value(value: Any) -> str:
    """A number as a form shows it: 0.4, 30, and 0 for -0."""
    if isinstance(value, float):
        return number(value)
    return str(value)


#: How a form shows a switch's two values.
FLAG_WORDS = {True: "On", False: "Off"}


def shown_setting(key: str, value: Any) -> str:
    """A setting's value as the form that sets it shows it: 'Always escalate', 'Off', '0'."""
    if key.endswith(".strategy"):
        return STRATEGY_LABELS.get(value, str(value))
    if isinstance(value, bool):
        return FLAG_WORDS[value]
    return format_value(value)


# -------------------------------------------------------------------------- Explore
@dataclass
class ExploreRun:
    """One session's run on the Explore page, plus an optional branch stepped alongside."""

    scenario_name: str = DEFAULT_SCENARIO
    overrides: dict[str, Any] = field(default_factory=dict)
    seed: int = 1
    model: TradeModel = field(init=False)
    branch_model: TradeModel | None = field(default=None, init=False)
    branch_week: int | None = field(default=None, init=False)
    branch_label: str = field(default="", init=False)

    def __post_init__(self) -> None:
        self.reset()

    @property
    def scenario(self) -> TradeScenario:
        return self.model.scenario

    def reset(self) -> None:
        scenario = load_scenario(self.scenario_name, dict(self.overrides), seed=self.seed)
        self.model = TradeModel(scenario)
        self.clear_branch()

    def clear_branch(self) -> None:
        self.branch_model = None
        self.branch_week = None
        self.branch_label = ""

    def step(self) -> bool:
        """Advance one week (and the branch with it); False when the run has ended."""
        if not self.model.running:
            return False
        self.model.step()
        if self.branch_model is not None and self.branch_model.running:
            self.branch_model.step()
        return True

    def make_branch(self, changes: dict[str, Any], move: tuple[str, str] | None = None) -> None:
        """Fork at the current week with live ``changes`` and, optionally, one forced
        posture for a side this coming week (the side plays it, then its AI resumes)."""
        week = self.model.week
        if not self.model.running:  # the branch would have no week left to show
            raise ScenarioError(f"week {week} is the run's last week, so a branch would have no "
                                f"week to play; allowed: branch at week 0 to {week - 1} (start "
                                "again with Reset, then step to it)", source="branch")
        twin = branch(self.model, week, changes)
        labels = [f"{key} = {shown_setting(key, value)}" for key, value in changes.items()]
        if move is not None:
            side, posture = move
            play_forced_week(twin, side, parse_move(side, {"posture": posture}))
            labels.append(f"{SIDE_NAMES[side]} plays {posture.replace('_', ' ')} in week {week + 1}")
            # Keep the main run level with the branch so both paths line up week by week.
            if self.model.running:
                self.model.step()
        self.branch_model = twin
        self.branch_week = week
        self.branch_label = "; ".join(labels) if labels else "no change (same seed)"


# -------------------------------------------------------------------------- Play
SIDE_FIELDS = {
    "us": ("tariff_headline", "tech_curbs", "diversification"),
    "cn": ("tariff_headline", "tech_curbs", "approval_rate", "review_weeks"),
}


def parse_move_form(side: str, form: dict[str, Any], defaults: dict[str, str] | None = None) -> Move:
    """The decision panel's fields (text as typed) -> a validated Move, or MoveError.

    Empty instrument fields are errors rather than "no change": the panel is pre-filled
    with the current values, so an empty box means the player deleted it by mistake. A field
    still showing its (rounded) default is left out, so an untouched field never moves an
    instrument by a rounding step (which the model could read as a breach of a truce cap);
    so is a licence kind left as it was.
    """
    data: dict[str, Any] = {}
    for name in SIDE_FIELDS[side]:
        text = str(form.get(name, "")).strip()
        if defaults is not None and text == defaults.get(name):
            continue
        data[name] = text  # empty text is refused by the one number parser, with its bound
    for name in ("posture", "licence_kind", "answer"):
        if form.get(name) and (defaults is None or form[name] != defaults.get(name)):
            data[name] = form[name]
    for name in ("accuse", "extend"):
        if form.get(name) is not None:
            data[name] = bool(form[name])
    if form.get("offer"):
        data["offer"] = dict(form["offer"])
    if side == "us":
        data.pop("licence_kind", None)
    return parse_move(side, data)


@dataclass
class PlayGame:
    """One player's game: they hold ``side``; the scenario's AI plays the other side."""

    side: str = "us"
    scenario_name: str = DEFAULT_SCENARIO
    seed: int = 1
    weeks: int | None = None
    model: TradeModel = field(init=False)
    last_error: str = field(default="", init=False)

    def __post_init__(self) -> None:
        if self.side not in SIDE_NAMES:
            raise MoveError(f"side {self.side!r} is unknown; allowed: us, cn")
        overrides: dict[str, Any] = {f"{self.side}.strategy": "human"}
        if self.weeks is not None:
            overrides["weeks"] = self.weeks
        self.model = TradeModel(load_scenario(self.scenario_name, overrides, seed=self.seed))

    @property
    def other(self) -> str:
        return "cn" if self.side == "us" else "us"

    @property
    def finished(self) -> bool:
        return not self.model.running

    def play_week(self, move: Move) -> None:
        if self.finished:
            raise MoveError("the game is over; allowed: play again")
        self.model.submit_move(self.side, move)
        self.model.step()

    def outcome(self) -> Outcome:
        return self.model.current_outcome()

    def form_defaults(self) -> dict[str, str]:
        """What the panel shows before the player types: a field left so sets nothing."""
        inst = self.model.government(self.side).instruments
        shown = {name: format_value(round(float(getattr(inst, name)), 3)) for name in SIDE_FIELDS[self.side]}
        if self.side == "cn":
            shown["licence_kind"] = inst.licence_kind
        return shown

    def evidence(self) -> dict[str, Any]:
        """What the player's side knows about the other: only perceptions, never the truth."""
        me = self.model.government(self.side)
        return {
            "seen_last_week": me.seen_other,
            "perceived_breaches_recent": sum(1 for seen in me.seen_history if not seen),
            "recent_weeks": len(me.seen_history),
            "trust": me.trust,
            "my_complied": me.complied_last,
        }

    def scores(self) -> dict[str, float]:
        weeks = max(self.model.steps, 1)
        return {side: self.model.government(side).welfare_total / weeks for side in SIDE_NAMES}


# -------------------------------------------------------------------------- theory
def theory_values(scenario: TradeScenario) -> dict[str, float] | None:
    """Exact long-run payoffs and P(both comply) for a classic-mode pair of automata.

    None outside classic mode or when a strategy has no finite automaton (pragmatic).
    """
    if scenario.mode != "classic":
        return None
    from negotiate.strategies import AutomatonStrategy, make_strategy
    from negotiate.theory import long_run

    strategies = [make_strategy(getattr(scenario, f"{side}_strategy"),
                                generosity=getattr(scenario, f"{side}_generosity"),
                                hawkishness=getattr(scenario, f"{side}_hawkishness"))
                  for side in ("us", "cn")]
    if not all(isinstance(s, AutomatonStrategy) for s in strategies):
        return None
    payoffs = (scenario.payoffs_reward, scenario.payoffs_sucker, scenario.payoffs_temptation,
               scenario.payoffs_punishment)
    result = long_run(strategies[0], strategies[1], scenario.noise_execution,
                      scenario.noise_perception, payoffs)
    return {"us": result.us_payoff, "cn": result.cn_payoff, "cc": result.p_cc}

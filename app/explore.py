"""The Explore page: pick a scenario, set the parameters that matter, run, branch."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import solara

from negotiate.errors import NegotiateError, ScenarioError
from negotiate.inputs import SEED_RANGE
from negotiate.strategies import Posture

from . import state as st
from .charts import ChartData, ChartSet, chart_tables, chart_texts
from .components import (
    ChartGrid,
    ErrorLine,
    Heading,
    LabelledSelect,
    OutcomeBanner,
    Styles,
    TextField,
    Timeline,
)
from .fields import seed

PLAY_INTERVAL_S = 0.3
BRANCH_CHOICES: tuple[tuple[str, str], ...] = (
    ("noise.perception", "Perception noise"),
    ("noise.execution", "Execution noise"),
    ("truce.monitoring", "Joint monitoring committee"),
    ("us.strategy", "U.S. strategy"),
    ("cn.strategy", "China strategy"),
    ("us.hawkishness", "U.S. hawkishness"),
    ("cn.hawkishness", "China hawkishness"),
    ("us.move", "U.S. move next week"),
    ("cn.move", "China move next week"),
)
CHOICE_LABELS = dict(BRANCH_CHOICES)
POSTURE_LABELS = {p.value: p.value.replace("_", " ").capitalize() for p in Posture}


def setting(key: str, label: str, text: str) -> Any:
    """A typed setting, refused with its everyday name when it is not a plain number."""
    try:
        return st.parse_setting(key, text)
    except ScenarioError as exc:
        raise ScenarioError(st.message(exc, label)) from None


def plain_label(text: str) -> str:
    """A branch's description with each setting's key replaced by its everyday name."""
    for key, label in BRANCH_CHOICES:
        text = text.replace(f"{key} = ", f"{label} = ")
    return text


def new_charts(run: st.ExploreRun) -> ChartSet:
    s = run.scenario
    return ChartSet(classic=s.mode == "classic", weeks=s.weeks, start=s.start,
                    hold=s.outcome_hold_threshold, friction=s.outcome_friction_threshold)


@solara.component
def ScenarioPanel(run: st.ExploreRun, apply: Callable[[Callable[[], None]], None], version: int) -> None:
    # ``version`` (the model's id) is unused in the body: it makes the component redraw when
    # ``run`` (mutated in place, so equal to itself) was rebuilt, and not on every step.
    names = solara.use_memo(st.scenario_names, [])
    infos = solara.use_memo(lambda: {n: st.scenario_info(n) for n in names}, [names])
    title, description = infos.get(run.scenario_name, (run.scenario_name, ""))

    def choose(name: str) -> None:
        if name in names and name != run.scenario_name:
            def change() -> None:
                run.scenario_name = name
                run.overrides = {}
            apply(change)

    with solara.Div(classes=["panel", "scenario-panel"]):
        LabelledSelect("Scenario", [(n, f"{infos[n][0]} ({n})") for n in names],
                       run.scenario_name, choose, classes=["scenario-select"])
        Heading(title, 3, ["scenario-title"])
        solara.Text(description, classes=["scenario-description"])


@solara.component
def Controls(run: st.ExploreRun, apply: Callable[[Callable[[], None]], None], version: int) -> None:
    scenario = run.scenario

    def setter(key: str) -> Callable[[Any], None]:
        def set_value(value: Any) -> None:
            def change() -> None:
                run.overrides[key] = value
            apply(change)
        return set_value

    with solara.Div(classes=["controls"]):
        for control in st.EXPLORE_CONTROLS:
            current = st.current_value(scenario, control.key)
            name = control.key.replace(".", "-")
            if control.kind == "choice":
                LabelledSelect(control.label,
                               [(s, st.STRATEGY_LABELS[s]) for s in st.AI_STRATEGIES],
                               current if current in st.AI_STRATEGIES else "pragmatic",
                               setter(control.key), classes=[f"field-{name}"])
            elif control.kind == "flag":
                solara.Switch(label=control.label, value=bool(current),
                              on_value=setter(control.key), classes=[f"field-{name}"])
            else:
                TextField(control.label, st.format_value(current),
                          lambda text, c=control: setting(c.key, c.label, text),
                          setter(control.key), hint=control.hint(), key_name=name)

        def set_seed(seed: int) -> None:
            def change() -> None:
                run.seed = seed
            apply(change)

        TextField("Seed", str(run.seed), seed, set_seed,
                  hint=SEED_RANGE, key_name="seed")


@solara.component
def BranchPanel(run: st.ExploreRun, lock: threading.Lock, bump: Callable[[], None], week: int,
                branch_label: str) -> None:
    # ``week`` and ``branch_label`` mirror ``run`` (mutated in place) so the panel redraws
    # when they change, and only then.
    choice, set_choice = solara.use_state("noise.perception")
    value, set_value = solara.use_state(None)
    error, set_error = solara.use_state("")
    side = choice.split(".")[0]

    def make() -> None:
        try:
            if value is None:
                raise NegotiateError("choose or type the new value first")
            with lock:
                if choice.endswith(".move"):
                    run.make_branch({}, (side, value))
                else:
                    run.make_branch({choice: value})
        except NegotiateError as exc:
            set_error(st.message(exc))
            return
        set_error("")
        bump()

    def clear() -> None:
        with lock:
            run.clear_branch()
        bump()

    def pick(new: str) -> None:
        set_choice(new)
        set_value(None)
        set_error("")

    with solara.Div(classes=["panel", "branch-panel"]):
        Heading(f"Branch from this week (week {week})", 3)
        solara.Text("Fork the run here, change one thing, and see both paths: the branch is "
                    "drawn dotted with hollow markers.", classes=["hint"])
        with solara.Div(classes=["branch-row"]):
            LabelledSelect("What to change", list(BRANCH_CHOICES), choice, pick,
                           classes=["branch-what"])
            if choice.endswith(".move"):
                LabelledSelect("Posture", list(POSTURE_LABELS.items()), value, set_value,
                               classes=["branch-value"])
            elif choice.endswith(".strategy"):
                LabelledSelect("New strategy", [(s, st.STRATEGY_LABELS[s]) for s in st.AI_STRATEGIES],
                               value, set_value, classes=["branch-value"])
            elif choice == "truce.monitoring":
                LabelledSelect("Monitoring", list(st.FLAG_WORDS.items()), value, set_value,
                               classes=["branch-value"])
            else:
                TextField("New value", "", lambda text: setting(choice, CHOICE_LABELS[choice], text), set_value,
                          hint=st.Control(choice, "").hint(), key_name="branch-value")
            solara.Button(f"Branch at week {week}", on_click=make, color="primary",
                          disabled=choice.endswith(".move") and not run.model.running,
                          classes=["branch-button"])
            if run.branch_model is not None:
                solara.Button("Clear branch", on_click=clear, outlined=True, classes=["clear-branch"])
        ErrorLine(error)
        if run.branch_model is not None:
            solara.Text(f"Branch from week {run.branch_week}: {plain_label(run.branch_label)}.",
                        classes=["branch-label"])


@solara.component
def Page() -> None:
    Styles()
    solara.Title("negotiate · Explore")
    # One run per browser session: built here, never at module level.
    run = solara.use_memo(st.ExploreRun, [])
    lock = solara.use_memo(threading.Lock, [])
    playing = solara.use_reactive(False)
    model_id, set_model_id = solara.use_state(id(run.model))
    error, set_error = solara.use_state("")

    def apply(change: Callable[[], None]) -> None:
        """Apply a settings change and restart at week 0; a bad combination changes nothing."""
        saved = (run.scenario_name, dict(run.overrides), run.seed)
        playing.set(False)
        with lock:
            change()
            try:
                run.reset()
            except NegotiateError as exc:
                run.scenario_name, run.overrides, run.seed = saved
                run.reset()
                set_error(st.message(exc))
                return
        set_error("")
        set_model_id(id(run.model))

    with solara.Div(classes=["page", "explore"]):
        Heading("Explore the standoff", 2)
        with solara.Div(classes=["top"]):
            ScenarioPanel(run, apply, model_id)
            with solara.Div(classes=["panel"]):
                Controls(run, apply, model_id)
                ErrorLine(error)
        # Keyed by the model: a reset starts a fresh view (charts, week counter, branch form).
        RunView(run, lock, playing, lambda: apply(lambda: None)).key(f"run-{model_id}")


@solara.component
def RunView(run: st.ExploreRun, lock: threading.Lock, playing: solara.Reactive[bool],
            reset: Callable[[], None]) -> None:
    """Everything that changes each week. Kept apart from the controls so a Step redraws
    only this part of the page (the 150 ms budget)."""
    version, set_version = solara.use_state(0)

    def bump() -> None:
        set_version(lambda v: v + 1)

    def step() -> None:
        with lock:
            run.step()
        bump()

    def play_loop() -> None:
        # Runs in a worker thread while playing; reads the reactive so Pause stops it.
        while playing.value:
            time.sleep(PLAY_INTERVAL_S)
            if not playing.value:
                return
            with lock:
                more = run.step()
            bump()
            if not more or not run.model.running:
                playing.set(False)
                return

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    charts = solara.use_memo(lambda: new_charts(run), [])
    theory = solara.use_memo(lambda: st.theory_values(run.scenario), [])

    def render() -> tuple[dict[str, bytes], dict[str, str], dict]:
        with lock:
            charts.set_theory(theory or {})
            charts.set_branch(run.branch_week, run.branch_label)
            data = ChartData.of(run.model)
            twin = ChartData.of(run.branch_model, run.branch_week or 0) if run.branch_model else None
            charts.update(data, twin)
            return (charts.images(), chart_texts(data, charts.classic, branch=twin),
                    chart_tables(data, charts.classic, branch=twin))

    pngs, caps, tables = solara.use_memo(render, [version])
    model = run.model
    scenario = run.scenario

    with solara.Div(classes=["toolbar"], attributes={"role": "toolbar", "aria-label": "Run controls"}):  # type: ignore[call-arg]
        if playing.value:
            solara.Button("Pause", on_click=lambda: playing.set(False), color="primary",
                          classes=["btn-pause"])
        else:
            solara.Button("Play", on_click=lambda: playing.set(True), color="primary",
                          disabled=not model.running, classes=["btn-play"])
        solara.Button("Step", on_click=step, disabled=not model.running or playing.value,
                      classes=["btn-step"])
        solara.Button("Reset", on_click=reset, outlined=True, classes=["btn-reset"])
        solara.HTML(tag="span", classes=["week-status"],
                    attributes={"aria-live": "polite", "data-week": str(model.week)},
                    unsafe_innerHTML=f"Week {model.week} of {scenario.weeks} · "
                                     f"{model.date if model.week else scenario.start_date}")
    OutcomeBanner(model.current_outcome(), final=not model.running, week=model.week,
                  weeks=scenario.weeks, date=model.date)
    if scenario.mode == "classic":
        if theory:
            solara.Text(f"Theory (exact long run): U.S. {theory['us']:.3f}, China {theory['cn']:.3f}, "
                        f"both comply {theory['cc']:.3f} of weeks — drawn as dashed lines.",
                        classes=["theory"])
        else:
            solara.Text("No exact long-run value for this pair (a strategy is not a finite automaton).",
                        classes=["theory"])
    ChartGrid(pngs, caps, tables)
    BranchPanel(run, lock, bump, model.week, run.branch_label)
    Timeline(list(model.log.records), reveal=True, empty="No events yet: press Step or Play.")

"""The Play page: take the U.S. or China against the AI, one week at a time.

The player sees only what their government would know: its own true compliance, the other
side through perception noise, and public acts. Which accusations were real stays hidden
until the end screen.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Callable
from typing import Any

import solara

from negotiate.errors import MoveError, NegotiateError
from negotiate.inputs import SEED_MAX
from negotiate.moves import Move, parse_move
from negotiate.policy import LICENCE_KINDS
from negotiate.strategies import Posture

from . import seat_view as sv
from . import state as st
from .charts import ChartData, ChartSet, chart_tables, chart_texts
from .comparison import ReplayComparison
from .components import (
    ChartGrid,
    ChartImage,
    ErrorLine,
    Heading,
    KeepFocus,
    LabelledSelect,
    OutcomeBanner,
    Styles,
    Timeline,
    TypedField,
)
from .fields import (
    MOVE_LABELS,
    OFFER_LABELS,
    move_field_error,
    move_hint,
    offer_field_error,
    offer_hint,
    offer_value,
)
from .fields import seed as typed_seed

WEEK_CHOICES = (12, 26, 52)
POSTURE_CHOICES: list[tuple[str, str]] = [
    ("", "Follow from my instruments"),
    (Posture.COMPLY.value, "Comply: keep the terms"),
    (Posture.CONCEDE.value, "Concede: ease my measures"),
    (Posture.SEEK_TALKS.value, "Seek talks"),
    (Posture.ACCUSE.value, "Accuse (a public statement)"),
    (Posture.RETALIATE.value, "Retaliate"),
    (Posture.ESCALATE.value, "Escalate"),
]
BREACHING_POSTURES = (Posture.RETALIATE.value, Posture.ESCALATE.value)
ANSWER_LABELS = {"accept": "Accept", "reject": "Reject", "counter": "Counter"}
OFFER_KIND_LABEL = "Licence kind in the offer"
# At a truce's end the player votes, and nothing is chosen for them: End week waits for it.
EXTEND_LABELS = {"yes": "Extend the truce", "no": "Let it lapse"}


def play_scenarios() -> list[str]:
    names = st.scenario_names()
    return [n for n in st.PLAY_SCENARIOS if n in names] or names[:1]


def talks_next_week(game: st.PlayGame) -> bool:
    """Talks are public knowledge: a pending round, or talks on the published calendar."""
    model = game.model
    nxt = model.week + 1
    if model.talks_pending_week == nxt:
        return True
    start = model.scenario.start
    return any(e.kind == "talks" and e.week(start) == nxt for e in model.scenario.events)


def proposed_move(side: str, form: dict[str, str], defaults: dict[str, str]) -> Move:
    """The instruments the player has typed so far (valid, changed fields only)."""
    values = {name: form[name] for name in st.SIDE_FIELDS[side]
              if str(form[name]).strip() != defaults.get(name) and not move_field_error(side, name, form[name])}
    return parse_move(side, values)


def offer_from_form(offer_form: dict[str, str]) -> dict[str, Any]:
    """The offer fields as numbers, and the licence kind as chosen; MoveError names the first
    bad field and its bounds."""
    offer: dict[str, Any] = {name: offer_value(name, offer_form[name]) for name in OFFER_LABELS}
    offer["licence_kind"] = offer_form["licence_kind"]
    return offer


@solara.component
def FormField(label: str, initial: str, check: Callable[[str], str], on_text: Callable[[str], None],
              *, name: str, hint: str = "") -> None:
    """A field whose text is kept for the week's move; a bad value is flagged as it is applied."""
    error, set_error = solara.use_state("")

    def typed(new: str) -> None:
        on_text(new)
        set_error(check(new))

    # Always a line under the field (a blank one at least), so it does not jump as errors come and go.
    TypedField(label, initial, typed, error=error, hint=hint or " ", classes=["field", f"field-{name}"])


@solara.component
def Evidence(game: st.PlayGame) -> None:
    ev = game.evidence()
    other = st.SIDE_NAMES[game.other]
    seen = ev["seen_last_week"]
    seen_text = ("no report yet" if seen is None
                 else "complying" if seen else "BREACHING (as your monitors read it)")
    mine = ev["my_complied"]
    mine_text = "no move yet" if mine is None else "kept the terms" if mine else "breached"
    solara.HTML(tag="ul", classes=["evidence"], unsafe_innerHTML=(
        f"<li>Last week your monitors saw {html.escape(other)}: <strong>{seen_text}</strong></li>"
        f"<li>Breaches you perceived in the last {ev['recent_weeks']} weeks: "
        f"<strong>{ev['perceived_breaches_recent']}</strong></li>"
        f"<li>Your trust in {html.escape(other)}: <strong>{ev['trust']:.2f}</strong> (0 to 1)</li>"
        f"<li>Your own government last week (you know this for sure): <strong>{mine_text}</strong></li>"
        "<li><em>Monitoring is noisy: a breach you saw may not have happened.</em></li>"))


@solara.component
def TermsPanel(terms: sv.TermsInForce | None, side: str) -> None:
    """The caps in force, the player's own first."""
    if terms is None:
        solara.Text("No agreement is in force: no caps bind either side.", classes=["hint", "terms-none"])
        return
    rows = []
    for cap in sorted(terms.caps, key=lambda c: c.side != side):
        whose = "you" if cap.side == side else st.SIDE_NAMES[cap.side]
        rows.append(f"<li data-side=\"{cap.side}\">{html.escape(cap.label)} {html.escape(cap.words)} "
                    f"<span class=\"t-week\">(binds {html.escape(whose)})</span></li>")
    solara.HTML(tag="div", classes=["terms-in-force"], unsafe_innerHTML=(
        f"<strong>In force: {html.escape(terms.agreement)}</strong>, until week {terms.end_week}"
        f"<ul>{''.join(rows)}</ul>"))


@solara.component
def OfferFields(offer_form: dict[str, str], on_change: Callable[[], None]) -> None:
    with solara.Div(classes=["decision", "offer-fields"]):
        for name, label in OFFER_LABELS.items():
            FormField(label, offer_form[name], lambda text, n=name: offer_field_error(n, text),
                      lambda text, n=name: (offer_form.__setitem__(n, text), on_change()),
                      name=f"offer-{name.replace('_', '-')}", hint=offer_hint(name))
        # Shown, so the kind the offer carries is one the player sees and may change.
        LabelledSelect(OFFER_KIND_LABEL, [(k, k.capitalize()) for k in LICENCE_KINDS],
                       offer_form["licence_kind"],
                       lambda kind: (offer_form.__setitem__("licence_kind", kind), on_change()),
                       classes=["field-offer-licence-kind"])


@solara.component
def ChoiceButtons(labels: dict[str, str], value: str, set_value: Callable[[str], None], name: str,
                  said: str, unchosen: str) -> None:
    """One choice the player makes by pressing one of ``labels`` (again to take it back), and
    a line saying what is chosen, or ``unchosen`` while nothing is."""
    with solara.Div(classes=["toolbar", f"{name}-buttons"]):
        for choice, label in labels.items():
            chosen = value == choice
            solara.Button(label, on_click=lambda c=choice, on=chosen: set_value("" if on else c),
                          outlined=not chosen, color="primary" if chosen else None,
                          classes=[f"btn-{name}-{choice}"])
    solara.Text(f"{said}: {labels[value].lower()}." if value else unchosen,
                classes=["hint", f"{name}-status"])


@solara.component
def DecisionPanel(game: st.PlayGame, on_played: Callable[[], None]) -> None:
    model = game.model
    side = game.side
    other = st.SIDE_NAMES[game.other]
    week = model.week
    # Plain dicts the fields write into; the panel is remounted each week, so they start fresh.
    defaults = solara.use_memo(game.form_defaults, [])
    form = solara.use_memo(lambda: dict(defaults), [])
    offer_form = solara.use_memo(lambda: _offer_defaults(game), [])
    posture, set_posture = solara.use_state("")
    kind, set_kind = solara.use_state(model.cn.instruments.licence_kind)
    accuse, set_accuse = solara.use_state(False)
    make_offer, set_make_offer = solara.use_state(False)
    answer, set_answer = solara.use_state("")
    extend, set_extend = solara.use_state("")  # "yes", "no", or "" (not chosen yet)
    error, set_error = solara.use_state("")
    typed, set_typed = solara.use_state(0)  # bumped on each keystroke: re-check the breaches
    talks = talks_next_week(game)
    pending = sv.pending_offer(model, side)
    terms = sv.terms_in_force(model, side)
    agreement = model.truces.current
    ending = agreement is not None and agreement.end_week - week <= 1

    def retyped() -> None:
        set_typed(lambda n: n + 1)

    warnings = solara.use_memo(lambda: _warnings(model, side, form, defaults, posture),
                               [typed, posture])

    def submit() -> None:
        data: dict[str, Any] = dict(form)
        data["posture"] = posture or None
        data["accuse"] = accuse
        if side == "cn":
            data["licence_kind"] = kind
        try:
            for name in st.SIDE_FIELDS[side]:
                problem = move_field_error(side, name, form[name])
                if problem and str(form[name]).strip() != defaults.get(name):
                    raise MoveError(problem)
            counter = offer_from_form(offer_form) if answer == "counter" or make_offer else None
            if pending is not None:
                data.update(sv.answer_fields(answer, counter))
            elif counter is not None:
                data["offer"] = counter
            if ending:
                if not extend:
                    raise MoveError(f"the truce ends at week {agreement.end_week}: choose "
                                    f"'{EXTEND_LABELS['yes']}' or '{EXTEND_LABELS['no']}' first")
                data["extend"] = extend == "yes"
            move = st.parse_move_form(side, data, defaults)
            game.play_week(move)
        except NegotiateError as exc:
            set_error(st.message(exc))  # nothing was submitted: the week is unchanged
            return
        set_error("")
        on_played()

    with solara.Div(classes=["panel", "decision-panel"]):
        Heading(f"Week {week + 1}: your decisions", 3, ["decision-heading"], focusable=True)
        TermsPanel(terms, side)
        with solara.Div(classes=["decision"]):
            for name in st.SIDE_FIELDS[side]:
                FormField(MOVE_LABELS[name], form[name],
                          lambda text, n=name: move_field_error(side, n, text),
                          lambda text, n=name: (form.__setitem__(n, text), retyped()),
                          name=name.replace("_", "-"), hint=move_hint(name, defaults[name]))
            if side == "cn":
                LabelledSelect("Licence kind", [(k, k.capitalize()) for k in LICENCE_KINDS], kind,
                               set_kind, classes=["field-licence-kind"])
            LabelledSelect("Posture", POSTURE_CHOICES, posture, set_posture, classes=["field-posture"])
        if warnings:
            solara.HTML(tag="ul", classes=["breach-warning"], attributes={"role": "alert"},  # type: ignore[call-arg]
                        unsafe_innerHTML="".join(f"<li>{html.escape(w)}</li>" for w in warnings))
        Heading(f"Accuse {other}?", 4)
        Evidence(game)
        solara.Button(f"Withdraw accusation of {other}" if accuse else f"Accuse {other} publicly this week",
                      on_click=lambda: set_accuse(not accuse), outlined=not accuse,
                      color="warning" if accuse else None, classes=["btn-accuse"])
        if accuse:
            solara.Text("An accusation is queued: it costs trust and moves markets, even if the breach was not real.",
                        classes=["hint"])
        if pending is not None:
            what = "" if pending.name == "talks" else f" {pending.name}"
            Heading(f"{st.SIDE_NAMES[pending.by]} offers{what}: {sv.offer_words(pending.offer)} — "
                    "accept, reject or counter?", 4, ["offer-prompt"])
            ChoiceButtons(ANSWER_LABELS, answer, set_answer, "answer", "Your answer",
                          "No answer chosen: the offer stays on the table.")
            if answer == "counter":
                OfferFields(offer_form, retyped)
        elif talks:
            Heading("Talks this week", 4)
            solara.Checkbox(label="Make an offer", value=make_offer, on_value=set_make_offer)
            if make_offer:
                OfferFields(offer_form, retyped)
        if ending:
            Heading(f"The truce ends at week {agreement.end_week}: extend it?", 4, ["extend-prompt"])
            ChoiceButtons(EXTEND_LABELS, extend, set_extend, "extend", "Your choice",
                          "Not chosen yet: choose before you end the week.")
        ErrorLine(error)
        solara.Button(f"End week {week + 1}", on_click=submit, color="primary", classes=["btn-end-week"])
        # The panel is rebuilt each week, and the control that had focus goes with it: focus
        # goes to the next week's "End week" button, or, as the game starts, to this heading.
        KeepFocus(".decision-panel .btn-end-week" if week else ".decision-panel .decision-heading")


def _warnings(model: Any, side: str, form: dict[str, str], defaults: dict[str, str],
              posture: str) -> list[str]:
    """What the chosen move would breach, in plain words, before the player commits."""
    terms = sv.terms_in_force(model, side)
    if terms is None:
        return []
    out = sv.breaches(model, side, proposed_move(side, form, defaults))
    if posture in BREACHING_POSTURES:
        out.append(f"choosing to {posture} breaks {terms.agreement}: your measures go past its caps")
    return out


def _offer_defaults(game: st.PlayGame) -> dict[str, str]:
    model = game.model
    pending = sv.pending_offer(model, game.side)
    if pending is not None:
        source = pending.offer.as_dict()
    else:
        us, cn = model.us.instruments, model.cn.instruments
        source = {"us_tariff_cap": us.tariff_headline, "cn_tariff_cap": cn.tariff_headline,
                  "approval_floor": cn.approval_rate, "review_cap": cn.review_weeks,
                  "curb_cap": us.tech_curbs, "weeks": model.scenario.truce_weeks}
    form = {k: st.format_value(round(float(source[k]), 2)) for k in OFFER_LABELS}
    # The offer on the table's kind, else the regime in force: what the player starts from.
    form["licence_kind"] = pending.offer.licence_kind if pending is not None else model.cn.instruments.licence_kind
    return form


@solara.component
def Start(on_start: Callable[[str, str, int, int], None]) -> None:
    names = solara.use_memo(play_scenarios, [])
    scenario, set_scenario = solara.use_state(names[0])
    weeks, set_weeks = solara.use_state(12)
    seed_text, set_seed_text = solara.use_state(str(secrets.randbelow(10_000)))
    error, set_error = solara.use_state("")

    def seed_problem(text: str) -> str:
        try:
            typed_seed(text)
        except NegotiateError as exc:
            return st.message(exc)
        return ""

    def typed(text: str) -> None:
        # Checked as it is applied, so the line under the field always speaks of what it holds.
        set_seed_text(text)
        set_error(seed_problem(text))

    def start(side: str) -> None:
        problem = seed_problem(seed_text)
        if problem:
            set_error(problem)
            return
        on_start(side, scenario, weeks, typed_seed(seed_text))

    with solara.Div(classes=["panel", "start-panel"]):
        Heading("Play a side against the AI", 2)
        solara.Text("Each turn is one week. Set your instruments, decide whether to accuse, and "
                    "make or answer offers when talks open. The AI plays the other government and "
                    "the firms. You see the other side only through noisy monitoring.",
                    classes=["hint"])
        with solara.Div(classes=["decision"]):
            LabelledSelect("Scenario", [(n, st.scenario_info(n)[0]) for n in names], scenario,
                           set_scenario, classes=["play-scenario"])
            LabelledSelect("Weeks to play", [(w, f"{w} weeks") for w in WEEK_CHOICES], weeks,
                           set_weeks, classes=["play-weeks"])
            TypedField("Seed", seed_text, typed, error=error,
                       hint="a whole number; same seed, same noise", classes=["field", "field-seed"])
        with solara.Div(classes=["toolbar"]):
            solara.Button("Play as the United States", on_click=lambda: start("us"), color="primary",
                          classes=["btn-play-us"])
            solara.Button("Play as China", on_click=lambda: start("cn"), color="primary",
                          classes=["btn-play-cn"])


def truth_table(game: st.PlayGame) -> str:
    """Every accusation on the record, with the truth; the player's own counted from their
    choices, so the record and the choices can be compared line by line."""
    rows = []
    counts = {"us": [0, 0], "cn": [0, 0]}
    for r in game.model.log.records:
        if r.kind != "accusation":
            continue
        counts.setdefault(r.actor, [0, 0])[0 if r.real else 1] += 1
        who = "You" if r.actor == game.side else f"{st.SIDE_NAMES[r.actor]} (AI)"
        truth = '<span class="tag tag-real">▲ real breach</span>' if r.real else \
            '<span class="tag tag-false">✕ false alarm</span>'
        rows.append(f'<tr data-actor="{html.escape(r.actor)}"><td>{html.escape(r.date)} (week {r.week})</td>'
                    f"<td>{html.escape(who)}</td><td>{truth}</td></tr>")
    me, ai = counts[game.side], counts[game.other]
    summary = (f'<p class="record-summary">On the record in your name: {_times(me[0] + me[1], "accusation")}, '
               f"{me[0]} real, {_times(me[1], 'false alarm')}. The AI ({html.escape(st.SIDE_NAMES[game.other])}) "
               f"accused {_times(ai[0] + ai[1], 'time')}: {ai[0]} real, {_times(ai[1], 'false alarm')}.</p>")
    body = "".join(rows) or '<tr><td colspan="3">No accusations were made.</td></tr>'
    return (summary + '<table class="score-table truth-table" aria-label="Accusations and the truth">'
            "<thead><tr><th>Date</th><th>Accuser</th><th>Truth</th></tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _times(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _weeks(weeks: list[int]) -> str:
    return f" (week {', '.join(str(w) for w in weeks)})" if weeks else ""


def choices_summary(game: st.PlayGame) -> str:
    """The end screen's counts, each the number of times the player chose the action."""
    c = sv.player_choices(game.model, game.side)
    items = [("accusations", "You accused", c.accusations), ("offers", "You made offers", c.offers),
             ("accepted", "You accepted offers", c.accepted), ("rejected", "You rejected offers", c.rejected)]
    lis = "".join(f'<li data-count="{name}" data-value="{len(weeks)}">{text} {len(weeks)} '
                  f"time{'' if len(weeks) == 1 else 's'}{_weeks(weeks)}</li>" for name, text, weeks in items)
    return f'<ul class="choices-summary">{lis}</ul>'


def agreements_table(game: st.PlayGame) -> str:
    """Every agreement signed, and the player's part in it."""
    model = game.model
    rows = []
    for agreement, part in sv.agreement_parts(model, game.side):
        week, name = agreement.start_week, agreement.name
        rows.append(f'<tr data-week="{week}" data-part="{html.escape(part)}">'
                    f"<td>{html.escape(model.log.date_of(max(week, 1)))} (week {week})</td>"
                    f"<td>{html.escape(sv.agreement_title(name))}</td><td>{html.escape(part)}</td></tr>")
    body = "".join(rows) or '<tr><td colspan="3">No agreement was signed.</td></tr>'
    return ('<table class="score-table agreements-table" aria-label="Agreements signed">'
            "<thead><tr><th>Date</th><th>Agreement</th><th>Your part</th></tr></thead>"
            f"<tbody>{body}</tbody></table>")


def noise_list(reports: list[sv.NoiseReport]) -> str:
    if not reports:
        return '<p class="noise-none">Execution noise never changed your moves.</p>'
    return '<ul class="noise-list">' + "".join(
        f'<li data-week="{r.week}">{html.escape(r.sentence())}</li>' for r in reports) + "</ul>"


@solara.component
def EndScreen(game: st.PlayGame, noisy: list[sv.NoiseReport], on_again: Callable[[], None]) -> None:
    scores = game.scores()
    outcome = game.outcome()
    comparison = solara.use_memo(lambda: ReplayComparison.build(game), [id(game)])
    with solara.Div(classes=["panel", "end-screen"]):
        Heading("Game over", 2, ["end-heading"], focusable=True)
        KeepFocus(".end-screen .end-heading")  # "End week" is gone with the last week's panel
        mine = st.SIDE_NAMES[game.side]
        rows = (f"<tr><td>You ({mine})</td><td><strong>{scores[game.side]:.2f}</strong></td></tr>"
                f"<tr><td>AI ({st.SIDE_NAMES[game.other]})</td><td>{scores[game.other]:.2f}</td></tr>")
        if comparison.available:
            rows += (f"<tr><td>You, over {html.escape(comparison.span)}</td>"
                     f"<td>{comparison.game_scores[game.side]:.2f}</td></tr>"
                     f"<tr><td>{mine} in the 2025 replay, same weeks (the model's welfare "
                     "on the record's moves)</td>"
                     f"<td>{comparison.scores[game.side]:.2f}</td></tr>")
        solara.HTML(tag="table", classes=["score-table"], unsafe_innerHTML=(
            "<thead><tr><th></th><th>Mean welfare per week</th></tr></thead><tbody>" + rows + "</tbody>"))
        solara.Text(f"Outcome: {outcome.label} — {outcome.reason}. Seed {game.seed}.", classes=["hint"])
        Heading("Your choices", 3)
        solara.HTML(tag="div", unsafe_innerHTML=choices_summary(game))
        Heading("The truth about the accusations", 3)
        solara.HTML(tag="div", unsafe_innerHTML=truth_table(game))
        Heading("Agreements", 3)
        solara.HTML(tag="div", unsafe_innerHTML=agreements_table(game))
        Heading("Weeks when execution noise changed your move", 3)
        solara.HTML(tag="div", unsafe_innerHTML=noise_list(noisy))
        Heading("Your path beside the 2025 replay", 3)
        if comparison.available:
            ChartImage(comparison.png, f"Your path beside the 2025 replay. {comparison.caption}",
                       fmt="png", classes=["comparison-img"])
            solara.Text(comparison.caption, classes=["chart-caption", "comparison-caption"])
            solara.HTML(tag="details", classes=["comparison-table"], unsafe_innerHTML=comparison.table_html())
        else:
            solara.Text(comparison.caption, classes=["hint"])
        solara.Button("Play again with a new seed", on_click=on_again, color="primary",
                      classes=["btn-again"])


@solara.component
def Game(game: st.PlayGame, on_again: Callable[[], None], on_quit: Callable[[], None]) -> None:
    version, set_version = solara.use_state(0)
    # Noise reports are read each week, as the week ends; kept for the end screen.
    noisy = solara.use_memo(list, [id(game)])
    model = game.model
    s = model.scenario
    finished = game.finished
    charts = solara.use_memo(
        lambda: ChartSet(classic=s.mode == "classic", weeks=s.weeks, start=s.start,
                         hold=s.outcome_hold_threshold, friction=s.outcome_friction_threshold,
                         reveal=False, player=game.side),
        [id(game)])

    def render() -> tuple[dict[str, bytes], dict[str, str], dict]:
        charts.set_reveal(finished)
        data = ChartData.of(model)
        charts.update(data)
        player = None if finished else game.side
        return (charts.images(), chart_texts(data, charts.classic, player=player),
                chart_tables(data, charts.classic, player=player))

    pngs, caps, tables = solara.use_memo(render, [version, id(game), finished])

    def played() -> None:
        report = sv.noise_report(model, game.side)
        if report is not None:
            noisy.append(report)
        set_version(lambda v: v + 1)

    latest = noisy[-1] if noisy and noisy[-1].week == model.week else None

    with solara.Div(classes=["page", "play"]):
        with solara.Div(classes=["toolbar"]):
            Heading(sv.seat_title(game.side), 2)
            solara.HTML(tag="span", classes=["week-status"],
                        attributes={"aria-live": "polite", "data-week": str(model.week)},
                        unsafe_innerHTML=f"Week {model.week} of {s.weeks} · "
                                         f"{model.date if model.week else s.start_date}")
            solara.Button("Quit to start", on_click=on_quit, outlined=True, classes=["btn-quit"])
        OutcomeBanner(game.outcome(), final=finished, week=model.week, weeks=s.weeks, date=model.date)
        if latest is not None:
            solara.HTML(tag="div", classes=["noise-banner"], attributes={"role": "alert"},  # type: ignore[call-arg]
                        unsafe_innerHTML=html.escape(latest.sentence()))
        if finished:
            EndScreen(game, noisy, on_again)
        # At the end the decision panel goes and the grid becomes one column, so the charts
        # take the full width.
        with solara.Div(classes=["play-grid", "play-grid-done" if finished else "play-grid-live"]):
            if not finished:
                # Keyed by week: each week starts from fresh fields filled with current values.
                DecisionPanel(game, played).key(f"week-{model.week}")
            with solara.Div(classes=["play-charts"]):
                ChartGrid(pngs, caps, tables)
        Timeline(list(model.log.records), reveal=finished,
                 empty="No events yet: set your decisions and end week 1.")


@solara.component
def Page() -> None:
    Styles()
    solara.Title("negotiate · Play")
    # The game lives in this session's component state, never at module level.
    game, set_game = solara.use_state(None)  # type: ignore[var-annotated]

    def start(side: str, scenario: str, weeks: int, seed: int) -> None:
        set_game(st.PlayGame(side=side, scenario_name=scenario, seed=seed, weeks=weeks))

    def again() -> None:
        old: st.PlayGame = game
        seed = (old.seed + 1 + secrets.randbelow(1000)) % (SEED_MAX + 1)
        set_game(st.PlayGame(side=old.side, scenario_name=old.scenario_name, seed=seed, weeks=old.weeks))

    with solara.Div(classes=["page", "play"]):
        KeepFocus()  # from the first page on, so focus lost as a game starts is noticed
        if game is None:
            Start(start)
        else:
            Game(game, again, lambda: set_game(None)).key(f"game-{id(game)}")

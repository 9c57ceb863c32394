"""A student's seat: the briefing, what the seat sees, its levers only, talks and messages."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import solara

from negotiate.app.components import Choice, Disclosure, KeepFocus, TypedNumber
from negotiate.app.fields import span
from negotiate.classroom.decisions import describe
from negotiate.classroom.runtime import get_service
from negotiate.classroom.seats import FIRM_SEATS, SEATS
from negotiate.errors import NegotiateError
from negotiate.moves import FIRM_BOUNDS, MOVE_NUMBERS
from negotiate.negotiation import OFFER_BOUNDS
from negotiate.params import LICENCE_KINDS, Range, number
from negotiate.strategies import Posture

from .browser import BrowserMemory
from .live import refresh, use_live
from .panels import Briefing, Figures, Header, Line, MessageList, recipient_name, seat_title

POSTURE_NAMES = {"comply": "Comply", "concede": "Concede", "seek_talks": "Seek talks",
                 "accuse": "Accuse", "retaliate": "Retaliate", "escalate": "Escalate"}
POSTURE_HELP = {
    "comply": "keep the terms (or hold your instruments)",
    "concede": "ease: lower tariffs and curbs, approve more licences",
    "seek_talks": "ask for talks next week",
    "accuse": "publicly accuse the other side (not a breach)",
    "retaliate": "raise tariffs/curbs a step (a breach if a deal is in force)",
    "escalate": "raise them a big step",
}


@solara.component
def SeatPage(token: str) -> None:
    use_live(token)
    try:
        view = get_service().seat_view(token)
    except NegotiateError as exc:
        solara.Error(str(exc))
        return
    seat_id = view["seat"]
    BrowserMemory(token=token)
    Header(view, f"{view['student']} · {seat_title(seat_id)}")
    if seat_id is None:
        PickSeat(token, view)
        return
    if view["status"] == "ended":
        solara.Success("The game is over.")
        solara.Button("Open the debrief", href=f"/debrief?t={token}", color="primary")
    with solara.Div(classes=["cols"]):
        with solara.Div(classes=["col-box"]):
            if view["kind"] != "observer" and view["status"] != "ended":
                DecisionPanel(token, view).key(f"decision-{view['turn']}")
            if view["kind"] == "government":
                TalksPanel(token, view)
            MessagesPanel(token, view)
        with solara.Div(classes=["col-box"]):
            Line(f"Team: {', '.join(view['team'])}", classes=["team-line"])
            with Disclosure("Your briefing (goals, constraints, what only you know)"):
                Briefing(seat_id)
            Figures("The world this week", view["public"])
            Figures("Only your seat sees this", view["private"])
            if view["mine"]:
                last = view["mine"][-1]
                Line(f"Your score so far: {last['score_total']:.1f} "
                     f"(last turn {last['score_turn']:+.1f})")


@solara.component
def PickSeat(token: str, view: dict[str, Any]) -> None:
    free = view.get("free_seats") or []
    titles = {SEATS[s].title: s for s in free}
    choice, set_choice = solara.use_state("")
    error, set_error = solara.use_state("")

    def claim() -> None:
        try:
            get_service().claim_seat(token, titles.get(choice, ""))
        except NegotiateError as exc:
            set_error(str(exc))
            return
        refresh()

    if view.get("seating") != "pick":
        solara.Info("You are in the room. Your teacher will give you a seat.")
        return
    if not titles:
        solara.Info("Every seat is taken. Your teacher will add you to a team.")
        return
    with solara.Card("Pick your seat"):
        Choice("Empty seats", value=choice if choice in titles else None,
                      values=list(titles), on_value=set_choice)
        solara.Button("Take this seat", color="primary", disabled=choice not in titles, on_click=claim)
        if error:
            solara.Error(error)


def _slider_label(label: str, value: float, unit: str) -> str:
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{label}: {shown}{unit}"


def notch(value: float, lo: float, hi: float, step: float) -> float:
    """The slider position nearest ``value``, rounded as Vuetify's slider rounds it
    (``VSlider.roundValue``: half up, from ``lo``, to the step's decimals, within bounds)."""
    offset = math.fmod(lo, step)
    nearest = math.floor((min(max(value, lo), hi) - offset) / step + 0.5) * step + offset
    decimals = len(number(step).partition(".")[2])
    return round(min(nearest, hi), decimals)


@solara.component
def Slider(label: str, value: float, bound: Range, step: float, unit: str, on_value, *,
           integer: bool = False, parse: Callable[[str], float] | None = None, hint: str = "") -> None:
    """A slider whose label shows its value and unit (phones hide the thumb under a finger),
    with the same value typed beside it. Its limits are ``bound``, the home of the rule the
    server checks; the field's hint says them (``hint`` when the field has a rule of its own,
    ``parse``).

    A typed value between two steps is kept as typed: the thumb sits on the nearest step. A
    Vuetify slider given a value off its steps rounds it and sends the rounded value back,
    which silently replaced what was typed (45 s became 60 s), so it is given the nearest
    step, and that step coming back is not taken as a choice.
    """
    full = _slider_label(label, value, unit)
    thumb = notch(value, bound.lo, bound.hi, step)

    def moved(new: float) -> None:
        if new != thumb:
            on_value(new)

    with solara.Div(classes=["slider"]):
        if integer:
            solara.SliderInt(full, value=int(thumb), min=int(bound.lo), max=int(bound.hi),
                             step=int(step), on_value=moved, thumb_label=True)
        else:
            solara.SliderFloat(full, value=float(thumb), min=bound.lo, max=bound.hi, step=step,
                               on_value=moved, thumb_label=True)
        # The same value typed: a slider answers arrow keys only.
        TypedNumber(f"{label} ({unit.strip(' ()') or 'value'})", value, bound, on_value,
                    integer=integer, parse=parse, hint=hint or span(bound))


def _defaults(view: dict[str, Any]) -> dict[str, Any]:
    if view["decision"]:
        return dict(view["decision"])
    if view["kind"] == "government":
        return {"posture": "comply"}
    if view["kind"] == "magnet":
        return {"licence_for": []}
    return {}


@solara.component
def DecisionPanel(token: str, view: dict[str, Any]) -> None:
    draft, set_draft = solara.use_state(_defaults(view))
    message, set_message = solara.use_state("")
    failed, set_failed = solara.use_state(False)
    kind = view["kind"]

    def put(name: str, value: Any) -> None:
        new = dict(draft)
        if value is None:
            new.pop(name, None)
        else:
            new[name] = value
        set_draft(new)

    def submit() -> None:
        try:
            ack = get_service().submit(token, draft, view["turn"])
        except NegotiateError as exc:
            set_failed(True)
            set_message(str(exc))
            return
        set_failed(False)
        set_message(f"Decision saved for turn {ack['turn']} (version {ack['revision']}). "
                    "You can change it until the turn closes.")
        refresh()

    with solara.Card("Your decision this turn"):
        if kind == "government":
            GovernmentLevers(view, draft, put, set_draft)
        elif kind == "firm":
            Slider("Extra stockpile target", draft.get("stockpile_weeks", 0.0),
                   FIRM_BOUNDS["stockpile_weeks"], 1, " weeks", lambda v: put("stockpile_weeks", float(v)))
            Slider("Move this share of China purchases to other suppliers",
                   draft.get("switch_share", 0.0), FIRM_BOUNDS["switch_share"], 0.05, " (share)",
                   lambda v: put("switch_share", float(v)))
            Slider("Lobby your government", draft.get("lobby", 0.0), FIRM_BOUNDS["lobby"], 0.1,
                   " (effort)", lambda v: put("lobby", float(v)))
            solara.Checkbox(label="Apply for an export licence (through your Chinese supplier)",
                            value=bool(draft.get("apply_licence")),
                            on_value=lambda v: put("apply_licence", True if v else None))
        elif kind == "magnet":
            Line("File licence applications for up to three customers this week:")
            chosen = list(draft.get("licence_for", []))
            for seat_id in FIRM_SEATS:
                def toggle(v: bool, seat_id: str = seat_id) -> None:
                    now = set(draft.get("licence_for", []))
                    now = now | {seat_id} if v else now - {seat_id}
                    put("licence_for", sorted(now))

                solara.Checkbox(label=SEATS[seat_id].title, value=seat_id in chosen, on_value=toggle)
        elif kind == "supplier":
            Slider("Extra investment in ramping up", draft.get("invest", 0.0), FIRM_BOUNDS["invest"],
                   0.1, " (effort)", lambda v: put("invest", float(v)))
        Line(f"Your choice: {describe(view['seat'], draft)}")
        # Named with its turn, so a screen reader says which turn it submits for.
        solara.Button("Submit decision", on_click=submit, color="primary", classes=["btn-submit-decision"],
                      attributes={"aria-label": f"Submit decision for turn {view['turn']}"})
        # This panel is rebuilt as each turn opens: focus lost with the old one comes here.
        KeepFocus(".btn-submit-decision")
        if view["revision"]:
            solara.Text(f"Saved: version {view['revision']} for turn {view['turn']}",
                        classes=["saved-label"])
        if message:
            (solara.Error if failed else solara.Success)(message)


@solara.component
def GovernmentLevers(view: dict[str, Any], draft: dict[str, Any], put, set_draft) -> None:
    side = view["side"]
    by_name = {POSTURE_NAMES.get(p.value, p.value): p.value for p in Posture}
    current = POSTURE_NAMES.get(draft.get("posture", "comply"), draft.get("posture", "comply"))
    Choice("Posture", value=current, values=list(by_name),
                  on_value=lambda v: put("posture", by_name.get(v, "comply")))
    solara.Text(POSTURE_HELP.get(draft.get("posture", "comply"), ""))
    direct = any(k in draft for k in ("tariff_headline", "tech_curbs", "approval_rate",
                                      "review_weeks", "diversification"))
    solara.Checkbox(label="Set instruments directly", value=direct,
                    on_value=lambda v: set_draft(_toggle_direct(v, view, draft)))
    if direct:
        Slider("Headline tariff", draft.get("tariff_headline", 0.0), MOVE_NUMBERS["tariff_headline"],
               5, " %", lambda v: put("tariff_headline", float(v)))
        Slider("Tech curbs", draft.get("tech_curbs", 0.0), MOVE_NUMBERS["tech_curbs"], 0.05,
               " (index)", lambda v: put("tech_curbs", float(v)))
        if side == "cn":
            Slider("Licence approval rate", draft.get("approval_rate", 1.0),
                   MOVE_NUMBERS["approval_rate"], 0.05, " (share)",
                   lambda v: put("approval_rate", float(v)))
            Slider("Review time", draft.get("review_weeks", 9.0), MOVE_NUMBERS["review_weeks"], 1,
                   " weeks", lambda v: put("review_weeks", float(v)))
            Choice("Licence kind", value=draft.get("licence_kind", "single"),
                          values=list(LICENCE_KINDS),
                          on_value=lambda v: put("licence_kind", v))
        else:
            Slider("Support for non-China supply", draft.get("diversification", 0.0),
                   MOVE_NUMBERS["diversification"], 0.05, " (index)",
                   lambda v: put("diversification", float(v)))
    solara.Checkbox(label="Accuse the other side of breaking the deal", value=bool(draft.get("accuse")),
                    on_value=lambda v: put("accuse", True if v else None))
    extend = {True: "extend", False: "let it lapse"}.get(draft.get("extend"), "leave to advisers (AI)")
    Choice("If the truce is due to end", value=extend,
                  values=["leave to advisers (AI)", "extend", "let it lapse"],
                  on_value=lambda v: put("extend", {"extend": True, "let it lapse": False}.get(v)))


def _toggle_direct(on: bool, view: dict[str, Any], draft: dict[str, Any]) -> dict[str, Any]:
    """Start from today's instruments when switching on; drop them all when switching off."""
    if on:
        return {**draft, **view["instruments"]}
    drop = ("tariff_headline", "tech_curbs", "approval_rate", "review_weeks", "diversification",
            "licence_kind")
    return {k: v for k, v in draft.items() if k not in drop}


@solara.component
def TalksPanel(token: str, view: dict[str, Any]) -> None:
    offer, set_offer = solara.use_state({"us_tariff_cap": 30.0, "cn_tariff_cap": 10.0,
                                         "approval_floor": 0.5, "review_cap": 9.0, "curb_cap": 0.3,
                                         "licence_kind": "temporary", "weeks": 13})
    message, set_message = solara.use_state("")

    def field(name: str, value: Any) -> None:
        set_offer({**offer, name: value})

    def act(fn) -> None:
        try:
            fn()
            set_message("")
            refresh()
        except NegotiateError as exc:
            set_message(str(exc))

    with solara.Card("Talks: offers between the delegations"):
        for o in reversed(view["offers"][-8:]):
            from negotiate.negotiation import Offer

            with solara.Row():
                solara.Text(f"Offer {o['id']}, turn {o['turn']}, from the {seat_title(o['side'])} "
                            f"({o['status']}): {Offer(**o['offer']).describe()}")
                if o["status"] == "open" and o["side"] != view["seat"]:
                    solara.Button("Accept", color="success",
                                  attributes={"aria-label": f"Accept offer {o['id']}"},
                                  on_click=lambda o=o: act(lambda: get_service().accept_offer(token, o["id"])))
        with Disclosure("Make an offer"):
            Slider("U.S. tariff cap", offer["us_tariff_cap"], OFFER_BOUNDS["us_tariff_cap"], 5, " %",
                   lambda v: field("us_tariff_cap", float(v)))
            Slider("China tariff cap", offer["cn_tariff_cap"], OFFER_BOUNDS["cn_tariff_cap"], 5, " %",
                   lambda v: field("cn_tariff_cap", float(v)))
            Slider("Licence approval floor", offer["approval_floor"], OFFER_BOUNDS["approval_floor"],
                   0.05, " (share)", lambda v: field("approval_floor", float(v)))
            Slider("Review time cap", offer["review_cap"], OFFER_BOUNDS["review_cap"], 1, " weeks",
                   lambda v: field("review_cap", float(v)))
            Slider("U.S. tech-curb cap", offer["curb_cap"], OFFER_BOUNDS["curb_cap"], 0.05, " (index)",
                   lambda v: field("curb_cap", float(v)))
            Choice("Licence kind", value=offer["licence_kind"], values=list(LICENCE_KINDS),
                          on_value=lambda v: field("licence_kind", v))
            Slider("Duration", offer["weeks"], OFFER_BOUNDS["weeks"], 1, " weeks",
                   lambda v: field("weeks", int(v)), integer=True)
            solara.Button("Send offer", color="primary",
                          on_click=lambda: act(lambda: get_service().propose_offer(token, offer)))
        if message:
            solara.Error(message)


@solara.component
def MessagesPanel(token: str, view: dict[str, Any]) -> None:
    text, set_text = solara.use_state("")
    to, set_to = solara.use_state(view["recipients"][0] if view["recipients"] else "")
    error, set_error = solara.use_state("")

    def send() -> None:
        try:
            get_service().send_message(token, to, text)
        except NegotiateError as exc:
            set_error(str(exc))
            return
        set_text("")
        set_error("")
        refresh()

    with solara.Card("Messages"):
        MessageList(view["messages"])
        if view["recipients"] and view["status"] != "ended":
            names = {recipient_name(r): r for r in view["recipients"]}
            Choice("To", value=recipient_name(to), values=list(names),
                          on_value=lambda v: set_to(names.get(v, to)))
            solara.InputText("Message (280 characters)", value=text, on_value=set_text,
                             continuous_update=True)
            solara.Button("Send", on_click=send, disabled=not text)
            if error:
                solara.Error(error)

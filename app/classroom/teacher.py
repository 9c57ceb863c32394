"""The teacher's page: create a room, then run it (roster, seats, clock, events, talks, end)."""

from __future__ import annotations

import functools
from typing import Any

import solara

from negotiate.app.components import Choice, TypedField
from negotiate.app.fields import seed as typed_seed
from negotiate.classroom.rooms import SEATING_MODES
from negotiate.classroom.runtime import get_service
from negotiate.classroom.seats import SEATS
from negotiate.classroom.service import TURN_TIMER, TURNS
from negotiate.classroom.tokens import pretty_code
from negotiate.errors import NegotiateError
from negotiate.params import BoundsError, Range, parse_whole
from negotiate.scenario import available_scenarios, load_scenario

from .browser import BrowserMemory, origin
from .live import refresh, use_live
from .panels import Header, Heading, Line, MessageList, Table, seat_title
from .seat import Slider

NO_SEAT = "No seat (waiting)"
TIMER_LABEL = "Turn timer, 0 = no timer"
#: The timer field: 0 (no timer) up to the server's longest timer.
TIMER_FIELD = Range(0, TURN_TIMER.hi, TURN_TIMER.unit)
TIMER_ALLOWED = f"0 for no timer, or {TURN_TIMER.allowed(whole=True)}"


def timer_seconds(text: str) -> int:
    """The turn timer as typed: 0 for no timer, else whole seconds within the server's
    ``TURN_TIMER``; BoundsError names the field and both choices."""
    name = f"{TIMER_LABEL} ({TURN_TIMER.unit})"
    try:
        seconds = parse_whole(name, text, TIMER_FIELD)
    except BoundsError as exc:
        # The message's own reason (a comma, a word, too long), with the field's two choices.
        raise BoundsError(str(exc).partition("; allowed: ")[0] + f"; allowed: {TIMER_ALLOWED}") from None
    if 0 < seconds < TURN_TIMER.lo:
        raise BoundsError(f"{name} {seconds} is too short; allowed: {TIMER_ALLOWED}")
    return seconds


@functools.lru_cache(maxsize=64)
def scenario_title(name: str) -> str:
    try:
        return load_scenario(name).title or name
    except Exception:  # a broken scenario file still gets a line in the list
        return name


@solara.component
def TeacherPage(token: str) -> None:
    use_live(token)
    BrowserMemory()
    if not token:
        CreateRoom()
        return
    try:
        view = get_service().teacher_view(token)
    except NegotiateError as exc:
        solara.Error(str(exc))
        return
    RunRoom(token, view)


@solara.component
def CreateRoom() -> None:
    scenarios = {scenario_title(n): n for n in sorted(available_scenarios())}
    by_name = {v: k for k, v in scenarios.items()}
    default = by_name.get("classroom-short", next(iter(scenarios)))
    scenario, set_scenario = solara.use_state(default)
    turns, set_turns = solara.use_state(12)
    timer, set_timer = solara.use_state(0)
    seed_text, set_seed_text = solara.use_state("0")
    key, set_key = solara.use_state("")
    seating, set_seating = solara.use_state(SEATING_MODES["pick"])
    seats, set_seats = solara.use_state([s for s in SEATS])
    error, set_error = solara.use_state("")
    router = solara.use_router()

    def create() -> None:
        mode = next(k for k, v in SEATING_MODES.items() if v == seating)
        try:
            seed = typed_seed(seed_text)
            room = get_service().create_room(key.strip(), scenario=scenarios.get(scenario),
                                             turns=int(turns), timer_s=float(timer) if timer else None,
                                             open_seats=list(seats), seed=int(seed), seating=mode)
        except NegotiateError as exc:
            set_error(str(exc))
            return
        router.push(f"/teacher?t={room['teacher_token']}")

    with solara.Card(style={"max-width": "640px", "margin": "auto"}):
        Heading("Create a classroom room", 1)
        solara.InputText("Teacher key (printed when the classroom server started)", value=key,
                         on_value=set_key, password=True, continuous_update=True)
        Choice("Scenario", value=scenario, values=list(scenarios), on_value=set_scenario)
        Slider("Turns (one week each)", turns, TURNS, 1, " turns", set_turns, integer=True)
        Slider(TIMER_LABEL, timer, TIMER_FIELD, 30, " seconds", set_timer, integer=True,
               parse=timer_seconds, hint=TIMER_ALLOWED)
        # The seed travels with the Enter or leave that applies it: a number field that
        # sends on every key can apply stale text when a redraw overtakes it.
        TypedField("Seed (same seed and moves = same game)", seed_text, set_seed_text,
                   hint="a whole number; same seed, same game", classes=["field-seed"])
        Choice("Seats", value=seating, values=list(SEATING_MODES.values()), on_value=set_seating)
        Heading("Open seats (the AI plays the others)", 3)
        for seat_id, spec in SEATS.items():
            def toggle(v: bool, seat_id: str = seat_id) -> None:
                set_seats([s for s in SEATS if (s in seats or s == seat_id) and (v or s != seat_id)])

            solara.Checkbox(label=spec.title, value=seat_id in seats, on_value=toggle)
        solara.Button("Create room", on_click=create, color="primary", disabled=not key.strip())
        if error:
            solara.Error(error)


@solara.component
def RunRoom(token: str, view: dict[str, Any]) -> None:
    svc = get_service()
    error, set_error = solara.use_state("")
    text, set_text = solara.use_state("")
    events = {title: key for key, title in view["injectable"].items()}
    event, set_event = solara.use_state(next(iter(events)))
    router = solara.use_router()

    def act(fn) -> None:
        try:
            fn()
            set_error("")
        except NegotiateError as exc:
            set_error(str(exc))
        refresh()

    Header(view, "Teacher")
    Heading(f"Room code: {pretty_code(view['code'])}", 2)
    Line(f"Seats: {SEATING_MODES[view['seating']]}. Students open the join page and type this "
         "code. Keep this page's address private: it is your teacher link.")
    with solara.Row(style={"flex-wrap": "wrap"}):
        if view["status"] in ("waiting", "paused"):
            solara.Button("Start" if view["status"] == "waiting" else "Resume", color="primary",
                          on_click=lambda: act(lambda: svc.start(token)))
        if view["status"] == "running":
            solara.Button("Pause", on_click=lambda: act(lambda: svc.pause(token)))
        if view["status"] != "ended":
            solara.Button("Close turn now", color="warning",
                          on_click=lambda: act(lambda: svc.close_turn(token)))
            solara.Button("End game", color="error", on_click=lambda: act(lambda: svc.end_game(token)))
        solara.Button("Open debrief", on_click=lambda: router.push(f"/debrief?t={token}"))
    if error:
        solara.Error(error)
    with solara.Div(classes=["cols"]):
        with solara.Div(classes=["col-box"]):
            Roster(token, view, act)
        with solara.Div(classes=["col-box"]):
            with solara.Card("Broadcast"):
                solara.InputText("Message to every seat", value=text, on_value=set_text,
                                 continuous_update=True)
                solara.Button("Broadcast", disabled=not text,
                              on_click=lambda: (act(lambda: svc.broadcast(token, text)), set_text("")))
            with solara.Card("Inject an event (takes effect when this turn closes)"):
                Choice("Event", value=event if event in events else next(iter(events)),
                              values=list(events), on_value=set_event)
                solara.Button("Inject", on_click=lambda: act(lambda: svc.inject(token, events[event])))
                if view["pending_events"]:
                    Line("Queued: " + ", ".join(view["pending_events"]))
            with solara.Card("All messages and offers"):
                MessageList(view["messages"], limit=60)
                for o in view["offers"][-10:]:
                    Line(f"Offer {o['id']}, turn {o['turn']}, from the {seat_title(o['side'])} "
                         f"({o['status']})")
            if view["turn_ms"]:
                Line(f"Last turn resolved in {view['turn_ms'][-1]:.0f} ms")


@solara.component
def Roster(token: str, view: dict[str, Any], act) -> None:
    rows = [[r["title"], ", ".join(s["name"] for s in r["students"]) or "(AI)",
             "yes" if r["submitted"] else ("-" if not r["students"] else "no"), r["decision"],
             "yes" if r["open"] else "no"] for r in view["roster"]]
    with solara.Card(f"Roster: {len(view['submitted'])} of {len(view['occupied'])} seats submitted"):
        Table(["Seat", "Students", "Submitted", "Decision", "Open"], rows, caption="Roster")
        if view["unseated"]:
            Line("Waiting for a seat: " + ", ".join(s["name"] for s in view["unseated"]),
                 classes=["waiting-line"])
        students = [(s["id"], s["name"], r["seat"]) for r in view["roster"] for s in r["students"]]
        students += [(s["id"], s["name"], None) for s in view["unseated"]]
        if students:
            StudentControls(token, students, act)


@solara.component
def StudentControls(token: str, students: list[tuple[int, str, str | None]], act) -> None:
    """Approve (seat a waiting student), move, remove, or give a student a new link."""
    svc = get_service()
    labels = {f"{name} ({seat_title(seat) if seat else 'waiting'})": sid for sid, name, seat in students}
    who, set_who = solara.use_state(next(iter(labels)))
    seats = {NO_SEAT: None, **{spec.title: s for s, spec in SEATS.items()}}
    where, set_where = solara.use_state(next(iter(SEATS.values())).title)
    link, set_link = solara.use_state("")
    chosen = labels.get(who, next(iter(labels.values())))

    def reissue() -> None:
        def run() -> None:
            fresh = svc.reissue_link(token, chosen)
            set_link(f"New seat link for {fresh['name']}: {origin()}/seat?t={fresh['token']}")

        act(run)

    with solara.Div(classes=["student-row"]):
        Choice("Student", value=who if who in labels else next(iter(labels)),
                      values=list(labels), on_value=set_who)
        Choice("Seat", value=where, values=list(seats), on_value=set_where)
    with solara.Div(classes=["student-row"]):
        solara.Button("Give this seat / move", color="primary",
                      on_click=lambda: act(lambda: svc.assign(token, chosen, seats.get(where))))
        solara.Button("Remove from room", color="error",
                      on_click=lambda: (set_link(""), act(lambda: svc.remove_student(token, chosen))))
        solara.Button("New link", on_click=reissue)
    if link:
        Line(link, classes=["new-link"])
        Line("The old link has stopped working. Give this one to the student (it opens their seat).")

"""The teacher's page: create a room, then run it (roster, clock, events, talks, end)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import solara

from negotiate.classroom.runtime import get_service
from negotiate.classroom.seats import SEATS
from negotiate.classroom.tokens import pretty_code
from negotiate.errors import NegotiateError
from negotiate.scenario import available_scenarios

from .live import refresh, use_live
from .panels import Header, MessageList


@solara.component
def TeacherPage(token: str) -> None:
    use_live(token)
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
    scenarios = sorted(available_scenarios())
    default = "classroom-short" if "classroom-short" in scenarios else scenarios[0]
    scenario, set_scenario = solara.use_state(default)
    turns, set_turns = solara.use_state(12)
    timer, set_timer = solara.use_state(0)
    seed, set_seed = solara.use_state(0)
    seats, set_seats = solara.use_state([s for s in SEATS])
    error, set_error = solara.use_state("")
    router = solara.use_router()

    def create() -> None:
        try:
            room = get_service().create_room(scenario=scenario, turns=int(turns),
                                             timer_s=float(timer) if timer else None,
                                             open_seats=list(seats), seed=int(seed))
        except NegotiateError as exc:
            set_error(str(exc))
            return
        router.push(f"/teacher?t={room['teacher_token']}")

    with solara.Card("Create a classroom room", style={"max-width": "640px", "margin": "auto"}):
        solara.Select("Scenario", value=scenario, values=scenarios, on_value=set_scenario)
        solara.SliderInt("Turns (one week each)", value=turns, min=4, max=16, on_value=set_turns)
        solara.SliderInt("Turn timer in seconds (0 = no timer)", value=timer, min=0, max=600, step=30,
                         on_value=set_timer)
        solara.InputInt("Seed (same seed and moves = same game)", value=seed, on_value=set_seed)
        solara.Markdown("**Open seats** (AI plays the others):")
        for seat_id, spec in SEATS.items():
            def toggle(v: bool, seat_id: str = seat_id) -> None:
                set_seats([s for s in SEATS if (s in seats or s == seat_id) and (v or s != seat_id)])

            solara.Checkbox(label=spec.title, value=seat_id in seats, on_value=toggle)
        solara.Button("Create room", on_click=create, color="primary")
        if error:
            solara.Error(error)


@solara.component
def RunRoom(token: str, view: dict[str, Any]) -> None:
    svc = get_service()
    error, set_error = solara.use_state("")
    text, set_text = solara.use_state("")
    event, set_event = solara.use_state(next(iter(view["injectable"])))
    router = solara.use_router()

    def act(fn) -> None:
        try:
            fn()
            set_error("")
        except NegotiateError as exc:
            set_error(str(exc))
        refresh()

    Header(view, "Teacher")
    solara.Markdown(f"## Room code: `{pretty_code(view['code'])}`\n"
                    "Students open the join page and type this code. **Keep this page's address "
                    "private**: it is your teacher link.")
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
    with solara.Columns([3, 2]):
        with solara.Column():
            Roster(token, view, act)
        with solara.Column():
            with solara.Card("Broadcast"):
                solara.InputText("Message to every seat", value=text, on_value=set_text,
                                 continuous_update=True)
                solara.Button("Broadcast", disabled=not text,
                              on_click=lambda: (act(lambda: svc.broadcast(token, text)), set_text("")))
            with solara.Card("Inject an event (takes effect when this turn closes)"):
                solara.Select("Event", value=event, values=list(view["injectable"]), on_value=set_event)
                solara.Text(view["injectable"].get(event, ""))
                solara.Button("Inject", on_click=lambda: act(lambda: svc.inject(token, event)))
                if view["pending_events"]:
                    solara.Text("Queued: " + ", ".join(view["pending_events"]))
            with solara.Card("All messages and offers"):
                MessageList(view["messages"], limit=60)
                for o in view["offers"][-10:]:
                    solara.Text(f"offer #{o['id']} turn {o['turn']} {o['side'].upper()} [{o['status']}]")
            if view["turn_ms"]:
                solara.Text(f"Last turn resolved in {view['turn_ms'][-1]:.0f} ms")


@solara.component
def Roster(token: str, view: dict[str, Any], act) -> None:
    svc = get_service()
    rows = [{"seat": r["title"], "students": ", ".join(s["name"] for s in r["students"]) or "(AI)",
             "submitted": "yes" if r["submitted"] else ("-" if not r["students"] else "no"),
             "decision": r["decision"], "open": "yes" if r["open"] else "no"} for r in view["roster"]]
    with solara.Card(f"Roster: {len(view['submitted'])} of {len(view['occupied'])} seats submitted"):
        solara.DataFrame(pd.DataFrame(rows), items_per_page=20)
        students = [(s["id"], s["name"], r["seat"]) for r in view["roster"] for s in r["students"]]
        students += [(s["id"], s["name"], None) for s in view["unseated"]]
        if students:
            MoveStudent(students, lambda sid, seat: act(lambda: svc.assign(token, sid, seat)))


@solara.component
def MoveStudent(students: list[tuple[int, str, str | None]], on_move) -> None:
    labels = {f"{name} (#{sid}, {seat or 'no seat'})": sid for sid, name, seat in students}
    who, set_who = solara.use_state(next(iter(labels)))
    where, set_where = solara.use_state(next(iter(SEATS)))
    with solara.Row():
        solara.Select("Student", value=who if who in labels else next(iter(labels)),
                      values=list(labels), on_value=set_who)
        solara.Select("Seat", value=where, values=list(SEATS), on_value=set_where)
        solara.Button("Move", on_click=lambda: on_move(labels.get(who, next(iter(labels.values()))), where))

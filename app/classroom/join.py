"""The students' join page: room code and name, then a seat (if the teacher lets them pick).

A browser that already holds a seat link for a room (kept in localStorage by the seat page)
is offered that seat back, and a join with the same code restores it instead of making a
second student.
"""

from __future__ import annotations

import solara

from negotiate.classroom.runtime import get_service
from negotiate.classroom.seats import SEATS
from negotiate.errors import NegotiateError

from .browser import BrowserMemory, client_id
from .panels import Heading, Line


@solara.component
def JoinPage() -> None:
    code, set_code = solara.use_state("")
    name, set_name = solara.use_state("")
    error, set_error = solara.use_state("")
    kept, set_kept = solara.use_state("")
    router = solara.use_router()
    svc = get_service()

    mine = None
    if kept:
        try:
            mine = svc.seat_view(kept)
        except NegotiateError:
            mine = None
    def join() -> None:
        try:
            result = svc.join(code, name, client=client_id(), known=kept, choose_later=True)
        except NegotiateError as exc:
            set_error(str(exc))
            return
        router.push(f"/seat?t={result['token']}")

    BrowserMemory(recall=True, event_found=set_kept)
    with solara.Card(style={"max-width": "520px", "margin": "auto"}):
        Heading("Join your class's game", 1)
        if mine is not None:
            with solara.Div(classes=["welcome-back"]):
                Line(f"Welcome back, {mine['student']}. This device holds your seat "
                     f"({SEATS[mine['seat']].title if mine['seat'] else 'waiting for a seat'}) "
                     f"in room {mine['pretty_code']}.")
                solara.Button("Return to my seat", color="primary", href=f"/seat?t={kept}")
        Line("Type the room code your teacher shows, and your name. Then pick an empty seat, "
             "or wait for your teacher to give you one.")
        solara.InputText("Room code", value=code, on_value=set_code, continuous_update=True)
        solara.InputText("Your name (or your team's)", value=name, on_value=set_name,
                         continuous_update=True)
        solara.Button("Join", on_click=join, color="primary", disabled=not (code and name))
        if error:
            solara.Error(error)
        Line("After joining, keep the seat link (bookmark it): it is your seat. This device "
             "also remembers it.")

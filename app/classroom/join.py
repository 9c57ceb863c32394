"""The students' join page: room code and name, then an optional seat choice."""

from __future__ import annotations

import solara

from negotiate.classroom.runtime import get_service
from negotiate.classroom.seats import SEATS
from negotiate.errors import NegotiateError


@solara.component
def JoinPage() -> None:
    code, set_code = solara.use_state("")
    name, set_name = solara.use_state("")
    seat, set_seat = solara.use_state("any seat")
    error, set_error = solara.use_state("")
    router = solara.use_router()

    def join() -> None:
        try:
            result = get_service().join(code, name, None if seat == "any seat" else seat)
        except NegotiateError as exc:
            set_error(str(exc))
            return
        router.push(f"/seat?t={result['token']}")

    with solara.Card("Join your class's game", style={"max-width": "520px", "margin": "auto"}):
        solara.Markdown("Type the **room code** your teacher shows, and your name.")
        solara.InputText("Room code", value=code, on_value=set_code, continuous_update=True)
        solara.InputText("Your name (or your team's)", value=name, on_value=set_name,
                         continuous_update=True)
        solara.Select("Seat (if your teacher lets you pick)", value=seat,
                      values=["any seat", *SEATS], on_value=set_seat)
        solara.Button("Join", on_click=join, color="primary", disabled=not (code and name))
        if error:
            solara.Error(error)
        solara.Markdown("After joining, **keep the seat link** (bookmark it): it brings you back "
                        "to your seat from any device.")

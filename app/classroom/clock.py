"""The turn clock: the seconds left when the page was drawn, counted down in the browser."""

from __future__ import annotations

import solara


@solara.component_vue("clock.vue")
def TurnClock(seconds: int = 0) -> None:
    """Shows ``m:ss left`` and counts down each second; a redraw sets it from the server."""

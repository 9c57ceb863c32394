"""The app's pages: what ``solara run negotiate.app.pages`` serves.

Routes only: each page builds its own per-session state. The classroom pages belong to
``negotiate.app.classroom`` and are added when that package offers ``routes`` or ``Page``.
"""

from __future__ import annotations

import importlib

import solara

from . import explore, play


def _classroom_routes() -> list[solara.Route]:
    try:
        module = importlib.import_module("negotiate.app.classroom")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("negotiate.app.classroom"):
            return []
        raise
    page = getattr(module, "Page", None)
    if page is not None:
        return [solara.Route(path="classroom", component=page, label="Classroom")]
    sub = getattr(module, "routes", None)
    if sub:
        return [solara.Route(path="classroom", children=list(sub), label="Classroom")]
    return []


@solara.component
def Layout(children: list | None = None) -> None:
    """A plain header with links (Solara's default tabs would show the path, not a name)."""
    route_current, routes_here = solara.use_route()
    with solara.Div(classes=["app-root"]):
        with solara.Div(classes=["appbar"]):
            solara.HTML(tag="span", classes=["brand"],
                        unsafe_innerHTML="negotiate <small>the 2025 rare-earth standoff</small>")
            with solara.Div(classes=["nav"], attributes={"role": "navigation",  # type: ignore[call-arg]
                                                          "aria-label": "Pages"}):
                for route in routes_here:
                    current = route is route_current
                    with solara.Link(route, classes=["nav-link", "nav-current" if current else "nav-other"]):
                        solara.Text(route.label or route.path)
        solara.Div(children=children or [], classes=["app-main"])


routes = [
    solara.Route(path="/", component=explore.Page, label="Explore", layout=Layout),
    solara.Route(path="play", component=play.Page, label="Play"),
    *_classroom_routes(),
]

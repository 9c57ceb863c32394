"""The classroom app: one page component that routes on the path, token in the query.

/                 join with a room code
/seat?t=TOKEN     a student's seat (the seat link: refresh or another device returns here)
/teacher          create a room; /teacher?t=TOKEN runs it (the private teacher link)
/debrief?t=TOKEN  the debrief (teacher any time; students when the game ends)
"""

from __future__ import annotations

import solara

from .debrief import DebriefPage
from .join import JoinPage
from .live import query_token
from .panels import Shell
from .seat import SeatPage
from .teacher import TeacherPage


@solara.component
def Page() -> None:
    router = solara.use_router()
    token = query_token()
    path = (router.path or "/").rstrip("/") or "/"
    solara.Title("negotiate · classroom")
    with Shell():
        if path.endswith("/seat"):
            SeatPage(token)
        elif path.endswith("/teacher"):
            TeacherPage(token)
        elif path.endswith("/debrief"):
            DebriefPage(token)
        else:
            JoinPage()


@solara.component
def Layout(children=None) -> None:
    """No navigation tabs: a student's tab should never offer the teacher's pages (and the
    tabs Solara adds by default dropped the seat token)."""
    solara.Div(children=children or [])


# Every address renders the same component, which picks the view from the path. Solara uses
# the root route's layout for every route, so this one Layout replaces its tabbed default.
routes = [solara.Route(path=p, component=Page, layout=Layout if p == "/" else None)
          for p in ("/", "seat", "teacher", "debrief")]

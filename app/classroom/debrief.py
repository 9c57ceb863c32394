"""The projectable debrief: questions, charts, class vs 2025, timeline, scores, export."""

from __future__ import annotations

import solara

from negotiate.classroom import debrief as data
from negotiate.classroom.runtime import get_service
from negotiate.errors import NegotiateError

from .live import use_live


@solara.component
def DebriefPage(token: str) -> None:
    use_live(token)
    svc = get_service()
    try:
        d = svc.debrief(token)
        room = svc.caller(token).room
        is_teacher = svc.caller(token).role == "teacher"
    except NegotiateError as exc:
        solara.Error(str(exc))
        return
    solara.Markdown(f"# Debrief · room {d['code'][:3]}-{d['code'][3:]} · {d['resolved']} turns played"
                    + (f" · outcome: **{d['outcome']}**" if d["outcome"] else ""))
    with solara.Card("Questions (Describe → Analyse → Transfer → Apply)"):
        for stage, text in d["questions"]:
            solara.Markdown(f"**{stage}.** {text}")
    with room.lock:
        figures = data.figures(room)
    with solara.Columns([1, 1]):
        for _title, fig in figures:
            solara.FigureMatplotlib(fig, format="png")
    if d["class_vs_real"] is None:
        solara.Info("The real 2025 path is not available in this installation.")
    with solara.Card("Scores by seat"):
        solara.DataFrame(d["scores"], items_per_page=12)
    with solara.Card("Accusations: real or perceived"):
        solara.DataFrame(d["accusations"], items_per_page=20)
    with solara.Card("Timeline: every move, accusation, offer and event by seat"):
        solara.DataFrame(d["timeline"], items_per_page=30)
    if is_teacher:
        with solara.Row():
            solara.FileDownload(lambda: svc.export(token, "csv"), filename=f"room-{d['code']}.csv",
                                label="Export CSV (one row per seat per turn)")
            solara.FileDownload(lambda: svc.export(token, "parquet"),
                                filename=f"room-{d['code']}.parquet", label="Export Parquet")

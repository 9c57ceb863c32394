"""The projectable debrief: questions, charts, class vs 2025, timeline, scores, export."""

from __future__ import annotations

import base64
import html
import io

import solara

from negotiate.app.components import OutcomeBanner
from negotiate.classroom import debrief as data
from negotiate.classroom.runtime import get_service
from negotiate.errors import NegotiateError

from .live import use_live
from .panels import FrameTable, Heading, Line


@solara.component
def ChartImage(chart: data.Chart) -> None:
    """The chart as an image whose ``alt`` says what it shows (inline: no extra request)."""
    png = solara.use_memo(lambda: _png(chart.figure), [chart.alt])
    solara.HTML(tag="figure", classes=["chart"], unsafe_innerHTML=(
        f'<img src="data:image/png;base64,{png}" alt="{html.escape(chart.alt)}" '
        'style="max-width:100%;height:auto">'))


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


@solara.component
def DebriefPage(token: str) -> None:
    use_live(token)
    svc = get_service()
    try:
        d = svc.debrief(token)
        caller = svc.caller(token)
    except NegotiateError as exc:
        solara.Error(str(exc))
        return
    room, is_teacher = caller.room, caller.role == "teacher"
    back = "/teacher" if is_teacher else "/seat"
    solara.Button("Back to the room" if is_teacher else "Back to my seat", href=f"{back}?t={token}",
                  text=True)
    Heading(f"Debrief · room {d['code'][:3]}-{d['code'][3:]} · {d['resolved']} turns played", 1)
    if d["outcome"] is not None:  # the outcome with its reason, as Play's end screen gives it
        OutcomeBanner(d["outcome"], final=d["status"] == "ended", week=d["resolved"],
                      weeks=room.total_turns, date=room.model.log.date_of(d["resolved"]))
    with solara.Card("Questions (Describe → Analyse → Transfer → Apply)"):
        for stage, text in d["questions"]:
            Line(f"{stage}. {text}")
    with room.lock:
        figures = data.figures(room)
    with solara.Div(classes=["cols"]):
        for chart in figures:
            with solara.Div(classes=["col-box"]):
                Heading(chart.title, 3)
                ChartImage(chart)
                if chart.note:
                    Line(chart.note, classes=["chart-note"])
    if d["class_vs_real"] is None:
        solara.Info("The real 2025 path is not available in this installation.")
    with solara.Div(classes=["cols"]):
        for group, frame in d["scores"].items():
            with solara.Div(classes=["col-box"]), solara.Card(f"Scores: {group}"):
                Line("Ranked among the seats students played; seats the AI played are "
                     "listed below them, unranked.")
                FrameTable(frame, caption=f"Scores: {group}")
    with solara.Card("Accusations: real or perceived"):
        FrameTable(d["accusations"], caption="Accusations")
    with solara.Card("Timeline: every move, accusation, offer and event by seat"):
        FrameTable(d["timeline"], caption="Timeline")
    if is_teacher:
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.FileDownload(lambda: svc.export(token, "csv"), filename=f"room-{d['code']}.csv",
                                label="Export CSV (one row per seat per turn)")
            solara.FileDownload(lambda: svc.export(token, "parquet"),
                                filename=f"room-{d['code']}.parquet", label="Export Parquet")

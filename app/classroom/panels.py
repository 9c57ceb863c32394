"""Small shared pieces of the classroom pages: header, figures, briefing, messages, tables.

Whatever a person typed (names, messages, broadcasts) reaches the page only as text: through
components that never interpret markup (``solara.Text``, select items, alerts) or through
``html.escape`` when we build a table ourselves. Nothing here uses ``solara.Markdown``: it
interprets what it is given, and it asks the CDN for KaTeX, which fails on a classroom
network.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import markdown
import solara

from negotiate.app.components import Styles
from negotiate.classroom.seats import SEATS

from .clock import TurnClock

STATUS_TEXT = {"waiting": "Waiting for the teacher to start", "running": "Turn open",
               "paused": "Paused by the teacher", "ended": "Game over: debrief"}

# Phones first: one column under ~720 px, text never below 0.875 rem, labels above sliders.
CSS = """
html { font-size: 100%; }  /* the reader's own font size, not a fixed 16 px */
.classroom { max-width: 1400px; margin: auto; padding: 8px; box-sizing: border-box; }
.classroom * { overflow-wrap: anywhere; }
.classroom .v-label, .classroom .v-messages, .classroom .v-select__selection,
.classroom .v-input, .classroom .v-btn, .classroom .v-alert, .classroom td, .classroom th,
.classroom .v-slider__thumb-label { font-size: 0.875rem !important; }
.classroom .v-input__slot { flex-wrap: wrap; }
.classroom .slider .v-input__slot > .v-label { flex: 1 0 100%; max-width: 100%; white-space: normal;
  height: auto; line-height: 1.4; margin-bottom: 4px; position: static !important; }
.classroom .slider .v-slider { flex: 1 0 100%; }
.classroom .v-label { white-space: normal; height: auto; }
.cols { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.cols > .col-box { flex: 1 1 340px; min-width: 0; max-width: 100%; }
.plain-table { border-collapse: collapse; width: 100%; }
.plain-table th, .plain-table td { text-align: left; padding: 4px 6px; vertical-align: top;
  border-bottom: 1px solid #ddd; }
.table-wrap { max-width: 100%; overflow-x: auto; }
.msg-list { list-style: none; padding: 0; margin: 0; }
.msg-list li { padding: 2px 0; }
.room-title { font-size: 1.4em; font-weight: bold; }
.student-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
"""


def briefing_text(seat_id: str) -> str:
    try:
        return (resources.files("negotiate.app") / "briefings" / f"{seat_id}.md").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return f"(No briefing file for {seat_id}.)"


def seat_title(seat_id: str | None) -> str:
    return SEATS[seat_id].title if seat_id in SEATS else "no seat yet"


def sender_name(sender: str) -> str:
    return "Teacher" if sender == "teacher" else seat_title(sender)


def recipient_name(recipient: str) -> str:
    return "everyone" if recipient == "all" else sender_name(recipient)


@solara.component
def Shell(children: list | None = None) -> None:
    """Every classroom page: the phone-first styles inside one container."""
    Styles()  # the app's stylesheet: focus ring, contrast-safe colours, reduced motion
    solara.Style(CSS)
    solara.Div(children=children or [], classes=["classroom"])


@solara.component
def Heading(text: str, level: int = 2) -> None:
    solara.HTML(tag=f"h{level}", unsafe_innerHTML=html.escape(text))


@solara.component
def Line(text: str, classes: list[str] | None = None) -> None:
    """A paragraph of literal text."""
    with solara.Div(classes=classes or []):
        solara.Text(text)


@solara.component
def Briefing(seat_id: str) -> None:
    # The briefings are the project's own files (trusted); rendered here without KaTeX.
    body = markdown.markdown(briefing_text(seat_id), extensions=["tables"])
    solara.HTML(tag="div", unsafe_innerHTML=body, classes=["briefing"])


def table_html(columns: Sequence[str], rows: Iterable[Sequence[Any]], caption: str = "") -> str:
    """An HTML table with every cell escaped."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<table class="plain-table">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@solara.component
def Table(columns: Sequence[str], rows: list[Sequence[Any]], caption: str = "") -> None:
    solara.HTML(tag="div", classes=["table-wrap"], unsafe_innerHTML=table_html(columns, rows, caption))


@solara.component
def FrameTable(frame, caption: str = "", limit: int = 400) -> None:
    """A pandas frame as an escaped table (the newest ``limit`` rows)."""
    rows = [list(r) for r in frame.tail(limit).itertuples(index=False)]
    Table([str(c) for c in frame.columns], rows, caption)


@solara.component
def Header(view: dict[str, Any], who: str) -> None:
    left = view.get("seconds_left")
    with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap"}):
        solara.Text(f"Room {view['pretty_code']}", classes=["room-title"])
        solara.Text(who)
        # A new turn or status is announced (the page redraws when the teacher acts, and the
        # decision form a keyboard user was in is replaced); the clock ticks outside it.
        with solara.Div(classes=["turn-status"],
                        attributes={"role": "status", "aria-live": "polite"}):  # type: ignore[call-arg]
            solara.Text(f"Turn {view['turn']} of {view['total_turns']} (week of {view['date']})",
                        classes=["turn-label"])
            solara.Text(f" · {STATUS_TEXT.get(view['status'], view['status'])}",
                        classes=["status-label"])
        if left is not None and view["status"] == "running":
            TurnClock(seconds=left)
    if view.get("broadcast"):
        solara.Info(f"Teacher: {view['broadcast']}")


@solara.component
def Figures(title: str, figures: dict[str, Any]) -> None:
    if not figures:
        return
    Table(["", "now"], [[name, value] for name, value in figures.items()], caption=title)


@solara.component
def MessageList(messages: list[dict[str, Any]], limit: int = 30) -> None:
    if not messages:
        solara.Text("No messages yet.")
        return
    items = "".join(
        f"<li>turn {m['turn']} · <strong>{html.escape(sender_name(m['sender']))} → "
        f"{html.escape(recipient_name(m['recipient']))}</strong>: {html.escape(m['text'])}</li>"
        for m in messages[-limit:])
    solara.HTML(tag="ul", classes=["msg-list"], unsafe_innerHTML=items)

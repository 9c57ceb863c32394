"""Small shared pieces of the classroom pages: header, figures, briefing, messages."""

from __future__ import annotations

from importlib import resources
from typing import Any

import solara

from negotiate.classroom.seats import SEATS

STATUS_TEXT = {"waiting": "Waiting for the teacher to start", "running": "Turn open",
               "paused": "Paused by the teacher", "ended": "Game over: debrief"}


def briefing_text(seat_id: str) -> str:
    try:
        return (resources.files("negotiate.app") / "briefings" / f"{seat_id}.md").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return f"(No briefing file for {seat_id}.)"


@solara.component
def Header(view: dict[str, Any], who: str) -> None:
    left = view.get("seconds_left")
    clock = f" · {left // 60}:{left % 60:02d} left" if left is not None and view["status"] == "running" else ""
    with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap"}):
        solara.Text(f"Room {view['pretty_code']}", style={"font-size": "1.4em", "font-weight": "bold"})
        solara.Text(f"{who}")
        solara.Text(f"Turn {view['turn']} of {view['total_turns']} (week of {view['date']})",
                    classes=["turn-label"])
        solara.Text(f"{STATUS_TEXT.get(view['status'], view['status'])}{clock}",
                    classes=["status-label"])
    if view.get("broadcast"):
        solara.Info(f"Teacher: {view['broadcast']}")


@solara.component
def Figures(title: str, figures: dict[str, Any]) -> None:
    if not figures:
        return
    lines = [f"**{title}**", "", "| | now |", "|---|---|"]
    lines += [f"| {name} | {'-' if value is None else value} |" for name, value in figures.items()]
    solara.Markdown("\n".join(lines))


def sender_name(sender: str) -> str:
    return "Teacher" if sender == "teacher" else SEATS[sender].title if sender in SEATS else sender


def recipient_name(recipient: str) -> str:
    return "everyone" if recipient == "all" else sender_name(recipient)


@solara.component
def MessageList(messages: list[dict[str, Any]], limit: int = 30) -> None:
    if not messages:
        solara.Text("No messages yet.")
        return
    lines = [f"- turn {m['turn']} · **{sender_name(m['sender'])} → {recipient_name(m['recipient'])}**: "
             f"{_escape(m['text'])}" for m in messages[-limit:]]
    solara.Markdown("\n".join(lines))


def _escape(text: str) -> str:
    # Messages are shown as markdown: neutralise markup so a student cannot inject links or HTML.
    for ch in "\\`*_{}[]()#+-!<>|":
        text = text.replace(ch, "\\" + ch)
    return text

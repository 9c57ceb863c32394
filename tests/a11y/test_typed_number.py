"""A number typed into a classroom seat sticks, and is the number submitted (issue 14).

The seat page redraws whenever its room changes. A number typed the instant its field
appeared used to be lost: applied as the old text, or written over by the next redraw.
Here it is typed with no pause after the field appears, the room is made to redraw the
page while it is typed, and the saved decision is read back from the server.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIELD = "Headline tariff (%)"


def slider(page, shown: str):
    return page.get_by_role("slider", name=f"Headline tariff: {shown} %", exact=True)


def redraw(teacher, seat, words: str) -> None:
    """A broadcast changes the room, so the seat page redraws; wait until it has."""
    box = teacher.get_by_role("textbox", name="Message to every seat")
    box.fill(words)
    teacher.get_by_role("button", name="Broadcast").click()
    seat.get_by_text(f"Teacher: {words}").wait_for()


def test_a_number_typed_as_its_field_appears_is_kept_and_submitted(open_url, classroom_server, teacher_key):
    base = classroom_server.rstrip("/")
    teacher = open_url(base + "/teacher")
    teacher.get_by_role("textbox", name=re.compile("^Teacher key")).fill(teacher_key)
    teacher.get_by_role("button", name="Create room").click()
    teacher.wait_for_url(re.compile(r"/teacher\?t="))
    code = teacher.get_by_role("heading", name=re.compile("Room code")).inner_text().split(": ")[1]

    seat = open_url(base + "/")
    seat.get_by_role("textbox", name="Room code").fill(code)
    seat.get_by_role("textbox", name="Your name (or your team's)").fill("Ann")
    seat.get_by_role("button", name="Join").click()
    seat.wait_for_url(re.compile(r"/seat\?t="))
    seat.get_by_role("combobox", name="Empty seats", exact=True).fill("U.S. delegation")
    seat.get_by_role("option", name="U.S. delegation").first.click()
    seat.get_by_role("button", name="Take this seat").click()
    seat.get_by_role("button", name="Submit decision for turn 1").wait_for()

    # The field appears as the box is ticked; typing and Enter follow with no pause.
    seat.get_by_role("checkbox", name="Set instruments directly").focus()
    seat.keyboard.press("Space")
    field = seat.get_by_role("textbox", name=FIELD, exact=True)
    field.focus()
    seat.keyboard.press("Control+A")
    seat.keyboard.type("40")
    seat.keyboard.press("Enter")
    slider(seat, "40").wait_for(state="attached")
    expect(seat.get_by_text(re.compile(r"^Your choice: .*tariff headline 40;"))).to_be_visible()

    # Typed but not yet applied, through a redraw: the text stays; leaving the field applies it.
    field.focus()
    seat.keyboard.press("Control+A")
    seat.keyboard.type("35")
    redraw(teacher, seat, "first redraw")
    expect(field).to_have_value("35")
    seat.keyboard.press("Tab")
    slider(seat, "35").wait_for(state="attached")
    redraw(teacher, seat, "second redraw")
    expect(field).to_have_value("35")

    # A number out of range is refused in words, and the text stays to be corrected.
    field.focus()
    seat.keyboard.press("Control+A")
    seat.keyboard.type("250")
    seat.keyboard.press("Enter")
    seat.get_by_role("alert").filter(has_text="out of range").wait_for()
    expect(field).to_have_value("250")
    expect(slider(seat, "35")).to_be_attached()
    seat.keyboard.press("Control+A")
    seat.keyboard.type("35")
    seat.keyboard.press("Enter")
    expect(seat.get_by_role("alert").filter(has_text="out of range")).to_have_count(0)

    seat.get_by_role("button", name="Submit decision for turn 1").click()
    seat.get_by_role("alert").filter(has_text="Decision saved for turn 1").wait_for()
    # What the server kept: a fresh page starts from the saved decision.
    seat.reload()
    slider(seat, "35").wait_for(state="attached")
    expect(seat.get_by_role("textbox", name=FIELD, exact=True)).to_have_value("35")

"""A classroom by keyboard alone: two seats through three turns, the teacher moving turns on.

Each person has their own browser context. Once a page is open only ``page.keyboard`` acts
on it; role-and-name locators check what a screen reader would say ("Submit decision for
turn 2", not "button").
"""

from __future__ import annotations

import re

import pytest
from keyboard import tab_to
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEACHER_KEY_LABEL = "Teacher key (printed when the classroom server started)"


def press(page, locator, key: str = "Enter") -> None:
    tab_to(page, locator)
    page.keyboard.press(key)


def type_in(page, locator, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page, label: str, option: str) -> None:
    """A choice field by keyboard: focus it, type to filter, Enter picks the first match."""
    type_in(page, page.get_by_role("combobox", name=label, exact=True), option)
    page.get_by_role("option", name=option).first.wait_for()
    page.keyboard.press("Enter")
    expect(page.get_by_role("combobox", name=label, exact=True)).to_have_value(option)


def turn_announced(page, turn: int) -> None:
    page.get_by_role("status").filter(has_text=f"Turn {turn} of").first.wait_for()


def join_by_keyboard(page, code: str, name: str, seat: str) -> None:
    page.get_by_role("heading", name="Join your class's game").wait_for()
    type_in(page, page.get_by_role("textbox", name="Room code"), code)
    type_in(page, page.get_by_role("textbox", name="Your name (or your team's)"), name)
    press(page, page.get_by_role("button", name="Join"))
    page.wait_for_url(re.compile(r"/seat\?t="))
    choose(page, "Empty seats", seat)
    press(page, page.get_by_role("button", name="Take this seat"))
    page.get_by_role("button", name="Submit decision for turn 1").wait_for()


def submit(page, turn: int) -> None:
    press(page, page.get_by_role("button", name=f"Submit decision for turn {turn}", exact=True))
    page.get_by_role("alert").filter(has_text=f"Decision saved for turn {turn}").wait_for()


def test_two_seats_play_three_turns_by_keyboard_alone(open_url, classroom_server, teacher_key):
    base = classroom_server.rstrip("/")
    teacher = open_url(base + "/teacher")
    teacher.get_by_role("heading", name="Create a classroom room").wait_for()
    type_in(teacher, teacher.get_by_role("textbox", name=TEACHER_KEY_LABEL), teacher_key)
    press(teacher, teacher.get_by_role("button", name="Create room"))
    teacher.wait_for_url(re.compile(r"/teacher\?t="))
    code = teacher.get_by_role("heading", name=re.compile("Room code")).inner_text().split(": ")[1]

    ann, bo = open_url(base + "/"), open_url(base + "/")
    join_by_keyboard(ann, code, "Ann", "U.S. delegation")
    join_by_keyboard(bo, code, "Bo", "China delegation")
    start = teacher.get_by_role("button", name="Start")
    if start.count():
        press(teacher, start)
    for page in (ann, bo):
        turn_announced(page, 1)

    # Turn 1: Ann seeks talks; the teacher closes the turn before Bo decides.
    choose(ann, "Posture", "Seek talks")
    submit(ann, 1)
    ann.get_by_text("Your choice: posture seek_talks").wait_for()
    press(teacher, teacher.get_by_role("button", name="Close turn now"))
    for page in (ann, bo):
        turn_announced(page, 2)
    # Ann's panel was rebuilt for the new turn with her on its Submit: focus came with it.
    expect(ann.get_by_role("button", name="Submit decision for turn 2", exact=True)).to_be_focused()

    # Turn 2: Ann opens the offer form and sends an offer; Bo accepts it; both decide.
    press(ann, ann.locator("summary", has_text="Make an offer"))
    press(ann, ann.get_by_role("button", name="Send offer"))
    accept = bo.get_by_role("button", name=re.compile(r"^Accept offer \d+$"))
    accept.wait_for()
    press(bo, accept)
    bo.get_by_text(re.compile(r"from the U.S. delegation \(accepted\)")).first.wait_for()
    submit(bo, 2)
    press(ann, ann.get_by_role("button", name="Submit decision for turn 2", exact=True))
    for page in (ann, bo):  # every seat in: the turn closes by itself
        turn_announced(page, 3)

    expect(ann.get_by_role("button", name="Submit decision for turn 3", exact=True)).to_be_focused()

    # Turn 3: Ann switches to setting her instruments directly (Space ticks the box) and types
    # her tariff as soon as its field appears (a slider alone cannot be typed into).
    press(ann, ann.get_by_role("checkbox", name="Set instruments directly"), "Space")
    type_in(ann, ann.get_by_role("textbox", name="Headline tariff (%)"), "40")
    ann.keyboard.press("Enter")
    ann.get_by_role("slider", name="Headline tariff: 40 %").wait_for(state="attached")
    ann.get_by_text(re.compile(r"^Your choice: .*tariff headline 40;")).wait_for()
    submit(ann, 3)
    press(teacher, teacher.get_by_role("button", name="Close turn now"))
    for page in (ann, bo):
        turn_announced(page, 4)
        page.get_by_text(re.compile(r"Your score so far: -?\d")).wait_for()

    press(teacher, teacher.get_by_role("button", name="End game"))
    press(ann, ann.get_by_role("link", name="Open the debrief"))
    ann.get_by_role("heading", name=re.compile(r"Debrief · room .* 3 turns played")).wait_for()

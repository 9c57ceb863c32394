"""Zero axe violations (WCAG 2.0/2.1 A and AA) on every page in every state (issue 14).

One page per test walks through its states and is scanned at each; the test then asserts
that no state broke any rule, listing all of them at once.
"""

from __future__ import annotations

import re

import pytest
from axe_check import axe_violations
from keyboard import unnamed_comboboxes

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class Scans:
    def __init__(self, page) -> None:
        self.page = page
        self.found: dict[str, list[str]] = {}
        self.states: list[str] = []

    def __call__(self, state: str, page=None) -> None:
        self.states.append(state)
        page = page or self.page
        found = axe_violations(page) + [f"combobox without its name: {c}"
                                         for c in unnamed_comboboxes(page)]
        if found:
            self.found[state] = found


def wait_week(page, week: int, timeout: float = 20_000) -> None:
    page.wait_for_selector(f".week-status[data-week='{week}']", timeout=timeout)


def type_into(page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Enter")


def test_explore_in_every_state(a11y_page):
    page = a11y_page("/")
    wait_week(page, 0)
    page.locator(".charts img").first.wait_for()
    scan = Scans(page)
    scan("start")
    for week in (1, 2, 3):
        page.get_by_role("button", name="Step", exact=True).click()
        wait_week(page, week)
    scan("mid-run")
    page.locator(".chart-table summary").first.click()
    page.locator(".chart-table table").first.wait_for()
    scan("chart table open")
    type_into(page, "Seed", "not a number")
    page.get_by_text("is not a number").first.wait_for()
    scan("error shown")
    type_into(page, "New value", "0.2")
    page.get_by_role("button", name="Branch at week 3").click()
    page.locator(".branch-label").wait_for()
    scan("branched")
    page.get_by_role("button", name="Play", exact=True).click()
    page.get_by_text("Final outcome").first.wait_for(timeout=120_000)
    scan("end")
    assert scan.found == {}, "\n".join(f"{k}: {v}" for k, v in scan.found.items())


def test_play_in_every_state(a11y_page):
    page = a11y_page("/play")
    page.get_by_role("button", name="Play as China").wait_for()
    scan = Scans(page)
    scan("side choice")
    page.get_by_label("Weeks to play").click()
    page.get_by_role("option", name="12 weeks").click()
    type_into(page, "Seed", "5")
    page.get_by_role("button", name="Play as the United States").click()
    wait_week(page, 0)
    scan("week 0")
    page.get_by_label("Posture").click()
    page.get_by_role("option", name="Seek talks").click()
    for week in (1, 2):
        page.get_by_role("button", name=f"End week {week}").click()
        wait_week(page, week)
    scan("mid-game, terms in force")
    initial = page.get_by_label("Headline tariff (%)", exact=True).input_value()
    type_into(page, "Headline tariff (%)", "10000")
    page.get_by_text("out of range").first.wait_for()
    page.get_by_role("button", name="End week 3").click()
    page.locator(".error-line").wait_for()
    scan("error shown")
    type_into(page, "Headline tariff (%)", initial)
    page.get_by_role("button", name="End week 3").click()
    wait_week(page, 3)
    here = page.locator(".decision-panel", has_text="Week 4: your decisions")
    here.locator(".offer-prompt").wait_for()
    scan("offer pending")
    page.get_by_role("button", name="Quit to start").click()
    page.get_by_role("button", name="Play as China").click()
    wait_week(page, 0)
    scan("week 0 as China")
    assert scan.found == {}, "\n".join(f"{k}: {v}" for k, v in scan.found.items())


def test_play_end_screen(a11y_page):
    page = a11y_page("/play")
    page.get_by_label("Weeks to play").click()
    page.get_by_role("option", name="12 weeks").click()
    page.get_by_role("button", name="Play as China").click()
    wait_week(page, 0)
    for week in range(1, 13):
        here = page.locator(".decision-panel", has_text=f"Week {week}: your decisions")
        here.get_by_role("button", name=f"End week {week}").click()
        wait_week(page, week)
    page.locator(".end-screen").wait_for()
    assert axe_violations(page) == []


def test_classroom_in_every_state(open_url, classroom_server, teacher_key):
    """Join, seat and teacher pages through a whole short game, scanned at each state."""
    base = classroom_server.rstrip("/")
    teacher = open_url(base + "/teacher")
    teacher.get_by_role("button", name="Create room").wait_for()
    scan = Scans(teacher)
    scan("teacher: create")
    key = teacher.get_by_label("Teacher key (printed when the classroom server started)")
    key.fill("wrong")
    teacher.get_by_role("button", name="Create room").click()
    teacher.get_by_text("the teacher key is wrong").wait_for()
    scan("teacher: error shown")
    key.fill(teacher_key)
    teacher.get_by_role("button", name="Create room").click()
    teacher.wait_for_url(re.compile(r"/teacher\?t="))
    code = teacher.get_by_role("heading", name=re.compile("Room code")).inner_text().split(": ")[1]
    scan("teacher: room open, nobody in")

    seats = []
    for name, seat in (("Ann", "U.S. delegation"), ("Bo", "China delegation")):
        student = open_url(base + "/")
        student.get_by_role("button", name="Join").wait_for()
        if not seats:
            scan("join: start", student)
            student.get_by_label("Room code").fill("ZZZ-ZZZ")
            student.get_by_label("Your name (or your team's)").fill(name)
            student.get_by_role("button", name="Join").click()
            student.get_by_role("alert").first.wait_for()
            scan("join: error shown", student)
        student.get_by_label("Room code").fill(code)
        student.get_by_label("Your name (or your team's)").fill(name)
        student.get_by_role("button", name="Join").click()
        student.wait_for_url(re.compile(r"/seat\?t="))
        student.get_by_role("button", name="Take this seat").wait_for()
        if not seats:
            scan("seat: pick a seat", student)
        student.get_by_role("combobox", name="Empty seats").click()
        student.get_by_role("option", name=seat).click()
        student.get_by_role("button", name="Take this seat").click()
        student.get_by_role("button", name="Submit decision for turn 1").wait_for()
        seats.append(student)
    ann, bo = seats
    start = teacher.get_by_role("button", name="Start")
    if start.count():
        ann.get_by_text("Waiting for the teacher to start").wait_for()
        scan("seat: waiting for the start", ann)
        scan("teacher: lobby, two seated")
        start.click()
    ann.get_by_role("status").filter(has_text="Turn 1 of").wait_for()
    scan("seat: turn open", ann)
    ann.locator("summary", has_text="Your briefing").click()
    ann.locator("summary", has_text="Make an offer").click()
    scan("seat: briefing and offer form open", ann)
    cap = ann.get_by_role("textbox", name="U.S. tariff cap (%)")
    cap.fill("1000")
    cap.press("Enter")
    ann.locator(".error-line").filter(has_text="out of range").wait_for()
    scan("seat: error shown", ann)
    ann.get_by_role("button", name="Send offer").click()
    bo.get_by_role("button", name=re.compile(r"^Accept offer")).wait_for()
    scan("seat: an offer to answer", bo)
    scan("teacher: turn under way, an offer on the table")
    ann.get_by_role("button", name="Submit decision for turn 1").click()
    ann.get_by_role("alert").filter(has_text="Decision saved for turn 1").wait_for()
    scan("seat: decision saved", ann)
    for turn in (2, 3):
        teacher.get_by_role("button", name="Close turn now").click()
        ann.get_by_role("status").filter(has_text=f"Turn {turn} of").wait_for()
    teacher.get_by_role("status").filter(has_text="Turn 3 of").wait_for()
    scan("teacher: mid-game, turn 3")
    scan("seat: mid-game, turn 3", bo)
    teacher.get_by_role("button", name="End game").click()
    teacher.get_by_role("status").filter(has_text="Game over").wait_for()
    scan("teacher: game over")
    ann.get_by_role("link", name="Open the debrief").wait_for()
    scan("seat: game over", ann)
    ann.get_by_role("link", name="Open the debrief").click()
    ann.get_by_text("Scores: Delegations").first.wait_for()
    scan("debrief (student)", ann)
    teacher.get_by_role("button", name="Open debrief").click()
    teacher.get_by_text("Scores: Delegations").first.wait_for()
    scan("debrief (teacher)")
    assert len(scan.states) == 20
    assert scan.found == {}, "\n".join(f"{k}: {v}" for k, v in scan.found.items())

"""Numbers typed into the classroom's fields, in real Chromium (one context per person): a value
inside the bounds is what the room, the decision and the offer carry, exactly as typed; a value
outside them is refused in words; and each field's limits are the ones the server checks.

Each slider has a typed field beside it. A slider moves in steps, and a typed value between
two steps (45 s on a 30 s step, a 21% tariff on a 5-point step) used to be rounded to a step
without a word. What the server stored is read back from its database.
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing

import pytest
from playwright.sync_api import expect

from .browsing import Watch, join_page, take_seat
from .conftest import TEACHER_KEY

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def stored(live, sql: str, *args) -> list[sqlite3.Row]:
    """Rows the classroom server has written (read-only; the server keeps running)."""
    with closing(sqlite3.connect(f"file:{live.db}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        return db.execute(sql, args).fetchall()


def type_number(page, label: str, text: str) -> None:
    """Type ``text`` into the field named ``label`` and apply it with Enter."""
    field = page.get_by_role("textbox", name=label, exact=True)
    field.fill(text)
    field.press("Enter")


def create_room(t) -> str:
    t.get_by_label("Teacher key (printed when the classroom server started)").fill(TEACHER_KEY)
    t.get_by_role("button", name="Create room").click()
    t.wait_for_url(re.compile(r"/teacher\?t="))
    return t.get_by_role("heading", name=re.compile("Room code")).inner_text().split(": ")[1].replace("-", "")


def test_numbers_typed_between_slider_steps_are_kept_as_typed(live, chromium):
    teacher = Watch(chromium)
    t = teacher.page
    t.goto(live.base + "/teacher")
    type_number(t, "Turn timer, 0 = no timer (seconds)", "45")
    t.get_by_role("slider", name="Turn timer, 0 = no timer: 45 seconds", exact=True).wait_for(state="attached")
    code = create_room(t)
    (room,) = stored(live, "SELECT config FROM rooms WHERE code = ?", code)
    assert json.loads(room["config"])["timer_s"] == 45

    us = join_page(chromium, live.base, code, "Ann")
    take_seat(us, "U.S. delegation")
    u = us.page
    u.get_by_role("checkbox", name="Set instruments directly").focus()
    u.keyboard.press("Space")
    type_number(u, "Headline tariff (%)", "21")
    expect(u.get_by_text(re.compile(r"^Your choice: .*tariff headline 21;"))).to_be_visible()
    u.get_by_role("button", name="Submit decision for turn 1").click()
    u.get_by_role("alert").filter(has_text="Decision saved for turn 1").wait_for()
    (move,) = stored(live, "SELECT payload FROM moves WHERE room = ? AND seat = 'us'", code)
    assert json.loads(move["payload"])["tariff_headline"] == 21

    u.locator("summary", has_text="Make an offer").click()
    type_number(u, "U.S. tariff cap (%)", "37")
    type_number(u, "Licence approval floor (share)", "0.37")
    u.get_by_role("slider", name="Licence approval floor: 0.37 (share)", exact=True).wait_for(state="attached")
    u.get_by_role("button", name="Send offer").click()
    u.get_by_text(re.compile(r"Offer \d+, turn 1, from the U.S. delegation \(open\)")).wait_for()
    (offer,) = stored(live, "SELECT payload FROM offers WHERE room = ?", code)
    sent = json.loads(offer["payload"])
    assert (sent["us_tariff_cap"], sent["approval_floor"]) == (37, 0.37)
    for w in (teacher, us):
        w.clean()
        w.close()


def slider_range(page, name: str) -> tuple[str, str]:
    thumb = page.get_by_role("slider", name=name, exact=True)
    return thumb.get_attribute("aria-valuemin"), thumb.get_attribute("aria-valuemax")


def test_each_field_offers_the_range_the_server_accepts(live, chromium):
    """Turns 1-52 and a timer of 0 (none) or 10-3600 s, as the classroom service checks them;
    an offer of up to 156 weeks, as an offer's length is bounded. The teacher's form used to
    offer 4-16 turns and a 0-600 s timer, and the offer form 1-52 weeks."""
    teacher = Watch(chromium)
    t = teacher.page
    t.goto(live.base + "/teacher")
    timer = "Turn timer, 0 = no timer (seconds)"
    expect(t.get_by_text("0 for no timer, or a whole number from 10 to 3600 seconds")).to_be_visible()
    assert slider_range(t, "Turn timer, 0 = no timer: 0 seconds") == ("0", "3600")
    assert slider_range(t, "Turns (one week each): 12 turns") == ("1", "52")
    type_number(t, timer, "5")
    t.get_by_role("alert").filter(has_text=f"{timer} 5 is too short; allowed: 0 for no timer, "
                                           "or a whole number from 10 to 3600 seconds").wait_for()
    type_number(t, timer, "3600")
    t.get_by_role("slider", name="Turn timer, 0 = no timer: 3600 seconds", exact=True).wait_for(state="attached")
    expect(t.locator(".error-line")).to_have_count(0)
    type_number(t, "Turns (one week each) (turns)", "30")
    t.get_by_role("slider", name="Turns (one week each): 30 turns", exact=True).wait_for(state="attached")
    code = create_room(t)
    (room,) = stored(live, "SELECT config FROM rooms WHERE code = ?", code)
    config = json.loads(room["config"])
    assert (config["timer_s"], config["turns"]) == (3600, 30)
    t.get_by_text("Turn 1 of 30").first.wait_for()

    us = join_page(chromium, live.base, code, "Ann")
    take_seat(us, "U.S. delegation")
    u = us.page
    u.locator("summary", has_text="Make an offer").click()
    assert slider_range(u, "Duration: 13 weeks") == ("1", "156")
    expect(u.get_by_text("1 to 156 weeks", exact=True)).to_be_visible()
    type_number(u, "Duration (weeks)", "100")
    u.get_by_role("slider", name="Duration: 100 weeks", exact=True).wait_for(state="attached")
    u.get_by_role("button", name="Send offer").click()
    u.get_by_text(re.compile(r"Offer \d+, turn 1, from the U.S. delegation \(open\)")).wait_for()
    (offer,) = stored(live, "SELECT payload FROM offers WHERE room = ?", code)
    assert json.loads(offer["payload"])["weeks"] == 100
    for w in (teacher, us):
        w.clean()
        w.close()

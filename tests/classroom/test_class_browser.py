"""A whole class in real Chromium (one context per person), attacked with injection payloads,
on a phone-sized screen: nothing typed runs, nobody strands, every page is clean."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .browsing import PAYLOADS, PHONE, Watch, alerts, join_page, phone_ok, take_seat
from .conftest import TEACHER_KEY

pytestmark = [pytest.mark.browser, pytest.mark.slow]
#: A debrief page draws its charts on the server before it shows; on a busy machine that
#: takes longer than a click's 20 s, so its landmark gets a generous ceiling.
DEBRIEF_DRAWN = 90_000


def test_a_whole_class_plays_three_turns_on_phones(live, chromium):
    """Six phones and a teacher: seats, re-joining, a broadcast, an injected event, talks
    with an offer accepted in turn 2, a turn after it, the debrief and the CSV export."""
    teacher = Watch(chromium)
    t = teacher.page
    t.goto(live.base + "/teacher")
    t.get_by_label("Teacher key (printed when the classroom server started)").fill("wrong key!")
    t.get_by_role("button", name="Create room").click()
    t.get_by_text("the teacher key is wrong").wait_for()
    t.get_by_label("Teacher key (printed when the classroom server started)").fill(TEACHER_KEY)
    t.get_by_role("button", name="Create room").click()
    t.wait_for_url(re.compile(r"/teacher\?t="))
    code = t.get_by_role("heading", name=re.compile("Room code")).inner_text().split(": ")[1]

    students = []
    for name in ("Ann", "Bo", "Cy", "Di", "Ed", "Flo"):
        w = join_page(chromium, live.base, code, name)
        w.page.get_by_role("button", name="Take this seat").wait_for()
        w.page.locator(".v-select").first.click()
        w.page.locator(".menuable__content__active .v-list-item").first.click()
        w.page.get_by_role("button", name="Take this seat").click()
        w.page.get_by_role("button", name="Submit decision").wait_for()
        students.append(w)
    titles = [w.page.locator(".v-application").inner_text() for w in students]
    assert "U.S. delegation" in titles[0] and "China delegation" in titles[1]
    assert not any("auto_us" in x or "magnet_cn" in x for x in titles)
    # Re-joining from the same browser gives the student's own seat back.
    ann = students[0].page
    ann.goto(live.base + "/")
    ann.get_by_role("link", name="Return to my seat").click()
    ann.get_by_text("Ann · U.S. delegation").wait_for()

    t.get_by_label("Message to every seat").fill("Three turns today")
    t.get_by_role("button", name="Broadcast").click()
    t.get_by_role("button", name="Inject").click()
    t.get_by_text("Queued:").wait_for()
    for turn in range(1, 4):
        for w in students:
            w.page.get_by_text(f"Turn {turn} of 12").wait_for()
            if turn == 1:
                phone_ok(w)
            submit_for_turn(w, turn)
        if turn == 2:
            bo = students[1].page
            bo.get_by_label("Message (280 characters)").fill("shall we talk?")
            bo.get_by_role("button", name="Send").click()
            ann.get_by_text("shall we talk?").wait_for()
            ann.get_by_text("Make an offer").click()
            ann.get_by_role("button", name="Send offer").click()
            bo.get_by_role("button", name="Accept").click()
        t.get_by_text("6 of 6 seats submitted").wait_for()
        t.get_by_role("button", name="Close turn now").click()
        t.get_by_text(f"Turn {turn + 1} of 12").wait_for()
    t.get_by_role("button", name="End game").click()
    for w in students[:2]:
        w.page.get_by_role("link", name="Open the debrief").click()
        w.page.get_by_text("Scores: Firms and suppliers").first.wait_for(timeout=DEBRIEF_DRAWN)
        w.page.get_by_role("link", name="Back to my seat").wait_for()
    t.get_by_role("button", name="Open debrief").click()
    t.get_by_text("Scores: Delegations").first.wait_for(timeout=DEBRIEF_DRAWN)
    with t.expect_download() as info:
        t.get_by_role("button", name=re.compile("Export CSV")).click()
    frame = pd.read_csv(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert sorted(frame["turn"].unique()) == [1, 2, 3]
    assert (frame["source"] == "student").sum() == 6 * 3
    for w in [teacher, *students]:
        w.clean()
        w.close()


def receipt(turn: int) -> re.Pattern:
    return re.compile(rf"Decision saved for turn {turn} \(")


def submit_for_turn(w: Watch, turn: int) -> None:
    """Press Submit on this turn's decision panel and wait for its receipt.

    The panel is rebuilt when a turn opens, and the page may show "Turn N" a moment before
    last turn's panel (which still holds last turn's receipt) is gone; a press on that old
    panel is not this turn's decision. So wait until last turn's receipt has left the page.
    """
    w.page.get_by_text(receipt(turn - 1)).wait_for(state="detached")
    # The button named with this turn is the new panel's.
    w.page.get_by_role("button", name=f"Submit decision for turn {turn}", exact=True).click()
    try:
        w.page.get_by_text(receipt(turn)).wait_for()
    except PlaywrightTimeout as exc:  # say what the page showed, not just "timeout"
        raise AssertionError(f"turn {turn}: no receipt; the page shows {alerts(w)}") from exc


def test_injection_payloads_stay_text_on_every_page(live, chromium):
    room = live.api("create", turns=4)
    tt = room["teacher_token"]
    us = live.api("join", code=room["code"], name="Victim", seat="us", browser="victim")
    cn = live.api("join", code=room["code"], name="Sender", seat="cn", browser="sender")
    for i, payload in enumerate(PAYLOADS):  # names: each from its own browser
        joined = live.api("join", code=room["code"], name=payload[:40], browser=f"b{i}")
        if i < 3:  # teammates of the victim: the "Team:" line
            live.api("assign", token=tt, student_id=joined["student_id"], seat="us")
        live.api("message", token=cn["token"], to="us", text=payload[:280])
        live.api("broadcast", token=tt, text=payload[:280])
    live.api("submit", token=us["token"], decision={"posture": "comply"})
    live.api("close_turn", token=tt)
    pages = [("/seat", us["token"]), ("/teacher", tt), ("/debrief", tt)]
    for path, token in pages:
        w = Watch(chromium, PHONE if path == "/seat" else None)
        w.page.goto(f"{live.base}{path}?t={token}")
        w.page.locator(".classroom").first.wait_for()
        w.page.get_by_text(PAYLOADS[0]).first.wait_for()  # shown, as text
        w.clean()
        w.close()
    with pytest.raises(RuntimeError, match="not valid"):
        live.api("seat", token=us["token"][:-2])


def batches(limit: int) -> list[str]:
    """The corpus packed into as few texts of ``limit`` characters as it fits in, each
    starting with a marker ("#3 ") to wait for; the 10,000-character payload goes alone."""
    out, current = [], ""
    for payload in PAYLOADS:
        if len(payload) > limit:
            out.append(payload)
            continue
        if current and len(current) + 1 + len(payload) > limit - 4:
            out.append(current)
            current = ""
        current = f"{current} {payload}" if current else payload
    out.append(current)
    return [f"#{i} {text}" for i, text in enumerate(out)]


NAMES = ['<img src=x onerror=alert(1) data-pwn=1>', '[x](javascript:alert(5))',
         '=HYPERLINK("http://evil")']


def test_payloads_typed_into_every_form_stay_text_on_every_page(live, chromium):
    """The teacher's forms (seed, broadcast; a room has no title and events are picked, not typed)
    and the students' (name, chat), typed by hand; every page stays clean, the CSV too."""
    teacher = Watch(chromium)
    t = teacher.page
    t.goto(live.base + "/teacher")
    t.get_by_label("Teacher key (printed when the classroom server started)").fill(TEACHER_KEY)
    seed = t.get_by_label("Seed (same seed and moves = same game)")
    seed.fill(NAMES[0])  # typed, then Create pressed at once: the text travels with the press
    t.get_by_role("button", name="Create room").click()
    t.get_by_text("is not a number; allowed: a whole number from 0").wait_for()
    seed.fill("4,2")
    t.get_by_role("button", name="Create room").click()
    t.get_by_text("has a comma").wait_for()
    seed.fill("42")
    t.get_by_role("button", name="Create room").click()
    t.wait_for_url(re.compile(r"/teacher\?t="))
    code = t.get_by_role("heading", name=re.compile("Room code")).inner_text().split(": ")[1]
    students = [join_page(chromium, live.base, code, name) for name in NAMES]
    for w, title in zip(students, ("U.S. delegation", "China delegation", "Detroit automaker"), strict=True):
        take_seat(w, title)
    us, cn, firm = (w.page for w in students)
    for i, text in enumerate(batches(280)):
        if len(text) > 280:  # refused whole, with a message, not cut short without a word
            t.get_by_label("Message to every seat").fill(text)
            t.get_by_role("button", name="Broadcast").click()
            t.get_by_text("characters long; allowed: 1 to 280 characters").first.wait_for()
            cn.get_by_label("Message (280 characters)").fill(text)
            cn.get_by_role("button", name="Send").click()
            cn.get_by_text("characters long; allowed: 1 to 280 characters").first.wait_for()
            continue
        t.get_by_label("Message to every seat").fill(text)
        t.get_by_role("button", name="Broadcast").click()
        us.get_by_text(f"Teacher: #{i} ").wait_for()
        cn.get_by_label("Message (280 characters)").fill(text)
        cn.get_by_role("button", name="Send").click()
        us.get_by_text(f"#{i} ").nth(1).wait_for()  # the broadcast and the chat line
    for page in (us, cn, firm):
        page.get_by_role("button", name="Submit decision").click()
        page.get_by_text("Decision saved for turn 1").wait_for()
    t.get_by_role("button", name="Close turn now").click()
    t.get_by_text("Turn 2 of 12").wait_for()
    t.get_by_role("button", name="End game").click()
    for w in (teacher, *students):  # every name and text shown as typed, nothing run
        w.page.get_by_text(NAMES[0]).first.wait_for()
        w.clean()
    us.get_by_role("link", name="Open the debrief").click()
    us.get_by_text("Scores: Delegations").first.wait_for(timeout=DEBRIEF_DRAWN)
    t.get_by_role("button", name="Open debrief").click()
    t.get_by_text("Scores: Delegations").first.wait_for(timeout=DEBRIEF_DRAWN)
    for page in (t, us):
        page.get_by_text(NAMES[1]).first.wait_for()
        assert page.locator('figure.chart img[alt^="Line chart"]').count() >= 3
    with t.expect_download() as info:
        t.get_by_role("button", name=re.compile("Export CSV")).click()
    frame = pd.read_csv(io.BytesIO(Path(info.value.path()).read_bytes()), keep_default_na=False)
    text = [str(c) for col in frame.columns if not pd.api.types.is_numeric_dtype(frame[col])
            for c in frame[col]]
    assert any(c == "'" + NAMES[2] for c in text)
    assert set(frame["seed"]) == {42}  # the seed typed last, not an earlier text
    assert not [c for c in text if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    for w in (teacher, *students):
        w.clean()
        w.close()


def test_every_classroom_page_loads_with_no_console_error_or_failed_request(live, chromium):
    room = live.api("create", turns=4)
    ann = live.api("join", code=room["code"], name="Ann", seat="us", browser="ann")
    live.api("close_turn", token=room["teacher_token"])
    pages = [("/", "Join your class's game"), ("/teacher", "Create a classroom room"),
             (f"/seat?t={ann['token']}", "Ann · U.S. delegation"),
             (f"/teacher?t={room['teacher_token']}", "Room code"),
             (f"/debrief?t={room['teacher_token']}", "Scores: Delegations")]
    for path, landmark in pages:
        w = Watch(chromium, PHONE)
        w.page.goto(live.base + path)
        w.page.get_by_text(landmark).first.wait_for()
        w.page.wait_for_load_state("networkidle")
        w.clean()
        w.close()


def clock_seconds(page) -> int:
    minutes, seconds = page.locator(".clock-label").inner_text().removesuffix(" left").split(":")
    return int(minutes) * 60 + int(seconds)


def test_the_turn_clock_counts_down_in_the_browser_between_redraws(live, chromium):
    """A running timer: the seat page's clock goes down each second on its own (the server
    redraws a page only when its room changes), and a redraw sets it from the server again."""
    room = live.api("create", turns=3, timer_s=600)
    ann = live.api("join", code=room["code"], name="Ann", seat="us", browser="ann")
    live.api("start", token=room["teacher_token"])
    w = Watch(chromium, PHONE)
    w.page.goto(f"{live.base}/seat?t={ann['token']}")
    w.page.locator(".clock-label").wait_for()
    first = clock_seconds(w.page)
    assert 0 < first <= 600, first  # the page may take a while to open on a busy machine
    w.page.wait_for_function(f"() => document.querySelector('.clock-label').innerText !== "
                             f"'{w.page.locator('.clock-label').inner_text()}'")
    w.page.wait_for_timeout(2_000)
    later = clock_seconds(w.page)
    assert later <= first - 2, (first, later)
    # A change in the room redraws the page: the clock still shows the server's time left.
    live.api("broadcast", token=room["teacher_token"], text="Two minutes to decide")
    w.page.get_by_text("Teacher: Two minutes to decide").wait_for()
    assert 0 < clock_seconds(w.page) <= later
    w.clean()
    w.close()

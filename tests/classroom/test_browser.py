"""A teacher and three students in real Chromium: three turns, a refresh, the export."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLES = {"us": "U.S. delegation", "cn": "China delegation", "auto_us": "Detroit automaker"}


@pytest.fixture
def browser(chromium):
    return chromium  # the session's one chromium (tests/conftest.py)


def test_teacher_and_three_students_play_three_turns(server, browser):
    server.start()
    teacher = browser.new_context(accept_downloads=True).new_page()
    teacher.set_default_timeout(20_000)
    teacher.goto(server.base + "/teacher")
    teacher.get_by_role("button", name="Create room").click()
    teacher.wait_for_url(re.compile(r"/teacher\?t="))
    teacher.get_by_text("Room code:").wait_for()
    code = teacher.locator("code").first.inner_text()

    students = []
    # Joining without choosing a seat: the delegations fill first, then the first automaker.
    for name, seat in (("Ann", "us"), ("Bo", "cn"), ("Cy", "auto_us")):
        page = browser.new_context().new_page()
        page.set_default_timeout(20_000)
        page.goto(server.base + "/")
        page.get_by_label("Room code").fill(code.lower())
        page.get_by_label("Your name (or your team's)").fill(name)
        page.get_by_role("button", name="Join").click()
        page.wait_for_url(re.compile(r"/seat\?t="))
        page.get_by_role("button", name="Submit decision").wait_for()
        page.get_by_text(f"{name} · {TITLES[seat]}").wait_for()
        students.append((name, seat, page))
    teacher.get_by_text("0 of 3 seats submitted").wait_for()

    for turn in (1, 2, 3):
        for _name, _seat, page in students:
            page.get_by_text(f"Turn {turn} of 12").wait_for()
            saved = page.get_by_text(f"Decision saved for turn {turn}")
            for _attempt in range(3):
                # The panel is rebuilt when a turn opens; a click during that is lost, and a
                # second click is harmless (submissions are idempotent).
                page.get_by_role("button", name="Submit decision").click()
                try:
                    saved.wait_for(timeout=5_000)
                    break
                except Exception:
                    continue
            saved.wait_for()
        if turn == 2:
            # A refresh brings Ann back to the same seat with her saved decision.
            ann = students[0][2]
            ann.reload()
            ann.get_by_text("Ann · U.S. delegation").wait_for()
            ann.get_by_text(f"Saved: version 1 for turn {turn}").wait_for()
        teacher.get_by_text("3 of 3 seats submitted").wait_for()
        teacher.get_by_role("button", name="Close turn now").click()
        teacher.get_by_text(f"Turn {turn + 1} of 12").wait_for()

    teacher.get_by_role("button", name="Open debrief").click()
    teacher.get_by_text("Questions (Describe").wait_for()
    with teacher.expect_download() as info:
        teacher.get_by_role("button", name=re.compile("Export CSV")).click()
    data = Path(info.value.path()).read_bytes()
    frame = pd.read_csv(io.BytesIO(data))
    assert sorted(frame["turn"].unique()) == [1, 2, 3]
    played = frame[frame["source"] == "student"]
    assert sorted(set(played["seat"])) == ["auto_us", "cn", "us"] and len(played) == 9

"""A whole class in real Chromium (one context per person), attacked with injection payloads,
on a phone-sized screen: nothing typed runs, nobody strands, every page is clean."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

from .conftest import TEACHER_KEY, Server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
PAYLOADS = [
    '<img src=x onerror=alert(1) data-pwn=1>', '<script data-pwn=1>alert(2)</script>',
    '<svg data-pwn=1 onload=alert(3)>', '<iframe data-pwn=1 src="javascript:alert(4)">',
    '[x](javascript:alert(5))', '[click](javascript:alert(document.cookie))',
    '<a data-pwn=1 href="javascript:alert(6)">a</a>', '![i](x" onerror="alert(7))',
    '<b data-pwn=1>bold</b>', '**bold** _it_ `code`', '# heading', '<details data-pwn=1 open ontoggle=alert(8)>',
    '<body data-pwn=1 onload=alert(9)>', '<math data-pwn=1><mi>x</mi></math>', '$$\\alert{10}$$',
    '<input data-pwn=1 autofocus onfocus=alert(11)>', '"><img src=x onerror=alert(12) data-pwn=1>',
    "'><svg/onload=alert(13) data-pwn=1>", '<style data-pwn=1>*{display:none}</style>',
    '<object data-pwn=1 data="javascript:alert(14)">', '=HYPERLINK("http://evil")', '+1+1', '-2+3',
    '@SUM(A1)', '\u202eevil\u202c', 'a\u0000b\u0007c', 'zero\u200bwidth', '{{7*7}} ${7*7}',
    '<marquee data-pwn=1>x</marquee>', '<video data-pwn=1><source onerror=alert(15)></video>',
    '&lt;img src=x onerror=alert(16)&gt;', "javascript:alert(17)", "A" * 10_000,
]
CHECK = """() => ({
  pwn: document.querySelectorAll('[data-pwn], [onerror], [onload], [onfocus], [ontoggle]').length,
  js: [...document.querySelectorAll('[href], [src]')].filter(
        e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
})"""


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("class") / "class.sqlite")
    srv.start()
    yield srv
    srv.kill()


class Watch:
    """A person's browser tab that records dialogs, console errors and failed requests."""

    def __init__(self, browser, viewport=None) -> None:
        self.context = browser.new_context(viewport=viewport, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # Solara's "close this kernel" beacon is cut short by the navigation that sends it.
        self.page.on("requestfailed", lambda r: "/_solara/api/close/" not in r.url
                     and self.errors.append(f"failed {r.url}"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))

    def clean(self) -> None:
        assert self.dialogs == [] and self.errors == [], (self.dialogs, self.errors[:5])
        state = self.page.evaluate(CHECK)
        assert state["pwn"] == 0 and state["js"] == 0, state

    def close(self) -> None:
        self.context.close()


def _join(browser, base: str, code: str, name: str) -> Watch:
    w = Watch(browser, PHONE)
    w.page.goto(base + "/")
    w.page.get_by_label("Room code").fill(code)
    w.page.get_by_label("Your name (or your team's)").fill(name)
    w.page.get_by_role("button", name="Join").click()
    w.page.wait_for_url(re.compile(r"/seat\?t="))
    return w


def _phone_ok(w: Watch) -> None:
    state = w.page.evaluate(CHECK)
    assert state["overflow"] <= 0, state
    assert w.page.get_by_role("tab").count() == 0  # no HOME/SEAT/TEACHER tabs
    submit = w.page.get_by_role("button", name="Submit decision")
    submit.scroll_into_view_if_needed()
    box = submit.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_a_whole_class_plays_five_turns_on_phones(live, chromium):
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
        w = _join(chromium, live.base, code, name)
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

    t.get_by_label("Message to every seat").fill("Five turns today")
    t.get_by_role("button", name="Broadcast").click()
    t.get_by_role("button", name="Inject").click()
    t.get_by_text("Queued:").wait_for()
    for turn in range(1, 6):
        for w in students:
            w.page.get_by_text(f"Turn {turn} of 12").wait_for()
            if turn == 1:
                _phone_ok(w)
            w.page.get_by_role("button", name="Submit decision").click()
            w.page.get_by_text(f"Decision saved for turn {turn}").wait_for()
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
        w.page.get_by_text("Scores: Firms and suppliers").first.wait_for()
        w.page.get_by_role("link", name="Back to my seat").wait_for()
    t.get_by_role("button", name="Open debrief").click()
    t.get_by_text("Scores: Delegations").first.wait_for()
    with t.expect_download() as info:
        t.get_by_role("button", name=re.compile("Export CSV")).click()
    frame = pd.read_csv(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert sorted(frame["turn"].unique()) == [1, 2, 3, 4, 5]
    assert (frame["source"] == "student").sum() == 30
    for w in [teacher, *students]:
        w.clean()
        w.close()


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

"""Seat takeover and join floods, tried from real Chromium (one context per person).

Each attack ends the same way: the victim still holds their seat with the move they
submitted, their open page still works, and the attacker reads one clear message.
"""

from __future__ import annotations

import json

import pytest

from .browsing import PHONE, Watch, alerts, join_page, seat_token, take_seat

pytestmark = [pytest.mark.browser, pytest.mark.slow]

US, CN = "U.S. delegation", "China delegation"


def seated_victim(live, chromium, name: str = "Ann", seat: str = US):
    """A room, and a student who joined through the page, took a seat and submitted."""
    room = live.api("create", turns=4)
    victim = join_page(chromium, live.base, room["code"], name)
    take_seat(victim, seat)
    victim.page.get_by_role("button", name="Submit decision").click()
    victim.page.get_by_text("Decision saved for turn 1").wait_for()
    token = seat_token(victim)
    return room, victim, token, live.api("seat", token=token)


def assert_unchanged(live, victim: Watch, token: str, before: dict, label: str) -> None:
    after = live.api("seat", token=token)
    assert (after["seat"], after["decision"], after["revision"]) == \
        (before["seat"], before["decision"], before["revision"])
    victim.page.get_by_text(label).wait_for()
    victim.page.get_by_role("button", name="Submit decision").wait_for()
    victim.clean()


def test_a_rejoin_under_the_same_name_from_another_browser_gets_no_seat(live, chromium):
    room, victim, token, before = seated_victim(live, chromium)
    attacker = Watch(chromium, PHONE)
    a = attacker.page
    a.goto(live.base + "/")
    a.get_by_label("Room code").fill(room["code"])
    a.get_by_label("Your name (or your team's)").fill("aNN")  # names clash case-blind
    a.get_by_role("button", name="Join").click()
    a.get_by_text("is already taken in this room").wait_for()
    assert "/seat" not in a.url
    assert len(alerts(attacker)) == 1 and "already taken" in alerts(attacker)[0]
    attacker.clean()
    assert_unchanged(live, victim, token, before, "Ann · U.S. delegation")
    for w in (attacker, victim):
        w.close()


def test_a_held_seat_is_not_offered_and_cannot_be_claimed(live, chromium):
    room, victim, token, before = seated_victim(live, chromium)
    attacker = join_page(chromium, live.base, room["code"], "Mallory")
    a = attacker.page
    a.get_by_role("button", name="Take this seat").wait_for()
    a.locator(".v-select").first.click()
    offered = a.locator(".menuable__content__active .v-list-item").all_inner_texts()
    assert CN in offered and US not in offered
    a.keyboard.press("Escape")
    # The page offers no way to it; the same claim sent straight to the server is refused.
    with pytest.raises(RuntimeError) as refused:
        live.api("claim", token=seat_token(attacker), seat="us")
    assert str(refused.value).startswith(f"the {US} seat is taken; allowed: ")
    attacker.clean()
    assert_unchanged(live, victim, token, before, "Ann · U.S. delegation")
    for w in (attacker, victim):
        w.close()


def test_an_altered_seat_link_opens_nothing(live, chromium):
    _, victim, token, before = seated_victim(live, chromium)
    attacker = Watch(chromium, PHONE)
    last = "A" if token[-1] != "A" else "B"
    for altered in (token[:-1] + last, token + "x", token[:-4], token.swapcase()):
        attacker.page.goto(f"{live.base}/seat?t={altered}")
        attacker.page.get_by_text("this link is not valid").wait_for()
        assert alerts(attacker) == ["this link is not valid; ask your teacher for a new one"]
        assert attacker.page.get_by_role("button", name="Submit decision").count() == 0
    attacker.clean()
    assert_unchanged(live, victim, token, before, "Ann · U.S. delegation")
    for w in (attacker, victim):
        w.close()


def test_a_link_the_teacher_removed_stops_working_at_once(live, chromium):
    room, victim, token, before = seated_victim(live, chromium)
    removed = join_page(chromium, live.base, room["code"], "Bo")
    take_seat(removed, CN)
    bo_token = seat_token(removed)
    teacher = Watch(chromium)
    t = teacher.page
    t.goto(f"{live.base}/teacher?t={room['teacher_token']}")
    t.locator(".student-row .v-select").first.click()
    t.locator(".menuable__content__active .v-list-item", has_text=f"Bo ({CN})").click()
    t.get_by_role("button", name="Remove from room").click()
    t.get_by_text("Ann").first.wait_for()
    # Bo's open page turns into the message at once; reloading or the join page's
    # "Return to my seat" give nothing back either.
    removed.page.get_by_text("this link is not valid").wait_for()
    assert removed.page.get_by_role("button", name="Submit decision").count() == 0
    removed.page.reload()
    removed.page.get_by_text("this link is not valid").wait_for()
    assert alerts(removed) == ["this link is not valid; ask your teacher for a new one"]
    removed.page.goto(live.base + "/")
    removed.page.get_by_label("Room code").wait_for()
    assert removed.page.get_by_role("link", name="Return to my seat").count() == 0
    with pytest.raises(RuntimeError, match="this link is not valid"):
        live.api("submit", token=bo_token, decision={"posture": "escalate"})
    assert "Bo" not in t.locator(".plain-table").first.inner_text()
    for w in (teacher, removed):
        w.clean()
    assert_unchanged(live, victim, token, before, "Ann · U.S. delegation")
    for w in (teacher, removed, victim):
        w.close()


def test_replayed_requests_change_nothing(live, chromium):
    """The pages talk to the server only over Solara's websocket, so the requests captured
    and replayed here are the JSON API's: the victim's browser sends them, an attacker's
    browser context sends the captured bytes again."""
    room = live.api("create", turns=4)
    victim = Watch(chromium, PHONE)
    v = victim.page
    v.goto(live.base + "/")
    sent: list[tuple[str, str]] = []
    v.on("request", lambda r: "/classroom-api/" in r.url and sent.append((r.url, r.post_data)))
    post = """async ([url, body]) => {
      const r = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'},
                                  body: JSON.stringify(body)});
      return await r.json();
    }"""
    api = live.base + "/classroom-api/"
    joined = v.evaluate(post, [api + "join", {"code": room["code"], "name": "Ann", "seat": "us",
                                              "browser": "ann-phone"}])["result"]
    v.evaluate(post, [api + "submit", {"token": joined["token"], "decision": {"posture": "escalate"},
                                       "turn": 1}])
    live.api("close_turn", token=room["teacher_token"])
    v.evaluate(post, [api + "submit", {"token": joined["token"], "decision": {"posture": "concede"},
                                       "turn": 2}])
    before = live.api("seat", token=joined["token"])
    assert len(sent) == 3

    attacker = Watch(chromium, PHONE)
    replies = []
    for url, body in sent[:2]:  # the join, and the turn-1 move
        reply = attacker.context.request.post(url, data=body,
                                              headers={"Content-Type": "application/json"})
        replies.append((reply.status, json.loads(reply.body())))
    assert replies[0] == (400, {"error": "the name 'Ann' is already taken in this room; add an "
                                "initial (if it is you, open your seat link or ask your teacher "
                                "for a new one)"})
    assert replies[1] == (400, {"error": "turn 1 has closed; this is turn 2 (nothing was changed)"})
    after = live.api("seat", token=joined["token"])
    assert (after["seat"], after["decision"], after["revision"]) == \
        ("us", {"posture": "concede"}, before["revision"])
    state = live.api("state", token=room["teacher_token"])
    assert state["occupied"] == ["us"]
    # The victim's seat page still opens with the move it sent.
    v.goto(f"{live.base}/seat?t={joined['token']}")
    v.get_by_text("Ann · U.S. delegation").wait_for()
    for w in (victim, attacker):
        w.clean()
        w.close()


def test_a_join_flood_from_one_browser_does_not_keep_a_classmate_out(live, chromium):
    room = live.api("create", turns=4)
    attacker = Watch(chromium, PHONE)
    attacker.page.goto(live.base + "/")
    # The flood runs in the attacker's tab (one request after another) while Cy joins.
    flood = """([url, code]) => {
      const one = i => fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'},
          body: JSON.stringify({code: code, name: 'bot ' + i, browser: 'flooder'})})
        .then(async r => [r.status, await r.json()]);
      window.flood = (async () => {
        const out = [];
        for (let i = 0; i < 40; i++) out.push(await one(i));
        return out;
      })();
    }"""
    attacker.page.evaluate(flood, [live.base + "/classroom-api/join", room["code"]])
    student = join_page(chromium, live.base, room["code"], "Cy")
    take_seat(student)
    student.page.get_by_role("button", name="Submit decision").click()
    student.page.get_by_text("Decision saved for turn 1").wait_for()
    replies = attacker.page.evaluate("() => window.flood")
    joined = [body for status, body in replies if status == 200]
    refused = {body["error"] for status, body in replies if status != 200}
    assert 1 <= len(joined) <= 2
    assert refused == {"too many joins from this device; wait a minute and try again"}
    mine = live.api("seat", token=seat_token(student))
    assert mine["seat"] and mine["decision"] is not None
    assert mine["seat"] not in {j["result"]["seat"] for j in joined}
    student.clean()
    for w in (attacker, student):
        w.close()

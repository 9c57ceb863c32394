"""Rooms, seats, turns, talks and exports through the service (the path the pages use)."""

from __future__ import annotations

import io
import json
import time

import pandas as pd
import pytest

from negotiate.classroom.rooms import TurnClosed
from negotiate.classroom.seats import PLAYING_SEATS, SEATS
from negotiate.classroom.service import AccessDenied, ClassroomService
from negotiate.classroom.tokens import CODE_ALPHABET, token_hash
from negotiate.errors import MoveError, NegotiateError


def test_room_code_is_short_and_tokens_are_long(service, room):
    assert len(room["code"]) == 6 and set(room["code"]) <= set(CODE_ALPHABET)
    assert room["pretty_code"] == f"{room['code'][:3]}-{room['code'][3:]}"
    student = service.join(room["pretty_code"].lower(), "Ann")
    for token in (room["teacher_token"], student["token"]):
        assert len(token) >= 22  # 18 random bytes, urlsafe base64 = 144 bits
    # Only hashes are stored: the database does not contain a working link.
    dump = "\n".join(service.store._db.iterdump())
    assert room["teacher_token"] not in dump and student["token"] not in dump
    assert token_hash(student["token"]) in dump


def test_default_scenario_is_classroom_short(service, room):
    assert service.teacher_view(room["teacher_token"])["config"]["scenario"] == "classroom-short"


def test_join_fills_empty_seats_governments_first_and_the_teacher_makes_teams(service, room):
    joined = [service.join(room["code"], f"s{i}", client=f"c{i}") for i in range(len(SEATS) + 2)]
    seats = [j["seat"] for j in joined]
    assert seats[:2] == ["us", "cn"] and seats[:len(SEATS)] == list(SEATS)
    assert seats[len(SEATS):] == [None, None]  # no later join lands on a held seat
    t = room["teacher_token"]
    for extra in joined[len(SEATS):]:
        service.assign(t, extra["student_id"], "us")
    service.assign(t, service.join(room["code"], "late", client="l")["student_id"], "us")
    late = service.join(room["code"], "one too many", client="z")
    with pytest.raises(NegotiateError, match="full"):
        service.assign(t, late["student_id"], "us")


def test_submission_is_idempotent_and_changeable(service, room):
    us = service.join(room["code"], "Ann", "us", client="Ann")
    first = service.submit(us["token"], {"posture": "comply", "tariff_headline": 20})
    again = service.submit(us["token"], {"tariff_headline": 20.0, "posture": "comply"})
    assert (first["revision"], again["revision"], again["changed"]) == (1, 1, False)
    changed = service.submit(us["token"], {"posture": "retaliate"})
    assert changed["revision"] == 2
    rows = service.store.moves(room["code"], 1)
    assert len(rows) == 1 and json.loads(rows[0]["payload"]) == {"posture": "retaliate"}
    service.close_turn(room["teacher_token"])
    inputs = json.loads(service.store.turns(room["code"])[0]["inputs"])
    assert inputs["moves"] == {"us": {"posture": "retaliate"}}


@pytest.mark.parametrize("seat,bad,field", [
    ("us", {"tariff_headline": 500}, "headline tariff 500 is out of range"),
    ("us", {"approval_rate": 0.5}, "licence approval rate is China's instrument"),
    ("cn", {"posture": "nuke"}, "posture"),
    ("cn", {"offer": {}}, "offer"),
    ("auto_us", {"stockpile_weeks": -1}, "stockpile_weeks"),
    ("auto_us", {"invest": 1}, "invest"),
    ("magnet_cn", {"licence_for": ["us"]}, "licence_for"),
    ("magnet_cn", {"licence_for": ["auto_us", "auto_eu", "auto_jp", "chip"]}, "licence_for"),
    ("supplier", {"invest": "lots"}, "invest"),
])
def test_bad_moves_get_a_clear_message_and_change_nothing(service, room, seat, bad, field):
    student = service.join(room["code"], "Bo", seat)
    good = service.submit(student["token"], {})
    with pytest.raises(MoveError, match=field):
        service.submit(student["token"], bad)
    rows = service.store.moves(room["code"], 1)
    before = [(r["seat"], r["revision"], r["payload"]) for r in rows]
    assert len(before) == 1 and before[0][:2] == (seat, good["revision"])
    assert json.loads(before[0][2]) in ({}, {"licence_for": []})


def test_a_student_acts_only_for_their_own_seat(service, room):
    us = service.join(room["code"], "Ann", "us", client="Ann")
    cn = service.join(room["code"], "Bo", "cn", client="Bo")
    # The seat comes from the token: whatever Ann sends is recorded for the U.S. seat.
    service.submit(us["token"], {"posture": "comply"})
    assert list(service.caller(us["token"]).room.pending) == ["us"]
    with pytest.raises(MoveError):
        service.submit(us["token"], {"approval_rate": 0.1})  # China's lever
    with pytest.raises(AccessDenied):
        service.submit("forged-" + cn["token"], {"posture": "escalate"})
    assert "cn" not in service.caller(us["token"]).room.pending


@pytest.mark.parametrize("action", [
    lambda s, t: s.close_turn(t), lambda s, t: s.start(t), lambda s, t: s.pause(t),
    lambda s, t: s.end_game(t), lambda s, t: s.inject(t, "leaders_call"),
    lambda s, t: s.broadcast(t, "hi"), lambda s, t: s.assign(t, 1, "cn"),
    lambda s, t: s.teacher_view(t), lambda s, t: s.export(t, "csv"), lambda s, t: s.debrief(t),
])
def test_a_student_cannot_take_teacher_actions(service, room, action):
    student = service.join(room["code"], "Ann", "us", client="Ann")
    with pytest.raises(AccessDenied):
        action(service, student["token"])
    r = service.caller(room["teacher_token"]).room
    assert (r.status, r.resolved, r.pending_events, r.messages) == ("waiting", 0, [], [])


def test_rooms_are_isolated(service):
    a = service.create_room(service.teacher_key, turns=3)
    b = service.create_room(service.teacher_key, turns=3)
    sa = service.join(a["code"], "Ann", "us", client="Ann")
    service.submit(sa["token"], {"posture": "escalate"})
    assert service.teacher_view(b["teacher_token"])["submitted"] == []
    service.close_turn(b["teacher_token"])
    assert service.caller(a["teacher_token"]).room.resolved == 0
    assert service.caller(sa["token"]).room.code == a["code"]


def test_a_join_flood_from_one_client_does_not_stop_another(service):
    b = service.create_room(service.teacher_key, turns=3, open_seats=["us", "cn", "chip", "supplier"])
    refused = 0
    for i in range(120):
        try:
            service.join(b["code"], f"x{i}", client="flooder")
        except NegotiateError as exc:
            refused += "try again" in str(exc)
    assert refused >= 110
    # One student's flood never fills the room nor locks out the class.
    assert service.caller(b["teacher_token"]).room.free_seats()
    assert service.join(b["code"], "Ann", client="ann's phone")["seat"] is not None


def test_wrong_codes_are_slowed_per_client_only(service, room):
    messages = set()
    for _ in range(33):
        with pytest.raises(NegotiateError) as exc:
            service.join("ZZZZZZ", "guess", client="typo-prone")
        messages.add(str(exc.value))
    assert any("too many" in m for m in messages)
    with pytest.raises(NegotiateError, match="no room has that code"):
        service.join("ZZZZZZ", "guess", client="someone else")
    assert service.join(room["code"], "Bo", client="someone else")["seat"] == "us"


def test_turn_closes_when_every_occupied_seat_submitted(service, room):
    t = room["teacher_token"]
    us = service.join(room["code"], "Ann", "us", client="Ann")
    auto = service.join(room["code"], "Cy", "auto_eu", client="Cy")
    service.start(t)
    service.submit(us["token"], {"posture": "seek_talks"})
    assert service.teacher_view(t)["resolved"] == 0
    service.submit(auto["token"], {"stockpile_weeks": 4, "apply_licence": True})
    view = service.teacher_view(t)
    assert view["resolved"] == 1 and view["submitted"] == []
    with pytest.raises(TurnClosed, match="turn 1 has closed"):
        service.submit(us["token"], {"posture": "comply"}, turn=1)
    rows = service.caller(t).room.rows
    assert {r["seat"]: r["source"] for r in rows}["auto_eu"] == "student"
    assert {r["seat"]: r["source"] for r in rows}["cn"] == "ai"
    events = service.caller(t).room.model.event_table()
    assert ((events["kind"] == "ai_move") & (events["actor"] == "cn")).any()
    assert not ((events["kind"] == "ai_move") & (events["actor"] == "us")).any()


def test_timer_closes_the_turn_and_pause_stops_it(tmp_path):
    svc = ClassroomService(tmp_path / "t.sqlite")
    try:
        info = svc.create_room(svc.teacher_key, turns=3, timer_s=10)
        room = svc.caller(info["teacher_token"]).room
        room.config.timer_s = 0.3  # the API floor is 10 s; shorten it for the test
        svc.start(info["teacher_token"])
        svc.pause(info["teacher_token"])
        time.sleep(0.6)
        assert room.resolved == 0
        svc.resume(info["teacher_token"])

        def resolved() -> int:
            with room.lock:  # the clock thread resolves (steps, then stores) under the lock
                return room.resolved

        deadline = time.monotonic() + 5
        while resolved() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert resolved() == 1
        assert json.loads(svc.store.turns(info["code"])[0]["inputs"])["reason"] == "timer"
    finally:
        svc.close()


def test_a_running_timer_redraws_no_page_until_the_room_changes(tmp_path, monkeypatch):
    """The clock counts down in the browser: an idle turn with a timer pushes nothing to the
    open pages (every push redraws a whole page on the server, for every open tab)."""
    from negotiate.classroom import rooms

    monkeypatch.setattr(rooms, "TICK_SECONDS", 0.05)  # the clock thread wakes often
    svc = ClassroomService(tmp_path / "t.sqlite")
    try:
        info = svc.create_room(svc.teacher_key, turns=3, timer_s=600)
        ann = svc.join(info["code"], "Ann", "us", client="Ann")
        pushes: list[float] = []
        svc.subscribe(ann["token"], lambda: pushes.append(time.monotonic()))
        svc.start(info["teacher_token"])
        deadline = time.monotonic() + 5
        while not pushes and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(pushes) == 1, "the start is a change: one push"
        time.sleep(0.6)  # a dozen wake-ups of the clock thread
        assert len(pushes) == 1, "an idle turn redrew the page"
        svc.send_message(ann["token"], "cn", "hello")
        deadline = time.monotonic() + 5
        while len(pushes) == 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(pushes) == 2, "a change is still pushed"
    finally:
        svc.close()


def test_offer_accepted_by_both_becomes_the_agreement(service, room):
    us = service.join(room["code"], "Ann", "us", client="Ann")
    cn = service.join(room["code"], "Bo", "cn", client="Bo")
    auto = service.join(room["code"], "Cy", "auto_us", client="Cy")
    with pytest.raises(AccessDenied):
        service.propose_offer(auto["token"], {})
    with pytest.raises(MoveError, match="offer licence approval floor 2 is out of range"):
        service.propose_offer(us["token"], {"us_tariff_cap": 10, "cn_tariff_cap": 5,
                                            "approval_floor": 2, "review_cap": 6, "curb_cap": 0.3})
    offer = service.propose_offer(us["token"], {"us_tariff_cap": 10, "cn_tariff_cap": 5,
                                                "approval_floor": 0.7, "review_cap": 6,
                                                "curb_cap": 0.3, "licence_kind": "general"})
    with pytest.raises(NegotiateError, match="your own offer"):
        service.accept_offer(us["token"], offer["id"])
    service.accept_offer(cn["token"], offer["id"])
    service.close_turn(room["teacher_token"])
    model = service.caller(us["token"]).room.model
    assert model.truces.current is not None
    assert model.truces.current.terms.us_tariff_cap == 10
    assert model.cn.instruments.licence_kind == "general"
    assert service.seat_view(auto["token"])["offers"][0]["status"] == "signed"


def test_messages_go_only_where_allowed_and_the_teacher_reads_all(service, room):
    us = service.join(room["code"], "Ann", "us", client="Ann")
    cn = service.join(room["code"], "Bo", "cn", client="Bo")
    auto = service.join(room["code"], "Cy", "auto_us", client="Cy")
    magnet = service.join(room["code"], "Di", "magnet_cn", client="Di")
    service.send_message(us["token"], "cn", "Lower the review time and we talk.")
    service.send_message(auto["token"], "us", "Our plant stops in 3 weeks.")
    service.send_message(magnet["token"], "cn", "Approve my customers' licences.")
    with pytest.raises(AccessDenied):
        service.send_message(auto["token"], "cn", "sneaky")
    with pytest.raises(AccessDenied):
        service.send_message(magnet["token"], "us", "sneaky")
    with pytest.raises(NegotiateError, match="empty"):
        service.send_message(us["token"], "cn", "\x00\x07  ")
    service.broadcast(room["teacher_token"], "Five minutes left")
    seen = {k: [m["text"] for m in service.seat_view(v["token"])["messages"]]
            for k, v in {"us": us, "cn": cn, "auto": auto}.items()}
    assert "Our plant stops in 3 weeks." in seen["us"] and "Our plant stops in 3 weeks." not in seen["cn"]
    assert "Approve my customers' licences." in seen["cn"]
    assert all("Five minutes left" in v for v in seen.values())
    assert len(service.teacher_view(room["teacher_token"])["messages"]) == 4
    assert {m["turn"] for m in service.teacher_view(room["teacher_token"])["messages"]} == {1}


def test_teacher_moves_students_and_injects_events(service, room):
    t = room["teacher_token"]
    ann = service.join(room["code"], "Ann", "auto_us", client="Ann")
    service.assign(t, ann["student_id"], "defence")
    assert service.seat_view(ann["token"])["seat"] == "defence"
    with pytest.raises(NegotiateError, match="unknown"):
        service.inject(t, "nuke_them")
    before = service.caller(t).room.model.us.instruments.measures["chip_controls"]
    service.inject(t, "leaked_chip_rule")
    service.close_turn(t)
    model = service.caller(t).room.model
    assert model.us.instruments.measures["chip_controls"] == 0.8 != before
    assert (model.event_table()["kind"] == "injected").sum() == 1


def test_end_game_debrief_and_exports(service, room):
    t = room["teacher_token"]
    us = service.join(room["code"], "Ann", "us", client="Ann")
    for turn in range(1, 4):
        service.submit(us["token"], {"posture": "accuse" if turn == 2 else "comply"})
        service.close_turn(t)
    with pytest.raises(AccessDenied):
        service.debrief(us["token"])  # students see the debrief once the game ends
    service.end_game(t)
    with pytest.raises(NegotiateError, match="ended"):
        service.submit(us["token"], {"posture": "comply"})
    debrief = service.debrief(us["token"])
    assert [q[0] for q in debrief["questions"]] == ["Describe", "Analyse", "Transfer and apply"]
    assert (debrief["timeline"]["kind"] == "student move").sum() == 3
    assert debrief["class_vs_real"] is not None and debrief["class_vs_real"]["us_tariff_2025"].notna().all()
    csv = pd.read_csv(io.BytesIO(service.export(t, "csv")))
    parquet = pd.read_parquet(io.BytesIO(service.export(t, "parquet")))
    assert len(csv) == len(parquet) == 3 * len(PLAYING_SEATS)
    assert csv.groupby(["turn", "seat"]).size().max() == 1
    assert set(csv.loc[csv["seat"] == "us", "source"]) == {"student"}
    with pytest.raises(NegotiateError, match="format"):
        service.export(t, "xlsx")


def test_restart_rebuilds_every_room_exactly(tmp_path):
    path = tmp_path / "r.sqlite"
    svc = ClassroomService(path)
    info = svc.create_room(svc.teacher_key, turns=8, seed=5)
    t = info["teacher_token"]
    us = svc.join(info["code"], "Ann", "us", client="Ann")
    firm = svc.join(info["code"], "Cy", "auto_jp", client="Cy")
    magnet = svc.join(info["code"], "Di", "magnet_cn", client="Di")
    for turn in range(3):
        svc.submit(us["token"], {"posture": ["escalate", "seek_talks", "comply"][turn]})
        svc.submit(firm["token"], {"stockpile_weeks": 6, "switch_share": 0.1})
        svc.submit(magnet["token"], {"licence_for": ["auto_jp"]})
        if turn == 1:
            svc.inject(t, "more_elements")
        svc.close_turn(t)
    svc.submit(us["token"], {"posture": "accuse"})
    svc.inject(t, "leaders_call")
    before = svc.caller(t).room
    table, rows = before.model.model_table(), list(before.rows)
    svc.close()

    again = ClassroomService(path)
    try:
        room = again.caller(t).room
        pd.testing.assert_frame_equal(room.model.model_table(), table)
        assert room.rows == rows
        assert room.pending["us"].payload == {"posture": "accuse"}
        assert room.pending_events == ["leaders_call"]
        assert again.seat_view(firm["token"])["seat"] == "auto_jp"
    finally:
        again.close()


@pytest.mark.parametrize("seed", [-1, 2**63, 2.5, "7", None, True])
def test_a_room_seed_outside_the_one_seed_range_is_refused(service, seed):
    with pytest.raises(NegotiateError, match="allowed: a whole number from 0 to 9223372036854775807"):
        service.create_room(service.teacher_key, turns=4, seed=seed)


def test_the_largest_seed_survives_a_restart(tmp_path):
    path = tmp_path / "r.sqlite"
    svc = ClassroomService(path)
    info = svc.create_room(svc.teacher_key, turns=4, seed=2**63 - 1)
    svc.close()
    again = ClassroomService(path)
    try:
        assert again.teacher_view(info["teacher_token"])["config"]["seed"] == 2**63 - 1
    finally:
        again.close()


def test_a_file_that_is_not_a_classroom_database_is_refused_and_kept(tmp_path):
    from negotiate.classroom.store import Store

    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n" * 200)
    before = notes.read_bytes()
    with pytest.raises(NegotiateError, match="not a classroom database.*allowed"):
        Store(notes)
    assert notes.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_classroom_that_cannot_listen_is_refused_before_its_database_is_made(tmp_path):
    import argparse
    import socket

    from negotiate.classroom.cli import classroom_command

    db = tmp_path / "class.sqlite"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for host, port_text, needle in (("127.0.0.1", str(port), "cannot listen"),
                                        ("no such host!", "8766", "not an address"),
                                        ("127.0.0.1", "70000", "1 to 65535")):
            args = argparse.Namespace(host=host, port=port_text, db=str(db), teacher_key=None)
            with pytest.raises(NegotiateError, match=needle):
                classroom_command(args)
    assert not db.exists()


def test_a_name_or_message_too_long_is_refused_whole_not_cut(service, room):
    from negotiate.classroom.rooms import MESSAGE_MAX, NAME_MAX

    with pytest.raises(NegotiateError, match=f"name is {NAME_MAX + 1} characters long; allowed: 1 to {NAME_MAX}"):
        service.join(room["code"], "N" * (NAME_MAX + 1), client="long-name")
    joined = service.join(room["code"], "N" * NAME_MAX, client="just-fits")
    with pytest.raises(NegotiateError, match=f"is {MESSAGE_MAX + 1} characters long"):
        service.send_message(joined["token"], "cn", "m" * (MESSAGE_MAX + 1))
    assert service.send_message(joined["token"], "cn", "m" * MESSAGE_MAX)["text"] == "m" * MESSAGE_MAX

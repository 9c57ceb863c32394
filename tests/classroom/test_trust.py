"""A classroom a teacher can trust: seats stay with their link, the teacher key, the timer
resumes, formula cells are neutralised, and the debrief ranks like with like."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from negotiate.classroom.service import AccessDenied, ClassroomService
from negotiate.errors import NegotiateError


def test_creating_a_room_needs_the_teacher_key(service):
    for wrong in ("", "guess", service.teacher_key + "x", None):
        with pytest.raises(AccessDenied, match="teacher key"):
            service.create_room(wrong, turns=3)
    assert service.create_room(service.teacher_key, turns=3)["code"]


def test_a_claimed_seat_cannot_be_taken_by_a_rejoin_under_the_same_name(service, room):
    ann = service.join(room["code"], "Ann", "us", client="ann")
    service.submit(ann["token"], {"posture": "escalate"})
    with pytest.raises(NegotiateError, match="already taken"):
        service.join(room["code"], "ann", "us", client="mallory")
    with pytest.raises(NegotiateError, match="taken"):
        service.join(room["code"], "Mallory", "us", client="mallory 2")
    other = service.join(room["code"], "Mallory", client="mallory 3")
    assert other["seat"] != "us"
    assert service.seat_view(ann["token"])["decision"] == {"posture": "escalate"}


def test_an_altered_or_replayed_link_gets_nothing(service, room):
    ann = service.join(room["code"], "Ann", "us", client="ann")
    token = ann["token"]
    for altered in (token[:-1] + ("A" if token[-1] != "A" else "B"), token + "x", token.upper(), ""):
        with pytest.raises(AccessDenied):
            service.submit(altered, {"posture": "accuse"})
    # Replaying the very same join request is refused (the name is held); it makes no seat.
    with pytest.raises(NegotiateError, match="already taken"):
        service.join(room["code"], "Ann", "us", client="ann")
    assert len(service.caller(room["teacher_token"]).room.students) == 1


def test_the_same_browser_gets_its_own_seat_back(service, room):
    ann = service.join(room["code"], "Ann", client="ann")
    again = service.join(room["code"], "Ann", client="ann", known=ann["token"])
    assert (again["token"], again["seat"], again["restored"]) == (ann["token"], ann["seat"], True)
    assert len(service.caller(room["teacher_token"]).room.students) == 1


def test_removed_and_reissued_links_stop_working_at_once(service, room):
    t = room["teacher_token"]
    ann = service.join(room["code"], "Ann", "us", client="ann")
    bo = service.join(room["code"], "Bo", "cn", client="bo")
    fresh = service.reissue_link(t, ann["student_id"])
    with pytest.raises(AccessDenied):
        service.submit(ann["token"], {"posture": "accuse"})
    assert service.submit(fresh["token"], {"posture": "comply"})["seat"] == "us"
    service.remove_student(t, bo["student_id"])
    with pytest.raises(AccessDenied):
        service.seat_view(bo["token"])
    with pytest.raises(AccessDenied):
        service.submit(bo["token"], {"posture": "accuse"})
    assert [s.name for s in service.caller(t).room.students.values()] == ["Ann"]
    # Both changes are on disk: a restarted server agrees.
    path = service.store.path
    service.close()
    again = ClassroomService(path, teacher_key=service.teacher_key)
    try:
        with pytest.raises(AccessDenied):
            again.seat_view(bo["token"])
        with pytest.raises(AccessDenied):
            again.seat_view(ann["token"])
        assert again.seat_view(fresh["token"])["seat"] == "us"
    finally:
        again.close()


def test_teacher_assigns_seats_when_the_room_says_so(service):
    info = service.create_room(service.teacher_key, turns=3, seating="assign")
    ann = service.join(info["code"], "Ann", "us", client="ann")
    assert ann["seat"] is None
    with pytest.raises(NegotiateError, match="assigns"):
        service.claim_seat(ann["token"], "us")
    service.assign(info["teacher_token"], ann["student_id"], "cn")
    assert service.seat_view(ann["token"])["seat"] == "cn"


def test_students_pick_an_empty_seat_only(service, room):
    ann = service.join(room["code"], "Ann", client="ann", choose_later=True)
    bo = service.join(room["code"], "Bo", client="bo", choose_later=True)
    assert service.claim_seat(ann["token"], "us")["seat"] == "us"
    with pytest.raises(NegotiateError, match="taken"):
        service.claim_seat(bo["token"], "us")
    assert "us" not in service.seat_view(bo["token"])["free_seats"]


def test_a_future_turn_is_not_called_closed(service, room):
    ann = service.join(room["code"], "Ann", "us", client="ann")
    with pytest.raises(NegotiateError) as exc:
        service.submit(ann["token"], {"posture": "comply"}, 9)
    assert "has not opened yet" in str(exc.value) and "closed" not in str(exc.value)


def test_turn_one_does_not_ask_about_last_week(service, room):
    ann = service.join(room["code"], "Ann", "us", client="ann")
    assert not any("last week" in k for k in service.seat_view(ann["token"])["private"])
    service.close_turn(room["teacher_token"])
    assert any("last week" in k for k in service.seat_view(ann["token"])["private"])


def test_the_timer_resumes_with_the_time_left_after_a_restart(tmp_path):
    svc = ClassroomService(tmp_path / "t.sqlite", teacher_key="k" * 12, start_clocks=False)
    info = svc.create_room(svc.teacher_key, turns=3, timer_s=600)
    svc.start(info["teacher_token"])
    room = svc.caller(info["teacher_token"]).room
    room.deadline -= 400  # 400 s of the turn have gone
    svc.pause(info["teacher_token"])
    svc.start(info["teacher_token"])
    svc.close()
    again = ClassroomService(tmp_path / "t.sqlite", teacher_key="k" * 12, start_clocks=False)
    try:
        left = again.caller(info["teacher_token"]).room.seconds_left()
        assert left is not None and left <= 200.5
    finally:
        again.close()


def test_csv_cells_cannot_run_as_formulas(service, room):
    t = room["teacher_token"]
    names = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=2"]
    for i, name in enumerate(names):
        student = service.join(room["code"], name, client=f"c{i}")
        service.submit(student["token"], {} if student["seat"] not in ("us", "cn") else {"posture": "comply"})
    service.close_turn(t)
    frame = pd.read_csv(io.BytesIO(service.export(t, "csv")), keep_default_na=False)
    cells = [c for col in frame.columns for c in frame[col].astype(str)]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert frame["score_turn"].dtype.kind == "f"  # numbers stay numbers


def test_debrief_ranks_delegations_and_firms_apart_students_before_ai(service, room):
    t = room["teacher_token"]
    ann = service.join(room["code"], "Ann", "auto_us", client="ann")
    for _ in range(2):
        service.submit(ann["token"], {"stockpile_weeks": 26.0, "switch_share": 0.5})
        service.close_turn(t)
    service.end_game(t)
    scores = service.debrief(t)["scores"]
    assert set(scores) == {"Delegations", "Firms and suppliers"}
    firms = scores["Firms and suppliers"]
    assert firms.iloc[0]["played by"] == "Ann" and firms.iloc[0]["rank"] == "1"
    assert set(firms.iloc[1:]["rank"]) == {"AI"}
    assert set(scores["Delegations"]["played by"]) == {"AI"}



def test_every_debrief_chart_says_in_words_what_it_shows(service, room):
    from negotiate.classroom import debrief

    t = room["teacher_token"]
    for _ in range(3):
        service.close_turn(t)
    caller = service.caller(t)
    charts = debrief.figures(caller.room)
    table = caller.room.model.model_table()
    assert [c.title for c in charts][:3] == ["Tariffs", "Rare-earth flow", "Détente and accusations"]
    for chart in charts:
        assert chart.alt.startswith("Line chart") and "turns 1 to 3" in chart.alt, chart.alt
    tariffs = charts[0].alt
    assert f"U.S. on China from {table['us_tariff'].iloc[0]:.0f}% to {table['us_tariff'].iloc[-1]:.0f}%" in tariffs
    assert f"China on U.S. from {table['cn_tariff'].iloc[0]:.0f}%" in tariffs
    flow = charts[1].alt
    assert f"to {100 * table['rare_earth_flow'].iloc[-1]:.0f}% of demand" in flow

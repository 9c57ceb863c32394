"""The Solara pages call the service with the token from their address: test them rendered."""

from __future__ import annotations

import ipyvuetify as v
import pytest
import solara

from negotiate.classroom import runtime


@pytest.fixture
def shared(service):
    runtime.set_service(service)
    yield service
    runtime.set_service(None)


def _render(component):
    box, rc = solara.render(solara.Column(children=[component]), handle_error=False)
    return rc


def _buttons(rc) -> set[str]:
    return {str(b.children[0]) if b.children else "" for b in rc.find(v.Btn).widgets}


def test_student_link_on_the_teacher_page_shows_no_controls(shared):
    from negotiate.app.classroom.teacher import TeacherPage

    room = shared.create_room(shared.teacher_key, turns=3)
    student = shared.join(room["code"], "Ann", "us")
    rc = _render(TeacherPage(student["token"]))
    assert not ({"Close turn now", "End game", "Pause", "Start"} & _buttons(rc))
    assert any("teacher" in str(a.children) for a in rc.find(v.Alert).widgets)
    rc = _render(TeacherPage(room["teacher_token"]))
    assert {"Close turn now", "End game", "Start"} <= _buttons(rc)


def test_seat_page_submits_for_its_own_seat_only(shared):
    from negotiate.app.classroom.seat import SeatPage

    room = shared.create_room(shared.teacher_key, turns=3)
    cn = shared.join(room["code"], "Bo", "cn")
    rc = _render(SeatPage(cn["token"]))
    rc.find(v.Btn, children=["Submit decision"]).widget.click()
    assert list(shared.caller(room["teacher_token"]).room.pending) == ["cn"]
    rc = _render(SeatPage(room["teacher_token"]))
    assert "Submit decision" not in _buttons(rc)


def test_every_seat_page_and_the_debrief_render(shared):
    from negotiate.app.classroom.debrief import DebriefPage
    from negotiate.app.classroom.seat import SeatPage
    from negotiate.classroom.seats import SEATS

    room = shared.create_room(shared.teacher_key, turns=3)
    tokens = {s: shared.join(room["code"], s, s, client=s)["token"] for s in SEATS}
    for seat, token in tokens.items():
        rc = _render(SeatPage(token))
        has_levers = "Submit decision" in _buttons(rc)
        assert has_levers == (seat != "press")
    shared.close_turn(room["teacher_token"])
    rc = _render(DebriefPage(room["teacher_token"]))
    assert len(rc.find(v.Btn).widgets) >= 2  # the two export buttons


def test_every_seat_has_a_printable_first_person_briefing_with_sources():
    from negotiate.app.classroom.panels import briefing_text
    from negotiate.classroom.seats import SEATS

    for seat in SEATS:
        text = briefing_text(seat)
        assert text.startswith("# Briefing"), seat
        assert "I " in text and "## Sources" in text, seat


def _html(rc) -> str:
    return "\n".join(str(w.unsafe_innerHTML) for w in rc.find(solara.widgets.HTML).widgets)


def test_the_debrief_gives_the_outcome_with_its_reason(shared):
    import html

    from negotiate.app.classroom.debrief import DebriefPage

    room = shared.create_room(shared.teacher_key, turns=3, seed=3)
    t = room["teacher_token"]
    for _ in range(3):
        shared.close_turn(t)  # the last turn ends the game
    model = shared.caller(t).room.model
    outcome = model.outcome or model.classify()
    page = _html(_render(DebriefPage(t)))
    assert f"Final outcome:</span> <strong class=\"banner-label\">{html.escape(outcome.label)}" in page
    assert f"— {html.escape(outcome.reason)}</span>" in page


def test_the_debrief_page_says_what_each_2025_line_is(shared):
    from negotiate.app.classroom.debrief import DebriefPage
    from negotiate.classroom.debrief import real_series_note

    room = shared.create_room(shared.teacher_key, turns=3, seed=3)
    t = room["teacher_token"]
    for _ in range(3):
        shared.close_turn(t)
    rc = _render(DebriefPage(t))
    # Under the chart, for everyone to read, not only in the image's alt text.
    assert rc.find(v.Html, children=[real_series_note()]).widgets

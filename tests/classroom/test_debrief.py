"""The debrief's questions, timeline and refusals after the end, through the service."""

from __future__ import annotations

import pytest

from negotiate.errors import NegotiateError

OFFER = {"us_tariff_cap": 10, "cn_tariff_cap": 5, "approval_floor": 0.7, "review_cap": 6,
         "curb_cap": 0.3, "licence_kind": "general"}


def play(service, turns: int, us_move: dict, cn_move: dict, *, offer_at: int | None = None):
    """A room of ``turns`` turns (seed 3) with students at the two delegations, played to the end."""
    room = service.create_room(service.teacher_key, turns=turns, seed=3)
    t = room["teacher_token"]
    us = service.join(room["code"], "Ann", "us", client="Ann")
    cn = service.join(room["code"], "Bo", "cn", client="Bo")
    service.start(t)
    for turn in range(1, turns + 1):
        if turn == offer_at:
            offer = service.propose_offer(us["token"], OFFER)
            service.accept_offer(cn["token"], offer["id"])
        service.submit(us["token"], us_move)
        service.submit(cn["token"], cn_move)  # the last seat in: the turn closes
    assert service.caller(t).room.status == "ended"  # the last turn ends the game
    return t, us, cn


def analyse(service, token) -> str:
    return dict(service.debrief(token)["questions"])["Analyse"]


def test_nothing_happened_the_questions_say_so(service):
    t, _, _ = play(service, 4, {"posture": "comply"}, {"posture": "comply"})
    table = service.caller(t).room.model.model_table()
    assert (table["rare_earth_flow"] == 1.0).all()  # the premise: flow never moved
    text = analyse(service, t)
    assert "fell to" not in text
    assert "Rare-earth flow never fell" in text and "kept it there" in text
    assert "No agreement was signed in your game" in text
    describe = dict(service.debrief(t)["questions"])["Describe"]
    assert describe.startswith("Your class made no accusations.")
    assert "(s)" not in text + describe


def test_a_real_fall_is_named_with_its_week(service):
    t, _, _ = play(service, 6, {"posture": "comply"},
                   {"posture": "escalate", "approval_rate": 0.05, "review_weeks": 12})
    table = service.caller(t).room.model.model_table()
    low = table.loc[table["rare_earth_flow"].idxmin()]
    assert low["rare_earth_flow"] < 0.95  # the premise: flow really fell
    text = analyse(service, t)
    assert (f"Rare-earth flow fell to {100 * low['rare_earth_flow']:.0f} % of demand in the week "
            f"of {low['date']}") in text
    assert "never fell" not in text


def test_one_agreement_is_one_not_one_s(service):
    t, _, _ = play(service, 3, {"posture": "comply"}, {"posture": "comply"}, offer_at=1)
    assert len(service.caller(t).room.model.truces.history) == 1  # the premise
    text = analyse(service, t)
    assert "One agreement was signed in your game: why did it hold or fail?" in text


def test_a_seat_message_after_the_end_is_refused_and_not_stored(service):
    t, us, cn = play(service, 4, {"posture": "comply"}, {"posture": "comply"})
    with pytest.raises(NegotiateError, match=r"^the game has ended; the debrief is open$"):
        service.send_message(us["token"], "cn", "after the end")
    room = service.caller(t).room
    assert room.messages == [] and service.store.messages(room.code) == []


def test_real_and_perceived_are_shown_only_where_they_answer_a_question(service):
    t, _, _ = play(service, 3, {"posture": "accuse"}, {"posture": "escalate"})
    frame = service.debrief(t)["timeline"]
    postures = frame[frame["kind"] == "posture"]
    accused = frame[frame["kind"] == "accusation"]
    assert len(postures) and len(accused)  # the premise: both kinds are in the timeline
    assert postures["real"].isna().all() and postures["perceived"].isna().all()
    assert accused["real"].notna().all() and accused["perceived"].notna().all()
    assert frame.loc[~frame["kind"].isin(["accusation", "consultation"]), ["real", "perceived"]].isna().all().all()


def test_class_vs_2025_draws_flow_and_detente_beside_tariffs_and_says_what_each_2025_line_is(service):
    from negotiate.classroom import debrief

    t, _, _ = play(service, 4, {"posture": "comply"}, {"posture": "comply"})
    charts = {c.title: c for c in debrief.figures(service.caller(t).room)}
    chart = charts["Class vs 2025"]
    lines = {line.get_label(): line for ax in chart.figure.axes for line in ax.get_lines()}
    assert {"U.S. tariff: 2025 record", "China tariff: 2025 record", "flow: 2025 replay, model output",
            "détente: 2025 replay, model output", "flow: class", "détente: class"} <= set(lines)
    both = service.debrief(t)["class_vs_real"]
    drawn = list(lines["flow: 2025 replay, model output"].get_ydata())
    assert drawn == list(100 * both["rare_earth_flow_2025"])
    for words in ("Tariffs: the record's headline rates", "scripted", "not observations", "endogenous"):
        assert words in chart.note and words in chart.alt
    assert chart.alt.startswith("Line chart") and "turns 1 to 4" in chart.alt


def test_every_debrief_chart_counts_turns_in_whole_numbers(service):
    from negotiate.classroom import debrief

    t, _, _ = play(service, 4, {"posture": "comply"}, {"posture": "comply"})
    for chart in debrief.figures(service.caller(t).room):
        for ax in chart.figure.axes:
            lo, hi = ax.get_xlim()
            shown = [float(x) for x in ax.get_xticks() if lo <= x <= hi]
            assert shown and all(x.is_integer() for x in shown), (chart.title, shown)

"""Kill the real server with SIGKILL mid-game; the restarted server resumes every room."""

from __future__ import annotations

import signal

import pandas as pd
import pytest

from negotiate.classroom.service import ClassroomService

pytestmark = pytest.mark.slow


def test_sigkill_mid_game_resumes_every_room(server, tmp_path):
    server.start()
    rooms = []
    for seed in (11, 12):
        room = server.api("create", turns=6, seed=seed)
        us = server.api("join", code=room["code"], name="Ann", seat="us", browser=f"Ann-{seed}")
        firm = server.api("join", code=room["code"], name="Cy", seat="auto_eu", browser=f"Cy-{seed}")
        rooms.append((room, us, firm))
    for room, us, firm in rooms:
        for turn in (1, 2):
            server.api("submit", token=us["token"], decision={"posture": "escalate" if turn == 1 else "seek_talks"}, turn=turn)
            server.api("submit", token=firm["token"], decision={"stockpile_weeks": 8.0}, turn=turn)
            if turn == 1:
                server.api("close_turn", token=room["teacher_token"])
        # The teacher never pressed Start, so turn 2 stays open with both seats' moves in;
        # the U.S. then changes its mind (revision 2), which must survive the kill too.
        server.api("submit", token=us["token"], decision={"posture": "accuse"}, turn=2)
    state = [server.api("state", token=r[0]["teacher_token"]) for r in rooms]
    assert [s["resolved"] for s in state] == [1, 1]
    assert all(s["submitted"] == ["auto_eu", "us"] for s in state)

    server.kill(signal.SIGKILL)
    server.start()

    for (room, us, _firm), before in zip(rooms, state, strict=True):
        after = server.api("state", token=room["teacher_token"])
        assert after["resolved"] == before["resolved"] == 1
        assert after["turn"] == 2 and after["submitted"] == before["submitted"]
        seat = server.api("seat", token=us["token"])
        assert (seat["seat"], seat["decision"], seat["revision"]) == ("us", {"posture": "accuse"}, 2)
        # The game goes on from where it stopped.
        server.api("close_turn", token=room["teacher_token"])
        assert server.api("state", token=room["teacher_token"])["resolved"] == 2
    exported = server.api("export", token=rooms[0][0]["teacher_token"])["csv"]
    server.kill(signal.SIGKILL)

    # The path after the crash is the path an uninterrupted game takes with the same moves.
    ref = ClassroomService(tmp_path / "reference.sqlite", start_clocks=False)
    try:
        info = ref.create_room(ref.teacher_key, turns=6, seed=11)
        us = ref.join(info["code"], "Ann", "us", client="Ann")
        firm = ref.join(info["code"], "Cy", "auto_eu", client="Cy")
        ref.submit(us["token"], {"posture": "escalate"})
        ref.submit(firm["token"], {"stockpile_weeks": 8.0})
        ref.close_turn(info["teacher_token"])
        ref.submit(us["token"], {"posture": "seek_talks"})
        ref.submit(firm["token"], {"stockpile_weeks": 8.0})
        ref.submit(us["token"], {"posture": "accuse"})
        ref.close_turn(info["teacher_token"])
        import io

        got = pd.read_csv(io.StringIO(exported)).drop(columns=["room"])
        want = pd.read_csv(io.BytesIO(ref.export(info["teacher_token"], "csv"))).drop(columns=["room"])
        pd.testing.assert_frame_equal(got, want)
    finally:
        ref.close()

"""A class of simulated students driving a room through the service (the load test's engine).

Each student is a thread holding its own seat token and calling the same service methods the
pages call; the teacher closes turns at the same time. Every acknowledgement is recorded, so
the caller can check that each acknowledged decision is exactly the one the turn resolved
with (nothing lost, nothing counted twice). Used by tests/classroom/test_load.py and
benchmarks/classroom.py.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ..strategies import Posture
from .rooms import TurnClosed
from .seats import FIRM_SEATS, SEATS
from .service import ClassroomService


@dataclass
class LoadResult:
    code: str
    teacher_token: str
    acks: list[dict[str, Any]] = field(default_factory=list)
    rejected_late: int = 0
    errors: list[str] = field(default_factory=list)
    turn_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0


def random_decision(seat_id: str, rng: random.Random) -> dict[str, Any]:
    kind = SEATS[seat_id].kind
    if kind == "government":
        move: dict[str, Any] = {"posture": rng.choice([p.value for p in Posture])}
        if rng.random() < 0.3:
            move["tariff_headline"] = float(rng.randrange(0, 150, 5))
        if rng.random() < 0.2:
            move["accuse"] = True
        return move
    if kind == "firm":
        return {"stockpile_weeks": float(rng.randrange(0, 12)),
                "switch_share": rng.choice([0.0, 0.05, 0.1]),
                "apply_licence": rng.random() < 0.5}
    if kind == "magnet":
        return {"licence_for": rng.sample(FIRM_SEATS, rng.randrange(0, 4))}
    return {"invest": rng.choice([0.0, 0.5, 1.0])}


def run_class(service: ClassroomService, *, students: int = 40, turns: int = 16, seed: int = 0,
              teacher_delay_s: float = 0.02) -> LoadResult:
    """Create a room, join ``students``, play ``turns`` turns with the teacher closing them."""
    room_info = service.create_room(service.teacher_key, turns=turns, seed=seed)
    teacher = room_info["teacher_token"]
    result = LoadResult(room_info["code"], teacher)
    # One device per student per room: the per-device join limit spans rooms, so a second
    # simulated class must not reuse the first one's devices.
    tokens = [service.join(room_info["code"], f"student {i + 1}",
                           client=f"room {room_info['code']} device {i + 1}")
              for i in range(students)]
    room = service.caller(teacher).room
    # Joins fill the empty seats; the teacher makes teams of the rest (up to 4 a seat).
    for info in tokens:
        if info["seat"] is None:
            seat = min(room.config.open_seats, key=lambda s: len(room.team(s)))
            info["seat"] = service.assign(teacher, info["student_id"], seat)["seat"]
    service.start(teacher)
    lock = threading.Lock()
    done = threading.Event()

    def student(index: int, info: dict[str, Any]) -> None:
        rng = random.Random(seed * 1000 + index)
        observer = SEATS[info["seat"]].kind == "observer"
        seen = 0
        while not done.is_set():
            turn = room.turn
            if room.status == "ended":
                return
            if turn == seen:
                time.sleep(0.001)
                continue
            seen = turn
            try:
                if observer:
                    service.send_message(info["token"], "all", f"headline for turn {turn}")
                    continue
                for _ in range(rng.randrange(1, 3)):
                    decision = random_decision(info["seat"], rng)
                    # Each decision is sent twice (a double click). With teammates on the
                    # same seat the second may legitimately land after another's change, so
                    # both acknowledgements are recorded and checked against the store.
                    for _click in range(2):
                        ack = service.submit(info["token"], decision, turn)
                        with lock:
                            result.acks.append({**ack, "decision": decision, "student": index})
            except TurnClosed:
                with lock:
                    result.rejected_late += 1
            except Exception as exc:  # anything else is a failure the test must see
                if room.status != "ended":
                    with lock:
                        result.errors.append(f"student {index}: {exc!r}")

    def teacher_loop() -> None:
        while room.status != "ended":
            # Close a turn once most seats are in (or after a short wait): students are still
            # submitting when the turn closes, which is the race being tested.
            turn, waited = room.turn, 0.0
            while (room.turn == turn and room.status != "ended" and waited < 0.5
                   and len(room.pending) < len(room.occupied()) - 1):
                time.sleep(teacher_delay_s)
                waited += teacher_delay_s
            if room.turn != turn:
                continue
            try:
                service.close_turn(teacher)
            except Exception as exc:
                if room.status != "ended":
                    result.errors.append(f"teacher: {exc!r}")

    started = time.perf_counter()
    threads = [threading.Thread(target=student, args=(i, info)) for i, info in enumerate(tokens)]
    threads.append(threading.Thread(target=teacher_loop))
    for t in threads:
        t.start()
    for t in threads[-1:]:
        t.join(timeout=300)
    done.set()
    for t in threads[:-1]:
        t.join(timeout=30)
    result.seconds = time.perf_counter() - started
    result.turn_ms = list(room.turn_ms)
    return result


def check_nothing_lost(service: ClassroomService, result: LoadResult) -> dict[str, int]:
    """Compare every acknowledgement with the stored inputs of the turn it was for.

    Returns counts; ``lost`` and ``duplicated`` must be 0: the decision a turn resolved with is
    the last one acknowledged for that seat, its revision numbers run 1..n without repeats,
    and the store holds one move per seat and turn.
    """
    import json

    stored = {row["turn"]: json.loads(row["inputs"]) for row in service.store.turns(result.code)}
    last: dict[tuple[int, str], dict[str, Any]] = {}
    revisions: dict[tuple[int, str], list[int]] = {}
    for ack in result.acks:
        key = (ack["turn"], ack["seat"])
        if ack["changed"]:
            revisions.setdefault(key, []).append(ack["revision"])
        if key not in last or ack["revision"] >= last[key]["revision"]:
            last[key] = ack
    lost = duplicated = 0
    for (turn, seat), ack in last.items():
        inputs = stored.get(turn)
        if inputs is None or inputs["revisions"].get(seat) != ack["revision"]:
            lost += 1
            continue
        from .decisions import check

        if inputs["moves"][seat] != check(seat, ack["decision"]):
            lost += 1
    for revs in revisions.values():
        if sorted(revs) != list(range(1, len(revs) + 1)):
            duplicated += 1
    for turn, inputs in stored.items():
        rows = service.store.moves(result.code, turn)
        if len(rows) != len({r["seat"] for r in rows}) or len(rows) != len(inputs["moves"]):
            duplicated += 1
    return {"acknowledged": len(result.acks), "lost": lost, "duplicated": duplicated,
            "turns": len(stored), "late_rejected": result.rejected_late}

"""A room: its model, its seats and students, the open turn, and the thread that runs its clock.

Every method that changes a room runs under the room's own lock and writes to the store
before it changes memory or returns, so whatever a caller was told has happened survives a
crash. Rooms share nothing but the store, so one room's traffic never blocks another's.
Pages learn about changes through subscriber callbacks, called from the room's clock thread
(never under the lock and never from the thread of the student who caused the change).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import MoveError, NegotiateError
from ..model import TradeModel
from ..negotiation import Offer, ai_accepts
from ..scenario import load_scenario
from . import decisions
from . import events as injectable
from .seats import GOVERNMENTS, MAX_TEAM, PLAYING_SEATS, SEATS, cast_firms
from .store import Store
from .turns import apply_inputs, turn_rows

log = logging.getLogger(__name__)

MESSAGE_MAX = 280
MESSAGES_PER_TURN = 40
NAME_MAX = 40
# The clock thread's longest sleep: a change or a turn's deadline wakes it sooner. Pages are
# redrawn only when their room changed; a turn's clock counts down in the browser.
TICK_SECONDS = 5.0
SEATING_MODES = {"pick": "Students pick an empty seat", "assign": "The teacher assigns seats"}


class TurnClosed(MoveError):
    """A decision arrived for a turn that has already closed."""


@dataclass
class Student:
    id: int
    name: str
    seat: str | None
    token_hash: str


@dataclass
class Pending:
    payload: dict[str, Any]
    revision: int
    student_id: int | None


@dataclass
class RoomConfig:
    scenario: str
    overrides: dict[str, Any]
    seed: int
    turns: int
    timer_s: float | None
    open_seats: list[str]
    seating: str = "pick"  # "pick": students choose an empty seat; "assign": the teacher seats them

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Room:
    code: str
    teacher_hash: str
    config: RoomConfig
    store: Store
    status: str = "waiting"  # waiting | running | paused | ended
    students: dict[int, Student] = field(default_factory=dict)
    pending: dict[str, Pending] = field(default_factory=dict)
    pending_events: list[str] = field(default_factory=list)
    offers: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    turn_inputs: list[dict[str, Any]] = field(default_factory=list)
    turn_ms: list[float] = field(default_factory=list)
    totals: dict[str, float] = field(default_factory=dict)
    version: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.RLock()
        self.model, self.casting = build_model(self.config)
        self.total_turns = min(self.config.turns, self.model.weeks)
        self.deadline: float | None = None
        self.remaining: float | None = None
        self._subscribers: dict[int, Callable[[], None]] = {}
        self._sub_ids = itertools.count(1)
        self._wake = threading.Event()
        self._dirty = False
        self._closed = False
        self._clock = threading.Thread(target=self._run_clock, name=f"room-{self.code}", daemon=True)

    # ------------------------------------------------------------------ basics
    @property
    def turn(self) -> int:
        """The open turn (1-based); after the last one, total_turns + 1."""
        return self.model.week + 1

    @property
    def resolved(self) -> int:
        return self.model.week

    def start_clock(self) -> None:
        self._clock.start()

    def stop(self) -> None:
        self._closed = True
        self._wake.set()

    def seconds_left(self) -> float | None:
        if self.deadline is not None:
            return max(0.0, self.deadline - time.monotonic())
        return self.remaining

    def team(self, seat_id: str) -> list[Student]:
        return [s for s in self.students.values() if s.seat == seat_id]

    def occupied(self) -> list[str]:
        return [s for s in PLAYING_SEATS if self.team(s)]

    def changed(self) -> None:
        self.version += 1
        self._dirty = True
        self._wake.set()

    # ------------------------------------------------------------------ subscribers
    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        sub_id = next(self._sub_ids)
        self._subscribers[sub_id] = callback

        def unsubscribe() -> None:
            self._subscribers.pop(sub_id, None)

        return unsubscribe

    def _notify(self) -> None:
        for sub_id, callback in list(self._subscribers.items()):
            try:
                callback()
            except Exception:  # a closed browser tab: drop it, keep the others
                log.debug("dropping subscriber %s of room %s", sub_id, self.code, exc_info=True)
                self._subscribers.pop(sub_id, None)

    def _run_clock(self) -> None:
        while not self._closed:
            wait = TICK_SECONDS
            if self.deadline is not None:
                wait = min(wait, max(0.0, self.deadline - time.monotonic()) + 0.01)
            self._wake.wait(wait)
            self._wake.clear()
            if self._closed:
                break
            try:
                with self.lock:
                    if (self.deadline is not None and time.monotonic() >= self.deadline
                            and self.status == "running"):
                        self.resolve("timer")
            except Exception:
                log.exception("room %s: the timer could not close the turn", self.code)
            if self._dirty:
                self._dirty = False
                self._notify()

    # ------------------------------------------------------------------ students and seats
    def add_student(self, name: str, seat: str | None, token_hash: str, *,
                    seatless: bool = False) -> Student:
        """A new student. A join never lands on a seat someone already holds: teams are made
        by the teacher, so no later join can take a seat or replace its moves."""
        name = clean_text(name, NAME_MAX, "name")
        self.check_name_free(name)
        if self.config.seating == "assign" or seatless:
            seat = None
        elif seat is None:
            seat = self.free_seat()
        else:
            self.check_seat_open(seat)
            if self.team(seat):
                raise NegotiateError(f"the {SEATS[seat].title} seat is taken; pick an empty seat, "
                                     "or ask your teacher to add you to that team")
        student = Student(max(self.students, default=0) + 1, name, seat, token_hash)
        self.store.add_student(self.code, student.id, student.name, token_hash, seat)
        self.students[student.id] = student
        self.changed()
        return student

    def free_seat(self) -> str | None:
        """The first open seat nobody holds (None: the student waits for the teacher)."""
        return next((s for s in self.config.open_seats if not self.team(s)), None)

    def free_seats(self) -> list[str]:
        return [s for s in self.config.open_seats if not self.team(s)]

    def claim(self, student: Student, seat: str) -> Student:
        if self.config.seating != "pick":
            raise NegotiateError("your teacher assigns the seats in this room; wait a moment")
        if student.seat is not None:
            raise NegotiateError(f"you already hold the {SEATS[student.seat].title} seat; "
                                 "ask your teacher to move you")
        self.check_seat_open(seat)
        if self.team(seat):
            raise NegotiateError(f"the {SEATS[seat].title} seat is taken; allowed: "
                                 + (", ".join(SEATS[s].title for s in self.free_seats()) or "none left"))
        self.store.move_student(self.code, student.id, seat)
        student.seat = seat
        self.changed()
        return student

    def check_name_free(self, name: str, *, besides: int | None = None) -> None:
        wanted = name.casefold()
        if any(s.name.casefold() == wanted and s.id != besides for s in self.students.values()):
            raise NegotiateError(f"the name {name!r} is already taken in this room; add an initial "
                                 "(if it is you, open your seat link or ask your teacher for a new one)")

    def remove_student(self, student_id: int) -> Student:
        student = self._get_student(student_id)
        self.store.remove_student(self.code, student_id)
        del self.students[student_id]
        self.changed()
        return student

    def reissue(self, student_id: int, token_hash: str) -> Student:
        student = self._get_student(student_id)
        self.store.set_token_hash(self.code, student_id, token_hash)
        student.token_hash = token_hash
        self.changed()
        return student

    def _get_student(self, student_id: Any) -> Student:
        student = self.students.get(student_id) if isinstance(student_id, int) else None
        if student is None:
            raise NegotiateError(f"student {student_id!r} is not in this room")
        return student

    def check_seat_open(self, seat_id: str) -> None:
        if seat_id not in SEATS:
            raise NegotiateError(f"seat {seat_id!r} is unknown; allowed: {', '.join(SEATS)}")
        if seat_id not in self.config.open_seats:
            raise NegotiateError(f"seat {seat_id!r} is not open in this room; allowed: "
                                 + ", ".join(self.config.open_seats))
        if len(self.team(seat_id)) >= MAX_TEAM:
            raise NegotiateError(f"the {SEATS[seat_id].title} team is full ({MAX_TEAM} students)")

    def move_student(self, student_id: int, seat: str | None) -> Student:
        student = self._get_student(student_id)
        if seat is not None and seat != student.seat:
            if seat not in self.config.open_seats:
                # The teacher may open a seat by assigning someone to it.
                self.config.open_seats.append(seat)
            self.check_seat_open(seat)
        self.store.move_student(self.code, student_id, seat)
        student.seat = seat
        self.changed()
        return student

    # ------------------------------------------------------------------ decisions
    def submit(self, student: Student, payload: Any, turn: int | None) -> dict[str, Any]:
        seat = student.seat
        if seat is None:
            raise NegotiateError("you have no seat yet; wait for the teacher to give you one")
        if SEATS[seat].kind == "observer":
            raise NegotiateError("the press seat has no decisions; send a headline instead")
        self._check_playable()
        if turn is not None and turn != self.turn:
            if isinstance(turn, int) and turn > self.turn:
                raise MoveError(f"turn {turn} has not opened yet; this is turn {self.turn} "
                                "(nothing was changed)")
            raise TurnClosed(f"turn {turn} has closed; this is turn {self.turn} (nothing was changed)")
        canonical = decisions.check(seat, payload)
        current = self.pending.get(seat)
        if current is not None and current.payload == canonical:
            return {"turn": self.turn, "seat": seat, "revision": current.revision, "changed": False}
        revision = current.revision + 1 if current else 1
        self.store.put_move(self.code, self.turn, seat, canonical, revision, student.id)
        self.pending[seat] = Pending(canonical, revision, student.id)
        ack = {"turn": self.turn, "seat": seat, "revision": revision, "changed": True}
        self.changed()
        if self.status == "running" and set(self.occupied()) <= set(self.pending):
            self.resolve("all seats submitted")
        return ack

    def _check_playable(self) -> None:
        if self.status == "ended":
            raise NegotiateError("the game has ended; the debrief is open")

    # ------------------------------------------------------------------ talks
    def propose(self, side: str, data: Any) -> dict[str, Any]:
        from ..moves import parse_offer

        self._check_playable()
        if any(o["status"] == "accepted" and o["turn"] == self.turn for o in self.offers):
            raise NegotiateError("an offer was accepted this turn; it is signed when the turn closes")
        offer = parse_offer(data).as_dict()
        for old in self.offers:
            if old["side"] == side and old["status"] == "open":
                self.store.set_offer_status(old["id"], "replaced")
                old["status"] = "replaced"
        offer_id = self.store.add_offer(self.code, self.turn, side, offer)
        record = {"id": offer_id, "turn": self.turn, "side": side, "offer": offer, "status": "open"}
        self.offers.append(record)
        self.changed()
        return record

    def accept(self, side: str, offer_id: int) -> dict[str, Any]:
        self._check_playable()
        record = next((o for o in self.offers if o["id"] == offer_id), None)
        if record is None or record["status"] != "open":
            raise NegotiateError(f"offer {offer_id} is not open; allowed: an open offer")
        if record["side"] == side:
            raise NegotiateError("you cannot accept your own offer; allowed: the other delegation's")
        self.store.set_offer_status(offer_id, "accepted")
        record["status"] = "accepted"
        record["turn"] = self.turn
        self.changed()
        return record

    def message(self, sender: str, recipient: str, text: str) -> dict[str, Any]:
        if sender != "teacher":  # seats talk while the game runs; the teacher may still broadcast
            self._check_playable()
        text = clean_text(text, MESSAGE_MAX, "the message")
        sent = sum(1 for m in self.messages if m["sender"] == sender and m["turn"] == self.turn)
        if sender != "teacher" and sent >= MESSAGES_PER_TURN:
            raise NegotiateError(f"{MESSAGES_PER_TURN} messages this turn is the limit; wait for the next turn")
        msg_id = self.store.add_message(self.code, self.turn, sender, recipient, text)
        record = {"id": msg_id, "turn": self.turn, "sender": sender, "recipient": recipient,
                  "text": text}
        self.messages.append(record)
        self.changed()
        return record

    # ------------------------------------------------------------------ teacher controls
    def set_status(self, status: str) -> None:
        if self.status == "ended":
            raise NegotiateError("the game has ended")
        if status == "running":
            if self.deadline is None and self.config.timer_s:
                left = self.remaining if self.remaining is not None else self.config.timer_s
                self.deadline = time.monotonic() + left
            self.remaining = None
        elif status == "paused":
            self.remaining = self.seconds_left()
            self.deadline = None
        self.store.set_status(self.code, status)
        self.status = status
        self._save_clock()
        self.changed()

    def inject(self, key: str) -> None:
        self._check_playable()
        injectable.check_key(key)
        self.store.add_injected(self.code, self.turn, {"key": key})
        self.pending_events.append(key)
        self.changed()

    def end(self) -> None:
        self.store.set_status(self.code, "ended")
        self.status = "ended"
        self.deadline = self.remaining = None
        self._save_clock()
        self.changed()

    # ------------------------------------------------------------------ resolving a turn
    def resolve(self, reason: str) -> dict[str, Any]:
        """Close the open turn: AI for seats without a decision, one model week, persisted."""
        self._check_playable()
        started = time.perf_counter()
        turn = self.turn
        inputs: dict[str, Any] = {
            "turn": turn,
            "reason": reason,
            "events": list(self.pending_events),
            "moves": {seat: p.payload for seat, p in sorted(self.pending.items())},
            "revisions": {seat: p.revision for seat, p in sorted(self.pending.items())},
            "team": {seat: [s.name for s in self.team(seat)] for seat in PLAYING_SEATS},
            "agreement": self._agreement_for_turn(turn),
        }
        try:
            self._apply(inputs)
            ms = (time.perf_counter() - started) * 1000.0
            self.store.put_turn(self.code, turn, inputs, ms)
        except Exception:
            # Memory may be ahead of the record: rebuild from what is stored, then report.
            self._rebuild_from_store()
            raise
        # What the teacher waits for: the step plus the durable write.
        self.turn_ms.append((time.perf_counter() - started) * 1000.0)
        for record in self.offers:
            if record["status"] in ("open", "accepted") and record["turn"] <= turn:
                signed = inputs["agreement"] and inputs["agreement"]["id"] == record["id"]
                record["status"] = "signed" if signed else "expired"
                self.store.set_offer_status(record["id"], record["status"])
        self.pending.clear()
        self.pending_events.clear()
        if self.turn > self.total_turns or not self.model.running:
            self.end()
        elif self.config.timer_s and self.status == "running":
            self.deadline = time.monotonic() + self.config.timer_s
        elif self.config.timer_s:
            self.deadline, self.remaining = None, self.config.timer_s
        self._save_clock()
        self.changed()
        return {"turn": turn, "ms": ms, "reason": reason}

    def _save_clock(self) -> None:
        """Keep the timer on disk as wall-clock time, so a restart resumes what was left."""
        if not self.config.timer_s:
            return
        deadline = None
        if self.deadline is not None:
            deadline = time.time() + max(0.0, self.deadline - time.monotonic())
        self.store.set_clock(self.code, self.turn, deadline, self.remaining)

    def _apply(self, inputs: dict[str, Any]) -> None:
        apply_inputs(self.model, self.casting, inputs)
        team = inputs.get("team", {})
        self.rows.extend(turn_rows(self.model, self.casting, inputs, self.totals, team))
        self.turn_inputs.append(inputs)

    def _agreement_for_turn(self, turn: int) -> dict[str, Any] | None:
        accepted = [o for o in self.offers if o["status"] == "accepted" and o["turn"] == turn]
        if accepted:
            o = accepted[-1]
            other = "cn" if o["side"] == "us" else "us"
            return {"id": o["id"], "offer": o["offer"], "by": other,
                    "label": f"Agreement: offer #{o['id']} from {o['side'].upper()}, "
                             f"accepted by {other.upper()}"}
        # A delegation with no students is the AI: it answers the latest open human offer.
        for o in reversed(self.offers):
            other = "cn" if o["side"] == "us" else "us"
            if o["status"] == "open" and o["turn"] == turn and not self.team(other):
                if ai_accepts(self.model, other, Offer(**o["offer"])):
                    return {"id": o["id"], "offer": o["offer"], "by": other,
                            "label": f"Agreement: offer #{o['id']} from {o['side'].upper()}, "
                                     f"accepted by the AI {other.upper()} delegation"}
                break
        return None

    # ------------------------------------------------------------------ rebuilding
    def load(self, status: str) -> None:
        """Bring this room back from the store: replay resolved turns, restore the open one."""
        for row in self.store.students(self.code):
            self.students[row["student_id"]] = Student(row["student_id"], row["name"], row["seat"],
                                                       row["token_hash"])
        for seat in {s.seat for s in self.students.values() if s.seat}:
            if seat not in self.config.open_seats:
                self.config.open_seats.append(seat)
        self._rebuild_from_store()
        self.status = status
        if not self.config.timer_s or status == "ended":
            return
        left = float(self.config.timer_s)
        clock = self.store.clock(self.code)
        if clock is not None and clock["turn"] == self.turn:
            if clock["deadline"] is not None:
                left = max(0.0, clock["deadline"] - time.time())
            elif clock["remaining"] is not None:
                left = float(clock["remaining"])
        if status == "running":
            self.deadline = time.monotonic() + left
        else:
            self.remaining = left

    def _rebuild_from_store(self) -> None:
        import json

        self.model, self.casting = build_model(self.config)
        self.rows, self.turn_inputs, self.turn_ms, self.totals = [], [], [], {}
        stored = self.store.turns(self.code)
        signed = set()
        for row in stored:
            inputs = json.loads(row["inputs"])
            self._apply(inputs)
            self.turn_ms.append(row["ms"])
            if inputs.get("agreement"):
                signed.add(inputs["agreement"]["id"])
        resolved = self.model.week
        self.pending = {r["seat"]: Pending(json.loads(r["payload"]), r["revision"], r["student_id"])
                        for r in self.store.moves(self.code, resolved + 1)}
        self.pending_events = [json.loads(r["event"])["key"] for r in self.store.injected(self.code)
                               if r["turn"] == resolved + 1]
        self.offers = []
        for r in self.store.offers(self.code):
            status = r["status"]
            if r["turn"] <= resolved and status in ("open", "accepted"):
                status = "signed" if r["id"] in signed else "expired"
            self.offers.append({"id": r["id"], "turn": r["turn"], "side": r["side"],
                                "offer": json.loads(r["payload"]), "status": status})
        self.messages = [{"id": r["id"], "turn": r["turn"], "sender": r["sender"],
                          "recipient": r["recipient"], "text": r["text"]}
                         for r in self.store.messages(self.code)]


def build_model(config: RoomConfig) -> tuple[TradeModel, dict[str, int]]:
    overrides = dict(config.overrides)
    overrides.update({f"{side}.strategy": "human" for side in GOVERNMENTS})
    scenario = load_scenario(config.scenario, overrides, seed=config.seed)
    model = TradeModel(scenario)
    return model, cast_firms(model)


def clean_text(text: Any, limit: int, what: str) -> str:
    """Printable text only, trimmed (names and messages are shown to everyone: control and
    direction-override characters are dropped); empty or longer than ``limit`` characters is
    refused, naming ``what``, rather than cut without a word."""
    text = "".join(ch for ch in str(text or "") if ch.isprintable()).strip()
    if not text:
        raise NegotiateError(f"{what} is empty; allowed: 1 to {limit} characters")
    if len(text) > limit:
        raise NegotiateError(f"{what} is {len(text):,} characters long; allowed: 1 to {limit} "
                             "characters")
    return text

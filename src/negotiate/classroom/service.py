"""The classroom service: the one code path that pages, the HTTP API, tests and the load test use.

Every call names who is acting by a secret token (the teacher's, or a student's seat link);
the role, room and seat come from the token, never from the caller, so a student cannot act
for another seat or as the teacher, and no token opens a different room. Creating a room
needs the teacher credential the server printed at start-up.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import NegotiateError
from ..inputs import SEED_RANGE, check_seed
from ..params import Range, shown
from ..scenario import available_scenarios
from . import events as injectable
from .decisions import describe
from .rooms import SEATING_MODES, Room, RoomConfig, Student
from .seats import GOVERNMENTS, PLAYING_SEATS, SEATS
from .store import Store
from .tokens import (
    ClientLimits,
    RateLimiter,
    new_room_code,
    new_teacher_key,
    new_token,
    normalise_code,
    pretty_code,
    same_secret,
    token_hash,
)

DEFAULT_SCENARIO = "classroom-short"
FALLBACK = ("rare-earth-2025", {"weeks": 14, "firms.count": 20})
#: A room's length in turns, one model week each (forms read their limits from here).
TURNS = Range(1, 52, "turns", "one model week each")
#: A turn timer's length. A room may also have none: then only the teacher closes turns.
TURN_TIMER = Range(10, 3600, "seconds", "turn timer")
MIN_TEACHER_KEY = 8
# Per client: a few typos are free, then one more try every 10 s.
BAD_CODES_BURST, BAD_CODES_PER_S = 10, 0.1
# Per client: two joins (a sibling on the same tablet), then one every 20 s.
JOINS_BURST, JOINS_PER_S = 2, 0.05


class AccessDenied(NegotiateError):
    """A token that does not allow this action (wrong role, wrong room, or unknown)."""


@dataclass(frozen=True, slots=True)
class Caller:
    room: Room
    role: str  # "teacher" | "student"
    student: Student | None = None

    @property
    def seat(self) -> str | None:
        return self.student.seat if self.student else None


class ClassroomService:
    def __init__(self, db_path: str | Path, *, teacher_key: str | None = None,
                 start_clocks: bool = True) -> None:
        if teacher_key is not None and len(teacher_key) < MIN_TEACHER_KEY:
            raise NegotiateError(f"the teacher key is too short; allowed: at least {MIN_TEACHER_KEY} "
                                 "characters")
        self.teacher_key = teacher_key or new_teacher_key()
        self.store = Store(db_path)
        self._rooms: dict[str, Room] = {}
        self._tokens: dict[str, tuple[str, int | None]] = {}  # hash -> (room, student id | None)
        self._lock = threading.Lock()
        self._start_clocks = start_clocks
        # Wrong room codes and joins are slowed per client (connection and browser), so codes
        # cannot be enumerated and one client's flood never locks out the rest of the class.
        self._bad_codes = ClientLimits(capacity=BAD_CODES_BURST, per_second=BAD_CODES_PER_S)
        self._client_joins = ClientLimits(capacity=JOINS_BURST, per_second=JOINS_PER_S)
        self._joins: dict[str, RateLimiter] = {}
        self._load()

    # ------------------------------------------------------------------ registry
    def _load(self) -> None:
        for row in self.store.rooms():
            config = RoomConfig(**__import__("json").loads(row["config"]))
            room = Room(row["code"], row["teacher_hash"], config, self.store)
            room.load(row["status"])
            self._register(room)

    def _register(self, room: Room) -> None:
        with self._lock:
            self._rooms[room.code] = room
            self._tokens[room.teacher_hash] = (room.code, None)
            for student in room.students.values():
                self._tokens[student.token_hash] = (room.code, student.id)
            self._joins[room.code] = RateLimiter(capacity=50, per_second=2.0)
        if self._start_clocks:
            room.start_clock()

    def rooms(self) -> list[str]:
        return list(self._rooms)

    def close(self) -> None:
        for room in self._rooms.values():
            room.stop()
        self.store.close()

    def caller(self, token: str) -> Caller:
        given = token_hash(token if isinstance(token, str) else "")
        entry = self._tokens.get(given)
        invalid = AccessDenied("this link is not valid; ask your teacher for a new one")
        if entry is None:
            raise invalid
        room = self._rooms[entry[0]]
        if entry[1] is None:
            if not same_secret(given, room.teacher_hash):
                raise invalid
            return Caller(room, "teacher")
        student = room.students.get(entry[1])
        # A removed student or a reissued link stops working at once.
        if student is None or not same_secret(given, student.token_hash):
            raise invalid
        return Caller(room, "student", student)

    def _teacher(self, token: str) -> Room:
        caller = self.caller(token)
        if caller.role != "teacher":
            raise AccessDenied("only the teacher's link can do this")
        return caller.room

    def _student(self, token: str) -> Caller:
        caller = self.caller(token)
        if caller.role != "student":
            raise AccessDenied("this is the teacher's link; students act through their seat link")
        return caller

    # ------------------------------------------------------------------ setting up
    def create_room(self, credential: str, *, scenario: str | None = None, turns: int = 12,
                    timer_s: float | None = None, open_seats: list[str] | None = None,
                    seed: int = 0, overrides: dict[str, Any] | None = None,
                    seating: str = "pick") -> dict[str, str]:
        """A new room; returns its code and the teacher's secret token."""
        if not isinstance(credential, str) or not same_secret(credential, self.teacher_key):
            raise AccessDenied("the teacher key is wrong; allowed: the key printed when "
                               "`negotiate classroom` started")
        if seating not in SEATING_MODES:
            raise NegotiateError(f"seating {seating!r} is unknown; allowed: {', '.join(SEATING_MODES)}")
        name, base = _scenario_choice(scenario)
        if isinstance(turns, bool) or not isinstance(turns, int) or not TURNS.lo <= turns <= TURNS.hi:
            raise NegotiateError(f"turns {shown(turns)} is out of range; allowed: "
                                 f"{TURNS.allowed(whole=True)}")
        if timer_s is not None and (isinstance(timer_s, bool) or not isinstance(timer_s, int | float)
                                    or not TURN_TIMER.lo <= timer_s <= TURN_TIMER.hi):
            raise NegotiateError(f"timer {shown(timer_s)} is out of range; allowed: none, or "
                                 f"{TURN_TIMER.allowed()}")
        seats = list(open_seats) if open_seats is not None else list(SEATS)
        unknown = [s for s in seats if s not in SEATS]
        if unknown:
            raise NegotiateError(f"seat {unknown[0]!r} is unknown; allowed: {', '.join(SEATS)}")
        if seed is None:
            raise NegotiateError(f"seed is missing; allowed: {SEED_RANGE}")
        check_seed(seed, "seed")  # the room's seed is stored as SQLite's 64-bit INTEGER
        # One model week per turn, whatever the scenario's own length.
        config = RoomConfig(name, {**base, **(overrides or {}), "weeks": turns}, seed, turns,
                            float(timer_s) if timer_s else None, seats, seating)
        token = new_token()
        with self._lock:
            code = new_room_code()
            while code in self._rooms or self.store.room_exists(code):
                code = new_room_code()
            room = Room(code, token_hash(token), config, self.store)  # builds the model: checks it
            self.store.add_room(code, room.teacher_hash, config.as_dict())
        self._register(room)
        return {"code": code, "pretty_code": pretty_code(code), "teacher_token": token}

    def join(self, code: str, name: str, seat: str | None = None, *, client: str = "",
             known: str = "", choose_later: bool = False) -> dict[str, Any]:
        """A student joins with the room code and a name; returns the seat link token.

        ``client`` names the connection and browser (for rate limits); ``known`` is a seat
        link this browser already holds: if it is valid for this room, the student gets their
        own seat back instead of a new one. ``choose_later``: no seat now; the student picks
        an empty one on their page (or the teacher assigns one).
        """
        code = normalise_code(code)
        room = self._rooms.get(code)
        if room is None:
            if not self._bad_codes.allow(client):
                raise NegotiateError("too many wrong room codes from this device; wait a minute "
                                     "and try again")
            raise NegotiateError("no room has that code; check it with your teacher")
        if known:
            try:
                mine = self.caller(known)
            except AccessDenied:
                mine = None
            if mine is not None and mine.room is room and mine.student is not None:
                return {"token": known, "seat": mine.seat, "student_id": mine.student.id,
                        "code": code, "restored": True}
        if not self._client_joins.allow(client):
            raise NegotiateError("too many joins from this device; wait a minute and try again")
        if not self._joins[code].allow():
            raise NegotiateError("many students are joining at once; try again in a few seconds")
        token = new_token()
        with room.lock:
            if room.status == "ended":
                raise NegotiateError("this game has ended")
            student = room.add_student(name, seat or None, token_hash(token), seatless=choose_later)
        with self._lock:
            self._tokens[student.token_hash] = (code, student.id)
        return {"token": token, "seat": student.seat, "student_id": student.id, "code": code,
                "restored": False}

    def claim_seat(self, token: str, seat: str) -> dict[str, Any]:
        """A seatless student takes an empty seat (rooms where students pick)."""
        caller = self._student(token)
        with caller.room.lock:
            student = caller.room.claim(caller.student, seat)
        return {"student_id": student.id, "seat": student.seat}

    # ------------------------------------------------------------------ students
    def submit(self, token: str, payload: Any, turn: int | None = None) -> dict[str, Any]:
        """A seat's decision for the open turn; acknowledged only once it is on disk."""
        caller = self._student(token)
        with caller.room.lock:
            return caller.room.submit(caller.student, payload, turn)

    def propose_offer(self, token: str, offer: Any) -> dict[str, Any]:
        caller = self._student(token)
        side = self._delegation(caller)
        with caller.room.lock:
            return caller.room.propose(side, offer)

    def accept_offer(self, token: str, offer_id: int) -> dict[str, Any]:
        caller = self._student(token)
        side = self._delegation(caller)
        if isinstance(offer_id, bool) or not isinstance(offer_id, int):
            raise NegotiateError("offer_id must be a whole number")
        with caller.room.lock:
            return caller.room.accept(side, offer_id)

    def _delegation(self, caller: Caller) -> str:
        if caller.seat not in GOVERNMENTS:
            raise AccessDenied("only the two delegations make and accept offers")
        return caller.seat

    def send_message(self, token: str, recipient: str, text: str) -> dict[str, Any]:
        caller = self.caller(token)
        sender = "teacher" if caller.role == "teacher" else caller.seat
        if sender is None:
            raise NegotiateError("you have no seat yet; wait for the teacher to give you one")
        allowed = recipients(sender)
        if recipient not in allowed:
            raise AccessDenied(f"{SEATS[sender].title if sender in SEATS else sender} cannot write to "
                               f"{recipient!r}; allowed: {', '.join(allowed)}")
        with caller.room.lock:
            return caller.room.message(sender, recipient, text)

    # ------------------------------------------------------------------ teacher
    def broadcast(self, token: str, text: str) -> dict[str, Any]:
        room = self._teacher(token)
        with room.lock:
            return room.message("teacher", "all", text)

    def assign(self, token: str, student_id: int, seat: str | None) -> dict[str, Any]:
        room = self._teacher(token)
        with room.lock:
            student = room.move_student(student_id, seat or None)
        return {"student_id": student.id, "seat": student.seat}

    def remove_student(self, token: str, student_id: int) -> dict[str, Any]:
        """Take a student out of the room: their seat link stops working at once."""
        room = self._teacher(token)
        with room.lock:
            student = room.remove_student(student_id)
        with self._lock:
            self._tokens.pop(student.token_hash, None)
        return {"student_id": student.id, "name": student.name}

    def reissue_link(self, token: str, student_id: int) -> dict[str, Any]:
        """A new seat link for a student who lost theirs; the old link stops working."""
        room = self._teacher(token)
        fresh = new_token()
        with room.lock:
            student = room.students.get(student_id) if isinstance(student_id, int) else None
            if student is None:
                raise NegotiateError(f"student {student_id!r} is not in this room")
            old = student.token_hash
            room.reissue(student_id, token_hash(fresh))
        with self._lock:
            self._tokens.pop(old, None)
            self._tokens[token_hash(fresh)] = (room.code, student.id)
        return {"student_id": student.id, "name": student.name, "token": fresh}

    def start(self, token: str) -> None:
        room = self._teacher(token)
        with room.lock:
            room.set_status("running")
            occupied = room.occupied()
            if occupied and set(occupied) <= set(room.pending):
                room.resolve("all seats submitted")

    def pause(self, token: str) -> None:
        room = self._teacher(token)
        with room.lock:
            room.set_status("paused")

    def resume(self, token: str) -> None:
        self.start(token)

    def close_turn(self, token: str) -> dict[str, Any]:
        room = self._teacher(token)
        with room.lock:
            return room.resolve("closed by the teacher")

    def inject(self, token: str, key: str) -> None:
        room = self._teacher(token)
        with room.lock:
            room.inject(key)

    def end_game(self, token: str) -> None:
        room = self._teacher(token)
        with room.lock:
            room.end()

    # ------------------------------------------------------------------ views
    def subscribe(self, token: str, callback) -> Any:
        return self.caller(token).room.subscribe(callback)

    def teacher_view(self, token: str) -> dict[str, Any]:
        room = self._teacher(token)
        with room.lock:
            roster = []
            for seat_id in room.config.open_seats + [s for s in SEATS if s not in room.config.open_seats]:
                pending = room.pending.get(seat_id)
                roster.append({
                    "seat": seat_id, "title": SEATS[seat_id].title,
                    "open": seat_id in room.config.open_seats,
                    "students": [{"id": s.id, "name": s.name} for s in room.team(seat_id)],
                    "submitted": pending is not None,
                    "revision": pending.revision if pending else 0,
                    "decision": describe(seat_id, pending.payload) if pending else "",
                })
            return {
                **_room_header(room),
                "config": room.config.as_dict(),
                "roster": roster,
                "unseated": [{"id": s.id, "name": s.name} for s in room.students.values() if s.seat is None],
                "seating": room.config.seating,
                "messages": list(room.messages),
                "offers": list(room.offers),
                "pending_events": [injectable.INJECTABLE[k].title for k in room.pending_events],
                "injectable": {k: e.title for k, e in injectable.INJECTABLE.items()},
                "turn_ms": list(room.turn_ms),
            }

    def seat_view(self, token: str) -> dict[str, Any]:
        caller = self._student(token)
        room, seat_id = caller.room, caller.seat
        with room.lock:
            view: dict[str, Any] = {**_room_header(room), "student": caller.student.name,
                                    "student_id": caller.student.id, "seat": seat_id,
                                    "seating": room.config.seating}
            if seat_id is None:
                view["free_seats"] = room.free_seats()
                return view
            pending = room.pending.get(seat_id)
            view.update(
                title=SEATS[seat_id].title, kind=SEATS[seat_id].kind, side=SEATS[seat_id].side,
                team=[s.name for s in room.team(seat_id)],
                decision=pending.payload if pending else None,
                revision=pending.revision if pending else 0,
                mine=[r for r in room.rows if r["seat"] == seat_id],
                public=_public_figures(room),
                instruments=_instruments(room, seat_id),
                private=_private_figures(room, seat_id),
                messages=[m for m in room.messages
                          if m["recipient"] in (seat_id, "all") or m["sender"] == seat_id],
                recipients=recipients(seat_id),
                offers=list(room.offers) if seat_id in GOVERNMENTS else
                [o for o in room.offers if o["status"] == "signed"],
            )
            return view

    def debrief(self, token: str) -> dict[str, Any]:
        caller = self.caller(token)
        room = caller.room
        if caller.role != "teacher" and room.status != "ended":
            raise AccessDenied("the debrief opens for students when the game ends")
        from .debrief import debrief_data

        with room.lock:
            return debrief_data(room)

    def export(self, token: str, fmt: str) -> bytes:
        room = self._teacher(token)
        from .debrief import export_bytes

        with room.lock:
            return export_bytes(room, fmt)


def recipients(sender: str) -> list[str]:
    """Who a seat may write to: delegations to each other and their own firms; firms to their
    own government; the press to everyone; the teacher to anyone."""
    if sender == "teacher":
        return ["all", *SEATS]
    spec = SEATS[sender]
    if spec.kind == "government":
        other = "cn" if sender == "us" else "us"
        return [other, *[s for s in PLAYING_SEATS if SEATS[s].side == sender and s != sender]]
    if spec.kind == "observer":
        return ["all"]
    return [spec.side]


def _scenario_choice(name: str | None) -> tuple[str, dict[str, Any]]:
    available = available_scenarios()
    if not name:
        if DEFAULT_SCENARIO in available:
            return DEFAULT_SCENARIO, {"firms.count": 20}
        return FALLBACK[0], dict(FALLBACK[1])
    if name not in available:
        raise NegotiateError(f"scenario {name!r} is unknown; allowed: {', '.join(available)}")
    return name, {"firms.count": 20}


def _room_header(room: Room) -> dict[str, Any]:
    left = room.seconds_left()
    broadcasts = [m for m in room.messages if m["sender"] == "teacher" and m["recipient"] == "all"]
    return {"code": room.code, "pretty_code": pretty_code(room.code), "status": room.status,
            "turn": min(room.turn, room.total_turns), "resolved": room.resolved,
            "total_turns": room.total_turns, "date": room.model.log.date_of(room.turn),
            "seconds_left": None if left is None else round(left), "version": room.version,
            "broadcast": broadcasts[-1]["text"] if broadcasts else "",
            "occupied": room.occupied(), "submitted": sorted(room.pending)}


def _public_figures(room: Room) -> dict[str, Any]:
    m = room.model
    return {
        "U.S. tariff on China (headline %)": round(m.us_tariff, 1),
        "China tariff on the U.S. (headline %)": round(m.cn_tariff, 1),
        "Rare-earth flow (% of demand met)": round(100 * m.rare_earth_flow, 1),
        "Spot price NdPr-equivalent ($/kg)": round(m.price_spot, 1),
        "Agreement in force": "yes" if m.agreement_in_force else "no",
        "Détente index (joint score, 0-1)": None if m.detente_index != m.detente_index
        else round(m.detente_index, 2),
    }


def _instruments(room: Room, seat_id: str) -> dict[str, Any]:
    """A delegation's instruments as they stand (the starting point of a direct setting)."""
    if seat_id not in GOVERNMENTS:
        return {}
    inst = room.model.government(seat_id).instruments
    out = {"tariff_headline": round(inst.tariff_headline, 1), "tech_curbs": round(inst.tech_curbs, 2)}
    if seat_id == "cn":
        out.update(approval_rate=round(inst.approval_rate, 2), review_weeks=round(inst.review_weeks, 1),
                   licence_kind=inst.licence_kind)
    else:
        out["diversification"] = round(inst.diversification, 2)
    return out


def _private_figures(room: Room, seat_id: str) -> dict[str, Any]:
    """What only this seat knows (hidden information where it teaches something, facts §4.5)."""
    m, panel = room.model, room.model.firms
    spec = SEATS[seat_id]
    if spec.kind == "government":
        gov = m.government(spec.side)
        out = {"Your trust in the other side (0-1)": round(gov.trust, 2),
               "Pressure at home (0-1)": round(gov.pressure, 2)}
        if m.week > 0:  # before the first week there is no "last week" to have seen
            out["Did you see the other side comply last week?"] = "yes" if gov.seen_other else "no"
        out["Your tech curbs (index 0-1)"] = round(gov.tech_curbs, 2)
        if spec.side == "cn":
            out.update({"Approval rate for licences": round(m.cn.instruments.approval_rate, 2),
                        "Review time (weeks)": round(m.cn.instruments.review_weeks, 1),
                        "Licence queue (applications pending)": int((panel.pending_until >= 0).sum()),
                        "Controls active": "yes" if m.cn.instruments.controls_active else "no"})
        else:
            out["Support for non-China supply (0-1)"] = round(m.us.instruments.diversification, 2)
        return out
    if spec.kind == "firm":
        i = room.casting[seat_id]
        return {"Inventory cover (weeks)": round(float(panel.inventory[i] / panel.demand[i]), 1),
                "Production (% of normal)": round(100 * float(panel.production[i]), 1),
                "Share bought from China": round(float(panel.china_share[i]), 2),
                "Licence held": "yes" if panel.licence_until[i] >= m.week else "no",
                "Licence application pending": "yes" if panel.pending_until[i] >= 0 else "no",
                "Extra stockpile target (weeks)": round(float(panel.stockpile_weeks[i]), 1)}
    if spec.kind == "magnet":
        return {"Customers waiting for a licence": int((panel.pending_until >= 0).sum()),
                "Shipments this week (% of Western demand)":
                    round(100 * panel.supply_china / panel.total_demand, 1) if panel.total_demand else 0.0,
                "Approval rate MOFCOM is applying": round(m.cn.instruments.approval_rate, 2)}
    if spec.kind == "supplier" and m.suppliers:
        s = m.suppliers[0]
        return {"Your capacity (t/yr)": round(s.capacity_tpy), "Announced target (t/yr)": round(s.target_tpy),
                "U.S. support index": round(m.us.instruments.diversification, 2),
                "Your extra investment (0-1)": round(s.extra_investment, 2)}
    return {}

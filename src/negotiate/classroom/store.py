"""The classroom's durable record: SQLite in WAL mode, written before anything is acknowledged.

What is stored is exactly what a replay needs (the model is deterministic given scenario,
seed and outside inputs): each room's settings, its students, every accepted move (one row
per seat and turn, replaced while the turn is open), every offer, message and injected event,
the open turn's timer (so a restart resumes with the time that was left),
and for each resolved turn the full set of inputs that resolved it. The model itself is never
stored; on restart each room is rebuilt by replaying its resolved turns.

``synchronous=FULL`` makes each commit survive power loss too, not only a killed process; a
commit costs a few milliseconds, far below the turn budget.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import NegotiateError

SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY, teacher_hash TEXT NOT NULL, config TEXT NOT NULL,
    status TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS students (
    room TEXT NOT NULL, student_id INTEGER NOT NULL, name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE, seat TEXT, joined REAL NOT NULL,
    PRIMARY KEY (room, student_id));
CREATE TABLE IF NOT EXISTS moves (
    room TEXT NOT NULL, turn INTEGER NOT NULL, seat TEXT NOT NULL, payload TEXT NOT NULL,
    revision INTEGER NOT NULL, student_id INTEGER, updated REAL NOT NULL,
    PRIMARY KEY (room, turn, seat));
CREATE TABLE IF NOT EXISTS turns (
    room TEXT NOT NULL, turn INTEGER NOT NULL, inputs TEXT NOT NULL, ms REAL NOT NULL,
    resolved REAL NOT NULL, PRIMARY KEY (room, turn));
CREATE TABLE IF NOT EXISTS offers (
    id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, turn INTEGER NOT NULL,
    side TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, turn INTEGER NOT NULL,
    sender TEXT NOT NULL, recipient TEXT NOT NULL, text TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS injected (
    id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, turn INTEGER NOT NULL,
    event TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS clocks (
    room TEXT PRIMARY KEY, turn INTEGER NOT NULL, deadline REAL, remaining REAL);
"""


class Store:
    """One connection shared by the process, serialised by a lock (SQLite has one writer)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                   timeout=30.0)
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            # Some other file given as --db (notes, a spreadsheet): refused, left as it was.
            self._db.close()
            raise NegotiateError(f"--db {self.path} is not a classroom database ({exc}); allowed: "
                                 "a new file name, or a file written by 'negotiate classroom'") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, args)

    def _read(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # ------------------------------------------------------------------ rooms
    def add_room(self, code: str, teacher_hash: str, config: dict[str, Any]) -> None:
        self._write("INSERT INTO rooms VALUES (?, ?, ?, ?, ?)",
                    (code, teacher_hash, json.dumps(config), "waiting", time.time()))

    def room_exists(self, code: str) -> bool:
        return bool(self._read("SELECT 1 FROM rooms WHERE code = ?", (code,)))

    def set_status(self, code: str, status: str) -> None:
        self._write("UPDATE rooms SET status = ? WHERE code = ?", (status, code))

    def rooms(self) -> list[sqlite3.Row]:
        return self._read("SELECT * FROM rooms ORDER BY created")

    # ------------------------------------------------------------------ students
    def add_student(self, code: str, student_id: int, name: str, token_hash: str,
                    seat: str | None) -> None:
        self._write("INSERT INTO students VALUES (?, ?, ?, ?, ?, ?)",
                    (code, student_id, name, token_hash, seat, time.time()))

    def move_student(self, code: str, student_id: int, seat: str | None) -> None:
        self._write("UPDATE students SET seat = ? WHERE room = ? AND student_id = ?",
                    (seat, code, student_id))

    def remove_student(self, code: str, student_id: int) -> None:
        self._write("DELETE FROM students WHERE room = ? AND student_id = ?", (code, student_id))

    def set_token_hash(self, code: str, student_id: int, token_hash: str) -> None:
        self._write("UPDATE students SET token_hash = ? WHERE room = ? AND student_id = ?",
                    (token_hash, code, student_id))

    def students(self, code: str) -> list[sqlite3.Row]:
        return self._read("SELECT * FROM students WHERE room = ? ORDER BY student_id", (code,))

    # ------------------------------------------------------------------ turn timer
    def set_clock(self, code: str, turn: int, deadline: float | None, remaining: float | None) -> None:
        """The open turn's timer: a wall-clock deadline while running, seconds left otherwise."""
        self._write("INSERT OR REPLACE INTO clocks VALUES (?, ?, ?, ?)", (code, turn, deadline, remaining))

    def clock(self, code: str) -> sqlite3.Row | None:
        rows = self._read("SELECT * FROM clocks WHERE room = ?", (code,))
        return rows[0] if rows else None

    # ------------------------------------------------------------------ moves
    def put_move(self, code: str, turn: int, seat: str, payload: dict[str, Any], revision: int,
                 student_id: int | None) -> None:
        self._write("INSERT OR REPLACE INTO moves VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (code, turn, seat, json.dumps(payload, sort_keys=True), revision, student_id,
                     time.time()))

    def moves(self, code: str, turn: int) -> list[sqlite3.Row]:
        return self._read("SELECT * FROM moves WHERE room = ? AND turn = ? ORDER BY seat",
                          (code, turn))

    # ------------------------------------------------------------------ turns
    def put_turn(self, code: str, turn: int, inputs: dict[str, Any], ms: float) -> None:
        self._write("INSERT INTO turns VALUES (?, ?, ?, ?, ?)",
                    (code, turn, json.dumps(inputs, sort_keys=True), ms, time.time()))

    def turns(self, code: str) -> list[sqlite3.Row]:
        return self._read("SELECT * FROM turns WHERE room = ? ORDER BY turn", (code,))

    # ------------------------------------------------------------------ talks and events
    def add_offer(self, code: str, turn: int, side: str, payload: dict[str, Any]) -> int:
        cur = self._write("INSERT INTO offers (room, turn, side, payload, status, created) "
                          "VALUES (?, ?, ?, ?, 'open', ?)",
                          (code, turn, side, json.dumps(payload, sort_keys=True), time.time()))
        return int(cur.lastrowid)

    def set_offer_status(self, offer_id: int, status: str) -> None:
        self._write("UPDATE offers SET status = ? WHERE id = ?", (status, offer_id))

    def offers(self, code: str) -> list[sqlite3.Row]:
        return self._read("SELECT * FROM offers WHERE room = ? ORDER BY id", (code,))

    def add_message(self, code: str, turn: int, sender: str, recipient: str, text: str) -> int:
        cur = self._write("INSERT INTO messages (room, turn, sender, recipient, text, created) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          (code, turn, sender, recipient, text, time.time()))
        return int(cur.lastrowid)

    def messages(self, code: str) -> list[sqlite3.Row]:
        return self._read("SELECT * FROM messages WHERE room = ? ORDER BY id", (code,))

    def add_injected(self, code: str, turn: int, event: dict[str, Any]) -> int:
        cur = self._write("INSERT INTO injected (room, turn, event, created) VALUES (?, ?, ?, ?)",
                          (code, turn, json.dumps(event, sort_keys=True), time.time()))
        return int(cur.lastrowid)

    def injected(self, code: str) -> list[sqlite3.Row]:
        return self._read("SELECT * FROM injected WHERE room = ? ORDER BY id", (code,))

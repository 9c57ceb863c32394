"""``negotiate classroom``: start the classroom server (registration is cheap; work is lazy)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..errors import NegotiateError
from ..listen import DEFAULT_HOST, check_free, check_host, check_port


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classroom", help="run a classroom server (rooms, seats, turns, debrief)",
                       description="Start the classroom server. The teacher creates a room on the "
                       "teacher page; students join with the room code. Every move is kept in "
                       "an SQLite file, so a restarted server resumes every room.")
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"address to listen on (default {DEFAULT_HOST}; use 0.0.0.0 on a classroom network)")
    p.add_argument("--port", default="8766", help="port (default 8766)")
    p.add_argument("--db", default="negotiate-classroom.sqlite", metavar="PATH",
                   help="SQLite file for rooms and moves (default: negotiate-classroom.sqlite here)")
    p.add_argument("--teacher-key", default=None, metavar="KEY",
                   help="the credential a teacher types to create a room (default: "
                   "$NEGOTIATE_TEACHER_KEY, or a new random key printed at start-up)")
    p.set_defaults(handler=classroom_command)


def classroom_command(args: argparse.Namespace) -> int:
    # The address is checked before the database is opened or a key printed: a server that
    # cannot listen must not look as if it started.
    host = check_host(args.host)
    port = check_port(args.port)
    check_free(host, port)
    db = Path(args.db)
    if db.exists() and db.is_dir():
        raise NegotiateError(f"--db {db} is a folder; allowed: a file path")
    if not db.parent.exists():
        raise NegotiateError(f"--db {db}: folder {db.parent} does not exist; allowed: a path in an existing folder")
    from .runtime import KEY_ENV
    from .service import MIN_TEACHER_KEY

    key = args.teacher_key if args.teacher_key is not None else os.environ.get(KEY_ENV)
    if key is not None and len(key.strip()) < MIN_TEACHER_KEY:
        raise NegotiateError(f"--teacher-key is too short; allowed: at least {MIN_TEACHER_KEY} "
                             "characters (or leave it out for a random key)")
    from .server import serve

    serve(host, port, db, teacher_key=key.strip() if key else None)
    return 0

"""Start the classroom server: Solara pages plus the JSON API, one process, one worker.

One worker because rooms live in this process's memory (the registry, locks and clocks);
a second worker would hold a different set of rooms.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_MODULE = "negotiate.app.classroom.pages"
TITLE = "negotiate classroom"


def addresses(host: str, port: int) -> dict[str, str]:
    shown = "localhost" if host in ("127.0.0.1", "localhost") else host
    base = f"http://{shown}:{port}"
    return {"teacher": f"{base}/teacher", "join": f"{base}/"}


def serve(host: str, port: int, db: Path, *, teacher_key: str | None = None, announce=print) -> None:
    os.environ["NEGOTIATE_CLASSROOM_DB"] = str(db)

    from .runtime import KEY_ENV, get_service

    if teacher_key:
        os.environ[KEY_ENV] = teacher_key

    service = get_service()  # replays every stored room now, before the first page loads
    from starlette.routing import Route

    from negotiate.app import serving

    from .api import ROUTE, endpoint

    links = addresses(host, port)
    announce(f"negotiate classroom: {len(service.rooms())} room(s) loaded from {db}")
    announce(f"Teacher page:  {links['teacher']}")
    announce(f"Student join:  {links['join']}")
    announce(f"Teacher key:   {service.teacher_key}   (type it on the teacher page to create a room)")
    serving.serve(APP_MODULE, host, port, TITLE, routes=[Route(ROUTE, endpoint, methods=["POST"])],
                  ws_ping_interval=20.0)

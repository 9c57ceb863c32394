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
    os.environ["SOLARA_APP"] = APP_MODULE
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(port)
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    # The title in the HTML as served, before any script runs (each page then sets its own).
    os.environ["SOLARA_THEME_TITLE"] = TITLE
    os.environ["NEGOTIATE_CLASSROOM_DB"] = str(db)

    from .runtime import KEY_ENV, get_service

    if teacher_key:
        os.environ[KEY_ENV] = teacher_key

    service = get_service()  # replays every stored room now, before the first page loads
    import uvicorn
    from solara.server import settings
    from starlette.routing import Route

    settings.main.mode = "production"
    from solara.server.starlette import app

    from .api import ROUTE, endpoint

    app.router.routes.insert(0, Route(ROUTE, endpoint, methods=["POST"]))
    links = addresses(host, port)
    announce(f"negotiate classroom: {len(service.rooms())} room(s) loaded from {db}")
    announce(f"Teacher page:  {links['teacher']}")
    announce(f"Student join:  {links['join']}")
    announce(f"Teacher key:   {service.teacher_key}   (type it on the teacher page to create a room)")
    config = uvicorn.Config(app, host=host, port=port, workers=1, log_level="warning",
                            ws_ping_interval=20.0, ws_ping_timeout=20.0)
    uvicorn.Server(config).run()

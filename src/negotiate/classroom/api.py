"""A small JSON API over the service, for scripts and the crash-recovery test.

POST /classroom-api/<action> with a JSON object. Each action is a fixed function below (no
name from the request is ever looked up dynamically), and each passes the caller's token to
the service, which decides what the token may do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..errors import NegotiateError
from .runtime import get_service
from .service import AccessDenied

ROUTE = "/classroom-api/{action}"
MAX_BODY = 64_000


def _views(svc, body: dict[str, Any]) -> dict[str, Any]:
    view = svc.teacher_view(body.get("token", ""))
    return {k: view[k] for k in ("code", "status", "turn", "resolved", "total_turns", "submitted",
                                 "occupied", "version", "turn_ms")}


ACTIONS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "create": lambda s, b: s.create_room(b.get("credential", ""), scenario=b.get("scenario"),
                                         turns=b.get("turns", 12), timer_s=b.get("timer_s"),
                                         open_seats=b.get("open_seats"), seed=b.get("seed", 0),
                                         seating=b.get("seating", "pick")),
    "join": lambda s, b: s.join(b.get("code", ""), b.get("name", ""), b.get("seat"),
                                client=b["_client"], known=b.get("known") or ""),
    "claim": lambda s, b: s.claim_seat(b.get("token", ""), b.get("seat", "")),
    "message": lambda s, b: s.send_message(b.get("token", ""), b.get("to", ""), b.get("text", "")),
    "broadcast": lambda s, b: s.broadcast(b.get("token", ""), b.get("text", "")),
    "assign": lambda s, b: s.assign(b.get("token", ""), b.get("student_id"), b.get("seat")),
    "remove": lambda s, b: s.remove_student(b.get("token", ""), b.get("student_id")),
    "reissue": lambda s, b: s.reissue_link(b.get("token", ""), b.get("student_id")),
    "submit": lambda s, b: s.submit(b.get("token", ""), b.get("decision"), b.get("turn")),
    "start": lambda s, b: s.start(b.get("token", "")),
    "pause": lambda s, b: s.pause(b.get("token", "")),
    "close_turn": lambda s, b: s.close_turn(b.get("token", "")),
    "state": _views,
    "seat": lambda s, b: {k: v for k, v in s.seat_view(b.get("token", "")).items()
                          if k in ("code", "seat", "turn", "decision", "revision", "status")},
    "export": lambda s, b: {"csv": s.export(b.get("token", ""), "csv").decode("utf-8")},
}


def client_id(address: str, browser: str) -> str:
    """Who is asking, for rate limits: the connection's address and the browser's own id."""
    return f"{address}|{browser[:64]}"


async def endpoint(request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    action = ACTIONS.get(request.path_params.get("action", ""))
    if action is None:
        return JSONResponse({"error": "unknown action; allowed: " + ", ".join(ACTIONS)}, 404)
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return JSONResponse({"error": "request too large"}, 413)
    try:
        body = json.loads(raw or b"{}")
        if not isinstance(body, dict):
            raise ValueError
    except ValueError:
        return JSONResponse({"error": "the body must be a JSON object"}, 400)
    body["_client"] = client_id(request.client.host if request.client else "",
                                str(body.get("browser") or ""))
    try:
        result = await run_in_threadpool(action, get_service(), body)
    except AccessDenied as exc:
        return JSONResponse({"error": str(exc)}, 403)
    except NegotiateError as exc:
        return JSONResponse({"error": str(exc)}, 400)
    return JSONResponse({"ok": True, "result": result})

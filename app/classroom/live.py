"""Keeping a page in step with its room: subscribe, and re-render when the room changes.

The room's clock thread calls ``push`` after each change; it re-enters this browser tab's
kernel context and bumps a per-tab counter, which redraws the page (Solara keeps a module
level reactive separate per tab).
"""

from __future__ import annotations

import urllib.parse

import solara
from solara.server import kernel_context

from negotiate.classroom.runtime import get_service
from negotiate.errors import NegotiateError

tick = solara.reactive(0)


def use_live(token: str | None) -> int:
    def connect():
        if not token:
            return None
        try:
            ctx = kernel_context.get_current_context()
        except RuntimeError:  # rendered outside a server (tests): no pushes needed
            return None

        def push() -> None:
            if ctx.closed_event.is_set():
                raise RuntimeError("tab closed")
            with ctx:
                tick.value += 1

        try:
            return get_service().subscribe(token, push)
        except NegotiateError:
            return None

    solara.use_effect(connect, [token])
    return tick.value


def query_token() -> str:
    router = solara.use_router()
    params = urllib.parse.parse_qs(router.search or "")
    return (params.get("t") or [""])[0]


def refresh() -> None:
    """Redraw this tab now (after its own action; other tabs hear through the room)."""
    tick.value += 1

"""What the browser keeps: this device's seat link (localStorage).

A student who closes the tab and opens the join page again on the same device is offered
their own seat back; the link is the identity, and the browser merely remembers it.
"""

from __future__ import annotations

from collections.abc import Callable

import solara


@solara.component_vue("browser.vue")
def BrowserMemory(token: str = "", recall: bool = False,
                  event_found: Callable[[str], None] | None = None) -> None:
    """``token``: remember this seat link; ``recall``: report a remembered one to ``event_found``."""


def client_id() -> str:
    """This browser, for per-client rate limits (Solara's session cookie names it)."""
    try:
        return "page|" + solara.get_session_id()
    except Exception:  # rendered outside a server (tests): one client
        return "page|local"


def origin() -> str:
    """The address students type, as this browser reached the server (for links we show)."""
    try:
        from solara.lab import headers

        host = ((headers.value or {}).get("host") or [""])[0]
    except Exception:
        host = ""
    return f"http://{host}" if host else ""

"""Serve a Solara page module with uvicorn: the one way both servers run (the app, the classroom).

Solara's server gzips every static file anew at level 9 for every request: the 3.9 MB a
first page view loads (Vuetify's bundle, CSS, fonts) cost its server about 0.47 s of CPU
each time (measured with ``zlib`` on these machines). A class of thirty opening the join
page at once would queue about 14 s of compression on a two-core server. The files cannot
change while the server runs (they are installed package files, addressed by version or
hash), so :class:`StaticResponseCache` keeps each finished response and replays it.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Where Solara serves files that are fixed for the server's lifetime.
STATIC_PREFIXES = ("/_solara/cdn/", "/static/", "/jupyter/nbextensions/")
#: Bounds on what the cache holds: the largest asset today is 2.2 MB before compression.
ENTRY_MAX_BYTES = 16 * 2**20
CACHE_MAX_BYTES = 64 * 2**20
# A request that asks for part of a file, or only for changes, goes to Solara as it is.
_CONDITIONAL = (b"range", b"if-none-match", b"if-modified-since", b"if-range")


class StaticResponseCache:
    """ASGI middleware: replay the finished response (gzipped or not) of a static file.

    Only complete ``200`` answers to plain ``GET`` requests under :data:`STATIC_PREFIXES`
    are kept, keyed by path, query and whether the browser accepts gzip; a response that
    sets a cookie is never kept. Anything else passes through untouched.
    """

    def __init__(self, app: ASGIApp, prefixes: Iterable[str] = STATIC_PREFIXES) -> None:
        self.app = app
        self.prefixes = tuple(prefixes)
        self.entries: dict[tuple[str, bytes, bool], tuple[int, list[tuple[bytes, bytes]], bytes]] = {}
        self.size = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET"
                or not scope["path"].startswith(self.prefixes)):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if any(name in headers for name in _CONDITIONAL):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"], b"gzip" in headers.get(b"accept-encoding", b""))
        kept = self.entries.get(key)
        if kept is not None:
            status, response_headers, body = kept
            await send({"type": "http.response.start", "status": status, "headers": response_headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and start is not None:
                    self._keep(key, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _keep(self, key: tuple[str, bytes, bool], start: Message, body: bytes) -> None:
        headers = [(k.lower(), v) for k, v in start.get("headers", [])]
        if start["status"] != 200 or any(k == b"set-cookie" for k, _ in headers):
            return
        if len(body) > ENTRY_MAX_BYTES or self.size + len(body) > CACHE_MAX_BYTES:
            return
        # Replayed as one body: its length is known, so no chunked transfer.
        headers = [(k, v) for k, v in headers if k not in (b"content-length", b"transfer-encoding")]
        headers.append((b"content-length", str(len(body)).encode()))
        self.entries[key] = (200, headers, body)
        self.size += len(body)


def serve(app_module: str, host: str, port: int, title: str, *,
          routes: Iterable[Any] = (), ws_ping_interval: float | None = None) -> None:
    """Run Solara's server for ``app_module`` on ``host:port`` until stopped (production mode).

    ``routes`` (Starlette routes) are matched before Solara's own.
    """
    os.environ["SOLARA_APP"] = app_module
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(port)
    # Nothing should phone home: the page must work offline (DESIGN.md, "Offline front end").
    os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    # The title in the HTML as served, before any script runs (each page then sets its own).
    os.environ["SOLARA_THEME_TITLE"] = title

    import uvicorn
    from solara.server import settings

    # Served over plain http (a laptop, a classroom network), Solara's session cookie is
    # samesite=lax, which is what it should be; Solara warns about it on every page view,
    # ten lines each time, burying the address and the teacher key in the terminal.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https",
                            category=UserWarning)

    settings.main.mode = "production"
    from solara.server.starlette import app

    for route in reversed(list(routes)):
        app.router.routes.insert(0, route)
    options: dict[str, Any] = {}
    if ws_ping_interval is not None:
        options.update(ws_ping_interval=ws_ping_interval, ws_ping_timeout=ws_ping_interval)
    config = uvicorn.Config(StaticResponseCache(app), host=host, port=port, workers=1,
                            log_level="warning", **options)
    uvicorn.Server(config).run()


def main(argv: list[str] | None = None) -> None:
    """``python -m negotiate.app.serving MODULE HOST PORT TITLE``: the child ``negotiate app``
    starts (its address was checked by the parent)."""
    import sys

    module, host, port, title = argv if argv is not None else sys.argv[1:]
    with contextlib.suppress(KeyboardInterrupt):
        serve(module, host, int(port), title)


if __name__ == "__main__":
    main()

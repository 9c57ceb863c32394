"""The app server replays static files from its cache: the same bytes, one gzip per file.

Against a real ``negotiate app`` on 127.0.0.1; ``app/serving.py`` says why the cache exists.
"""

from __future__ import annotations

import asyncio
import gzip
import re
import threading
import urllib.error
import urllib.request

import pytest

from negotiate.app.serving import CACHE_MAX_BYTES, StaticResponseCache

pytestmark = pytest.mark.browser



def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read()


def test_a_static_file_comes_back_the_same_from_the_cache(server):
    page = fetch(server)[2].decode()
    # Solara's Vuetify bundle, named as the page names it (its version is Solara's business).
    bundle = re.search(r'[^"\']*solara-vuetify-app[^"\']*\.min\.js', page).group(0).lstrip("./")
    first = fetch(server + bundle, **{"Accept-Encoding": "gzip"})
    second = fetch(server + bundle, **{"Accept-Encoding": "gzip"})
    plain = fetch(server + bundle, **{"Accept-Encoding": "identity"})
    assert first[0] == second[0] == plain[0] == 200
    assert first[1]["content-encoding"] == second[1]["content-encoding"] == "gzip"
    assert "content-encoding" not in {k.lower() for k in plain[1]}
    assert first[2] == second[2]
    assert int(second[1]["content-length"]) == len(second[2])
    assert gzip.decompress(second[2]) == plain[2]
    assert len(plain[2]) > 1_000_000  # the real bundle, not an error page
    # A browser that already has the file asks with its ETag and gets "not modified".
    etag = second[1]["etag"]
    assert fetch(server + bundle, **{"Accept-Encoding": "gzip", "If-None-Match": etag})[0] == 304
    # An unknown file is Solara's 404, and stays one.
    assert fetch(server + "static/no-such-file.js")[0] == 404
    assert fetch(server + "static/no-such-file.js")[0] == 404


def run_app(app, path: str = "/static/x.js", method: str = "GET",
            headers: list[tuple[bytes, bytes]] | None = None) -> list[dict]:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": b"",
             "headers": headers or [(b"accept-encoding", b"gzip")]}
    # A thread of its own: the session's playwright keeps an event loop running in this one.
    worker = threading.Thread(target=asyncio.run, args=(app(scope, receive, send),))
    worker.start()
    worker.join()
    return sent


class Origin:
    """An ASGI app that counts its calls and answers as told, in two body chunks."""

    def __init__(self, status: int = 200, extra: list[tuple[bytes, bytes]] | None = None,
                 body: bytes = b"abcdef") -> None:
        self.calls, self.status, self.extra, self.body = 0, status, extra or [], body

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"transfer-encoding", b"chunked"), *self.extra]})
        half = len(self.body) // 2
        await send({"type": "http.response.body", "body": self.body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": self.body[half:], "more_body": False})


def test_only_complete_plain_static_answers_are_kept():
    origin = Origin()
    cache = StaticResponseCache(origin)
    run_app(cache)
    again = run_app(cache)
    assert origin.calls == 1
    assert again[1]["body"] == b"abcdef"
    assert (b"content-length", b"6") in again[0]["headers"]
    assert all(k != b"transfer-encoding" for k, _ in again[0]["headers"])
    # Elsewhere, another method, a conditional request: each goes to the origin.
    run_app(cache, path="/seat")
    run_app(cache, method="HEAD")
    run_app(cache, headers=[(b"if-none-match", b'"x"')])
    assert origin.calls == 4
    for refused in (Origin(status=404), Origin(extra=[(b"set-cookie", b"a=b")]),
                    Origin(body=b"x" * (CACHE_MAX_BYTES + 1))):
        cache = StaticResponseCache(refused)
        run_app(cache)
        run_app(cache)
        assert refused.calls == 2, refused.status


def test_page_views_leave_the_terminal_quiet():
    """The address and key a person needs stay readable: Solara's cookie warning (ten lines
    per page view over plain http) is not printed."""
    from servers import free_port, start_server, stop_server, wait_ready

    port = free_port()
    process = start_server(port)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_ready(url, process)
        for _ in range(3):
            assert fetch(url)[0] == 200
    finally:
        stop_server(process)
    printed = process.stdout.read().decode(errors="replace") if process.stdout else ""
    assert f"open http://127.0.0.1:{port}/" in printed
    assert "samesite" not in printed.lower(), printed

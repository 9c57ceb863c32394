"""``negotiate app``: start the browser app (Solara) and print its address.

Registration only builds the parser, so ``negotiate --help`` stays fast; the handler checks
the address, then runs Solara's server in a child process (``negotiate.app.serving``, the
classroom's server too) so Ctrl-C, SIGTERM and exit codes behave like any foreground server.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys

from negotiate.listen import DEFAULT_HOST, PORTS_ALLOWED, check_free, check_host, check_port

APP_MODULE = "negotiate.app.templates.entry"  # routes of negotiate.app.pages, with the page shell
TITLE = "negotiate"
DEFAULT_PORT = 8765


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("app", help="start the browser game (Explore and Play pages)",
                            description="Start the browser game and print its address.")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}; 0.0.0.0 for a classroom network)")
    parser.add_argument("--port", default=str(DEFAULT_PORT),
                        help=f"port to listen on, {PORTS_ALLOWED} (default {DEFAULT_PORT})")
    parser.set_defaults(handler=handle)


def server_command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "negotiate.app.serving", APP_MODULE, host, str(port), TITLE]


def handle(args: argparse.Namespace) -> int:
    host = check_host(args.host)
    port = check_port(args.port)
    check_free(host, port)
    shown = f"[{host}]" if ":" in host else host
    print(f"negotiate app: open http://{shown}:{port}/ in a browser (Ctrl-C to stop)", flush=True)
    process = subprocess.Popen(server_command(host, port))
    # SIGTERM (a service manager, ``kill``) must stop the server as Ctrl-C does: turn it
    # into the same KeyboardInterrupt so the child is stopped before we exit.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return process.wait()
    except KeyboardInterrupt:
        stop(process)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def stop(process: subprocess.Popen) -> None:
    """Stop the server child: politely, then for sure."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()

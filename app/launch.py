"""``negotiate app``: start the browser app (Solara) and print its address.

Registration only builds the parser, so ``negotiate --help`` stays fast; the handler checks
the address, then runs Solara's server in a child process (``python -m solara run``) so
Ctrl-C, SIGTERM and exit codes behave like any foreground server.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import socket
import subprocess
import sys

from negotiate.errors import NegotiateError

APP_MODULE = "negotiate.app.templates.entry"  # routes of negotiate.app.pages, with the page shell
TITLE = "negotiate"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("app", help="start the browser game (Explore and Play pages)",
                            description="Start the browser game and print its address.")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}; 0.0.0.0 for a classroom network)")
    parser.add_argument("--port", default=str(DEFAULT_PORT),
                        help=f"port to listen on, 1-65535 (default {DEFAULT_PORT})")
    parser.set_defaults(handler=handle)


def check_port(text: str) -> int:
    try:
        port = int(str(text).strip())
    except ValueError:
        raise NegotiateError(f"--port {text!r} is not a whole number; allowed: 1 to 65535") from None
    if not 1 <= port <= 65535:
        raise NegotiateError(f"--port {port} is out of range; allowed: 1 to 65535")
    return port


def check_host(host: str) -> str:
    host = str(host).strip()
    if not host:
        raise NegotiateError("--host is empty; allowed: an IP address or host name such as 127.0.0.1")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    try:
        socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        raise NegotiateError(f"--host {host!r} is not an address this machine can listen on; "
                             "allowed: an IP address or host name such as 127.0.0.1") from None
    return host


def check_free(host: str, port: int) -> None:
    """Fail with one clear line instead of a server traceback when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise NegotiateError(f"cannot listen on {host}:{port} ({exc.strerror}); "
                                 "allowed: a free port, e.g. --port 8766") from None


def server_command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "solara", "run", APP_MODULE, "--host", host, "--port", str(port),
            "--production", "--no-open", "--no-check-version"]


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    # Nothing should phone home: the page must work offline (DESIGN.md, "Offline front end").
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    # The title in the HTML as served, before any script runs (each page then sets its own).
    env["SOLARA_THEME_TITLE"] = TITLE
    return env


def handle(args: argparse.Namespace) -> int:
    host = check_host(args.host)
    port = check_port(args.port)
    check_free(host, port)
    shown = f"[{host}]" if ":" in host else host
    print(f"negotiate app: open http://{shown}:{port}/ in a browser (Ctrl-C to stop)", flush=True)
    process = subprocess.Popen(server_command(host, port), env=server_env())
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

"""Where a server listens: the host and port a person gives, checked before anything starts.

``negotiate app`` and ``negotiate classroom`` both take ``--host`` and ``--port``; each
refusal here is one line naming what is allowed, given before a server (or a classroom
database) is touched.
"""

from __future__ import annotations

import ipaddress
import socket

from .errors import NegotiateError

DEFAULT_HOST = "127.0.0.1"
#: The ports a TCP address may name (a server's --port, a Dask scheduler's address).
PORTS = range(1, 65536)
PORTS_ALLOWED = f"{PORTS[0]} to {PORTS[-1]}"


def check_port(text: str) -> int:
    """``--port`` as a whole number in :data:`PORTS`."""
    try:
        port = int(str(text).strip())
    except ValueError:
        raise NegotiateError(f"--port {text!r} is not a whole number; allowed: {PORTS_ALLOWED}") from None
    if port not in PORTS:
        raise NegotiateError(f"--port {port} is out of range; allowed: {PORTS_ALLOWED}")
    return port


def check_host(host: str) -> str:
    """``--host`` as an IP address or a name this machine resolves."""
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

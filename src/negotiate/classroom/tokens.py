"""Room codes, secret tokens, the teacher credential and join rate limits.

Room codes are short and typed by hand on phones, so they avoid look-alike characters
(0/O, 1/I/L). They are *not* secrets: the teacher token and the seat tokens are, at 144
random bits each, and only their SHA-256 hashes are stored, so a copied database file does
not hand out working links.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
TOKEN_BYTES = 18  # 144 bits (the issue asks for at least 128)


def new_room_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a student typed ('k7m-4px ', 'K7M 4PX') to the stored form ('K7M4PX')."""
    return re.sub(r"[\s\-_.]", "", str(text or "")).upper()[:32]


def pretty_code(code: str) -> str:
    return f"{code[:3]}-{code[3:]}"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_teacher_key() -> str:
    """The credential that lets a teacher create rooms (printed by ``negotiate classroom``)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8", "replace")).hexdigest()


class RateLimiter:
    """A token bucket: ``capacity`` attempts at once, refilled at ``per_second``.

    Sized so a class of 40 can join within a few seconds, while guessing is slowed to a crawl.
    """

    def __init__(self, capacity: float, per_second: float, clock=time.monotonic) -> None:
        self.capacity = capacity
        self.per_second = per_second
        self._clock = clock
        self._level = capacity
        self._last = clock()
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            now = self._clock()
            self._level = min(self.capacity, self._level + (now - self._last) * self.per_second)
            self._last = now
            if self._level >= 1.0:
                self._level -= 1.0
                return True
            return False


def same_secret(given: str, expected: str) -> bool:
    """Compare two secrets (or their hashes) in constant time."""
    return hmac.compare_digest(str(given).encode("utf-8", "replace"),
                               str(expected).encode("utf-8", "replace"))


class ClientLimits:
    """One token bucket per client, so one student's typing never slows another's.

    A client is named by its connection (IP address) and its browser (the session cookie or
    the id a script sends); on a school network many students share one IP, so the browser
    part keeps them apart. The table is bounded: when it is full, the idlest buckets go.
    """

    MAX_CLIENTS = 10_000

    def __init__(self, capacity: float, per_second: float, clock=time.monotonic) -> None:
        self.capacity = capacity
        self.per_second = per_second
        self._clock = clock
        self._buckets: dict[str, RateLimiter] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= self.MAX_CLIENTS:
                    for key in sorted(self._buckets, key=lambda k: self._buckets[k]._last)[
                            : self.MAX_CLIENTS // 10]:
                        del self._buckets[key]
                bucket = self._buckets[client] = RateLimiter(self.capacity, self.per_second,
                                                             clock=self._clock)
        return bucket.allow()

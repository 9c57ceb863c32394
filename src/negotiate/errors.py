"""User-facing errors: one clear sentence naming the problem and what is allowed."""

from __future__ import annotations


class NegotiateError(Exception):
    """Base of every error that the CLI, the app and the classroom show to a person."""

    exit_code = 2


class ScenarioError(NegotiateError):
    """A scenario file, a ``--set`` value or a parameter is malformed.

    ``source`` names the file (or ``--set``), ``key`` the dotted key, and the message says
    what is allowed.
    """

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None):
        self.source = source
        self.key = key
        self.detail = message
        where = ": ".join(part for part in (source, key) if part)
        super().__init__(f"{where}: {message}" if where else message)


class MoveError(NegotiateError):
    """A move (from the browser, a classroom seat or a test) breaks the rules or bounds."""

"""User-facing errors: one clear sentence naming the problem and what is allowed."""

from __future__ import annotations

import unicodedata

# Bidirectional overrides and isolates reorder the text around them on screen, so a name
# holding one can make a message read as something else; they are shown escaped, like
# control characters.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def literal_line(text: str) -> str:
    """``text`` as one line of literal characters for a terminal: control characters
    (escape sequences, newlines, NUL), and bidirectional overrides, are written as escapes
    (``\\x1b``, ``\\n``, ``\\u202e``), so what a person typed is shown, never acted on."""
    if text.isprintable() and not _BIDI_CONTROLS.intersection(text):
        return text
    return "".join(_escaped(ch) for ch in text)


def _escaped(ch: str) -> str:
    if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029":
        return ascii(ch)[1:-1]
    return ch


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

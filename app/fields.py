"""Names people use for the things a player types, and the checks of what was typed.

Every bound comes from the core: move fields are checked by ``negotiate.moves.parse_move``
and offer fields by ``negotiate.moves.bounded_number`` with ``OFFER_BOUNDS``; this module
only puts the field's everyday name in the message and explains a decimal comma.
"""

from __future__ import annotations

from negotiate.errors import MoveError, NegotiateError, ScenarioError
from negotiate.moves import bounded_number, parse_move
from negotiate.negotiation import OFFER_BOUNDS

from .state import SEED_MAX, parse_seed

SIDE_TITLES = {"us": "the United States", "cn": "China"}
MOVE_LABELS = {
    "tariff_headline": "Headline tariff (%)",
    "tech_curbs": "Tech curbs (index)",
    "diversification": "Diversification support (index)",
    "approval_rate": "Licence approval rate (share)",
    "review_weeks": "Licence review time (weeks)",
}
OFFER_LABELS = {
    "us_tariff_cap": "U.S. tariff cap (%)",
    "cn_tariff_cap": "China tariff cap (%)",
    "approval_floor": "Licence approval floor (share)",
    "review_cap": "Review time cap (weeks)",
    "curb_cap": "U.S. tech-curb cap (index)",
    "weeks": "Length (weeks)",
}
_OFFER_UNITS = {"us_tariff_cap": "%", "cn_tariff_cap": "%", "approval_floor": "share",
                "review_cap": "weeks", "curb_cap": "index", "weeks": "weeks"}
COMMA_HINT = "write decimals with a point, e.g. 0.3, and no thousands separators"


def _with_comma_hint(text: str, message: str) -> str:
    return f"{message} ({COMMA_HINT})" if "," in str(text) else message


def _named(message: str, key: str, label: str) -> str:
    """The core names a field by its key; a person reads its label."""
    bare = label.split(" (")[0]
    return bare + message[len(key):] if message.startswith(key) else message


def move_field_error(side: str, name: str, text: str) -> str:
    """One instrument as typed -> '' when fine, else one line naming it and what is allowed."""
    try:
        parse_move(side, {name: str(text)})
    except MoveError as exc:
        return _with_comma_hint(text, _named(str(exc), name, MOVE_LABELS[name]))
    return ""


def offer_value(name: str, text: str) -> float:
    """One offer term as typed -> its value, or MoveError naming the term and its bounds."""
    lo, hi = OFFER_BOUNDS[name]
    label = OFFER_LABELS[name].split(" (")[0]
    try:
        value = bounded_number(label, str(text), lo, hi, _OFFER_UNITS[name])
    except MoveError as exc:
        raise MoveError(_with_comma_hint(text, str(exc))) from None
    if name == "weeks" and not value.is_integer():
        raise MoveError(f"{label} {value:g} is not a whole number; allowed: a whole number "
                        f"from {lo:g} to {hi:g} weeks")
    return value


def offer_field_error(name: str, text: str) -> str:
    try:
        offer_value(name, text)
    except MoveError as exc:
        return str(exc)
    return ""


def offer_hint(name: str) -> str:
    lo, hi = OFFER_BOUNDS[name]
    return f"{lo:g} to {hi:g} {_OFFER_UNITS[name]}"


def refuse_decimal_comma(text: str, allowed: str) -> str:
    """Typed setting text, unless it has a comma: '0,3' is never read as 3."""
    if "," in str(text):
        raise ScenarioError(f"{str(text).strip()!r} has a comma; {COMMA_HINT}; allowed: {allowed}")
    return str(text)


def seed(text: str) -> int:
    """A typed seed; '1,234' is refused rather than read as 1234."""
    try:
        plain = refuse_decimal_comma(text, f"a whole number from 0 to {SEED_MAX}")
    except ScenarioError as exc:
        raise ScenarioError(f"seed {exc}") from None
    return parse_seed(plain)


def plain_message(exc: NegotiateError, key: str = "", label: str = "") -> str:
    """An error's text with an internal key replaced by the name people use."""
    detail = getattr(exc, "detail", None)
    text = str(detail if detail else exc)
    return text.replace(key, label) if key and label else text
